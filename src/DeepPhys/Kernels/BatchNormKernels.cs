using System.Numerics;
using System.Numerics.Tensors;

namespace DeepPhys.Kernels;

/// <summary>
/// Batch normalisation per channel, Keras's <c>BatchNormalization</c>: inputs are <c>[batch, channels, plane]</c>
/// (features: plane 1; images: plane = height × width). Training normalises with the batch's mean and
/// (biased) variance, <c>x̂ = (x − μ) / √(σ² + ε)</c>, <c>y = γ·x̂ + β</c>, and moves the running averages
/// as Keras does: <c>running = momentum · running + (1 − momentum) · batch</c>. Inference uses the running averages.
/// </summary>
public static class BatchNormKernels
{
    /// <summary>Training forward pass: batch statistics, <paramref name="normalized"/> (x̂) and <paramref name="inverseStd"/> kept for the backward pass, running averages moved.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">Inputs, <c>[batch, channels, plane]</c>.</param>
    /// <param name="gamma">Scale per channel.</param>
    /// <param name="beta">Shift per channel.</param>
    /// <param name="y">Receives the outputs, shaped as <paramref name="x"/>.</param>
    /// <param name="normalized">Receives x̂, shaped as <paramref name="x"/>.</param>
    /// <param name="inverseStd">Receives <c>1 / √(σ² + ε)</c> per channel in its first <c>channels</c> values; may be longer.</param>
    /// <param name="runningMean">The running means, updated.</param>
    /// <param name="runningVariance">The running variances, updated.</param>
    /// <param name="batch">Samples in the batch.</param>
    /// <param name="plane">Values per channel per sample.</param>
    /// <param name="momentum">Keras's momentum of the running averages.</param>
    /// <param name="epsilon">Added to the variance.</param>
    public static void Forward<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, Span<T> y, Span<T> normalized, Span<T> inverseStd,
        Span<T> runningMean, Span<T> runningVariance, int batch, int plane, double momentum, double epsilon)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int channels = gamma.Length;
        T count = T.CreateChecked(batch * plane), m = T.CreateChecked(momentum);
        for (int c = 0; c < channels; c++)
        {
            T mean = T.Zero;
            for (int b = 0; b < batch; b++) mean += TensorPrimitives.Sum(Block(x, b, c, channels, plane));
            mean /= count;
            T variance = T.Zero;
            for (int b = 0; b < batch; b++)
            {
                var centred = Block(normalized, b, c, channels, plane);
                TensorPrimitives.Subtract(Block(x, b, c, channels, plane), mean, centred);
                variance += TensorPrimitives.SumOfSquares<T>(centred);
            }

            variance /= count;
            T inverse = T.One / T.Sqrt(variance + T.CreateChecked(epsilon));
            inverseStd[c] = inverse;
            for (int b = 0; b < batch; b++)
            {
                var centred = Block(normalized, b, c, channels, plane);
                TensorPrimitives.Multiply(centred, inverse, centred);
                Affine(centred, gamma[c], beta[c], Block(y, b, c, channels, plane));
            }

            runningMean[c] = (m * runningMean[c]) + ((T.One - m) * mean);
            runningVariance[c] = (m * runningVariance[c]) + ((T.One - m) * variance);
        }
    }

    /// <summary>Inference: <c>y = γ · (x − running mean) / √(running variance + ε) + β</c>.</summary>
    public static void Inference<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, ReadOnlySpan<T> runningMean, ReadOnlySpan<T> runningVariance, Span<T> y, int batch, int plane, double epsilon)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int channels = gamma.Length;
        for (int c = 0; c < channels; c++)
        {
            T scale = gamma[c] / T.Sqrt(runningVariance[c] + T.CreateChecked(epsilon));
            T shift = beta[c] - (scale * runningMean[c]);
            for (int b = 0; b < batch; b++) Affine(Block(x, b, c, channels, plane), scale, shift, Block(y, b, c, channels, plane));
        }
    }

    /// <summary>Parameter gradients, overwriting both: <c>dγ = Σ dy · x̂</c>, <c>dβ = Σ dy</c> per channel.</summary>
    public static void BackwardParameters<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> normalized, Span<T> dGamma, Span<T> dBeta, int batch, int plane)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int channels = dGamma.Length;
        for (int c = 0; c < channels; c++) (dGamma[c], dBeta[c]) = Sums(dy, normalized, c, batch, channels, plane);
    }

    /// <summary>
    /// Input gradient through the batch statistics, added into <paramref name="dx"/> (clear it to overwrite):
    /// <c>dx += γ · (1/√(σ² + ε)) · (dy − mean(dy) − x̂ · mean(dy · x̂))</c>, the means over the channel's batch values.
    /// </summary>
    public static void BackwardInput<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> normalized, ReadOnlySpan<T> gamma, ReadOnlySpan<T> inverseStd, Span<T> dx, int batch, int plane)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int channels = gamma.Length;
        T count = T.CreateChecked(batch * plane);
        for (int c = 0; c < channels; c++)
        {
            var (sumScaled, sum) = Sums(dy, normalized, c, batch, channels, plane);
            T factor = gamma[c] * inverseStd[c];
            for (int b = 0; b < batch; b++)
            {
                var target = Block(dx, b, c, channels, plane);
                var gradient = Block(dy, b, c, channels, plane);
                var xHat = Block(normalized, b, c, channels, plane);
                for (int i = 0; i < plane; i++) target[i] += factor * (gradient[i] - (sum / count) - (xHat[i] * sumScaled / count));
            }
        }
    }

    /// <summary>
    /// Input gradient of <see cref="Inference{T}"/>, an affine map per channel, added into <paramref name="dx"/> (clear it to
    /// overwrite): <c>dx += dy · γ / √(running variance + ε)</c>, the scale the inference pass multiplied by.
    /// </summary>
    public static void InferenceBackwardInput<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> gamma, ReadOnlySpan<T> runningVariance, Span<T> dx, int batch, int plane, double epsilon)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int channels = gamma.Length;
        for (int c = 0; c < channels; c++)
        {
            T scale = gamma[c] / T.Sqrt(runningVariance[c] + T.CreateChecked(epsilon));
            for (int b = 0; b < batch; b++)
            {
                var target = Block(dx, b, c, channels, plane);
                TensorPrimitives.MultiplyAdd(Block(dy, b, c, channels, plane), scale, target, target);
            }
        }
    }

    /// <summary>Σ dy · x̂ and Σ dy over one channel's values in the batch.</summary>
    private static (T Scaled, T Plain) Sums<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> normalized, int c, int batch, int channels, int plane)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T scaled = T.Zero, plain = T.Zero;
        for (int b = 0; b < batch; b++)
        {
            scaled += TensorPrimitives.Dot(Block(dy, b, c, channels, plane), Block(normalized, b, c, channels, plane));
            plain += TensorPrimitives.Sum(Block(dy, b, c, channels, plane));
        }

        return (scaled, plain);
    }

    /// <summary><c>y = scale · x + shift</c>.</summary>
    private static void Affine<T>(ReadOnlySpan<T> x, T scale, T shift, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Multiply(x, scale, y);
        TensorPrimitives.Add(y, shift, y);
    }

    private static ReadOnlySpan<T> Block<T>(ReadOnlySpan<T> values, int b, int c, int channels, int plane) => values.Slice(((b * channels) + c) * plane, plane);

    private static Span<T> Block<T>(Span<T> values, int b, int c, int channels, int plane) => values.Slice(((b * channels) + c) * plane, plane);

    /// <summary>Textbook loops with the same signatures, index by index: the reference for the kernels above.</summary>
    internal static class Scalar
    {
        internal static void Forward<T>(
            ReadOnlySpan<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, Span<T> y, Span<T> normalized, Span<T> inverseStd,
            Span<T> runningMean, Span<T> runningVariance, int batch, int plane, double momentum, double epsilon)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            int channels = gamma.Length, n = batch * plane;
            for (int c = 0; c < channels; c++)
            {
                T sum = T.Zero, squares = T.Zero;
                for (int i = 0; i < n; i++) sum += x[Index(i, c, channels, plane)];
                T mean = sum / T.CreateChecked(n);
                for (int i = 0; i < n; i++) squares += (x[Index(i, c, channels, plane)] - mean) * (x[Index(i, c, channels, plane)] - mean);
                T variance = squares / T.CreateChecked(n);
                inverseStd[c] = T.One / T.Sqrt(variance + T.CreateChecked(epsilon));
                for (int i = 0; i < n; i++)
                {
                    int j = Index(i, c, channels, plane);
                    normalized[j] = (x[j] - mean) * inverseStd[c];
                    y[j] = gamma[c] * normalized[j] + beta[c];
                }

                runningMean[c] = T.CreateChecked(momentum) * runningMean[c] + T.CreateChecked(1 - momentum) * mean;
                runningVariance[c] = T.CreateChecked(momentum) * runningVariance[c] + T.CreateChecked(1 - momentum) * variance;
            }
        }

        internal static void Inference<T>(
            ReadOnlySpan<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, ReadOnlySpan<T> runningMean, ReadOnlySpan<T> runningVariance, Span<T> y, int batch, int plane, double epsilon)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int j = 0; j < x.Length; j++)
            {
                int c = j / plane % gamma.Length;
                y[j] = gamma[c] * (x[j] - runningMean[c]) / T.Sqrt(runningVariance[c] + T.CreateChecked(epsilon)) + beta[c];
            }
        }

        internal static void BackwardParameters<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> normalized, Span<T> dGamma, Span<T> dBeta, int batch, int plane)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            dGamma.Clear();
            dBeta.Clear();
            for (int j = 0; j < dy.Length; j++)
            {
                int c = j / plane % dGamma.Length;
                dGamma[c] += dy[j] * normalized[j];
                dBeta[c] += dy[j];
            }
        }

        internal static void BackwardInput<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> normalized, ReadOnlySpan<T> gamma, ReadOnlySpan<T> inverseStd, Span<T> dx, int batch, int plane)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            Span<T> dGamma = stackalloc T[gamma.Length], dBeta = stackalloc T[gamma.Length];
            BackwardParameters(dy, normalized, dGamma, dBeta, batch, plane);
            T n = T.CreateChecked(batch * plane);
            for (int j = 0; j < dy.Length; j++)
            {
                int c = j / plane % gamma.Length;
                dx[j] += gamma[c] * inverseStd[c] / n * (n * dy[j] - dBeta[c] - normalized[j] * dGamma[c]);
            }
        }

        private static int Index(int i, int c, int channels, int plane) => ((i / plane * channels) + c) * plane + (i % plane);
    }
}
