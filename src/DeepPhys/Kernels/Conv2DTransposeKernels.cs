using System.Numerics;

namespace DeepPhys.Kernels;

/// <summary>
/// 2-D transposed convolution (PyTorch's <c>nn.ConvTranspose2d</c>, Keras's <c>Conv2DTranspose</c>) over batch-first images,
/// composed from <see cref="Conv2DKernels"/>. Inputs <c>x</c> are <c>[batch, inChannels, inHeight, inWidth]</c>, outputs
/// <c>y</c> are <c>[batch, outChannels, outHeight, outWidth]</c>, the weights are <c>[inChannels, outChannels, kernelHeight,
/// kernelWidth]</c>, PyTorch's <c>ConvTranspose2d.weight</c> layout (Keras stores <c>[kernelHeight, kernelWidth, outChannels,
/// inChannels]</c>), and the bias is <c>[outChannels]</c>.
/// </summary>
/// <remarks>
/// <para>
/// A transposed convolution is the input gradient of the convolution that maps its output back to its input: with
/// that convolution's geometry, the <em>mirrored window</em>, its forward pass is
/// <see cref="Conv2DKernels.BackwardInput{T}"/>, its input gradient <see cref="Conv2DKernels.Forward{T}"/>, and its
/// weight gradient <see cref="Conv2DKernels.BackwardParameters{T}"/> with the roles of <c>x</c> and <c>dy</c>
/// swapped; the weights are that convolution's <c>[filters, channels, kernelHeight, kernelWidth]</c> as they stand.
/// </para>
/// <para>
/// The mirrored window, an <see cref="ImageWindow"/>: <c>Channels</c> = outChannels; <c>Height</c>, <c>Width</c> = the
/// transposed convolution's output size; <c>KernelHeight</c>, <c>KernelWidth</c>, <c>StrideHeight</c>, <c>StrideWidth</c>
/// = its kernel and stride; <c>PadTop</c>, <c>PadLeft</c> = its padding (PyTorch's <c>padding</c>, which crops the
/// full output); <c>OutHeight</c>, <c>OutWidth</c> = its input size. The <c>filters</c> argument of the
/// convolution kernels, <c>inChannels</c> here, is the transposed convolution's input channels. PyTorch's output size
/// is <c>(in − 1) · stride − 2 · padding + kernel + output_padding</c>; <c>output_padding</c> (below the stride) adds
/// rows and columns at the bottom and right, which only the window's <c>Height</c> and <c>Width</c> show.
/// </para>
/// <para>
/// For example <c>nn.ConvTranspose2d(3, 2, kernel_size=3, stride=2, padding=1)</c> on 4 × 5 inputs gives 7 × 9 outputs,
/// and its mirrored window is <c>new ImageWindow(2, 7, 9, 3, 3, 2, 2, 1, 1, 4, 5)</c> with <c>inChannels</c> 3.
/// </para>
/// </remarks>
public static class Conv2DTransposeKernels
{
    /// <summary>Forward pass: <c>y[b, o] = bias[o] + Σ_i x[b, i] ⋆ᵀ W[i, o]</c>, overwriting <paramref name="y"/>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">Inputs, <c>[batch, inChannels, inHeight, inWidth]</c>.</param>
    /// <param name="weights">Weights, <c>[inChannels, outChannels, kernelHeight, kernelWidth]</c>.</param>
    /// <param name="bias">Bias, <c>[outChannels]</c>, or empty for a transposed convolution without bias.</param>
    /// <param name="y">Receives the outputs, <c>[batch, outChannels, outHeight, outWidth]</c>; must not overlap the other spans.</param>
    /// <param name="batch">Images in the batch.</param>
    /// <param name="inChannels">Input channels (the mirrored convolution's filters).</param>
    /// <param name="window">The mirrored window (see the class's remarks).</param>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> y, int batch, int inChannels, ImageWindow window)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Conv2DKernels.BackwardInput(x, weights, y, batch, inChannels, window, accumulate: false);
        if (!bias.IsEmpty) Conv2DKernels.AddChannelBias(y, bias, batch, window.Channels, window.Height * window.Width);
    }

    /// <summary>
    /// Parameter gradients: <c>dW[i, o] = Σ_b dy[b, o] ⋆ x[b, i]</c> and <c>db[o] = Σ dy[·, o]</c>, overwriting both
    /// (as <see cref="Conv2DKernels.BackwardParameters{T}"/>).
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward pass's inputs, <c>[batch, inChannels, inHeight, inWidth]</c>.</param>
    /// <param name="dy">Loss gradient with respect to the outputs, <c>[batch, outChannels, outHeight, outWidth]</c>.</param>
    /// <param name="dWeights">Receives the weight gradient, <c>[inChannels, outChannels, kernelHeight, kernelWidth]</c>.</param>
    /// <param name="dBias">Receives the bias gradient, <c>[outChannels]</c>; empty for a transposed convolution without bias.</param>
    /// <param name="batch">Images in the batch.</param>
    /// <param name="inChannels">Input channels (the mirrored convolution's filters).</param>
    /// <param name="window">The mirrored window (see the class's remarks).</param>
    public static void BackwardParameters<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dWeights, Span<T> dBias, int batch, int inChannels, ImageWindow window)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Conv2DKernels.BackwardParameters(dy, x, dWeights, default, batch, inChannels, window);
        if (!dBias.IsEmpty) Conv2DKernels.ChannelBiasGradient(dy, dBias, batch, window.Channels, window.Height * window.Width);
    }

    /// <summary>Input gradient: <c>dx[b, i] += Σ_o dy[b, o] ⋆ W[i, o]</c>, or <c>=</c> without <paramref name="accumulate"/>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="dy">Loss gradient with respect to the outputs, <c>[batch, outChannels, outHeight, outWidth]</c>.</param>
    /// <param name="weights">Weights, <c>[inChannels, outChannels, kernelHeight, kernelWidth]</c>.</param>
    /// <param name="dx">Receives (or accumulates) the loss gradient with respect to the inputs, <c>[batch, inChannels, inHeight, inWidth]</c>.</param>
    /// <param name="batch">Images in the batch.</param>
    /// <param name="inChannels">Input channels (the mirrored convolution's filters).</param>
    /// <param name="window">The mirrored window (see the class's remarks).</param>
    /// <param name="accumulate">Add into <paramref name="dx"/> (true) or overwrite it (false).</param>
    public static void BackwardInput<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> weights, Span<T> dx, int batch, int inChannels, ImageWindow window, bool accumulate = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (accumulate) Conv2DKernels.ForwardAdding(dy, weights, dx, batch, inChannels, window);
        else Conv2DKernels.Forward(dy, weights, default, dx, batch, inChannels, window);
    }
}
