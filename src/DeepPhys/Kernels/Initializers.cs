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

    /// <summary>
    /// Orthogonal, Keras's default for recurrent kernels: a <paramref name="rows"/> × <paramref name="columns"/> matrix (row-major) of
    /// standard normal draws (<see cref="RandomStream.NextNormal"/> per weight, in index order) made orthonormal by Gram–Schmidt, which
    /// is QR's Q with R's diagonal made positive: the columns when <paramref name="rows"/> ≥ <paramref name="columns"/>, else the rows.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="weights">Receives the matrix, <c>rows · columns</c> values.</param>
    /// <param name="rows">Rows of the matrix.</param>
    /// <param name="columns">Columns of the matrix.</param>
    /// <param name="random">The stream to draw from.</param>
    public static void Orthogonal<T>(Span<T> weights, int rows, int columns, RandomStream random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNotEqual(weights.Length, rows * columns);
        // Computed in double and rounded once, as the uniform initialisers.
        var values = new double[weights.Length];
        for (int i = 0; i < values.Length; i++) values[i] = random.NextNormal();
        bool byColumn = rows >= columns;
        int count = byColumn ? columns : rows, length = byColumn ? rows : columns;
        int At(int vector, int i) => byColumn ? (i * columns) + vector : (vector * columns) + i;
        for (int k = 0; k < count; k++)
        {
            for (int j = 0; j < k; j++)
            {
                double dot = 0;
                for (int i = 0; i < length; i++) dot += values[At(j, i)] * values[At(k, i)];
                for (int i = 0; i < length; i++) values[At(k, i)] -= dot * values[At(j, i)];
            }

            double norm = 0;
            for (int i = 0; i < length; i++) norm += values[At(k, i)] * values[At(k, i)];
            for (int i = 0; i < length; i++) values[At(k, i)] /= Math.Sqrt(norm);
        }

        for (int i = 0; i < values.Length; i++) weights[i] = T.CreateChecked(values[i]);
    }

    private static void Uniform<T>(Span<T> weights, double limit, RandomStream random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        // Computed in double and rounded once, so float and double weights come from the same draws.
        for (int i = 0; i < weights.Length; i++) weights[i] = T.CreateChecked((2.0 * random.NextDouble() - 1.0) * limit);
    }
}
