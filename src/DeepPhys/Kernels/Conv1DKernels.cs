using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;

namespace DeepPhys.Kernels;

/// <summary>
/// 1-D convolution (cross-correlation, as Keras and PyTorch compute it) over batch-first signals or sequences.
/// Inputs <c>x</c> are <c>[batch, channels, length]</c>, outputs <c>y</c> are <c>[batch, filters, outLength]</c>,
/// and the weights are <c>[filters, channels, kernel]</c>, PyTorch's <c>Conv1d.weight</c> layout
/// (Keras's <c>Conv1D</c> kernel is <c>[kernel, channels, filters]</c> and its inputs are channels-last).
/// </summary>
/// <remarks>
/// Direct loops: for each filter, channel and window tap, the outputs whose tap falls inside the
/// signal are one <see cref="TensorPrimitives"/> call at stride 1 and a short strided loop otherwise.
/// </remarks>
public static class Conv1DKernels
{
    /// <summary>Forward pass: <c>y[b, f] = bias[f] + Σ_c x[b, c] ⋆ W[f, c]</c>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">Inputs, <c>[batch, channels, length]</c>.</param>
    /// <param name="weights">Weights, <c>[filters, channels, kernel]</c>.</param>
    /// <param name="bias">Bias, <c>[filters]</c>, or empty for a convolution without bias.</param>
    /// <param name="y">Receives the outputs, <c>[batch, filters, outLength]</c>; must not overlap the other spans.</param>
    /// <param name="batch">Samples in the batch.</param>
    /// <param name="filters">Output channels.</param>
    /// <param name="window">The geometry.</param>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> y, int batch, int filters, SignalWindow window)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertShapes(x.Length, weights.Length, bias.Length, y.Length, batch, filters, window);
        int k = window.Size, s = window.Stride;
        for (int b = 0; b < batch; b++)
        {
            for (int f = 0; f < filters; f++)
            {
                var output = y.Slice(((b * filters) + f) * window.OutLength, window.OutLength);
                if (bias.IsEmpty) output.Clear();
                else output.Fill(bias[f]);
                for (int c = 0; c < window.Channels; c++)
                {
                    var signal = Channel(x, b, c, window);
                    for (int tap = 0; tap < k; tap++)
                    {
                        T w = weights[(((f * window.Channels) + c) * k) + tap];
                        var (start, end) = window.Inside(tap);
                        var outputs = output.Slice(start, end - start);
                        int first = (start * s) + tap - window.PadLeft;
                        if (s == 1) TensorPrimitives.MultiplyAdd(signal.Slice(first, outputs.Length), w, outputs, outputs);
                        else for (int i = 0; i < outputs.Length; i++) outputs[i] += w * signal[first + (i * s)];
                    }
                }
            }
        }
    }

    /// <summary>Parameter gradients: <c>dW[f, c] = Σ_b x[b, c] ⋆ dy[b, f]</c> and <c>db[f] = Σ dy[·, f]</c>, overwriting both.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward pass's inputs, <c>[batch, channels, length]</c>.</param>
    /// <param name="dy">Loss gradient with respect to the outputs, <c>[batch, filters, outLength]</c>.</param>
    /// <param name="dWeights">Receives the weight gradient, <c>[filters, channels, kernel]</c>.</param>
    /// <param name="dBias">Receives the bias gradient, <c>[filters]</c>; empty for a convolution without bias.</param>
    /// <param name="batch">Samples in the batch.</param>
    /// <param name="filters">Output channels.</param>
    /// <param name="window">The geometry.</param>
    public static void BackwardParameters<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dWeights, Span<T> dBias, int batch, int filters, SignalWindow window)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertShapes(x.Length, dWeights.Length, dBias.Length, dy.Length, batch, filters, window);
        int k = window.Size, s = window.Stride;
        dWeights.Clear();
        dBias.Clear();
        for (int b = 0; b < batch; b++)
        {
            for (int f = 0; f < filters; f++)
            {
                var gradient = dy.Slice(((b * filters) + f) * window.OutLength, window.OutLength);
                if (!dBias.IsEmpty) dBias[f] += TensorPrimitives.Sum(gradient);
                for (int c = 0; c < window.Channels; c++)
                {
                    var signal = Channel(x, b, c, window);
                    for (int tap = 0; tap < k; tap++)
                    {
                        var (start, end) = window.Inside(tap);
                        var outputs = gradient.Slice(start, end - start);
                        int first = (start * s) + tap - window.PadLeft;
                        T sum = T.Zero;
                        if (s == 1) sum = TensorPrimitives.Dot(signal.Slice(first, outputs.Length), outputs);
                        else for (int i = 0; i < outputs.Length; i++) sum += outputs[i] * signal[first + (i * s)];
                        dWeights[(((f * window.Channels) + c) * k) + tap] += sum;
                    }
                }
            }
        }
    }

    /// <summary>Input gradient: <c>dx[b, c] += Σ_f dy[b, f] ⋆ᵀ W[f, c]</c>. Adds into <paramref name="dx"/>: clear it first to overwrite.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="dy">Loss gradient with respect to the outputs, <c>[batch, filters, outLength]</c>.</param>
    /// <param name="weights">Weights, <c>[filters, channels, kernel]</c>.</param>
    /// <param name="dx">Accumulates the loss gradient with respect to the inputs, <c>[batch, channels, length]</c>.</param>
    /// <param name="batch">Samples in the batch.</param>
    /// <param name="filters">Output channels.</param>
    /// <param name="window">The geometry.</param>
    public static void BackwardInput<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> weights, Span<T> dx, int batch, int filters, SignalWindow window)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertShapes(dx.Length, weights.Length, filters, dy.Length, batch, filters, window);
        int k = window.Size, s = window.Stride;
        for (int b = 0; b < batch; b++)
        {
            for (int f = 0; f < filters; f++)
            {
                var gradient = dy.Slice(((b * filters) + f) * window.OutLength, window.OutLength);
                for (int c = 0; c < window.Channels; c++)
                {
                    var signal = dx.Slice(((b * window.Channels) + c) * window.Length, window.Length);
                    for (int tap = 0; tap < k; tap++)
                    {
                        T w = weights[(((f * window.Channels) + c) * k) + tap];
                        var (start, end) = window.Inside(tap);
                        var outputs = gradient.Slice(start, end - start);
                        int first = (start * s) + tap - window.PadLeft;
                        if (s == 1)
                        {
                            var inputs = signal.Slice(first, outputs.Length);
                            TensorPrimitives.MultiplyAdd(outputs, w, inputs, inputs);
                        }
                        else
                        {
                            for (int i = 0; i < outputs.Length; i++) signal[first + (i * s)] += w * outputs[i];
                        }
                    }
                }
            }
        }
    }

    private static ReadOnlySpan<T> Channel<T>(ReadOnlySpan<T> x, int b, int c, SignalWindow window) =>
        x.Slice(((b * window.Channels) + c) * window.Length, window.Length);

    [Conditional("DEBUG")]
    private static void AssertShapes(int xLength, int weightsLength, int biasLength, int yLength, int batch, int filters, SignalWindow window)
    {
        Debug.Assert(xLength == batch * window.InputSize, "x (or dx) must be [batch, channels, length].");
        Debug.Assert(weightsLength == filters * window.Channels * window.Size, "weights must be [filters, channels, kernel].");
        Debug.Assert(biasLength == 0 || biasLength == filters, "bias must be [filters] or empty.");
        Debug.Assert(yLength == batch * filters * window.OutLength, "y (or dy) must be [batch, filters, outLength].");
    }

    /// <summary>Textbook loops with the same signatures, every tap bounds-checked: the reference the kernels above are tested against.</summary>
    internal static class Scalar
    {
        internal static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> y, int batch, int filters, SignalWindow window)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int b = 0; b < batch; b++)
            {
                for (int f = 0; f < filters; f++)
                {
                    for (int o = 0; o < window.OutLength; o++)
                    {
                        T sum = bias.IsEmpty ? T.Zero : bias[f];
                        for (int c = 0; c < window.Channels; c++)
                        {
                            for (int tap = 0; tap < window.Size; tap++)
                            {
                                int i = o * window.Stride + tap - window.PadLeft;
                                if (i >= 0 && i < window.Length) sum += x[(b * window.Channels + c) * window.Length + i] * weights[(f * window.Channels + c) * window.Size + tap];
                            }
                        }

                        y[(b * filters + f) * window.OutLength + o] = sum;
                    }
                }
            }
        }

        internal static void BackwardParameters<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dWeights, Span<T> dBias, int batch, int filters, SignalWindow window)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int f = 0; f < filters; f++)
            {
                T biasSum = T.Zero;
                for (int b = 0; b < batch; b++)
                {
                    for (int o = 0; o < window.OutLength; o++) biasSum += dy[(b * filters + f) * window.OutLength + o];
                }

                if (!dBias.IsEmpty) dBias[f] = biasSum;
                for (int c = 0; c < window.Channels; c++)
                {
                    for (int tap = 0; tap < window.Size; tap++)
                    {
                        T sum = T.Zero;
                        for (int b = 0; b < batch; b++)
                        {
                            for (int o = 0; o < window.OutLength; o++)
                            {
                                int i = o * window.Stride + tap - window.PadLeft;
                                if (i >= 0 && i < window.Length) sum += x[(b * window.Channels + c) * window.Length + i] * dy[(b * filters + f) * window.OutLength + o];
                            }
                        }

                        dWeights[(f * window.Channels + c) * window.Size + tap] = sum;
                    }
                }
            }
        }

        /// <summary>Gathers from the input's side: each input value sums the outputs whose windows cover it.</summary>
        internal static void BackwardInput<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> weights, Span<T> dx, int batch, int filters, SignalWindow window)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int b = 0; b < batch; b++)
            {
                for (int c = 0; c < window.Channels; c++)
                {
                    for (int i = 0; i < window.Length; i++)
                    {
                        T sum = T.Zero;
                        for (int f = 0; f < filters; f++)
                        {
                            for (int tap = 0; tap < window.Size; tap++)
                            {
                                int r = i + window.PadLeft - tap;
                                if (r < 0 || r % window.Stride != 0 || r / window.Stride >= window.OutLength) continue;
                                sum += dy[(b * filters + f) * window.OutLength + (r / window.Stride)] * weights[(f * window.Channels + c) * window.Size + tap];
                            }
                        }

                        dx[(b * window.Channels + c) * window.Length + i] += sum;
                    }
                }
            }
        }
    }
}
