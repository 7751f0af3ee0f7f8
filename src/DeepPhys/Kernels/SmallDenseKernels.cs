using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DeepPhys.Kernels;

/// <summary>
/// The dense layer kernels of <see cref="DenseKernels"/> (same signatures, same layouts) for the
/// small layers of small networks, where <see cref="DenseKernels"/>' one library call per row and
/// input costs more than the arithmetic. Each output row is built in registers: a block of
/// <c>Vector512</c>, <c>Vector256</c> or <c>Vector128</c> columns (the widest the hardware runs,
/// chosen once) starts from the bias and adds one broadcast × weight row per input.
/// </summary>
/// <remarks>
/// The sums run in the order of the scalar twins, with a separate multiply and add, so the results
/// are bit-identical to <see cref="DenseKernels.Scalar"/> whatever the vector width. The generator
/// uses these kernels for networks of at most <see cref="MaxParameters"/> parameters.
/// </remarks>
public static class SmallDenseKernels
{
    /// <summary>The largest network (in parameters) whose dense layers the generator sends here; larger ones use <see cref="DenseKernels"/>.</summary>
    public const int MaxParameters = 16384;

    /// <summary>The largest weight matrix BackwardInput transposes on the stack; larger ones go to DenseKernels.BackwardInput.</summary>
    private const int MaxTransposedWeights = 4096;

    /// <summary>The most values of a zero-padded copy of the last, narrow columns on the stack; deeper sums run those columns scalar.</summary>
    private const int MaxPaddedTail = 2048;

    /// <summary>The widest vector in bits the hardware accelerates (0: none); a static readonly the JIT reads as a constant.</summary>
    private static readonly int Widest =
        Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 0;

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
        where T : unmanaged, IFloatingPointIeee754<T>
        => Forward(x, weights, bias, y, batch, inputs, units, Widest);

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
        => BackwardParameters(x, dy, dWeights, dBias, batch, inputs, units, Widest);

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
        => BackwardInput(dy, weights, dx, batch, inputs, units, Widest);

    /// <summary><see cref="Forward{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, int, int, int)"/> with vectors of at most <paramref name="widest"/> bits (tests force each path).</summary>
    internal static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> y, int batch, int inputs, int units, int widest)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Debug.Assert(x.Length == batch * inputs && weights.Length == inputs * units && bias.Length == units && y.Length == batch * units, "Shapes must fit.");
        Accumulate(x, inputs, 1, weights, bias, y, batch, inputs, units, widest);
    }

    /// <summary>The parameter gradients with vectors of at most <paramref name="widest"/> bits.</summary>
    internal static void BackwardParameters<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dWeights, Span<T> dBias, int batch, int inputs, int units, int widest)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Debug.Assert(x.Length == batch * inputs && dy.Length == batch * units && dWeights.Length == inputs * units && dBias.Length == units, "Shapes must fit.");
        // dW[i, :] = Σ_b x[b, i] · dy[b, :]: row i of xᵀ (stride inputs) times dy.
        Accumulate(x, 1, inputs, dy, default, dWeights, inputs, batch, units, widest);
        // db = Σ_b 1 · dy[b, :]: one row of ones (stride 0); multiplying by one is exact.
        ReadOnlySpan<T> one = [T.One];
        Accumulate(one, 0, 0, dy, default, dBias, 1, batch, units, widest);
    }

    /// <summary>The input gradient with vectors of at most <paramref name="widest"/> bits.</summary>
    internal static void BackwardInput<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> weights, Span<T> dx, int batch, int inputs, int units, int widest)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Debug.Assert(dy.Length == batch * units && weights.Length == inputs * units && dx.Length == batch * inputs, "Shapes must fit.");
        if (weights.Length > MaxTransposedWeights)
        {
            DenseKernels.BackwardInput(dy, weights, dx, batch, inputs, units);
            return;
        }

        // dx[b, :] = Σ_u dy[b, u] · Wᵀ[u, :]: with W transposed, the same row-times-matrix as the forward pass.
        Span<T> transposed = stackalloc T[weights.Length];
        for (int i = 0; i < inputs; i++)
        {
            for (int u = 0; u < units; u++) transposed[u * inputs + i] = weights[i * units + u];
        }

        Accumulate(dy, units, 1, transposed, default, dx, batch, units, inputs, widest);
    }

    /// <summary>
    /// <c>output[r, c] = start[c] + Σ_k a[r·rowStride + k·depthStride] · m[k, c]</c> for <paramref name="rows"/> rows,
    /// <paramref name="depth"/> terms and <paramref name="columns"/> columns (<paramref name="start"/> empty: 0), k in order.
    /// </summary>
    private static void Accumulate<T>(
        ReadOnlySpan<T> a, int rowStride, int depthStride, ReadOnlySpan<T> m, ReadOnlySpan<T> start, Span<T> output, int rows, int depth, int columns, int widest)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T aFirst = ref MemoryMarshal.GetReference(a);
        ref T mFirst = ref MemoryMarshal.GetReference(m);
        ref T startFirst = ref MemoryMarshal.GetReference(start);
        bool fromZero = start.IsEmpty;
        int tailStart = widest >= 128 ? columns - (columns % Vector128<T>.Count) : columns;
        int paddedLength = (depth + 1) * Vector128<T>.Count;
        // Padding pays off once it serves several rows; a single row (one-sample inference) runs its tail scalar.
        Span<T> narrowTail = tailStart < columns && rows > 1 && paddedLength <= MaxPaddedTail ? stackalloc T[paddedLength] : default;
        if (!narrowTail.IsEmpty) PadTail(m, start, depth, columns, tailStart, narrowTail);

        // Four rows at a time share each load of m and run four independent chains of additions, which a single
        // row's one chain (each addition waits for the last) cannot; the rows' remaining columns follow one by one.
        int wide = widest >= 512 ? columns - (columns % Vector512<T>.Count) : 0;
        int blockedRows = wide > 0 ? rows - (rows % 4) : 0;
        for (int r = 0; r < blockedRows; r += 4)
        {
            ref T a0 = ref Unsafe.Add(ref aFirst, r * rowStride);
            ref T a1 = ref Unsafe.Add(ref a0, rowStride);
            ref T a2 = ref Unsafe.Add(ref a1, rowStride);
            ref T a3 = ref Unsafe.Add(ref a2, rowStride);
            ref T out0 = ref MemoryMarshal.GetReference(output.Slice(r * columns, 4 * columns));
            for (int c = 0; c < wide; c += Vector512<T>.Count)
            {
                var s0 = fromZero ? Vector512<T>.Zero : Vector512.LoadUnsafe(ref startFirst, (nuint)c);
                var (s1, s2, s3) = (s0, s0, s0);
                for (int k = 0; k < depth; k++)
                {
                    var row = Vector512.LoadUnsafe(ref mFirst, (nuint)((k * columns) + c));
                    int at = k * depthStride;
                    s0 += Vector512.Create(Unsafe.Add(ref a0, at)) * row;
                    s1 += Vector512.Create(Unsafe.Add(ref a1, at)) * row;
                    s2 += Vector512.Create(Unsafe.Add(ref a2, at)) * row;
                    s3 += Vector512.Create(Unsafe.Add(ref a3, at)) * row;
                }

                s0.StoreUnsafe(ref out0, (nuint)c);
                s1.StoreUnsafe(ref out0, (nuint)(columns + c));
                s2.StoreUnsafe(ref out0, (nuint)((2 * columns) + c));
                s3.StoreUnsafe(ref out0, (nuint)((3 * columns) + c));
            }
        }

        for (int r = 0; r < rows; r++)
        {
            ref T aRow = ref Unsafe.Add(ref aFirst, r * rowStride);
            ref T outRow = ref MemoryMarshal.GetReference(output.Slice(r * columns, columns));
            int c = r < blockedRows ? wide : 0;
            if (widest >= 512)
            {
                for (; c <= columns - Vector512<T>.Count; c += Vector512<T>.Count)
                {
                    var sum = fromZero ? Vector512<T>.Zero : Vector512.LoadUnsafe(ref startFirst, (nuint)c);
                    for (int k = 0; k < depth; k++)
                    {
                        sum += Vector512.Create(Unsafe.Add(ref aRow, k * depthStride)) * Vector512.LoadUnsafe(ref mFirst, (nuint)((k * columns) + c));
                    }

                    sum.StoreUnsafe(ref outRow, (nuint)c);
                }
            }

            if (widest >= 256)
            {
                for (; c <= columns - Vector256<T>.Count; c += Vector256<T>.Count)
                {
                    var sum = fromZero ? Vector256<T>.Zero : Vector256.LoadUnsafe(ref startFirst, (nuint)c);
                    for (int k = 0; k < depth; k++)
                    {
                        sum += Vector256.Create(Unsafe.Add(ref aRow, k * depthStride)) * Vector256.LoadUnsafe(ref mFirst, (nuint)((k * columns) + c));
                    }

                    sum.StoreUnsafe(ref outRow, (nuint)c);
                }
            }

            if (widest >= 128)
            {
                for (; c <= columns - Vector128<T>.Count; c += Vector128<T>.Count)
                {
                    var sum = fromZero ? Vector128<T>.Zero : Vector128.LoadUnsafe(ref startFirst, (nuint)c);
                    for (int k = 0; k < depth; k++)
                    {
                        sum += Vector128.Create(Unsafe.Add(ref aRow, k * depthStride)) * Vector128.LoadUnsafe(ref mFirst, (nuint)((k * columns) + c));
                    }

                    sum.StoreUnsafe(ref outRow, (nuint)c);
                }
            }

            if (c < columns && narrowTail.IsEmpty)
            {
                for (; c < columns; c++)
                {
                    T sum = fromZero ? T.Zero : Unsafe.Add(ref startFirst, c);
                    for (int k = 0; k < depth; k++) sum += Unsafe.Add(ref aRow, k * depthStride) * Unsafe.Add(ref mFirst, (k * columns) + c);
                    Unsafe.Add(ref outRow, c) = sum;
                }
            }
            else if (c < columns)
            {
                // The last columns, fewer than a Vector128 holds, as one Vector128 over their zero-padded copy.
                ref T tailFirst = ref MemoryMarshal.GetReference(narrowTail);
                var sum = Vector128.LoadUnsafe(ref tailFirst);
                for (int k = 0; k < depth; k++)
                {
                    sum += Vector128.Create(Unsafe.Add(ref aRow, k * depthStride)) * Vector128.LoadUnsafe(ref tailFirst, (nuint)((k + 1) * Vector128<T>.Count));
                }

                for (int lane = 0; c < columns; c++, lane++) Unsafe.Add(ref outRow, c) = sum.GetElement(lane);
            }
        }
    }

    /// <summary>
    /// The columns from <paramref name="first"/> on, fewer than a <c>Vector128</c> holds, copied with zero padding to full
    /// <c>Vector128</c> rows: the start values (zeros when <paramref name="start"/> is empty), then one row per <paramref name="depth"/> term.
    /// </summary>
    private static void PadTail<T>(ReadOnlySpan<T> m, ReadOnlySpan<T> start, int depth, int columns, int first, Span<T> padded)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector128<T>.Count;
        padded.Clear();
        for (int c = first; c < columns; c++)
        {
            if (!start.IsEmpty) padded[c - first] = start[c];
            for (int k = 0; k < depth; k++) padded[((k + 1) * width) + c - first] = m[(k * columns) + c];
        }
    }

    /// <summary>The textbook loops these kernels are tested against: <see cref="DenseKernels.Scalar"/>'s, which compute the same sums in the same order.</summary>
    internal static class Scalar
    {
        internal static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> y, int batch, int inputs, int units)
            where T : unmanaged, IFloatingPointIeee754<T>
            => DenseKernels.Scalar.Forward(x, weights, bias, y, batch, inputs, units);

        internal static void BackwardParameters<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dWeights, Span<T> dBias, int batch, int inputs, int units)
            where T : unmanaged, IFloatingPointIeee754<T>
            => DenseKernels.Scalar.BackwardParameters(x, dy, dWeights, dBias, batch, inputs, units);

        internal static void BackwardInput<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> weights, Span<T> dx, int batch, int inputs, int units)
            where T : unmanaged, IFloatingPointIeee754<T>
            => DenseKernels.Scalar.BackwardInput(dy, weights, dx, batch, inputs, units);
    }
}
