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
/// chosen once) starts from the bias and fuses one broadcast × weight row per input into one of
/// four independent partial sums, added together at the end.
/// </summary>
/// <remarks>
/// The sums run in the order of <see cref="Scalar"/> (four fused multiply-add chains, then
/// <c>(s₀ + s₁) + (s₂ + s₃)</c>), so the results are bit-identical to it whatever the vector width
/// and whatever the batch size: a row gives the same values alone or in a batch. The order differs
/// from <see cref="DenseKernels"/>' (one chain, separate multiply and add), so results agree with it
/// to rounding only. The generator uses these kernels for networks of at most <see cref="MaxParameters"/> parameters.
/// </remarks>
public static class SmallDenseKernels
{
    /// <summary>The largest network (in parameters) whose dense layers the generator sends here; larger ones use <see cref="DenseKernels"/>.</summary>
    public const int MaxParameters = 16384;

    /// <summary>The largest weight matrix BackwardInput transposes on the stack; larger ones go to DenseKernels.BackwardInput.</summary>
    private const int MaxTransposedWeights = 4096;

    /// <summary>Independent partial sums per output value: enough to overlap the additions' latency, few enough for the registers.</summary>
    private const int Chains = 4;

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

    /// <summary>Forward pass with ReLU fused in: <c>y = max(x · W + b, 0)</c>, bit-identical to <see cref="Forward{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, int, int, int)"/> then <see cref="ActivationKernels.Relu{T}(Span{T})"/>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">Inputs, <c>[batch, inputs]</c>.</param>
    /// <param name="weights">Weights, <c>[inputs, units]</c>.</param>
    /// <param name="bias">Bias, <c>[units]</c>.</param>
    /// <param name="y">Receives the activations, <c>[batch, units]</c>; must not overlap the other spans.</param>
    /// <param name="batch">Rows in the batch.</param>
    /// <param name="inputs">Features per row.</param>
    /// <param name="units">Outputs per row.</param>
    public static void ForwardRelu<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> y, int batch, int inputs, int units)
        where T : unmanaged, IFloatingPointIeee754<T>
        => ForwardRelu(x, weights, bias, y, batch, inputs, units, Widest);

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
        Accumulate(x, inputs, 1, weights, bias, y, batch, inputs, units, widest, relu: false);
    }

    /// <summary><see cref="ForwardRelu{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, int, int, int)"/> with vectors of at most <paramref name="widest"/> bits.</summary>
    internal static void ForwardRelu<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> y, int batch, int inputs, int units, int widest)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Debug.Assert(x.Length == batch * inputs && weights.Length == inputs * units && bias.Length == units && y.Length == batch * units, "Shapes must fit.");
        Accumulate(x, inputs, 1, weights, bias, y, batch, inputs, units, widest, relu: true);
    }

    /// <summary>The parameter gradients with vectors of at most <paramref name="widest"/> bits.</summary>
    internal static void BackwardParameters<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dWeights, Span<T> dBias, int batch, int inputs, int units, int widest)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Debug.Assert(x.Length == batch * inputs && dy.Length == batch * units && dWeights.Length == inputs * units && dBias.Length == units, "Shapes must fit.");
        // dW[i, :] = Σ_b x[b, i] · dy[b, :]: row i of xᵀ (stride inputs) times dy.
        Accumulate(x, 1, inputs, dy, default, dWeights, inputs, batch, units, widest, relu: false);
        // db = Σ_b 1 · dy[b, :]: one row of ones (stride 0); multiplying by one is exact.
        ReadOnlySpan<T> one = [T.One];
        Accumulate(one, 0, 0, dy, default, dBias, 1, batch, units, widest, relu: false);
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

        Accumulate(dy, units, 1, transposed, default, dx, batch, units, inputs, widest, relu: false);
    }

    /// <summary>
    /// <c>output[r, c] = start[c] + Σ_k a[r·rowStride + k·depthStride] · m[k, c]</c> for <paramref name="rows"/> rows,
    /// <paramref name="depth"/> terms and <paramref name="columns"/> columns (<paramref name="start"/> empty: 0), in the
    /// order of <see cref="Scalar"/>: <see cref="Chains"/> fused multiply-add chains, then combined; with <paramref name="relu"/>, max(output, 0).
    /// </summary>
    private static void Accumulate<T>(
        ReadOnlySpan<T> a, int rowStride, int depthStride, ReadOnlySpan<T> m, ReadOnlySpan<T> start, Span<T> output, int rows, int depth, int columns, int widest, bool relu)
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

        // Four rows at a time share each load of m; the rows' remaining columns follow one by one.
        int wide = widest >= 512 ? columns - (columns % Vector512<T>.Count) : 0;
        int blockedRows = wide > 0 ? rows - (rows % 4) : 0;
        for (int r = 0; r < blockedRows; r += 4)
        {
            ref T outFirst = ref MemoryMarshal.GetReference(output.Slice(r * columns, 4 * columns));
            for (int c = 0; c < wide; c += Vector512<T>.Count)
            {
                var first = fromZero ? Vector512<T>.Zero : Vector512.LoadUnsafe(ref startFirst, (nuint)c);
                FourRows512(ref Unsafe.Add(ref aFirst, r * rowStride), rowStride, depthStride, ref Unsafe.Add(ref mFirst, c), columns, depth, first, ref Unsafe.Add(ref outFirst, c), columns, relu);
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
                    var first = fromZero ? Vector512<T>.Zero : Vector512.LoadUnsafe(ref startFirst, (nuint)c);
                    ChainedSum(ref aRow, depthStride, ref Unsafe.Add(ref mFirst, c), columns, depth, new Columns512<T>(first), relu).Value.StoreUnsafe(ref outRow, (nuint)c);
                }
            }

            if (widest >= 256)
            {
                for (; c <= columns - Vector256<T>.Count; c += Vector256<T>.Count)
                {
                    var first = fromZero ? Vector256<T>.Zero : Vector256.LoadUnsafe(ref startFirst, (nuint)c);
                    ChainedSum(ref aRow, depthStride, ref Unsafe.Add(ref mFirst, c), columns, depth, new Columns256<T>(first), relu).Value.StoreUnsafe(ref outRow, (nuint)c);
                }
            }

            if (widest >= 128)
            {
                for (; c <= columns - Vector128<T>.Count; c += Vector128<T>.Count)
                {
                    var first = fromZero ? Vector128<T>.Zero : Vector128.LoadUnsafe(ref startFirst, (nuint)c);
                    ChainedSum(ref aRow, depthStride, ref Unsafe.Add(ref mFirst, c), columns, depth, new Columns128<T>(first), relu).Value.StoreUnsafe(ref outRow, (nuint)c);
                }
            }

            if (c < columns && narrowTail.IsEmpty)
            {
                for (; c < columns; c++)
                {
                    T first = fromZero ? T.Zero : Unsafe.Add(ref startFirst, c);
                    Unsafe.Add(ref outRow, c) = ChainedSum(ref aRow, depthStride, ref Unsafe.Add(ref mFirst, c), columns, depth, new OneColumn<T>(first), relu).Value;
                }
            }
            else if (c < columns)
            {
                // The last columns, fewer than a Vector128 holds, as one Vector128 over their zero-padded copy.
                ref T tailFirst = ref MemoryMarshal.GetReference(narrowTail);
                int width = Vector128<T>.Count;
                var sum = ChainedSum(ref aRow, depthStride, ref Unsafe.Add(ref tailFirst, width), width, depth, new Columns128<T>(Vector128.LoadUnsafe(ref tailFirst)), relu).Value;
                for (int lane = 0; c < columns; c++, lane++) Unsafe.Add(ref outRow, c) = sum.GetElement(lane);
            }
        }
    }

    /// <summary>
    /// <c>first + Σ_k a[k·aStride] · m[k·mStride]</c> over a block of columns from <paramref name="m"/> on (one value, or a
    /// vector of them): term k is fused into chain k mod 4 (chain 0 starts at <paramref name="first"/>, the others at
    /// zero), then <c>(chain 0 + chain 1) + (chain 2 + chain 3)</c>. Four independent chains let the additions overlap;
    /// a single chain waits for each addition before the next.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TBlock ChainedSum<T, TBlock>(ref T a, int aStride, ref T m, int mStride, int depth, TBlock first, bool relu)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TBlock : struct, IColumnBlock<T, TBlock>
    {
        var (s0, s1, s2, s3) = (first, default(TBlock), default(TBlock), default(TBlock));
        int k = 0;
        for (; k <= depth - Chains; k += Chains)
        {
            s0 = TBlock.FusedMultiplyAdd(Unsafe.Add(ref a, k * aStride), ref Unsafe.Add(ref m, k * mStride), s0);
            s1 = TBlock.FusedMultiplyAdd(Unsafe.Add(ref a, (k + 1) * aStride), ref Unsafe.Add(ref m, (k + 1) * mStride), s1);
            s2 = TBlock.FusedMultiplyAdd(Unsafe.Add(ref a, (k + 2) * aStride), ref Unsafe.Add(ref m, (k + 2) * mStride), s2);
            s3 = TBlock.FusedMultiplyAdd(Unsafe.Add(ref a, (k + 3) * aStride), ref Unsafe.Add(ref m, (k + 3) * mStride), s3);
        }

        if (k < depth) s0 = TBlock.FusedMultiplyAdd(Unsafe.Add(ref a, k * aStride), ref Unsafe.Add(ref m, k * mStride), s0);
        if (k + 1 < depth) s1 = TBlock.FusedMultiplyAdd(Unsafe.Add(ref a, (k + 1) * aStride), ref Unsafe.Add(ref m, (k + 1) * mStride), s1);
        if (k + 2 < depth) s2 = TBlock.FusedMultiplyAdd(Unsafe.Add(ref a, (k + 2) * aStride), ref Unsafe.Add(ref m, (k + 2) * mStride), s2);
        var sum = TBlock.Add(TBlock.Add(s0, s1), TBlock.Add(s2, s3));
        return relu ? TBlock.Rectified(sum) : sum;
    }

    /// <summary><see cref="ChainedSum{T, TBlock}"/> over <c>Vector512</c> columns for four rows of a (<paramref name="rowStride"/> apart) at once, stored four output rows apart.</summary>
    private static void FourRows512<T>(ref T a, int rowStride, int aStride, ref T m, int mStride, int depth, Vector512<T> first, ref T output, int outputStride, bool relu)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Sixteen accumulators: chain j of row i is s[i][j]; each loaded m row serves all four rows.
        var zero = Vector512<T>.Zero;
        var (s00, s01, s02, s03) = (first, zero, zero, zero);
        var (s10, s11, s12, s13) = (first, zero, zero, zero);
        var (s20, s21, s22, s23) = (first, zero, zero, zero);
        var (s30, s31, s32, s33) = (first, zero, zero, zero);
        ref T a1 = ref Unsafe.Add(ref a, rowStride);
        ref T a2 = ref Unsafe.Add(ref a1, rowStride);
        ref T a3 = ref Unsafe.Add(ref a2, rowStride);
        for (int k = 0; k < depth; k++)
        {
            var row = Vector512.LoadUnsafe(ref m, (nuint)(k * mStride));
            int at = k * aStride;
            switch (k % Chains)
            {
                case 0:
                    s00 = Fma512(Vector512.Create(Unsafe.Add(ref a, at)), row, s00);
                    s10 = Fma512(Vector512.Create(Unsafe.Add(ref a1, at)), row, s10);
                    s20 = Fma512(Vector512.Create(Unsafe.Add(ref a2, at)), row, s20);
                    s30 = Fma512(Vector512.Create(Unsafe.Add(ref a3, at)), row, s30);
                    break;
                case 1:
                    s01 = Fma512(Vector512.Create(Unsafe.Add(ref a, at)), row, s01);
                    s11 = Fma512(Vector512.Create(Unsafe.Add(ref a1, at)), row, s11);
                    s21 = Fma512(Vector512.Create(Unsafe.Add(ref a2, at)), row, s21);
                    s31 = Fma512(Vector512.Create(Unsafe.Add(ref a3, at)), row, s31);
                    break;
                case 2:
                    s02 = Fma512(Vector512.Create(Unsafe.Add(ref a, at)), row, s02);
                    s12 = Fma512(Vector512.Create(Unsafe.Add(ref a1, at)), row, s12);
                    s22 = Fma512(Vector512.Create(Unsafe.Add(ref a2, at)), row, s22);
                    s32 = Fma512(Vector512.Create(Unsafe.Add(ref a3, at)), row, s32);
                    break;
                default:
                    s03 = Fma512(Vector512.Create(Unsafe.Add(ref a, at)), row, s03);
                    s13 = Fma512(Vector512.Create(Unsafe.Add(ref a1, at)), row, s13);
                    s23 = Fma512(Vector512.Create(Unsafe.Add(ref a2, at)), row, s23);
                    s33 = Fma512(Vector512.Create(Unsafe.Add(ref a3, at)), row, s33);
                    break;
            }
        }

        var (y0, y1, y2, y3) = ((s00 + s01) + (s02 + s03), (s10 + s11) + (s12 + s13), (s20 + s21) + (s22 + s23), (s30 + s31) + (s32 + s33));
        if (relu) (y0, y1, y2, y3) = (Vector512.Max(y0, zero), Vector512.Max(y1, zero), Vector512.Max(y2, zero), Vector512.Max(y3, zero));
        y0.StoreUnsafe(ref output);
        y1.StoreUnsafe(ref output, (nuint)outputStride);
        y2.StoreUnsafe(ref output, (nuint)(2 * outputStride));
        y3.StoreUnsafe(ref output, (nuint)(3 * outputStride));
    }

    /// <summary>A block of columns the chains run on: one value, or a <c>Vector128</c>, <c>Vector256</c> or <c>Vector512</c>; zero is <c>default</c>.</summary>
    private interface IColumnBlock<T, TBlock>
        where T : unmanaged, IFloatingPointIeee754<T>
        where TBlock : struct, IColumnBlock<T, TBlock>
    {
        /// <summary><c>a · m[0..width] + addend</c>, rounded once per value.</summary>
        static abstract TBlock FusedMultiplyAdd(T a, ref T m, TBlock addend);

        static abstract TBlock Add(TBlock left, TBlock right);

        /// <summary><c>max(value, 0)</c> per value, as <see cref="ActivationKernels.Relu{T}(Span{T})"/> computes it.</summary>
        static abstract TBlock Rectified(TBlock block);
    }

    private readonly record struct OneColumn<T>(T Value) : IColumnBlock<T, OneColumn<T>>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static OneColumn<T> FusedMultiplyAdd(T a, ref T m, OneColumn<T> addend) => new(T.FusedMultiplyAdd(a, m, addend.Value));

        public static OneColumn<T> Add(OneColumn<T> left, OneColumn<T> right) => new(left.Value + right.Value);

        public static OneColumn<T> Rectified(OneColumn<T> block) => new(T.Max(block.Value, T.Zero));
    }

    private readonly record struct Columns128<T>(Vector128<T> Value) : IColumnBlock<T, Columns128<T>>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // The vector FusedMultiplyAdd has float and double overloads only; the JIT keeps the one branch that fits T.
        public static Columns128<T> FusedMultiplyAdd(T a, ref T m, Columns128<T> addend) => new(typeof(T) == typeof(float)
            ? Vector128.FusedMultiplyAdd(Vector128.Create(a).AsSingle(), Vector128.LoadUnsafe(ref m).AsSingle(), addend.Value.AsSingle()).As<float, T>()
            : Vector128.FusedMultiplyAdd(Vector128.Create(a).AsDouble(), Vector128.LoadUnsafe(ref m).AsDouble(), addend.Value.AsDouble()).As<double, T>());

        public static Columns128<T> Add(Columns128<T> left, Columns128<T> right) => new(left.Value + right.Value);

        public static Columns128<T> Rectified(Columns128<T> block) => new(Vector128.Max(block.Value, Vector128<T>.Zero));
    }

    private readonly record struct Columns256<T>(Vector256<T> Value) : IColumnBlock<T, Columns256<T>>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static Columns256<T> FusedMultiplyAdd(T a, ref T m, Columns256<T> addend) => new(typeof(T) == typeof(float)
            ? Vector256.FusedMultiplyAdd(Vector256.Create(a).AsSingle(), Vector256.LoadUnsafe(ref m).AsSingle(), addend.Value.AsSingle()).As<float, T>()
            : Vector256.FusedMultiplyAdd(Vector256.Create(a).AsDouble(), Vector256.LoadUnsafe(ref m).AsDouble(), addend.Value.AsDouble()).As<double, T>());

        public static Columns256<T> Add(Columns256<T> left, Columns256<T> right) => new(left.Value + right.Value);

        public static Columns256<T> Rectified(Columns256<T> block) => new(Vector256.Max(block.Value, Vector256<T>.Zero));
    }

    private readonly record struct Columns512<T>(Vector512<T> Value) : IColumnBlock<T, Columns512<T>>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static Columns512<T> FusedMultiplyAdd(T a, ref T m, Columns512<T> addend) => new(Fma512(Vector512.Create(a), Vector512.LoadUnsafe(ref m), addend.Value));

        public static Columns512<T> Add(Columns512<T> left, Columns512<T> right) => new(left.Value + right.Value);

        public static Columns512<T> Rectified(Columns512<T> block) => new(Vector512.Max(block.Value, Vector512<T>.Zero));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fma512<T>(Vector512<T> a, Vector512<T> b, Vector512<T> addend)
        where T : unmanaged, IFloatingPointIeee754<T>
        => typeof(T) == typeof(float)
            ? Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), addend.AsSingle()).As<float, T>()
            : Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), addend.AsDouble()).As<double, T>();

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

    /// <summary>
    /// The textbook loops these kernels are tested against. Each sum runs in the kernels' order: term k of the sum (input,
    /// batch row or unit) is fused (<c>a · b + s</c>, rounded once) into partial sum k mod 4, the first partial starting
    /// from the bias (or zero) and the others from zero; the result is <c>(s₀ + s₁) + (s₂ + s₃)</c>.
    /// </summary>
    internal static class Scalar
    {
        internal static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> y, int batch, int inputs, int units)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            Span<T> partial = stackalloc T[Chains];
            for (int b = 0; b < batch; b++)
            {
                for (int u = 0; u < units; u++)
                {
                    partial.Clear();
                    partial[0] = bias[u];
                    for (int i = 0; i < inputs; i++) partial[i % Chains] = T.FusedMultiplyAdd(x[b * inputs + i], weights[i * units + u], partial[i % Chains]);
                    y[b * units + u] = Combine(partial);
                }
            }
        }

        internal static void BackwardParameters<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dWeights, Span<T> dBias, int batch, int inputs, int units)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            Span<T> partial = stackalloc T[Chains];
            for (int u = 0; u < units; u++)
            {
                for (int i = 0; i < inputs; i++)
                {
                    partial.Clear();
                    for (int b = 0; b < batch; b++) partial[b % Chains] = T.FusedMultiplyAdd(x[b * inputs + i], dy[b * units + u], partial[b % Chains]);
                    dWeights[i * units + u] = Combine(partial);
                }

                partial.Clear();
                for (int b = 0; b < batch; b++) partial[b % Chains] = T.FusedMultiplyAdd(T.One, dy[b * units + u], partial[b % Chains]);
                dBias[u] = Combine(partial);
            }
        }

        internal static void BackwardInput<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> weights, Span<T> dx, int batch, int inputs, int units)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            Span<T> partial = stackalloc T[Chains];
            for (int b = 0; b < batch; b++)
            {
                for (int i = 0; i < inputs; i++)
                {
                    partial.Clear();
                    for (int u = 0; u < units; u++) partial[u % Chains] = T.FusedMultiplyAdd(dy[b * units + u], weights[i * units + u], partial[u % Chains]);
                    dx[b * inputs + i] = Combine(partial);
                }
            }
        }

        private static T Combine<T>(ReadOnlySpan<T> partial)
            where T : unmanaged, IFloatingPointIeee754<T>
            => (partial[0] + partial[1]) + (partial[2] + partial[3]);
    }
}
