using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace DeepPhys.Kernels;

/// <summary>
/// The dense layer kernels of <see cref="DenseKernels"/> (same signatures, same layouts) for the
/// small layers of small networks, where <see cref="DenseKernels"/>' one library call per row and
/// input costs more than the arithmetic. Each output row is built in registers: a block of
/// <c>Vector512</c>, <c>Vector256</c> or <c>Vector128</c> columns (the widest the hardware runs,
/// chosen once) starts from the bias and fuses one broadcast × weight row per input into one of
/// four independent partial sums, added together at the end. Layers with fewer units than a
/// <c>Vector128</c> holds (output layers) keep each output's four sums in neighbouring lanes instead
/// (<see cref="ChainLanes{T}"/>) and build their weight gradient along the inputs, then transpose it.
/// </summary>
/// <remarks>
/// The sums run in the order of <see cref="Scalar"/> (four multiply-add chains, fused where the hardware fuses: <see cref="Fused"/>; then
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

    /// <summary>
    /// Whether a fused multiply-add is one instruction here (x86 FMA3, Arm64). Without it (Native AOT's default x86-64 target)
    /// a fused one is a library call per lane (<c>fmaf</c>), about 90× slower, so every path and <see cref="Scalar"/>
    /// multiply, round and add instead: bit-identical to each other either way, on every machine.
    /// </summary>
    internal static readonly bool Fused = Fma.IsSupported || AdvSimd.Arm64.IsSupported;

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
        if (UsesChainLanes<T>(batch, inputs, units, widest)) ChainLanes(x, weights, bias, y, batch, inputs, units, relu: false);
        else Accumulate(x, inputs, 1, weights, bias, y, batch, inputs, units, widest, relu: false);
    }

    /// <summary><see cref="ForwardRelu{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, int, int, int)"/> with vectors of at most <paramref name="widest"/> bits.</summary>
    internal static void ForwardRelu<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> y, int batch, int inputs, int units, int widest)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Debug.Assert(x.Length == batch * inputs && weights.Length == inputs * units && bias.Length == units && y.Length == batch * units, "Shapes must fit.");
        if (UsesChainLanes<T>(batch, inputs, units, widest)) ChainLanes(x, weights, bias, y, batch, inputs, units, relu: true);
        else Accumulate(x, inputs, 1, weights, bias, y, batch, inputs, units, widest, relu: true);
    }

    /// <summary>The parameter gradients with vectors of at most <paramref name="widest"/> bits.</summary>
    internal static void BackwardParameters<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dWeights, Span<T> dBias, int batch, int inputs, int units, int widest)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Debug.Assert(x.Length == batch * inputs && dy.Length == batch * units && dWeights.Length == inputs * units && dBias.Length == units, "Shapes must fit.");
        if (IsNarrow<T>(units, widest) && inputs > units && dWeights.Length <= MaxTransposedWeights)
        {
            TransposedWeightGradient(x, dy, dWeights, batch, inputs, units, widest);
        }
        else
        {
            // dW[i, :] = Σ_b x[b, i] · dy[b, :]: row i of xᵀ (stride inputs) times dy.
            Accumulate(x, 1, inputs, dy, default, dWeights, inputs, batch, units, widest, relu: false);
        }

        // db = Σ_b 1 · dy[b, :]: one row of ones (stride 0); multiplying by one is exact.
        ReadOnlySpan<T> one = [T.One];
        Accumulate(one, 0, 0, dy, default, dBias, 1, batch, units, widest, relu: false);
    }

    /// <summary>
    /// <c>dW</c> of a layer with fewer units than a <c>Vector128</c> holds (an output layer: one logit, three classes), built
    /// as <c>dWᵀ[u, :] = Σ_b dy[b, u] · x[b, :]</c>, whose rows run along the inputs, the wide axis, then transposed: a few
    /// full vectors per term instead of one mostly padded vector per input. Each sum has the same terms in the same chains
    /// (a product is the same either way round), so the values are bit-identical.
    /// </summary>
    [SkipLocalsInit] // the transposed gradient is written in full before it is read
    private static void TransposedWeightGradient<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dWeights, int batch, int inputs, int units, int widest)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> transposed = stackalloc T[inputs * units];
        Accumulate(dy, 1, units, x, default, transposed, units, batch, inputs, widest, relu: false);
        MatrixTranspose.Write<T>(transposed, dWeights, units, inputs);
    }

    /// <summary>
    /// Whether the forward pass runs through <see cref="ChainLanes{T}"/>: narrow layers of several rows (one row runs its few
    /// sums scalar, cheaper than preparing the weights), on hardware with <c>Vector256</c>, within the stack limit.
    /// </summary>
    private static bool UsesChainLanes<T>(int batch, int inputs, int units, int widest)
        where T : unmanaged, IFloatingPointIeee754<T>
        => IsNarrow<T>(units, widest) && widest >= 256 && batch > 1 && ChainLaneWeights<T>(inputs, units) <= MaxPaddedTail;

    /// <summary>Values of <see cref="ChainLanes{T}"/>' prepared weights: per block of four inputs, one vector per group of units.</summary>
    private static int ChainLaneWeights<T>(int inputs, int units)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int groups = Vector256<T>.Count / Chains;
        return ((inputs + Chains - 1) / Chains) * ((units + groups - 1) / groups) * Vector256<T>.Count;
    }

    /// <summary>
    /// The forward pass of a layer with fewer units than a <c>Vector128</c> holds (an output layer), with each output's four
    /// chains in four neighbouring lanes instead of one padded vector per input: a <c>Vector256</c> holds the chains of two
    /// float outputs (one double), so a row costs one fused multiply-add per four inputs and group of outputs. Lane <c>j</c>
    /// of an output's group sums the inputs <c>i ≡ j (mod 4)</c> in order, lane 0 from the bias, as <see cref="Scalar"/>'s
    /// chains; two lane swaps then add <c>(s₀ + s₁) + (s₂ + s₃)</c>, bit-identical to it. Missing inputs of the last block
    /// are zeros: adding +0 to a chain that never holds −0 (only chain 0, always fed, starts from the bias) changes nothing.
    /// </summary>
    [SkipLocalsInit] // both buffers are cleared once, explicitly
    private static void ChainLanes<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> y, int batch, int inputs, int units, bool relu)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector256<T>.Count, groups = width / Chains, blockWidth = units > groups ? 2 * width : width; // at most two vectors: fewer units than a Vector128 holds
        Span<T> prepared = stackalloc T[ChainLaneWeights<T>(inputs, units)];
        Span<T> starts = stackalloc T[2 * width];
        starts.Clear();
        prepared.Clear();
        // Output u sits in vector u / groups, group u % groups; lane j of the group in block k holds W[4k + j, u].
        for (int u = 0; u < units; u++) starts[GroupLane<T>(u)] = bias[u];
        ref T weight = ref MemoryMarshal.GetReference(weights);
        for (int i = 0; i < inputs; i++)
        {
            ref T lanes = ref Unsafe.Add(ref MemoryMarshal.GetReference(prepared), (i / Chains * blockWidth) + (i % Chains));
            for (int u = 0; u < units; u++, weight = ref Unsafe.Add(ref weight, 1)) Unsafe.Add(ref lanes, GroupLane<T>(u)) = weight;
        }

        ChainLaneRows(
            ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(prepared), Vector256.Create<T>(starts[..width]), Vector256.Create<T>(starts[width..]),
            ref MemoryMarshal.GetReference(y), batch, inputs, units, relu);
    }

    /// <summary>
    /// The rows of <see cref="ChainLanes{T}"/> from its prepared weights and start vectors (the biases in lane 0 of their groups).
    /// Kept apart from the stack allocations, which would stop the runtime from recompiling this loop with its profile.
    /// </summary>
    private static void ChainLaneRows<T>(ref T x, ref T prepared, Vector256<T> start0, Vector256<T> start1, ref T y, int batch, int inputs, int units, bool relu)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector256<T>.Count, groups = width / Chains, fullBlocks = inputs / Chains, rest = inputs % Chains;
        bool twoVectors = units > groups;
        int step = twoVectors ? 2 * width : width;
        for (int b = 0; b < batch; b++)
        {
            ref T row = ref Unsafe.Add(ref x, b * inputs);
            var (s0, s1) = (start0, start1);
            ref T w = ref prepared;
            for (int k = 0; k < fullBlocks; k++)
            {
                var four = FourInEachGroup<T>(ref row);
                s0 = Fma256(four, Vector256.LoadUnsafe(ref w), s0);
                if (twoVectors) s1 = Fma256(four, Vector256.LoadUnsafe(ref w, (nuint)width), s1);
                row = ref Unsafe.Add(ref row, Chains);
                w = ref Unsafe.Add(ref w, step);
            }

            if (rest > 0)
            {
                // The last inputs, fewer than four, and zeros (never the next row's values: they could be infinite).
                var four = FourInEachGroup(row, rest > 1 ? Unsafe.Add(ref row, 1) : T.Zero, rest > 2 ? Unsafe.Add(ref row, 2) : T.Zero);
                s0 = Fma256(four, Vector256.LoadUnsafe(ref w), s0);
                if (twoVectors) s1 = Fma256(four, Vector256.LoadUnsafe(ref w, (nuint)width), s1);
            }

            ref T output = ref Unsafe.Add(ref y, b * units);
            StoreChainSums(s0, ref output, Math.Min(units, groups), relu);
            if (twoVectors) StoreChainSums(s1, ref Unsafe.Add(ref output, groups), units - groups, relu);
        }
    }

    /// <summary>Where <see cref="ChainLanes{T}"/> keeps output <paramref name="unit"/>'s chain 0: in vector <c>unit / groups</c>, lane 0 of group <c>unit % groups</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int GroupLane<T>(int unit)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        uint groups = (uint)(Vector256<T>.Count / Chains);
        return (int)((((uint)unit / groups) * (uint)Vector256<T>.Count) + (((uint)unit % groups) * Chains));
    }

    /// <summary>Four values from <paramref name="first"/> on, in every group of four lanes of a <c>Vector256</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> FourInEachGroup<T>(ref T first)
        where T : unmanaged, IFloatingPointIeee754<T>
        => typeof(T) == typeof(float)
            ? Vector256.Create(Vector128.LoadUnsafe(ref Unsafe.As<T, float>(ref first))).As<float, T>()
            : Vector256.LoadUnsafe(ref first);

    /// <summary>Three values and a zero in every group of four lanes of a <c>Vector256</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> FourInEachGroup<T>(T first, T second, T third)
        where T : unmanaged, IFloatingPointIeee754<T>
        => typeof(T) == typeof(float)
            ? Vector256.Create(Vector128.Create((float)(object)first, (float)(object)second, (float)(object)third, 0f)).As<float, T>()
            : Vector256.Create((double)(object)first, (double)(object)second, (double)(object)third, 0d).As<double, T>();

    /// <summary>Each group's <c>(s₀ + s₁) + (s₂ + s₃)</c> (with ReLU, its maximum with 0): the first <paramref name="count"/> groups' sums from <paramref name="output"/> on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreChainSums<T>(Vector256<T> chains, ref T output, int count, bool relu)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Lane l + lane l ^ 1 puts s₀ + s₁ in lane 0 of each group (s₂ + s₃ in lane 2); then lane l + lane l ^ 2.
        var pairs = chains + SwapNeighbours(chains);
        var sums = pairs + SwapPairs(pairs);
        if (relu) sums = Vector256.Max(sums, Vector256<T>.Zero);
        output = sums.GetElement(0);
        if (count > 1) Unsafe.Add(ref output, 1) = sums.GetElement(Chains);
    }

    /// <summary>Lane <c>l</c> of the result is lane <c>l ^ 1</c> of <paramref name="vector"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> SwapNeighbours<T>(Vector256<T> vector)
        where T : unmanaged, IFloatingPointIeee754<T>
        => typeof(T) == typeof(float)
            ? Vector256.Shuffle(vector.AsSingle(), Vector256.Create(1, 0, 3, 2, 5, 4, 7, 6)).As<float, T>()
            : Vector256.Shuffle(vector.AsDouble(), Vector256.Create(1L, 0, 3, 2)).As<double, T>();

    /// <summary>Lane <c>l</c> of the result is lane <c>l ^ 2</c> of <paramref name="vector"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> SwapPairs<T>(Vector256<T> vector)
        where T : unmanaged, IFloatingPointIeee754<T>
        => typeof(T) == typeof(float)
            ? Vector256.Shuffle(vector.AsSingle(), Vector256.Create(2, 3, 0, 1, 6, 7, 4, 5)).As<float, T>()
            : Vector256.Shuffle(vector.AsDouble(), Vector256.Create(2L, 3, 0, 1)).As<double, T>();

    /// <summary>Whether <paramref name="units"/> columns are fewer than the narrowest vector holds, on hardware running vectors of <paramref name="widest"/> bits.</summary>
    private static bool IsNarrow<T>(int units, int widest)
        where T : unmanaged, IFloatingPointIeee754<T>
        => widest >= 128 && units < Vector128<T>.Count;

    /// <summary>The input gradient with vectors of at most <paramref name="widest"/> bits.</summary>
    [SkipLocalsInit] // the transposed weights on the stack are all written before they are read
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
        MatrixTranspose.Write(weights, transposed, inputs, units);

        Accumulate(dy, units, 1, transposed, default, dx, batch, units, inputs, widest, relu: false);
    }

    /// <summary>
    /// <c>output[r, c] = start[c] + Σ_k a[r·rowStride + k·depthStride] · m[k, c]</c> for <paramref name="rows"/> rows,
    /// <paramref name="depth"/> terms and <paramref name="columns"/> columns (<paramref name="start"/> empty: 0), in the
    /// order of <see cref="Scalar"/>: <see cref="Chains"/> fused multiply-add chains, then combined; with <paramref name="relu"/>, max(output, 0).
    /// </summary>
    [SkipLocalsInit] // PadTail clears the padded copy itself
    private static void Accumulate<T>(
        ReadOnlySpan<T> a, int rowStride, int depthStride, ReadOnlySpan<T> m, ReadOnlySpan<T> start, Span<T> output, int rows, int depth, int columns, int widest, bool relu)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int tailStart = widest >= 128 ? columns - (columns % Vector128<T>.Count) : columns;
        int paddedLength = (depth + 1) * Vector128<T>.Count;
        // Padding pays off once it serves several rows; a single row (one-sample inference) runs its tail scalar.
        if (tailStart == columns || rows == 1 || paddedLength > MaxPaddedTail)
        {
            Accumulate(a, rowStride, depthStride, m, start, output, rows, depth, columns, widest, relu, narrowTail: default);
            return;
        }

        Span<T> narrowTail = stackalloc T[paddedLength];
        PadTail(m, start, depth, columns, tailStart, narrowTail);
        Accumulate(a, rowStride, depthStride, m, start, output, rows, depth, columns, widest, relu, narrowTail);
    }

    /// <summary>
    /// <see cref="Accumulate{T}(ReadOnlySpan{T}, int, int, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, int, int, int, int, bool)"/> with
    /// the last columns (fewer than a <c>Vector128</c> holds) from <paramref name="narrowTail"/>, their padded copy, or scalar when it is empty.
    /// Kept apart from the stack allocation, which would stop the runtime from recompiling this loop with its profile.
    /// </summary>
    private static void Accumulate<T>(
        ReadOnlySpan<T> a, int rowStride, int depthStride, ReadOnlySpan<T> m, ReadOnlySpan<T> start, Span<T> output, int rows, int depth, int columns, int widest, bool relu,
        ReadOnlySpan<T> narrowTail)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T aFirst = ref MemoryMarshal.GetReference(a);
        ref T mFirst = ref MemoryMarshal.GetReference(m);
        ref T startFirst = ref MemoryMarshal.GetReference(start);
        bool fromZero = start.IsEmpty;

        // Four rows at a time share each load of m; the rows' remaining columns follow one by one.
        int wide = widest >= 512 ? columns - (columns % Vector512<T>.Count) : 0;
        int blockedRows = wide > 0 ? rows - (rows % 4) : 0;
        ref T outFirst = ref MemoryMarshal.GetReference(output);
        for (int c = 0; c < wide && blockedRows > 0; c += Vector512<T>.Count)
        {
            var first = fromZero ? Vector512<T>.Zero : Vector512.LoadUnsafe(ref startFirst, (nuint)c);
            FourRows512(ref aFirst, rowStride, depthStride, ref Unsafe.Add(ref mFirst, c), columns, depth, first, ref Unsafe.Add(ref outFirst, c), columns, relu, blockedRows / 4);
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
                    Chains512(ref aRow, depthStride, ref Unsafe.Add(ref mFirst, c), columns, depth, first, relu).StoreUnsafe(ref outRow, (nuint)c);
                }
            }

            if (widest >= 256)
            {
                for (; c <= columns - Vector256<T>.Count; c += Vector256<T>.Count)
                {
                    var first = fromZero ? Vector256<T>.Zero : Vector256.LoadUnsafe(ref startFirst, (nuint)c);
                    Chains256(ref aRow, depthStride, ref Unsafe.Add(ref mFirst, c), columns, depth, first, relu).StoreUnsafe(ref outRow, (nuint)c);
                }
            }

            if (widest >= 128)
            {
                for (; c <= columns - Vector128<T>.Count; c += Vector128<T>.Count)
                {
                    var first = fromZero ? Vector128<T>.Zero : Vector128.LoadUnsafe(ref startFirst, (nuint)c);
                    Chains128(ref aRow, depthStride, ref Unsafe.Add(ref mFirst, c), columns, depth, first, relu).StoreUnsafe(ref outRow, (nuint)c);
                }
            }

            if (c < columns && narrowTail.IsEmpty)
            {
                for (; c < columns; c++)
                {
                    T first = fromZero ? T.Zero : Unsafe.Add(ref startFirst, c);
                    Unsafe.Add(ref outRow, c) = ChainsScalar(ref aRow, depthStride, ref Unsafe.Add(ref mFirst, c), columns, depth, first, relu);
                }
            }
            else if (c < columns)
            {
                // The last columns, fewer than a Vector128 holds, as one Vector128 over their zero-padded copy.
                ref T tailFirst = ref MemoryMarshal.GetReference(narrowTail);
                int width = Vector128<T>.Count;
                var sum = Chains128(ref aRow, depthStride, ref Unsafe.Add(ref tailFirst, width), width, depth, Vector128.LoadUnsafe(ref tailFirst), relu);
                for (int lane = 0; c < columns; c++, lane++) Unsafe.Add(ref outRow, c) = sum.GetElement(lane);
            }
        }
    }

    // The Chains helpers: first + Σ_k a[k·aStride] · m[k·mStride] over a block of columns from m on (a vector of them, or
    // one value): term k is fused into chain k mod 4 (chain 0 starts at first, the others at zero), then (chain 0 + chain 1)
    // + (chain 2 + chain 3), and max(sum, 0) with relu. Four independent chains let the additions overlap; a single chain
    // waits for each addition before the next. One copy per width: a generic version over wrapper structs measured 1.6×
    // slower (the wrapped vectors left the registers).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Chains512<T>(ref T a, int aStride, ref T m, int mStride, int depth, Vector512<T> first, bool relu)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (s0, s1, s2, s3) = (first, Vector512<T>.Zero, Vector512<T>.Zero, Vector512<T>.Zero);
        var (a2, a3, m2, m3) = (2 * aStride, 3 * aStride, (nuint)(2 * mStride), (nuint)(3 * mStride));
        int k = 0;
        for (; k <= depth - Chains; k += Chains)
        {
            s0 = Fma512(Vector512.Create(a), Vector512.LoadUnsafe(ref m), s0);
            s1 = Fma512(Vector512.Create(Unsafe.Add(ref a, aStride)), Vector512.LoadUnsafe(ref m, (nuint)mStride), s1);
            s2 = Fma512(Vector512.Create(Unsafe.Add(ref a, a2)), Vector512.LoadUnsafe(ref m, m2), s2);
            s3 = Fma512(Vector512.Create(Unsafe.Add(ref a, a3)), Vector512.LoadUnsafe(ref m, m3), s3);
            a = ref Unsafe.Add(ref a, Chains * aStride);
            m = ref Unsafe.Add(ref m, Chains * mStride);
        }

        if (k < depth) s0 = Fma512(Vector512.Create(a), Vector512.LoadUnsafe(ref m), s0);
        if (k + 1 < depth) s1 = Fma512(Vector512.Create(Unsafe.Add(ref a, aStride)), Vector512.LoadUnsafe(ref m, (nuint)mStride), s1);
        if (k + 2 < depth) s2 = Fma512(Vector512.Create(Unsafe.Add(ref a, a2)), Vector512.LoadUnsafe(ref m, m2), s2);
        var sum = (s0 + s1) + (s2 + s3);
        return relu ? Vector512.Max(sum, Vector512<T>.Zero) : sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Chains256<T>(ref T a, int aStride, ref T m, int mStride, int depth, Vector256<T> first, bool relu)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (s0, s1, s2, s3) = (first, Vector256<T>.Zero, Vector256<T>.Zero, Vector256<T>.Zero);
        var (a2, a3, m2, m3) = (2 * aStride, 3 * aStride, (nuint)(2 * mStride), (nuint)(3 * mStride));
        int k = 0;
        for (; k <= depth - Chains; k += Chains)
        {
            s0 = Fma256(Vector256.Create(a), Vector256.LoadUnsafe(ref m), s0);
            s1 = Fma256(Vector256.Create(Unsafe.Add(ref a, aStride)), Vector256.LoadUnsafe(ref m, (nuint)mStride), s1);
            s2 = Fma256(Vector256.Create(Unsafe.Add(ref a, a2)), Vector256.LoadUnsafe(ref m, m2), s2);
            s3 = Fma256(Vector256.Create(Unsafe.Add(ref a, a3)), Vector256.LoadUnsafe(ref m, m3), s3);
            a = ref Unsafe.Add(ref a, Chains * aStride);
            m = ref Unsafe.Add(ref m, Chains * mStride);
        }

        if (k < depth) s0 = Fma256(Vector256.Create(a), Vector256.LoadUnsafe(ref m), s0);
        if (k + 1 < depth) s1 = Fma256(Vector256.Create(Unsafe.Add(ref a, aStride)), Vector256.LoadUnsafe(ref m, (nuint)mStride), s1);
        if (k + 2 < depth) s2 = Fma256(Vector256.Create(Unsafe.Add(ref a, a2)), Vector256.LoadUnsafe(ref m, m2), s2);
        var sum = (s0 + s1) + (s2 + s3);
        return relu ? Vector256.Max(sum, Vector256<T>.Zero) : sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<T> Chains128<T>(ref T a, int aStride, ref T m, int mStride, int depth, Vector128<T> first, bool relu)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (s0, s1, s2, s3) = (first, Vector128<T>.Zero, Vector128<T>.Zero, Vector128<T>.Zero);
        var (a2, a3, m2, m3) = (2 * aStride, 3 * aStride, (nuint)(2 * mStride), (nuint)(3 * mStride));
        int k = 0;
        for (; k <= depth - Chains; k += Chains)
        {
            s0 = Fma128(Vector128.Create(a), Vector128.LoadUnsafe(ref m), s0);
            s1 = Fma128(Vector128.Create(Unsafe.Add(ref a, aStride)), Vector128.LoadUnsafe(ref m, (nuint)mStride), s1);
            s2 = Fma128(Vector128.Create(Unsafe.Add(ref a, a2)), Vector128.LoadUnsafe(ref m, m2), s2);
            s3 = Fma128(Vector128.Create(Unsafe.Add(ref a, a3)), Vector128.LoadUnsafe(ref m, m3), s3);
            a = ref Unsafe.Add(ref a, Chains * aStride);
            m = ref Unsafe.Add(ref m, Chains * mStride);
        }

        if (k < depth) s0 = Fma128(Vector128.Create(a), Vector128.LoadUnsafe(ref m), s0);
        if (k + 1 < depth) s1 = Fma128(Vector128.Create(Unsafe.Add(ref a, aStride)), Vector128.LoadUnsafe(ref m, (nuint)mStride), s1);
        if (k + 2 < depth) s2 = Fma128(Vector128.Create(Unsafe.Add(ref a, a2)), Vector128.LoadUnsafe(ref m, m2), s2);
        var sum = (s0 + s1) + (s2 + s3);
        return relu ? Vector128.Max(sum, Vector128<T>.Zero) : sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T ChainsScalar<T>(ref T a, int aStride, ref T m, int mStride, int depth, T first, bool relu)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (s0, s1, s2, s3) = (first, T.Zero, T.Zero, T.Zero);
        var (a2, a3, m2, m3) = (2 * aStride, 3 * aStride, 2 * mStride, 3 * mStride);
        int k = 0;
        for (; k <= depth - Chains; k += Chains)
        {
            s0 = MultiplyAdd(a, m, s0);
            s1 = MultiplyAdd(Unsafe.Add(ref a, aStride), Unsafe.Add(ref m, mStride), s1);
            s2 = MultiplyAdd(Unsafe.Add(ref a, a2), Unsafe.Add(ref m, m2), s2);
            s3 = MultiplyAdd(Unsafe.Add(ref a, a3), Unsafe.Add(ref m, m3), s3);
            a = ref Unsafe.Add(ref a, Chains * aStride);
            m = ref Unsafe.Add(ref m, Chains * mStride);
        }

        if (k < depth) s0 = MultiplyAdd(a, m, s0);
        if (k + 1 < depth) s1 = MultiplyAdd(Unsafe.Add(ref a, aStride), Unsafe.Add(ref m, mStride), s1);
        if (k + 2 < depth) s2 = MultiplyAdd(Unsafe.Add(ref a, a2), Unsafe.Add(ref m, m2), s2);
        var sum = (s0 + s1) + (s2 + s3);
        return relu ? T.Max(sum, T.Zero) : sum;
    }

    /// <summary><c>a · b + addend</c>, fused when <see cref="Fused"/>: the scalar step of every chain.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T MultiplyAdd<T>(T a, T b, T addend)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Fused ? T.FusedMultiplyAdd(a, b, addend) : a * b + addend;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Fma256<T>(Vector256<T> a, Vector256<T> b, Vector256<T> addend)
        where T : unmanaged, IFloatingPointIeee754<T>
        => !Fused ? a * b + addend
            : typeof(T) == typeof(float)
            ? Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), addend.AsSingle()).As<float, T>()
            : Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), addend.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<T> Fma128<T>(Vector128<T> a, Vector128<T> b, Vector128<T> addend)
        where T : unmanaged, IFloatingPointIeee754<T>
        => !Fused ? a * b + addend
            : typeof(T) == typeof(float)
            ? Vector128.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), addend.AsSingle()).As<float, T>()
            : Vector128.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), addend.AsDouble()).As<double, T>();

    /// <summary>
    /// <see cref="Chains512{T}"/> for <paramref name="quads"/> × four rows of a (<paramref name="rowStride"/> apart), four at
    /// a time, stored <paramref name="outputStride"/> apart: one call per block of columns, not per four rows.
    /// </summary>
    private static void FourRows512<T>(ref T a, int rowStride, int aStride, ref T m, int mStride, int depth, Vector512<T> first, ref T output, int outputStride, bool relu, int quads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var zero = Vector512<T>.Zero;
        var rows = (rowStride, 2 * rowStride, 3 * rowStride);
        var (a2, a3, m2, m3) = (2 * aStride, 3 * aStride, (nuint)(2 * mStride), (nuint)(3 * mStride));
        for (int quad = 0; quad < quads; quad++)
        {
            // Sixteen accumulators: chain j of row i is s[i][j]; each loaded m row serves all four rows.
            var (s00, s01, s02, s03) = (first, zero, zero, zero);
            var (s10, s11, s12, s13) = (first, zero, zero, zero);
            var (s20, s21, s22, s23) = (first, zero, zero, zero);
            var (s30, s31, s32, s33) = (first, zero, zero, zero);
            ref T ak = ref a;
            ref T mk = ref m;
            int k = 0;
            for (; k <= depth - Chains; k += Chains)
            {
                FourRowsTerm(ref ak, rows, Vector512.LoadUnsafe(ref mk), ref s00, ref s10, ref s20, ref s30);
                FourRowsTerm(ref Unsafe.Add(ref ak, aStride), rows, Vector512.LoadUnsafe(ref mk, (nuint)mStride), ref s01, ref s11, ref s21, ref s31);
                FourRowsTerm(ref Unsafe.Add(ref ak, a2), rows, Vector512.LoadUnsafe(ref mk, m2), ref s02, ref s12, ref s22, ref s32);
                FourRowsTerm(ref Unsafe.Add(ref ak, a3), rows, Vector512.LoadUnsafe(ref mk, m3), ref s03, ref s13, ref s23, ref s33);
                ak = ref Unsafe.Add(ref ak, Chains * aStride);
                mk = ref Unsafe.Add(ref mk, Chains * mStride);
            }

            if (k < depth) FourRowsTerm(ref ak, rows, Vector512.LoadUnsafe(ref mk), ref s00, ref s10, ref s20, ref s30);
            if (k + 1 < depth) FourRowsTerm(ref Unsafe.Add(ref ak, aStride), rows, Vector512.LoadUnsafe(ref mk, (nuint)mStride), ref s01, ref s11, ref s21, ref s31);
            if (k + 2 < depth) FourRowsTerm(ref Unsafe.Add(ref ak, a2), rows, Vector512.LoadUnsafe(ref mk, m2), ref s02, ref s12, ref s22, ref s32);

            var (y0, y1, y2, y3) = ((s00 + s01) + (s02 + s03), (s10 + s11) + (s12 + s13), (s20 + s21) + (s22 + s23), (s30 + s31) + (s32 + s33));
            if (relu) (y0, y1, y2, y3) = (Vector512.Max(y0, zero), Vector512.Max(y1, zero), Vector512.Max(y2, zero), Vector512.Max(y3, zero));
            y0.StoreUnsafe(ref output);
            y1.StoreUnsafe(ref output, (nuint)outputStride);
            y2.StoreUnsafe(ref output, (nuint)(2 * outputStride));
            y3.StoreUnsafe(ref output, (nuint)(3 * outputStride));
            a = ref Unsafe.Add(ref a, 4 * rowStride);
            output = ref Unsafe.Add(ref output, 4 * outputStride);
        }
    }

    /// <summary>One term of <see cref="FourRows512{T}"/>: the four rows' values (row 0's at <paramref name="a"/>, the others <paramref name="rows"/> further) times <paramref name="row"/>, each fused into its row's chain.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FourRowsTerm<T>(ref T a, (int One, int Two, int Three) rows, Vector512<T> row, ref Vector512<T> s0, ref Vector512<T> s1, ref Vector512<T> s2, ref Vector512<T> s3)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        s0 = Fma512(Vector512.Create(a), row, s0);
        s1 = Fma512(Vector512.Create(Unsafe.Add(ref a, rows.One)), row, s1);
        s2 = Fma512(Vector512.Create(Unsafe.Add(ref a, rows.Two)), row, s2);
        s3 = Fma512(Vector512.Create(Unsafe.Add(ref a, rows.Three)), row, s3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fma512<T>(Vector512<T> a, Vector512<T> b, Vector512<T> addend)
        where T : unmanaged, IFloatingPointIeee754<T>
        => !Fused ? a * b + addend
            : typeof(T) == typeof(float)
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
    /// batch row or unit) is multiply-added (<see cref="MultiplyAdd{T}"/>: rounded once where <see cref="Fused"/>) into partial sum k mod 4, the first partial starting
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
                    for (int i = 0; i < inputs; i++) partial[i % Chains] = MultiplyAdd(x[b * inputs + i], weights[i * units + u], partial[i % Chains]);
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
                    for (int b = 0; b < batch; b++) partial[b % Chains] = MultiplyAdd(x[b * inputs + i], dy[b * units + u], partial[b % Chains]);
                    dWeights[i * units + u] = Combine(partial);
                }

                partial.Clear();
                for (int b = 0; b < batch; b++) partial[b % Chains] = MultiplyAdd(T.One, dy[b * units + u], partial[b % Chains]);
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
                    for (int u = 0; u < units; u++) partial[u % Chains] = MultiplyAdd(dy[b * units + u], weights[i * units + u], partial[u % Chains]);
                    dx[b * inputs + i] = Combine(partial);
                }
            }
        }

        private static T Combine<T>(ReadOnlySpan<T> partial)
            where T : unmanaged, IFloatingPointIeee754<T>
            => (partial[0] + partial[1]) + (partial[2] + partial[3]);
    }
}
