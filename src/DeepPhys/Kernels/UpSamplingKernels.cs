using System.Diagnostics;
using System.Numerics;

namespace DeepPhys.Kernels;

/// <summary>
/// Nearest-neighbour upsampling by whole factors over batch-first images: inputs <c>[batch, channels, height, width]</c>,
/// outputs <c>[batch, channels, height · scaleHeight, width · scaleWidth]</c>, each input value repeated over a
/// <c>scaleHeight × scaleWidth</c> block (output <c>(oy, ox)</c> is input <c>(oy / scaleHeight, ox / scaleWidth)</c>):
/// PyTorch's <c>nn.Upsample(scale_factor=(sh, sw), mode='nearest')</c>, Keras's <c>UpSampling2D</c>.
/// Signals <c>[batch, channels, length]</c> are images of height 1 with <c>scaleHeight</c> 1: each step is repeated
/// <c>scaleWidth</c> times, Keras's <c>UpSampling1D</c> (on channels-first signals) and PyTorch's 1-D <c>nn.Upsample</c>.
/// </summary>
/// <remarks>
/// The forward pass writes the first row of each block value by value and copies it to the block's other rows
/// (<see cref="Span{T}.CopyTo(Span{T})"/>, which the runtime vectorises); <see cref="Scalar"/> is its textbook twin.
/// </remarks>
public static class UpSamplingKernels
{
    /// <summary>Forward pass: <c>y[b, c, oy, ox] = x[b, c, oy / scaleHeight, ox / scaleWidth]</c>, overwriting <paramref name="y"/>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">Inputs, <c>[batch, channels, height, width]</c>.</param>
    /// <param name="y">Receives the outputs, <c>[batch, channels, height · scaleHeight, width · scaleWidth]</c>.</param>
    /// <param name="batch">Samples in the batch.</param>
    /// <param name="channels">Channels per sample.</param>
    /// <param name="height">Input rows (1 for signals).</param>
    /// <param name="width">Input columns (a signal's length).</param>
    /// <param name="scaleHeight">Copies of each row (1 for signals).</param>
    /// <param name="scaleWidth">Copies of each column (of each step of a signal).</param>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, int batch, int channels, int height, int width, int scaleHeight, int scaleWidth)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertShapes(x.Length, y.Length, batch, channels, height, width, scaleHeight, scaleWidth);
        int outWidth = width * scaleWidth;
        for (int row = 0; row < batch * channels * height; row++)
        {
            var input = x.Slice(row * width, width);
            var block = y.Slice(row * scaleHeight * outWidth, scaleHeight * outWidth);
            for (int ix = 0; ix < width; ix++)
            {
                for (int j = 0; j < scaleWidth; j++) block[(ix * scaleWidth) + j] = input[ix];
            }

            for (int r = 1; r < scaleHeight; r++) block[..outWidth].CopyTo(block.Slice(r * outWidth, outWidth));
        }
    }

    /// <summary>
    /// Backward pass: each input's gradient is the sum of its block's, <c>dx[b, c, iy, ix] += Σ dy[b, c, iy·sh + r, ix·sw + j]</c>
    /// over <c>r &lt; scaleHeight</c>, <c>j &lt; scaleWidth</c>; or <c>=</c> without <paramref name="accumulate"/>.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="dy">Loss gradient with respect to the outputs, <c>[batch, channels, height · scaleHeight, width · scaleWidth]</c>.</param>
    /// <param name="dx">Receives (or accumulates) the loss gradient with respect to the inputs, <c>[batch, channels, height, width]</c>.</param>
    /// <param name="batch">Samples in the batch.</param>
    /// <param name="channels">Channels per sample.</param>
    /// <param name="height">Input rows (1 for signals).</param>
    /// <param name="width">Input columns (a signal's length).</param>
    /// <param name="scaleHeight">Copies of each row (1 for signals).</param>
    /// <param name="scaleWidth">Copies of each column (of each step of a signal).</param>
    /// <param name="accumulate">Add into <paramref name="dx"/> (true) or overwrite it (false), each row cleared just before its blocks are summed into it.</param>
    public static void Backward<T>(ReadOnlySpan<T> dy, Span<T> dx, int batch, int channels, int height, int width, int scaleHeight, int scaleWidth, bool accumulate = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertShapes(dx.Length, dy.Length, batch, channels, height, width, scaleHeight, scaleWidth);
        int outWidth = width * scaleWidth;
        for (int row = 0; row < batch * channels * height; row++)
        {
            var gradient = dx.Slice(row * width, width);
            if (!accumulate) gradient.Clear();
            for (int r = 0; r < scaleHeight; r++)
            {
                var outputs = dy.Slice(((row * scaleHeight) + r) * outWidth, outWidth);
                for (int ix = 0; ix < width; ix++)
                {
                    T sum = T.Zero;
                    for (int j = 0; j < scaleWidth; j++) sum += outputs[(ix * scaleWidth) + j];
                    gradient[ix] += sum;
                }
            }
        }
    }

    [Conditional("DEBUG")]
    private static void AssertShapes(int xLength, int yLength, int batch, int channels, int height, int width, int scaleHeight, int scaleWidth)
    {
        Debug.Assert(scaleHeight >= 1 && scaleWidth >= 1, "The scales must be whole factors of at least 1.");
        Debug.Assert(xLength == batch * channels * height * width, "x (or dx) must be [batch, channels, height, width].");
        Debug.Assert(yLength == xLength * scaleHeight * scaleWidth, "y (or dy) must be [batch, channels, height · scaleHeight, width · scaleWidth].");
    }

    /// <summary>Textbook loops with the same signatures, one output at a time: the reference the kernels above are tested against.</summary>
    internal static class Scalar
    {
        internal static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, int batch, int channels, int height, int width, int scaleHeight, int scaleWidth)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int o = 0; o < y.Length; o++) y[o] = x[Source(o, height, width, scaleHeight, scaleWidth)];
        }

        internal static void Backward<T>(ReadOnlySpan<T> dy, Span<T> dx, int batch, int channels, int height, int width, int scaleHeight, int scaleWidth)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int o = 0; o < dy.Length; o++) dx[Source(o, height, width, scaleHeight, scaleWidth)] += dy[o];
        }

        /// <summary>The input that output <paramref name="output"/> (an index into the whole batch) repeats.</summary>
        private static int Source(int output, int height, int width, int scaleHeight, int scaleWidth)
        {
            int outHeight = height * scaleHeight, outWidth = width * scaleWidth;
            int plane = output / (outHeight * outWidth), oy = output / outWidth % outHeight, ox = output % outWidth;
            return (((plane * height) + (oy / scaleHeight)) * width) + (ox / scaleWidth);
        }
    }
}
