using System.Numerics;
using System.Numerics.Tensors;

namespace DeepPhys.Kernels;

/// <summary>
/// Inverted dropout for training: each value is kept with probability <c>1 − rate</c> and scaled by
/// <c>1 / (1 − rate)</c>, so inference is the identity. The mask (0 or the scale per value) is drawn
/// from the network's random stream, one <see cref="RandomStream.NextDouble"/> per value in order, and
/// kept for the backward pass, which multiplies by it.
/// </summary>
public static class DropoutKernels
{
    /// <summary>Draws <paramref name="mask"/> and writes <c>y = x ⊙ mask</c>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">Inputs.</param>
    /// <param name="y">Receives the outputs, as long as <paramref name="x"/>.</param>
    /// <param name="mask">Receives the mask, as long as <paramref name="x"/>.</param>
    /// <param name="rate">The probability of dropping a value, in [0, 1).</param>
    /// <param name="random">The stream the mask is drawn from.</param>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, Span<T> mask, double rate, RandomStream random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        T scale = T.CreateChecked(1.0 / (1.0 - rate));
        for (int i = 0; i < mask.Length; i++) mask[i] = random.NextDouble() < rate ? T.Zero : scale;
        TensorPrimitives.Multiply(x, mask, y);
    }

    /// <summary>Textbook loop with the same signature, drawing and applying value by value: the reference for the kernel above.</summary>
    internal static class Scalar
    {
        internal static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, Span<T> mask, double rate, RandomStream random)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < x.Length; i++)
            {
                bool keep = random.NextDouble() >= rate;
                mask[i] = keep ? T.One / (T.One - T.CreateChecked(rate)) : T.Zero;
                y[i] = keep ? x[i] * mask[i] : T.Zero;
            }
        }
    }
}
