using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DeepPhys.Kernels;

/// <summary>Where element <c>(row, column)</c> of a matrix operand lives: <c>row · Row + column · Column</c>.</summary>
internal readonly record struct Strides(nint Row, nint Column)
{
    /// <summary>A row-major matrix with <paramref name="rowLength"/> values per row.</summary>
    public static Strides RowMajor(int rowLength) => new(rowLength, 1);

    /// <summary>The transpose of a row-major matrix with <paramref name="rowLength"/> values per row.</summary>
    public static Strides Transposed(int rowLength) => new(1, rowLength);
}

/// <summary>
/// Packed, register-blocked matrix product <c>C = A · B (+ C)</c> with an optional bias + ReLU
/// epilogue, the engine behind the dense and convolution kernels (docs/performance.md, "Kernels").
/// </summary>
/// <remarks>
/// GotoBLAS blocking: for each block of <see cref="ColumnBlock"/> columns and of at most
/// <see cref="DepthBlock"/> depth, B is packed into panels of NR columns; for each block of
/// <see cref="RowBlock"/> rows, A is packed into panels of <see cref="TileRows"/> rows; a micro-kernel
/// then keeps a <see cref="TileRows"/> × NR tile of C in registers (NR = two vectors) over the depth
/// block. Transposed operands cost nothing extra: packing reads any strides. The depth blocks depend
/// on <c>k</c> alone and threads split only C's rows or columns, so every value of C is summed in the
/// same order whatever the thread count.
/// </remarks>
internal static class Gemm
{
    /// <summary>MR: rows of C per micro-kernel tile. 6 rows × 2 vectors = 12 accumulators, which fit AVX2's 16 registers.</summary>
    internal const int TileRows = 6;

    /// <summary>KC, the most depth per packed block: a B panel of KC × NR floats stays in L1.</summary>
    private const int DepthBlock = 256;

    /// <summary>MC: rows of A per packed block (a multiple of <see cref="TileRows"/>), sized for L2.</summary>
    private const int RowBlock = 96;

    /// <summary>NC: columns of B per packed block (a multiple of every NR), sized for L2.</summary>
    private const int ColumnBlock = 512;

    /// <summary>Below this many multiply-adds a product runs on one thread: waking a worker costs more.</summary>
    internal const long ParallelWork = 1 << 18;

    /// <summary>The widest path the hardware accelerates.</summary>
    internal static GemmPath Fastest { get; } =
        Vector512.IsHardwareAccelerated ? GemmPath.Vector512 : Vector256.IsHardwareAccelerated ? GemmPath.Vector256 : GemmPath.Portable;

    /// <summary>The path every product uses: <see cref="Fastest"/> unless a test forced another.</summary>
    internal static GemmPath Path { get; private set; } = Fastest;

    /// <summary>Forces <paramref name="path"/> (null restores <see cref="Fastest"/>); tests use it to run on every path.</summary>
    internal static void ForcePath(GemmPath? path) => Path = path ?? Fastest;

    /// <summary>NR: columns of C per micro-kernel tile on <paramref name="path"/>, two vectors.</summary>
    internal static int TileColumns<T>(GemmPath path) => 2 * path switch
    {
        GemmPath.Vector512 => Vector512<T>.Count,
        GemmPath.Vector256 => Vector256<T>.Count,
        _ => Vector128<T>.Count,
    };

    /// <summary>
    /// <c>C = A · B</c> (or <c>C += A · B</c> when <paramref name="accumulate"/>), then
    /// <c>C[i, j] += bias[j]</c> when a bias is given and <c>C = max(C, 0)</c> when <paramref name="relu"/>,
    /// on <see cref="KernelThreads.Count"/> threads.
    /// </summary>
    /// <param name="a">A, <c>[m, k]</c> as laid out by <paramref name="aStrides"/>.</param>
    /// <param name="aStrides">A's strides.</param>
    /// <param name="b">B, <c>[k, n]</c> as laid out by <paramref name="bStrides"/>.</param>
    /// <param name="bStrides">B's strides.</param>
    /// <param name="c">C, <c>[m, n]</c> row-major with <paramref name="ldc"/> values per row; must not overlap A or B.</param>
    /// <param name="ldc">C's row stride.</param>
    /// <param name="m">Rows of C.</param>
    /// <param name="n">Columns of C.</param>
    /// <param name="k">The depth summed over.</param>
    /// <param name="accumulate">Add to C instead of overwriting it.</param>
    /// <param name="bias">Empty, or <c>[n]</c> added to every row at the end.</param>
    /// <param name="relu">Clamp C at zero at the end.</param>
    internal static void Multiply<T>(ReadOnlySpan<T> a, Strides aStrides, ReadOnlySpan<T> b, Strides bStrides, Span<T> c, int ldc,
        int m, int n, int k, bool accumulate, ReadOnlySpan<T> bias = default, bool relu = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertShapes(a.Length, aStrides, b.Length, bStrides, c.Length, ldc, m, n, k);
        Debug.Assert(bias.IsEmpty || bias.Length == n, "bias must be empty or [n].");
        var path = Path;
        int parts = Parts(m, n, k, path, typeof(T));
        if (parts > 1 && GemmJob<T>.TryRun(a, aStrides, b, bStrides, c, ldc, m, n, k, accumulate, bias, relu, path, parts)) return;
        for (int part = 0; part < parts; part++) RunPart(a, aStrides, b, bStrides, c, ldc, m, n, k, accumulate, bias, relu, path, part, parts);
    }

    /// <summary>The same product on the calling thread alone, for kernels that split their own work across threads.</summary>
    internal static void MultiplyOnThisThread<T>(ReadOnlySpan<T> a, Strides aStrides, ReadOnlySpan<T> b, Strides bStrides, Span<T> c, int ldc,
        int m, int n, int k, bool accumulate, ReadOnlySpan<T> bias = default, bool relu = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertShapes(a.Length, aStrides, b.Length, bStrides, c.Length, ldc, m, n, k);
        RunPart(a, aStrides, b, bStrides, c, ldc, m, n, k, accumulate, bias, relu, Path, 0, 1);
    }

    /// <summary>How many parts a product splits into: one per thread, but never more than it has tiles to share, and one for small products.</summary>
    private static int Parts(int m, int n, int k, GemmPath path, Type element)
    {
        int threads = KernelThreads.Count;
        if (threads == 1 || (long)m * n * k < ParallelWork) return 1;
        int nr = element == typeof(float) ? TileColumns<float>(path) : TileColumns<double>(path);
        return Math.Min(threads, Math.Max(TileCount(m, TileRows), TileCount(n, nr)));
    }

    internal static int TileCount(int length, int tile) => (length + tile - 1) / tile;

    /// <summary>
    /// Part <paramref name="part"/> of the product: a band of whole tiles along C's longer side
    /// (columns when there are at least as many column tiles as row tiles), then its epilogue.
    /// </summary>
    internal static void RunPart<T>(ReadOnlySpan<T> a, Strides aStrides, ReadOnlySpan<T> b, Strides bStrides, Span<T> c, int ldc,
        int m, int n, int k, bool accumulate, ReadOnlySpan<T> bias, bool relu, GemmPath path, int part, int parts)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int nr = TileColumns<T>(path);
        int rowStart = 0, rowEnd = m, columnStart = 0, columnEnd = n;
        if (TileCount(n, nr) >= TileCount(m, TileRows)) (columnStart, columnEnd) = KernelJob.Share(part, parts, TileCount(n, nr), nr, n);
        else (rowStart, rowEnd) = KernelJob.Share(part, parts, TileCount(m, TileRows), TileRows, m);
        if (rowStart == rowEnd || columnStart == columnEnd) return;

        var region = new Region(rowStart, rowEnd, columnStart, columnEnd);
        switch (path)
        {
            case GemmPath.Vector512: Compute<Simd512<T>, Vector512<T>, T>(a, aStrides, b, bStrides, c, ldc, k, accumulate, region); break;
            case GemmPath.Vector256: Compute<Simd256<T>, Vector256<T>, T>(a, aStrides, b, bStrides, c, ldc, k, accumulate, region); break;
            default: Compute<Simd128<T>, Vector128<T>, T>(a, aStrides, b, bStrides, c, ldc, k, accumulate, region); break;
        }

        if (bias.IsEmpty && !relu) return;
        for (int i = rowStart; i < rowEnd; i++)
        {
            var row = c.Slice(i * ldc + columnStart, columnEnd - columnStart);
            if (!bias.IsEmpty) TensorPrimitives.Add(row, bias[columnStart..columnEnd], row);
            if (relu) TensorPrimitives.Max(row, T.Zero, row);
        }
    }

    /// <summary>The rows and columns of C one part computes.</summary>
    private readonly record struct Region(int RowStart, int RowEnd, int ColumnStart, int ColumnEnd);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Compute<TSimd, TVector, T>(ReadOnlySpan<T> a, Strides aStrides, ReadOnlySpan<T> b, Strides bStrides, Span<T> c, int ldc,
        int k, bool accumulate, Region region)
        where TSimd : ISimd<T, TVector>
        where TVector : struct
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (k == 0)
        {
            if (!accumulate)
            {
                for (int i = region.RowStart; i < region.RowEnd; i++) c.Slice(i * ldc + region.ColumnStart, region.ColumnEnd - region.ColumnStart).Clear();
            }

            return;
        }

        int nr = 2 * TSimd.Count;
        var scratch = Scratch<T>.Current;
        ref T packedA = ref MemoryMarshal.GetArrayDataReference(scratch.A);
        ref T packedB = ref MemoryMarshal.GetArrayDataReference(scratch.B);
        ref T tile = ref MemoryMarshal.GetArrayDataReference(scratch.Tile);
        ref T origin = ref MemoryMarshal.GetReference(c);

        // Equal depth blocks (784 = 3 × 262 rather than 256 + 256 + 256 + 16), fixed by k alone.
        int depthBlocks = TileCount(k, DepthBlock), depth = TileCount(k, depthBlocks);
        for (int jc = region.ColumnStart; jc < region.ColumnEnd; jc += ColumnBlock)
        {
            int nc = Math.Min(ColumnBlock, region.ColumnEnd - jc);
            for (int pc = 0; pc < k; pc += depth)
            {
                int kc = Math.Min(depth, k - pc);
                PackB<TSimd, TVector, T>(b, bStrides, pc, kc, jc, nc, ref packedB);
                bool add = accumulate || pc > 0;
                for (int ic = region.RowStart; ic < region.RowEnd; ic += RowBlock)
                {
                    int mc = Math.Min(RowBlock, region.RowEnd - ic);
                    PackA(a, aStrides, ic, mc, pc, kc, ref packedA);
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int columns = Math.Min(nr, nc - jr);
                        ref T panelB = ref Unsafe.Add(ref packedB, jr * kc);
                        for (int ir = 0; ir < mc; ir += TileRows)
                        {
                            int rows = Math.Min(TileRows, mc - ir);
                            ref T panelA = ref Unsafe.Add(ref packedA, ir * kc);
                            ref T target = ref Unsafe.Add(ref origin, (nint)(ic + ir) * ldc + jc + jr);
                            if (rows == TileRows && columns == nr)
                            {
                                Tile<TSimd, TVector, T>(ref panelA, ref panelB, kc, ref target, ldc, add);
                            }
                            else
                            {
                                // An edge tile: the packed panels are zero-padded, so compute it whole and keep the part inside C.
                                Tile<TSimd, TVector, T>(ref panelA, ref panelB, kc, ref tile, nr, false);
                                CopyEdge(ref tile, nr, ref target, ldc, rows, columns, add);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>The micro-kernel: a <see cref="TileRows"/> × 2-vector tile of C held in twelve registers over <paramref name="kc"/> steps.</summary>
    /// <remarks>
    /// This and the packing loops are compiled fully optimised at once (<see cref="MethodImplOptions.AggressiveOptimization"/>):
    /// with tiered PGO, a later re-compilation of the forward product's path ran 10× slower (measured on .NET 10.0.12).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TSimd, TVector, T>(ref T a, ref T b, int kc, ref T c, nint ldc, bool accumulate)
        where TSimd : ISimd<T, TVector>
        where TVector : struct
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        nint width = TSimd.Count;
        TVector c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        TVector c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            TVector b0 = TSimd.Load(ref b), b1 = TSimd.Load(ref Unsafe.Add(ref b, width));
            TVector value = TSimd.Broadcast(a);
            c00 = TSimd.MultiplyAdd(value, b0, c00);
            c01 = TSimd.MultiplyAdd(value, b1, c01);
            value = TSimd.Broadcast(Unsafe.Add(ref a, 1));
            c10 = TSimd.MultiplyAdd(value, b0, c10);
            c11 = TSimd.MultiplyAdd(value, b1, c11);
            value = TSimd.Broadcast(Unsafe.Add(ref a, 2));
            c20 = TSimd.MultiplyAdd(value, b0, c20);
            c21 = TSimd.MultiplyAdd(value, b1, c21);
            value = TSimd.Broadcast(Unsafe.Add(ref a, 3));
            c30 = TSimd.MultiplyAdd(value, b0, c30);
            c31 = TSimd.MultiplyAdd(value, b1, c31);
            value = TSimd.Broadcast(Unsafe.Add(ref a, 4));
            c40 = TSimd.MultiplyAdd(value, b0, c40);
            c41 = TSimd.MultiplyAdd(value, b1, c41);
            value = TSimd.Broadcast(Unsafe.Add(ref a, 5));
            c50 = TSimd.MultiplyAdd(value, b0, c50);
            c51 = TSimd.MultiplyAdd(value, b1, c51);
            a = ref Unsafe.Add(ref a, TileRows);
            b = ref Unsafe.Add(ref b, 2 * width);
        }

        StoreRow<TSimd, TVector, T>(ref c, width, c00, c01, accumulate);
        StoreRow<TSimd, TVector, T>(ref Unsafe.Add(ref c, ldc), width, c10, c11, accumulate);
        StoreRow<TSimd, TVector, T>(ref Unsafe.Add(ref c, 2 * ldc), width, c20, c21, accumulate);
        StoreRow<TSimd, TVector, T>(ref Unsafe.Add(ref c, 3 * ldc), width, c30, c31, accumulate);
        StoreRow<TSimd, TVector, T>(ref Unsafe.Add(ref c, 4 * ldc), width, c40, c41, accumulate);
        StoreRow<TSimd, TVector, T>(ref Unsafe.Add(ref c, 5 * ldc), width, c50, c51, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<TSimd, TVector, T>(ref T row, nint width, TVector left, TVector right, bool accumulate)
        where TSimd : ISimd<T, TVector>
        where TVector : struct
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (accumulate)
        {
            left = TSimd.Add(TSimd.Load(ref row), left);
            right = TSimd.Add(TSimd.Load(ref Unsafe.Add(ref row, width)), right);
        }

        TSimd.Store(left, ref row);
        TSimd.Store(right, ref Unsafe.Add(ref row, width));
    }

    /// <summary>Copies (or adds) the <paramref name="rows"/> × <paramref name="columns"/> corner of an edge tile into C, with the same additions as a whole tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyEdge<T>(ref T tile, int tileStride, ref T c, int ldc, int rows, int columns, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < rows; i++)
        {
            ref T source = ref Unsafe.Add(ref tile, i * tileStride);
            ref T target = ref Unsafe.Add(ref c, (nint)i * ldc);
            for (int j = 0; j < columns; j++)
            {
                Unsafe.Add(ref target, j) = accumulate ? Unsafe.Add(ref target, j) + Unsafe.Add(ref source, j) : Unsafe.Add(ref source, j);
            }
        }
    }

    /// <summary>Packs A's rows <c>[i0, i0 + mc)</c> × depth <c>[p0, p0 + kc)</c> into panels of <see cref="TileRows"/> rows, each depth step's rows adjacent, zero-padded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA<T>(ReadOnlySpan<T> a, Strides strides, int i0, int mc, int p0, int kc, ref T packed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T source = ref MemoryMarshal.GetReference(a);
        for (int ir = 0; ir < mc; ir += TileRows)
        {
            int rows = Math.Min(TileRows, mc - ir);
            ref T panel = ref Unsafe.Add(ref packed, ir * kc);
            if (rows < TileRows) MemoryMarshal.CreateSpan(ref panel, kc * TileRows).Clear();
            ref T corner = ref Unsafe.Add(ref source, (i0 + ir) * strides.Row + p0 * strides.Column);
            if (strides.Column == 1 && rows == TileRows)
            {
                // Rows contiguous in memory, a whole panel: read the six rows side by side, write each depth step's six values at once.
                ref T row0 = ref corner;
                ref T row1 = ref Unsafe.Add(ref row0, strides.Row);
                ref T row2 = ref Unsafe.Add(ref row1, strides.Row);
                ref T row3 = ref Unsafe.Add(ref row2, strides.Row);
                ref T row4 = ref Unsafe.Add(ref row3, strides.Row);
                ref T row5 = ref Unsafe.Add(ref row4, strides.Row);
                for (int p = 0; p < kc; p++)
                {
                    ref T target = ref Unsafe.Add(ref panel, p * TileRows);
                    target = Unsafe.Add(ref row0, p);
                    Unsafe.Add(ref target, 1) = Unsafe.Add(ref row1, p);
                    Unsafe.Add(ref target, 2) = Unsafe.Add(ref row2, p);
                    Unsafe.Add(ref target, 3) = Unsafe.Add(ref row3, p);
                    Unsafe.Add(ref target, 4) = Unsafe.Add(ref row4, p);
                    Unsafe.Add(ref target, 5) = Unsafe.Add(ref row5, p);
                }
            }
            else if (strides.Column == 1)
            {
                // Rows contiguous in memory: read each along the depth, write with stride TileRows.
                for (int r = 0; r < rows; r++)
                {
                    ref T row = ref Unsafe.Add(ref corner, r * strides.Row);
                    for (int p = 0; p < kc; p++) Unsafe.Add(ref panel, p * TileRows + r) = Unsafe.Add(ref row, p);
                }
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    ref T column = ref Unsafe.Add(ref corner, p * strides.Column);
                    for (int r = 0; r < rows; r++) Unsafe.Add(ref panel, p * TileRows + r) = Unsafe.Add(ref column, r * strides.Row);
                }
            }
        }
    }

    /// <summary>Packs B's depth <c>[p0, p0 + kc)</c> × columns <c>[j0, j0 + nc)</c> into panels of NR columns, each depth step's columns adjacent, zero-padded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB<TSimd, TVector, T>(ReadOnlySpan<T> b, Strides strides, int p0, int kc, int j0, int nc, ref T packed)
        where TSimd : ISimd<T, TVector>
        where TVector : struct
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = TSimd.Count, nr = 2 * width;
        ref T source = ref MemoryMarshal.GetReference(b);
        for (int jr = 0; jr < nc; jr += nr)
        {
            int columns = Math.Min(nr, nc - jr);
            ref T panel = ref Unsafe.Add(ref packed, jr * kc);
            ref T corner = ref Unsafe.Add(ref source, p0 * strides.Row + (j0 + jr) * strides.Column);
            if (strides.Column == 1 && columns == nr)
            {
                for (int p = 0; p < kc; p++)
                {
                    ref T row = ref Unsafe.Add(ref corner, p * strides.Row);
                    TSimd.Store(TSimd.Load(ref row), ref Unsafe.Add(ref panel, p * nr));
                    TSimd.Store(TSimd.Load(ref Unsafe.Add(ref row, width)), ref Unsafe.Add(ref panel, p * nr + width));
                }

                continue;
            }

            if (columns < nr) MemoryMarshal.CreateSpan(ref panel, kc * nr).Clear();
            if (strides.Column == 1)
            {
                for (int p = 0; p < kc; p++)
                {
                    MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref corner, p * strides.Row), columns).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref panel, p * nr), columns));
                }
            }
            else
            {
                // Columns contiguous in memory (a transposed B): read four at a time along the depth, so each
                // depth step writes four adjacent values rather than one per cache line.
                int j = 0;
                for (; j + 4 <= columns; j += 4)
                {
                    ref T column0 = ref Unsafe.Add(ref corner, j * strides.Column);
                    ref T column1 = ref Unsafe.Add(ref column0, strides.Column);
                    ref T column2 = ref Unsafe.Add(ref column1, strides.Column);
                    ref T column3 = ref Unsafe.Add(ref column2, strides.Column);
                    for (int p = 0; p < kc; p++)
                    {
                        ref T target = ref Unsafe.Add(ref panel, p * nr + j);
                        nint depthOffset = p * strides.Row;
                        target = Unsafe.Add(ref column0, depthOffset);
                        Unsafe.Add(ref target, 1) = Unsafe.Add(ref column1, depthOffset);
                        Unsafe.Add(ref target, 2) = Unsafe.Add(ref column2, depthOffset);
                        Unsafe.Add(ref target, 3) = Unsafe.Add(ref column3, depthOffset);
                    }
                }

                for (; j < columns; j++)
                {
                    ref T column = ref Unsafe.Add(ref corner, j * strides.Column);
                    for (int p = 0; p < kc; p++) Unsafe.Add(ref panel, p * nr + j) = Unsafe.Add(ref column, p * strides.Row);
                }
            }
        }
    }

    [Conditional("DEBUG")]
    private static void AssertShapes(int aLength, Strides aStrides, int bLength, Strides bStrides, int cLength, int ldc, int m, int n, int k)
    {
        Debug.Assert(m >= 0 && n >= 0 && k >= 0 && ldc >= n, "Sizes must not be negative and C's rows must hold n values.");
        Debug.Assert(m == 0 || k == 0 || (m - 1) * aStrides.Row + (k - 1) * aStrides.Column < aLength, "A is too short for [m, k].");
        Debug.Assert(n == 0 || k == 0 || (k - 1) * bStrides.Row + (n - 1) * bStrides.Column < bLength, "B is too short for [k, n].");
        Debug.Assert(m == 0 || n == 0 || (long)(m - 1) * ldc + n <= cLength, "C is too short for [m, n].");
    }

    /// <summary>One thread's packing buffers, allocated on its first product and reused by every later one.</summary>
    private sealed class Scratch<T>
        where T : unmanaged
    {
        [ThreadStatic]
        private static Scratch<T>? current;

        public T[] A { get; } = new T[RowBlock * DepthBlock];

        public T[] B { get; } = new T[DepthBlock * ColumnBlock];

        public T[] Tile { get; } = new T[TileRows * 2 * Vector512<T>.Count];

        public static Scratch<T> Current => current ??= new Scratch<T>();
    }

    /// <summary>A product shared with the <see cref="KernelThreads"/> workers, one per calling thread.</summary>
    private sealed class GemmJob<T> : PinnedJob<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        private static GemmJob<T>? current;

        private int ldc, m, n, k;
        private Strides aStrides, bStrides;
        private bool accumulate, relu;
        private GemmPath path;

        public static bool TryRun(ReadOnlySpan<T> a, Strides aStrides, ReadOnlySpan<T> b, Strides bStrides, Span<T> c, int ldc,
            int m, int n, int k, bool accumulate, ReadOnlySpan<T> bias, bool relu, GemmPath path, int parts)
        {
            var job = current ??= new GemmJob<T>();
            (job.aStrides, job.bStrides, job.ldc, job.m, job.n, job.k) = (aStrides, bStrides, ldc, m, n, k);
            (job.accumulate, job.relu, job.path) = (accumulate, relu, path);
            return job.TryRun(a, b, bias, c, parts);
        }

        protected override void Run(ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> bias, Span<T> c, int part, int parts) =>
            RunPart(a, aStrides, b, bStrides, c, ldc, m, n, k, accumulate, bias, relu, path, part, parts);
    }
}
