using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;

namespace DeepPhys.Kernels;

/// <summary>
/// 2-D convolution (cross-correlation, as Keras and PyTorch compute it) over batch-first images.
/// Inputs <c>x</c> are <c>[batch, channels, height, width]</c>, outputs <c>y</c> are
/// <c>[batch, filters, outHeight, outWidth]</c>, and the weights are <c>[filters, channels, kernel, kernel]</c>,
/// PyTorch's <c>Conv2d.weight</c> layout (Keras stores <c>[kernel, kernel, channels, filters]</c>).
/// </summary>
/// <remarks>
/// Direct loops: for each filter, channel and window tap, the taps of one output row that fall
/// inside the image are one <see cref="TensorPrimitives"/> call when the stride is 1 and a short
/// strided loop otherwise. Correctness first; im2col and blocking are left to a later optimisation.
/// </remarks>
public static class Conv2DKernels
{
    /// <summary>Forward pass: <c>y[b, f] = bias[f] + Σ_c x[b, c] ⋆ W[f, c]</c>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">Inputs, <c>[batch, channels, height, width]</c>.</param>
    /// <param name="weights">Weights, <c>[filters, channels, kernel, kernel]</c>.</param>
    /// <param name="bias">Bias, <c>[filters]</c>, or empty for a convolution without bias.</param>
    /// <param name="y">Receives the outputs, <c>[batch, filters, outHeight, outWidth]</c>; must not overlap the other spans.</param>
    /// <param name="batch">Images in the batch.</param>
    /// <param name="filters">Output channels.</param>
    /// <param name="window">The geometry.</param>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> y, int batch, int filters, ImageWindow window)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertShapes(x.Length, weights.Length, bias.Length, y.Length, batch, filters, window);
        int k = window.Size, s = window.Stride, plane = window.OutputPlane;
        for (int b = 0; b < batch; b++)
        {
            for (int f = 0; f < filters; f++)
            {
                var image = y.Slice((b * filters + f) * plane, plane);
                if (bias.IsEmpty) image.Clear();
                else image.Fill(bias[f]);
                for (int c = 0; c < window.Channels; c++)
                {
                    var channel = Channel(x, b, c, window);
                    for (int tap = 0; tap < k * k; tap++)
                    {
                        T w = weights[((f * window.Channels + c) * k * k) + tap];
                        var (rows, columns, ix) = Taps(window, tap);
                        for (int oy = rows.Start; oy < rows.End; oy++)
                        {
                            var input = channel.Slice(((oy * s) + (tap / k) - window.PadTop) * window.Width);
                            var output = image.Slice((oy * window.OutWidth) + columns.Start, columns.End - columns.Start);
                            if (s == 1) TensorPrimitives.MultiplyAdd(input.Slice(ix, output.Length), w, output, output);
                            else for (int i = 0; i < output.Length; i++) output[i] += w * input[ix + (i * s)];
                        }
                    }
                }
            }
        }
    }

    /// <summary>Parameter gradients: <c>dW[f, c] = Σ_b x[b, c] ⋆ dy[b, f]</c> and <c>db[f] = Σ dy[·, f]</c>, overwriting both.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward pass's inputs, <c>[batch, channels, height, width]</c>.</param>
    /// <param name="dy">Loss gradient with respect to the outputs, <c>[batch, filters, outHeight, outWidth]</c>.</param>
    /// <param name="dWeights">Receives the weight gradient, <c>[filters, channels, kernel, kernel]</c>.</param>
    /// <param name="dBias">Receives the bias gradient, <c>[filters]</c>; empty for a convolution without bias.</param>
    /// <param name="batch">Images in the batch.</param>
    /// <param name="filters">Output channels.</param>
    /// <param name="window">The geometry.</param>
    public static void BackwardParameters<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dWeights, Span<T> dBias, int batch, int filters, ImageWindow window)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertShapes(x.Length, dWeights.Length, dBias.Length, dy.Length, batch, filters, window);
        int k = window.Size, s = window.Stride, plane = window.OutputPlane;
        dWeights.Clear();
        dBias.Clear();
        for (int b = 0; b < batch; b++)
        {
            for (int f = 0; f < filters; f++)
            {
                var gradient = dy.Slice((b * filters + f) * plane, plane);
                if (!dBias.IsEmpty) dBias[f] += TensorPrimitives.Sum(gradient);
                for (int c = 0; c < window.Channels; c++)
                {
                    var channel = Channel(x, b, c, window);
                    for (int tap = 0; tap < k * k; tap++)
                    {
                        var (rows, columns, ix) = Taps(window, tap);
                        T sum = T.Zero;
                        for (int oy = rows.Start; oy < rows.End; oy++)
                        {
                            var input = channel.Slice(((oy * s) + (tap / k) - window.PadTop) * window.Width);
                            var output = gradient.Slice((oy * window.OutWidth) + columns.Start, columns.End - columns.Start);
                            if (s == 1) sum += TensorPrimitives.Dot(input.Slice(ix, output.Length), output);
                            else for (int i = 0; i < output.Length; i++) sum += output[i] * input[ix + (i * s)];
                        }

                        dWeights[((f * window.Channels + c) * k * k) + tap] += sum;
                    }
                }
            }
        }
    }

    /// <summary>Input gradient: <c>dx[b, c] += Σ_f dy[b, f] ⋆ᵀ W[f, c]</c>. Adds into <paramref name="dx"/>: clear it first to overwrite.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="dy">Loss gradient with respect to the outputs, <c>[batch, filters, outHeight, outWidth]</c>.</param>
    /// <param name="weights">Weights, <c>[filters, channels, kernel, kernel]</c>.</param>
    /// <param name="dx">Accumulates the loss gradient with respect to the inputs, <c>[batch, channels, height, width]</c>.</param>
    /// <param name="batch">Images in the batch.</param>
    /// <param name="filters">Output channels.</param>
    /// <param name="window">The geometry.</param>
    public static void BackwardInput<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> weights, Span<T> dx, int batch, int filters, ImageWindow window)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertShapes(dx.Length, weights.Length, filters, dy.Length, batch, filters, window);
        int k = window.Size, s = window.Stride, plane = window.OutputPlane;
        for (int b = 0; b < batch; b++)
        {
            for (int f = 0; f < filters; f++)
            {
                var gradient = dy.Slice((b * filters + f) * plane, plane);
                for (int c = 0; c < window.Channels; c++)
                {
                    var channel = dx.Slice(((b * window.Channels) + c) * window.Height * window.Width, window.Height * window.Width);
                    for (int tap = 0; tap < k * k; tap++)
                    {
                        T w = weights[((f * window.Channels + c) * k * k) + tap];
                        var (rows, columns, ix) = Taps(window, tap);
                        for (int oy = rows.Start; oy < rows.End; oy++)
                        {
                            var input = channel.Slice(((oy * s) + (tap / k) - window.PadTop) * window.Width);
                            var output = gradient.Slice((oy * window.OutWidth) + columns.Start, columns.End - columns.Start);
                            if (s == 1) TensorPrimitives.MultiplyAdd(output, w, input.Slice(ix, output.Length), input.Slice(ix, output.Length));
                            else for (int i = 0; i < output.Length; i++) input[ix + (i * s)] += w * output[i];
                        }
                    }
                }
            }
        }
    }

    private static ReadOnlySpan<T> Channel<T>(ReadOnlySpan<T> x, int b, int c, ImageWindow window) =>
        x.Slice(((b * window.Channels) + c) * window.Height * window.Width, window.Height * window.Width);

    /// <summary>For window tap <paramref name="tap"/> (row-major in the window): the output rows and columns it reads the image for, and the input column of the first.</summary>
    private static ((int Start, int End) Rows, (int Start, int End) Columns, int FirstColumn) Taps(ImageWindow window, int tap)
    {
        int ky = tap / window.Size, kx = tap % window.Size;
        var rows = window.Inside(ky - window.PadTop, window.Height, window.OutHeight);
        var columns = window.Inside(kx - window.PadLeft, window.Width, window.OutWidth);
        return (rows, columns, (columns.Start * window.Stride) + kx - window.PadLeft);
    }

    [Conditional("DEBUG")]
    private static void AssertShapes(int xLength, int weightsLength, int biasLength, int yLength, int batch, int filters, ImageWindow window)
    {
        Debug.Assert(xLength == batch * window.InputSize, "x (or dx) must be [batch, channels, height, width].");
        Debug.Assert(weightsLength == filters * window.Channels * window.Size * window.Size, "weights must be [filters, channels, kernel, kernel].");
        Debug.Assert(biasLength == 0 || biasLength == filters, "bias must be [filters] or empty.");
        Debug.Assert(yLength == batch * filters * window.OutputPlane, "y (or dy) must be [batch, filters, outHeight, outWidth].");
    }

    /// <summary>Textbook loops with the same signatures, every tap bounds-checked: the reference the kernels above are tested against.</summary>
    internal static class Scalar
    {
        internal static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> y, int batch, int filters, ImageWindow window)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int b = 0; b < batch; b++)
            {
                for (int f = 0; f < filters; f++)
                {
                    for (int oy = 0; oy < window.OutHeight; oy++)
                    {
                        for (int ox = 0; ox < window.OutWidth; ox++)
                        {
                            T sum = bias.IsEmpty ? T.Zero : bias[f];
                            for (int c = 0; c < window.Channels; c++)
                            {
                                for (int ky = 0; ky < window.Size; ky++)
                                {
                                    for (int kx = 0; kx < window.Size; kx++)
                                    {
                                        int iy = oy * window.Stride + ky - window.PadTop, ix = ox * window.Stride + kx - window.PadLeft;
                                        if (iy < 0 || iy >= window.Height || ix < 0 || ix >= window.Width) continue;
                                        sum += x[((b * window.Channels + c) * window.Height + iy) * window.Width + ix] * weights[((f * window.Channels + c) * window.Size + ky) * window.Size + kx];
                                    }
                                }
                            }

                            y[((b * filters + f) * window.OutHeight + oy) * window.OutWidth + ox] = sum;
                        }
                    }
                }
            }
        }

        internal static void BackwardParameters<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dWeights, Span<T> dBias, int batch, int filters, ImageWindow window)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int f = 0; f < filters; f++)
            {
                T biasSum = T.Zero;
                for (int i = 0; i < batch * window.OutputPlane; i++) biasSum += dy[((i / window.OutputPlane * filters) + f) * window.OutputPlane + (i % window.OutputPlane)];
                if (!dBias.IsEmpty) dBias[f] = biasSum;
                for (int c = 0; c < window.Channels; c++)
                {
                    for (int ky = 0; ky < window.Size; ky++)
                    {
                        for (int kx = 0; kx < window.Size; kx++)
                        {
                            T sum = T.Zero;
                            for (int b = 0; b < batch; b++)
                            {
                                for (int oy = 0; oy < window.OutHeight; oy++)
                                {
                                    for (int ox = 0; ox < window.OutWidth; ox++)
                                    {
                                        int iy = oy * window.Stride + ky - window.PadTop, ix = ox * window.Stride + kx - window.PadLeft;
                                        if (iy < 0 || iy >= window.Height || ix < 0 || ix >= window.Width) continue;
                                        sum += x[((b * window.Channels + c) * window.Height + iy) * window.Width + ix] * dy[((b * filters + f) * window.OutHeight + oy) * window.OutWidth + ox];
                                    }
                                }
                            }

                            dWeights[((f * window.Channels + c) * window.Size + ky) * window.Size + kx] = sum;
                        }
                    }
                }
            }
        }

        /// <summary>Gathers from the input's side: each input value sums the outputs whose windows cover it.</summary>
        internal static void BackwardInput<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> weights, Span<T> dx, int batch, int filters, ImageWindow window)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int b = 0; b < batch; b++)
            {
                for (int c = 0; c < window.Channels; c++)
                {
                    for (int iy = 0; iy < window.Height; iy++)
                    {
                        for (int ix = 0; ix < window.Width; ix++)
                        {
                            T sum = T.Zero;
                            for (int f = 0; f < filters; f++)
                            {
                                for (int ky = 0; ky < window.Size; ky++)
                                {
                                    for (int kx = 0; kx < window.Size; kx++)
                                    {
                                        int ry = iy + window.PadTop - ky, rx = ix + window.PadLeft - kx;
                                        if (ry < 0 || rx < 0 || ry % window.Stride != 0 || rx % window.Stride != 0) continue;
                                        int oy = ry / window.Stride, ox = rx / window.Stride;
                                        if (oy >= window.OutHeight || ox >= window.OutWidth) continue;
                                        sum += dy[((b * filters + f) * window.OutHeight + oy) * window.OutWidth + ox] * weights[((f * window.Channels + c) * window.Size + ky) * window.Size + kx];
                                    }
                                }
                            }

                            dx[((b * window.Channels + c) * window.Height + iy) * window.Width + ix] += sum;
                        }
                    }
                }
            }
        }
    }
}
