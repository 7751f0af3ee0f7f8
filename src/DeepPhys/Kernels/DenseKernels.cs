using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;

namespace DeepPhys.Kernels;

/// <summary>
/// Fully connected layer kernels. Weights are <c>[inputs, units]</c> row-major (Keras's kernel
/// layout), inputs <c>x</c> are <c>[batch, inputs]</c> and outputs <c>y</c> are <c>[batch, units]</c>.
/// </summary>
/// <remarks>
/// Layers past <see cref="UsesGemm"/>'s threshold go through the packed, threaded <see cref="Gemm"/>
/// (transposes by packing, bias and ReLU fused at the end). Smaller ones run loops along a contiguous
/// row of <c>units</c> values, each step one <see cref="TensorPrimitives"/> call. Sizes are checked by the public network API, so they are
/// only asserted here.
/// </remarks>
public static class DenseKernels
{
    /// <summary>Forward pass: <c>y = x · W + b</c>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">Inputs, <c>[batch, inputs]</c>.</param>
    /// <param name="weights">Weights, <c>[inputs, units]</c>.</param>
    /// <param name="bias">Bias, <c>[units]</c>.</param>
    /// <param name="y">Receives the outputs, <c>[batch, units]</c>; must not overlap the other spans.</param>
    /// <param name="batch">Rows in the batch.</param>
    /// <param name="inputs">Features per row.</param>
    /// <param name="units">Outputs per row.</param>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> y, int batch, int inputs, int units)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Forward(x, weights, bias, y, batch, inputs, units, relu: false);

    /// <summary>Forward pass with the activation fused: <c>y = x · W + b</c>, then <c>y = max(y, 0)</c> when <paramref name="relu"/>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">Inputs, <c>[batch, inputs]</c>.</param>
    /// <param name="weights">Weights, <c>[inputs, units]</c>.</param>
    /// <param name="bias">Bias, <c>[units]</c>.</param>
    /// <param name="y">Receives the outputs, <c>[batch, units]</c>; must not overlap the other spans.</param>
    /// <param name="batch">Rows in the batch.</param>
    /// <param name="inputs">Features per row.</param>
    /// <param name="units">Outputs per row.</param>
    /// <param name="relu">Apply ReLU to the outputs, in the same pass as the bias on the GEMM path.</param>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> y, int batch, int inputs, int units, bool relu)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertShapes(batch, inputs, units, x.Length, weights.Length, y.Length);
        Debug.Assert(bias.Length == units, "bias must be [units].");
        if (UsesGemm(batch, inputs, units))
        {
            Gemm.Multiply(x, Strides.RowMajor(inputs), weights, Strides.RowMajor(units), y, units, batch, units, inputs, accumulate: false, bias, relu);
            return;
        }

        for (int b = 0; b < batch; b++)
        {
            var row = y.Slice(b * units, units);
            bias.CopyTo(row);
            var xRow = x.Slice(b * inputs, inputs);
            for (int i = 0; i < inputs; i++)
            {
                // row += x[b, i] · W[i, :]; addend and destination are the same span, which TensorPrimitives allows.
                TensorPrimitives.MultiplyAdd(weights.Slice(i * units, units), xRow[i], row, row);
            }

            if (relu) TensorPrimitives.Max(row, T.Zero, row);
        }
    }

    /// <summary>Parameter gradients: <c>dW = xᵀ · dy</c> and <c>db = Σ_rows dy</c>, overwriting both.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward pass's inputs, <c>[batch, inputs]</c>.</param>
    /// <param name="dy">Loss gradient with respect to the outputs, <c>[batch, units]</c>.</param>
    /// <param name="dWeights">Receives the weight gradient, <c>[inputs, units]</c>.</param>
    /// <param name="dBias">Receives the bias gradient, <c>[units]</c>.</param>
    /// <param name="batch">Rows in the batch.</param>
    /// <param name="inputs">Features per row.</param>
    /// <param name="units">Outputs per row.</param>
    public static void BackwardParameters<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dWeights, Span<T> dBias, int batch, int inputs, int units)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertShapes(batch, inputs, units, x.Length, dWeights.Length, dy.Length);
        Debug.Assert(dBias.Length == units, "bias must be [units].");
        dBias.Clear();
        for (int b = 0; b < batch; b++) TensorPrimitives.Add(dBias, dy.Slice(b * units, units), dBias);
        if (UsesGemm(batch, inputs, units))
        {
            Gemm.Multiply(x, Strides.Transposed(inputs), dy, Strides.RowMajor(units), dWeights, units, inputs, units, batch, accumulate: false);
            return;
        }

        dWeights.Clear();
        for (int b = 0; b < batch; b++)
        {
            var dyRow = dy.Slice(b * units, units);
            var xRow = x.Slice(b * inputs, inputs);
            for (int i = 0; i < inputs; i++)
            {
                var dwRow = dWeights.Slice(i * units, units);
                TensorPrimitives.MultiplyAdd(dyRow, xRow[i], dwRow, dwRow);
            }
        }
    }

    /// <summary>Input gradient: <c>dx = dy · Wᵀ</c>, overwriting <paramref name="dx"/>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="dy">Loss gradient with respect to the outputs, <c>[batch, units]</c>.</param>
    /// <param name="weights">Weights, <c>[inputs, units]</c>.</param>
    /// <param name="dx">Receives the loss gradient with respect to the inputs, <c>[batch, inputs]</c>.</param>
    /// <param name="batch">Rows in the batch.</param>
    /// <param name="inputs">Features per row.</param>
    /// <param name="units">Outputs per row.</param>
    public static void BackwardInput<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> weights, Span<T> dx, int batch, int inputs, int units)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertShapes(batch, inputs, units, dx.Length, weights.Length, dy.Length);
        if (UsesGemm(batch, inputs, units))
        {
            Gemm.Multiply(dy, Strides.RowMajor(units), weights, Strides.Transposed(units), dx, inputs, batch, inputs, units, accumulate: false);
            return;
        }

        for (int b = 0; b < batch; b++)
        {
            var dyRow = dy.Slice(b * units, units);
            var dxRow = dx.Slice(b * inputs, inputs);
            // W[i, :] is contiguous, so dx[b, i] is one dot product of two rows.
            for (int i = 0; i < inputs; i++) dxRow[i] = TensorPrimitives.Dot(dyRow, weights.Slice(i * units, units));
        }
    }

    /// <summary>
    /// Whether a layer is large enough for the packed <see cref="Gemm"/> (packing pays off once every
    /// side has a few tiles' worth); smaller layers keep the row-at-a-time loops above.
    /// </summary>
    internal static bool UsesGemm(int batch, int inputs, int units) =>
        Math.Min(batch, Math.Min(inputs, units)) >= GemmMinimumSide && (long)batch * inputs * units >= GemmMinimumWork;

    /// <summary>Smallest batch, inputs and units for the GEMM path.</summary>
    internal const int GemmMinimumSide = 8;

    /// <summary>Fewest multiply-adds for the GEMM path.</summary>
    internal const long GemmMinimumWork = 16_384;

    [Conditional("DEBUG")]
    private static void AssertShapes(int batch, int inputs, int units, int xLength, int weightsLength, int yLength)
    {
        Debug.Assert(batch >= 0 && inputs >= 0 && units >= 0, "Sizes must not be negative.");
        Debug.Assert(xLength == batch * inputs, "x (or dx) must be [batch, inputs].");
        Debug.Assert(weightsLength == inputs * units, "weights must be [inputs, units].");
        Debug.Assert(yLength == batch * units, "y (or dy) must be [batch, units].");
    }

    /// <summary>Textbook loops with the same signatures: the reference the vectorised kernels are tested against.</summary>
    internal static class Scalar
    {
        internal static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> y, int batch, int inputs, int units)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            AssertShapes(batch, inputs, units, x.Length, weights.Length, y.Length);
            Debug.Assert(bias.Length == units, "bias must be [units].");
            for (int b = 0; b < batch; b++)
            {
                for (int u = 0; u < units; u++)
                {
                    T sum = bias[u];
                    for (int i = 0; i < inputs; i++) sum += x[b * inputs + i] * weights[i * units + u];
                    y[b * units + u] = sum;
                }
            }
        }

        internal static void BackwardParameters<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dWeights, Span<T> dBias, int batch, int inputs, int units)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            AssertShapes(batch, inputs, units, x.Length, dWeights.Length, dy.Length);
            Debug.Assert(dBias.Length == units, "bias must be [units].");
            for (int i = 0; i < inputs; i++)
            {
                for (int u = 0; u < units; u++)
                {
                    T sum = T.Zero;
                    for (int b = 0; b < batch; b++) sum += x[b * inputs + i] * dy[b * units + u];
                    dWeights[i * units + u] = sum;
                }
            }

            for (int u = 0; u < units; u++)
            {
                T sum = T.Zero;
                for (int b = 0; b < batch; b++) sum += dy[b * units + u];
                dBias[u] = sum;
            }
        }

        internal static void BackwardInput<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> weights, Span<T> dx, int batch, int inputs, int units)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            AssertShapes(batch, inputs, units, dx.Length, weights.Length, dy.Length);
            for (int b = 0; b < batch; b++)
            {
                for (int i = 0; i < inputs; i++)
                {
                    T sum = T.Zero;
                    for (int u = 0; u < units; u++) sum += dy[b * units + u] * weights[i * units + u];
                    dx[b * inputs + i] = sum;
                }
            }
        }
    }
}
