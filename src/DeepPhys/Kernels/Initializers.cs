using System.Numerics;

namespace DeepPhys.Kernels;

/// <summary>
/// Weight initialisers. Each draws one <see cref="RandomStream.NextDouble"/> per weight in index
/// order, so a seed fixes the weights bit for bit.
/// </summary>
public static class Initializers
{
    /// <summary>Glorot (Xavier) uniform: <c>U(−l, l)</c> with <c>l = √(6 / (fanIn + fanOut))</c>, Keras's default for dense kernels.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="weights">Receives the weights.</param>
    /// <param name="fanIn">Inputs per unit.</param>
    /// <param name="fanOut">Units in the layer.</param>
    /// <param name="random">The stream to draw from.</param>
    public static void GlorotUniform<T>(Span<T> weights, int fanIn, int fanOut, RandomStream random)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Uniform(weights, Math.Sqrt(6.0 / (fanIn + fanOut)), random);

    /// <summary>He (Kaiming) uniform: <c>U(−l, l)</c> with <c>l = √(6 / fanIn)</c>, suited to ReLU layers.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="weights">Receives the weights.</param>
    /// <param name="fanIn">Inputs per unit.</param>
    /// <param name="random">The stream to draw from.</param>
    public static void HeUniform<T>(Span<T> weights, int fanIn, RandomStream random)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Uniform(weights, Math.Sqrt(6.0 / fanIn), random);

    private static void Uniform<T>(Span<T> weights, double limit, RandomStream random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        // Computed in double and rounded once, so float and double weights come from the same draws.
        for (int i = 0; i < weights.Length; i++) weights[i] = T.CreateChecked((2.0 * random.NextDouble() - 1.0) * limit);
    }
}
