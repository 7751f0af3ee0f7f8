using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DeepPhys.Kernels;

/// <summary>
/// Max, average, global average and global max pooling over batch-first images: inputs <c>[batch, channels, height, width]</c>,
/// outputs <c>[batch, channels, outHeight, outWidth]</c> (<c>[batch, channels]</c> for the global pools).
/// The windows are 'valid' (no padding; the geometry's pads are ignored), of any height, width and stride per axis.
/// Backward kernels add into <c>dx</c> (clear it first to overwrite); the max pools' overwrite instead when told to.
/// </summary>
/// <remarks>
/// Max pooling routes each output's gradient to the first maximum of its window in row-major order
/// (the top row first, then the leftmost), so ties go to one input, as PyTorch does. The forward
/// pass needs only the value, so it takes the window's maximum without tracking where it is.
/// </remarks>
public static class PoolingKernels
{
    /// <summary>Max pooling: <c>y = max</c> over each window.</summary>
    public static void MaxForward<T>(ReadOnlySpan<T> x, Span<T> y, int batch, ImageWindow window)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertShapes(x.Length, y.Length, batch, window);
        RunMax(MaxPass.Forward, x, default, y, batch, window);
    }

    /// <summary>Max pooling backward: <c>dx[argmax] += dy</c> for each window.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward pass's inputs.</param>
    /// <param name="dy">Loss gradient with respect to the outputs.</param>
    /// <param name="dx">Receives the loss gradient with respect to the inputs.</param>
    /// <param name="batch">Images in the batch.</param>
    /// <param name="window">The pooling geometry.</param>
    /// <param name="accumulate">
    /// Add into <paramref name="dx"/> (true) or overwrite it (false): each thread then clears its own planes just before it
    /// writes them, while they are in cache, rather than the caller clearing the whole buffer on one thread first.
    /// </param>
    public static void MaxBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dx, int batch, ImageWindow window, bool accumulate = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertShapes(x.Length, dy.Length, batch, window);
        Debug.Assert(dx.Length == x.Length, "dx must be shaped as x.");
        RunMax(accumulate ? MaxPass.AddGradient : MaxPass.WriteGradient, x, dy, dx, batch, window);
    }

    /// <summary>What a max-pooling pass computes.</summary>
    private enum MaxPass
    {
        /// <summary>y = max over each window.</summary>
        Forward,

        /// <summary>dx[argmax] += dy.</summary>
        AddGradient,

        /// <summary>dx = 0, then dx[argmax] += dy, plane by plane.</summary>
        WriteGradient,
    }

    /// <summary>
    /// Splits max pooling over <see cref="KernelThreads"/> by whole planes (image × channel): each plane's outputs,
    /// and its inputs' gradients, belong to one thread, so results do not depend on the thread count.
    /// </summary>
    private static void RunMax<T>(MaxPass pass, ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> output, int batch, ImageWindow window)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Inputs rather than multiply-adds against the GEMM's threshold: the pools are memory-bound, a few operations per value.
        int planes = batch * window.Channels;
        int parts = x.Length < Gemm.ParallelWork ? 1 : Math.Min(KernelThreads.Count, planes);
        if (parts > 1 && PoolingJob<T>.TryRun(pass, x, dy, output, window, planes, parts)) return;
        MaxPlanes(pass, x, dy, output, window, 0, planes);
    }

    /// <summary>Max pooling forward (into <paramref name="output"/> = y) or backward (into <paramref name="output"/> = dx) over planes <c>[first, last)</c>.</summary>
    private static void MaxPlanes<T>(MaxPass pass, ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> output, ImageWindow window, int first, int last)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (kh, kw, sw) = (window.KernelHeight, window.KernelWidth, window.StrideWidth);
        int width = window.Width, outWidth = window.OutWidth, o = first * window.OutputPlane, rows = width + (2 * outWidth), inputPlane = window.Height * width;
        bool backward = pass != MaxPass.Forward, pairs = kh == 2 && kw == 2 && window.StrideHeight == 2 && sw == 2;
        // 2 × 2, stride-2 windows that tile the plane write every input's gradient themselves; any other geometry adds into a cleared plane.
        bool writesAll = pairs && width == 2 * outWidth && window.Height == 2 * window.OutHeight;
        for (int plane = first; plane < last; plane++)
        {
            if (pass == MaxPass.WriteGradient && !writesAll) output.Slice(plane * inputPlane, inputPlane).Clear();
            for (int oy = 0; oy < window.OutHeight; oy++, o += outWidth)
            {
                int top = (plane * inputPlane) + (oy * window.StrideHeight * width);
                if (pairs && backward) MaxBackwardPairs(x.Slice(top, rows), dy.Slice(o, outWidth), output.Slice(top, rows), width, overwrite: pass == MaxPass.WriteGradient && writesAll);
                else if (pairs) MaxForwardPairs(x.Slice(top, rows), output.Slice(o, outWidth), width);
                else if (backward)
                {
                    for (int ox = 0; ox < outWidth; ox++) output[ArgMax(x, top + (ox * sw), kh, kw, width)] += dy[o + ox];
                }
                else
                {
                    for (int ox = 0; ox < outWidth; ox++) output[o + ox] = WindowMax(x, top + (ox * sw), kh, kw, width);
                }
            }
        }
    }

    /// <summary>A max-pooling pass shared with the <see cref="KernelThreads"/> workers, one per calling thread.</summary>
    private sealed class PoolingJob<T> : PinnedJob<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        private static PoolingJob<T>? current;

        private MaxPass pass;
        private ImageWindow window;
        private int planes;

        public static bool TryRun(MaxPass pass, ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> output, ImageWindow window, int planes, int parts)
        {
            var job = current ??= new PoolingJob<T>();
            (job.pass, job.window, job.planes) = (pass, window, planes);
            return job.TryRun(x, dy, default, output, parts);
        }

        protected override void Run(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, ReadOnlySpan<T> unused, Span<T> output, int part, int parts)
        {
            var (first, last) = KernelJob.Share(part, parts, planes, 1, planes);
            MaxPlanes(pass, x, dy, output, window, first, last);
        }
    }

    /// <summary>Average pooling: <c>y = mean</c> over each window.</summary>
    public static void AverageForward<T>(ReadOnlySpan<T> x, Span<T> y, int batch, ImageWindow window)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertShapes(x.Length, y.Length, batch, window);
        T scale = T.One / T.CreateChecked(window.KernelPlane);
        for (int o = 0; o < y.Length; o++)
        {
            int first = FirstInput(o, window);
            T sum = T.Zero;
            for (int ky = 0; ky < window.KernelHeight; ky++) sum += TensorPrimitives.Sum(x.Slice(first + (ky * window.Width), window.KernelWidth));
            y[o] = sum * scale;
        }
    }

    /// <summary>Average pooling backward: every input of a window gets <c>dy / (kernelHeight · kernelWidth)</c>.</summary>
    public static void AverageBackward<T>(ReadOnlySpan<T> dy, Span<T> dx, int batch, ImageWindow window)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertShapes(dx.Length, dy.Length, batch, window);
        T scale = T.One / T.CreateChecked(window.KernelPlane);
        for (int o = 0; o < dy.Length; o++)
        {
            int first = FirstInput(o, window);
            for (int ky = 0; ky < window.KernelHeight; ky++)
            {
                var row = dx.Slice(first + (ky * window.Width), window.KernelWidth);
                TensorPrimitives.Add(row, dy[o] * scale, row);
            }
        }
    }

    /// <summary>1-D max pooling over signals <c>[batch, channels, length]</c>: <c>y = max</c> over each window (the first maximum on ties).</summary>
    public static void MaxForward<T>(ReadOnlySpan<T> x, Span<T> y, int batch, SignalWindow window)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertShapes(x.Length, y.Length, batch, window);
        for (int o = 0; o < y.Length; o++) y[o] = x[ArgMax(x, o, window)];
    }

    /// <summary>1-D max pooling backward: <c>dx[argmax] += dy</c> for each window.</summary>
    public static void MaxBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dx, int batch, SignalWindow window)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertShapes(x.Length, dy.Length, batch, window);
        Debug.Assert(dx.Length == x.Length, "dx must be shaped as x.");
        for (int o = 0; o < dy.Length; o++) dx[ArgMax(x, o, window)] += dy[o];
    }

    /// <summary>1-D average pooling: <c>y = mean</c> over each window.</summary>
    public static void AverageForward<T>(ReadOnlySpan<T> x, Span<T> y, int batch, SignalWindow window)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertShapes(x.Length, y.Length, batch, window);
        T scale = T.One / T.CreateChecked(window.Size);
        for (int o = 0; o < y.Length; o++) y[o] = TensorPrimitives.Sum(x.Slice(FirstInput(o, window), window.Size)) * scale;
    }

    /// <summary>1-D average pooling backward: every input of a window gets <c>dy / window</c>.</summary>
    public static void AverageBackward<T>(ReadOnlySpan<T> dy, Span<T> dx, int batch, SignalWindow window)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertShapes(dx.Length, dy.Length, batch, window);
        T scale = T.One / T.CreateChecked(window.Size);
        for (int o = 0; o < dy.Length; o++)
        {
            var inputs = dx.Slice(FirstInput(o, window), window.Size);
            TensorPrimitives.Add(inputs, dy[o] * scale, inputs);
        }
    }

    /// <summary>Global average pooling: <c>y[b, c]</c> is the mean of channel <c>c</c>'s <paramref name="plane"/> values.</summary>
    public static void GlobalAverageForward<T>(ReadOnlySpan<T> x, Span<T> y, int plane)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Debug.Assert(x.Length == y.Length * plane, "x must be [batch, channels, plane].");
        T scale = T.One / T.CreateChecked(plane);
        for (int o = 0; o < y.Length; o++) y[o] = TensorPrimitives.Sum(x.Slice(o * plane, plane)) * scale;
    }

    /// <summary>Global average pooling backward: each value of a channel gets <c>dy / plane</c>.</summary>
    public static void GlobalAverageBackward<T>(ReadOnlySpan<T> dy, Span<T> dx, int plane)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Debug.Assert(dx.Length == dy.Length * plane, "dx must be [batch, channels, plane].");
        T scale = T.One / T.CreateChecked(plane);
        for (int o = 0; o < dy.Length; o++)
        {
            var values = dx.Slice(o * plane, plane);
            TensorPrimitives.Add(values, dy[o] * scale, values);
        }
    }

    /// <summary>
    /// Global max pooling: <c>y[b, c]</c> is the largest of channel <c>c</c>'s <paramref name="plane"/> values, for images
    /// <c>[batch, channels, height, width]</c> (plane = height · width) and signals <c>[batch, channels, length]</c> alike.
    /// NaN if the channel holds one, as <see cref="MaxForward{T}(ReadOnlySpan{T}, Span{T}, int, ImageWindow)"/>.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">Inputs, <c>[batch · channels, plane]</c>.</param>
    /// <param name="y">Receives the maxima, <c>[batch · channels]</c>.</param>
    /// <param name="plane">Values per channel.</param>
    public static void GlobalMaxForward<T>(ReadOnlySpan<T> x, Span<T> y, int plane)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Debug.Assert(x.Length == y.Length * plane, "x must be [batch, channels, plane].");
        for (int o = 0; o < y.Length; o++) y[o] = x[GlobalArgMax(x, o, plane)];
    }

    /// <summary>
    /// Global max pooling backward: each channel's gradient goes to its first maximum, <c>dx[argmax] += dy</c>, the
    /// channel's other values untouched (or, without <paramref name="accumulate"/>, 0). Ties go to the first, as
    /// PyTorch's <c>AdaptiveMaxPool2d(1)</c> and <c>F.max_pool1d</c> over the whole length route them (<c>torch.amax</c>
    /// splits the gradient between them instead). The argmax is the input <see cref="GlobalMaxForward{T}"/> returned,
    /// with values ordered as <see cref="TensorPrimitives.IndexOfMax{T}(ReadOnlySpan{T})"/> orders them: a channel
    /// holding NaN sends its gradient to its first NaN (PyTorch's pools: the last), and +0 counts above −0 (PyTorch:
    /// whichever comes first).
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward pass's inputs, <c>[batch · channels, plane]</c>.</param>
    /// <param name="dy">Loss gradient with respect to the maxima, <c>[batch · channels]</c>.</param>
    /// <param name="dx">Receives the loss gradient with respect to the inputs, <c>[batch · channels, plane]</c>.</param>
    /// <param name="plane">Values per channel.</param>
    /// <param name="accumulate">
    /// Add into <paramref name="dx"/> (true) or overwrite it (false), each channel cleared just before its maximum's
    /// gradient is written, as <see cref="MaxBackward{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, int, ImageWindow, bool)"/>.
    /// </param>
    public static void GlobalMaxBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dx, int plane, bool accumulate = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Debug.Assert(x.Length == dy.Length * plane, "x must be [batch, channels, plane].");
        Debug.Assert(dx.Length == x.Length, "dx must be shaped as x.");
        for (int o = 0; o < dy.Length; o++)
        {
            if (!accumulate) dx.Slice(o * plane, plane).Clear();
            dx[GlobalArgMax(x, o, plane)] += dy[o];
        }
    }

    /// <summary>The index in x of channel <paramref name="channel"/>'s first maximum (its first NaN if it has one; +0 above −0).</summary>
    private static int GlobalArgMax<T>(ReadOnlySpan<T> x, int channel, int plane)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        (channel * plane) + TensorPrimitives.IndexOfMax(x.Slice(channel * plane, plane));

    /// <summary>The index in x of output <paramref name="output"/>'s window's top-left input.</summary>
    private static int FirstInput(int output, ImageWindow window)
    {
        int image = output / window.OutputPlane, position = output % window.OutputPlane;
        int oy = position / window.OutWidth, ox = position % window.OutWidth;
        return (image * window.Height * window.Width) + (oy * window.StrideHeight * window.Width) + (ox * window.StrideWidth);
    }

    /// <summary>
    /// One output row of 2 × 2, stride-2 max pooling: <paramref name="rows"/> starts at the top row of the window pairs, the
    /// bottom row <paramref name="width"/> later. Whole vectors of window pairs first where the hardware has them, the rest scalar.
    /// </summary>
    private static void MaxForwardPairs<T>(ReadOnlySpan<T> rows, Span<T> y, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T top = ref MemoryMarshal.GetReference(rows);
        ref T bottom = ref Unsafe.Add(ref top, width);
        for (int ox = PairVectors.Forward(ref top, width, ref MemoryMarshal.GetReference(y), y.Length); ox < y.Length; ox++)
        {
            int i = 2 * ox;
            y[ox] = T.Max(T.Max(Unsafe.Add(ref top, i), Unsafe.Add(ref top, i + 1)), T.Max(Unsafe.Add(ref bottom, i), Unsafe.Add(ref bottom, i + 1)));
        }
    }

    /// <summary>
    /// The backward pass of <see cref="MaxForwardPairs"/>: the same branch-free first maximum as <see cref="ArgMax{T}(ReadOnlySpan{T}, int, int, int, int)"/>,
    /// unrolled. With <paramref name="overwrite"/> the four inputs of each window are written (0 but the first maximum's), else added to.
    /// </summary>
    private static void MaxBackwardPairs<T>(ReadOnlySpan<T> rows, ReadOnlySpan<T> dy, Span<T> dxRows, int width, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T top = ref MemoryMarshal.GetReference(rows);
        ref T gradient = ref MemoryMarshal.GetReference(dxRows);
        for (int ox = PairVectors.Backward(ref top, ref MemoryMarshal.GetReference(dy), dy.Length, ref gradient, width, overwrite); ox < dy.Length; ox++)
        {
            int first = 2 * ox, best = first;
            T bestValue = Unsafe.Add(ref top, first);
            Consider(ref top, first + 1, ref best, ref bestValue);
            Consider(ref top, first + width, ref best, ref bestValue);
            Consider(ref top, first + width + 1, ref best, ref bestValue);
            if (overwrite)
            {
                (Unsafe.Add(ref gradient, first), Unsafe.Add(ref gradient, first + 1)) = (T.Zero, T.Zero);
                (Unsafe.Add(ref gradient, first + width), Unsafe.Add(ref gradient, first + width + 1)) = (T.Zero, T.Zero);
            }

            Unsafe.Add(ref gradient, best) += dy[ox];
        }
    }

    /// <summary>
    /// 2 × 2, stride-2 max pooling of one row pair on <c>Vector256</c>s: lanes 2j and 2j + 1 hold window j's two columns, so a
    /// window's four values meet by swapping neighbouring lanes, and each window's sums and comparisons are the scalar loops'
    /// own. Used where AVX2 or AVX-512 runs and the row pair is whole windows; not on the portable path, which
    /// <see cref="Gemm.ForcePath"/> selects in the tests so that they cover the scalar loops as well.
    /// </summary>
    private static class PairVectors
    {
        /// <summary>Writes all <paramref name="outputs"/> maxima and returns their count, or returns 0 when the vectors do not apply.</summary>
        public static int Forward<T>(ref T top, int width, ref T y, int outputs)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (!Apply<T>(width, outputs)) return 0;
            // The last vector may overlap the one before it: it writes the same maxima again.
            int last = width - Vector256<T>.Count;
            for (int i = 0; ; i = Math.Min(i + Vector256<T>.Count, last))
            {
                var columns = Vector256.Max(Vector256.LoadUnsafe(ref top, (nuint)i), Vector256.LoadUnsafe(ref top, (nuint)(i + width)));
                EvenLanes(Vector256.Max(columns, SwapPairs(columns))).StoreUnsafe(ref y, (nuint)(i / 2));
                if (i == last) return outputs;
            }
        }

        /// <summary>
        /// The gradients of the windows it covers, written or (without <paramref name="overwrite"/>) added; returns how many
        /// windows that is: all when overwriting (a last vector may overlap, writing the same values again), the whole
        /// vectors' when adding, 0 when the vectors do not apply.
        /// </summary>
        public static int Backward<T>(ref T top, ref T dy, int outputs, ref T gradient, int width, bool overwrite)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (!Apply<T>(width, outputs)) return 0;
            int last = width - Vector256<T>.Count, i = 0;
            for (; i <= last; i += Vector256<T>.Count) Backward(ref top, ref dy, ref gradient, width, i, overwrite);
            if (i == width) return outputs;
            if (!overwrite) return i / 2;
            Backward(ref top, ref dy, ref gradient, width, last, overwrite: true);
            return outputs;
        }

        private static bool Apply<T>(int width, int outputs)
            where T : unmanaged, IFloatingPointIeee754<T> =>
            Gemm.Path != GemmPath.Portable && Vector256.IsHardwareAccelerated && width == 2 * outputs && width >= Vector256<T>.Count;

        /// <summary>The windows of columns <c>[i, i + Vector256.Count)</c>: the first maximum gets dy, the other three inputs nothing.</summary>
        private static void Backward<T>(ref T top, ref T dy, ref T gradient, int width, int i, bool overwrite)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var (t, b) = (Vector256.LoadUnsafe(ref top, (nuint)i), Vector256.LoadUnsafe(ref top, (nuint)(i + width)));
            var (tSwapped, bSwapped) = (SwapPairs(t), SwapPairs(b));
            var even = EvenLaneMask<T>();
            // Both lanes of a window hold its values in scan order: top left, top right, bottom left, bottom right.
            var (t0, t1) = (Vector256.ConditionalSelect(even, t, tSwapped), Vector256.ConditionalSelect(even, tSwapped, t));
            var (b0, b1) = (Vector256.ConditionalSelect(even, b, bSwapped), Vector256.ConditionalSelect(even, bSwapped, b));
            var beatsTopLeft = Vector256.GreaterThan(t1, t0);
            var best = Vector256.Max(t1, t0);
            var beatsTop = Vector256.GreaterThan(b0, best);
            var beatsAll = Vector256.GreaterThan(b1, Vector256.Max(b0, best));
            var topWins = Vector256.AndNot(Vector256.ConditionalSelect(even, ~beatsTopLeft, beatsTopLeft), beatsTop | beatsAll);
            var bottomWins = Vector256.ConditionalSelect(even, Vector256.AndNot(beatsTop, beatsAll), beatsAll);
            var dyPairs = DuplicateLanes(Vector128.LoadUnsafe(ref dy, (nuint)(i / 2)));
            var (topBefore, bottomBefore) = overwrite
                ? (Vector256<T>.Zero, Vector256<T>.Zero)
                : (Vector256.LoadUnsafe(ref gradient, (nuint)i), Vector256.LoadUnsafe(ref gradient, (nuint)(i + width)));
            Vector256.ConditionalSelect(topWins, topBefore + dyPairs, topBefore).StoreUnsafe(ref gradient, (nuint)i);
            Vector256.ConditionalSelect(bottomWins, bottomBefore + dyPairs, bottomBefore).StoreUnsafe(ref gradient, (nuint)(i + width));
        }

        private static Vector256<T> SwapPairs<T>(Vector256<T> v)
            where T : unmanaged, IFloatingPointIeee754<T> => typeof(T) == typeof(float)
            ? Vector256.Shuffle(v.AsSingle(), Vector256.Create(1, 0, 3, 2, 5, 4, 7, 6)).As<float, T>()
            : Vector256.Shuffle(v.AsDouble(), Vector256.Create(1L, 0, 3, 2)).As<double, T>();

        /// <summary>Lanes 0, 2, 4, … packed into half a vector: one value per window.</summary>
        private static Vector128<T> EvenLanes<T>(Vector256<T> v)
            where T : unmanaged, IFloatingPointIeee754<T> => (typeof(T) == typeof(float)
            ? Vector256.Shuffle(v.AsSingle(), Vector256.Create(0, 2, 4, 6, 0, 2, 4, 6)).As<float, T>()
            : Vector256.Shuffle(v.AsDouble(), Vector256.Create(0L, 2, 0, 2)).As<double, T>()).GetLower();

        /// <summary>Each of half a vector's values (one per window) into two neighbouring lanes.</summary>
        private static Vector256<T> DuplicateLanes<T>(Vector128<T> half)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var both = Vector256.Create(half, half);
            return typeof(T) == typeof(float)
                ? Vector256.Shuffle(both.AsSingle(), Vector256.Create(0, 0, 1, 1, 2, 2, 3, 3)).As<float, T>()
                : Vector256.Shuffle(both.AsDouble(), Vector256.Create(0L, 0, 1, 1)).As<double, T>();
        }

        private static Vector256<T> EvenLaneMask<T>()
            where T : unmanaged, IFloatingPointIeee754<T> => typeof(T) == typeof(float)
            ? Vector256.Create(-1, 0, -1, 0, -1, 0, -1, 0).As<int, T>()
            : Vector256.Create(-1L, 0, -1, 0).As<long, T>();
    }

    /// <summary>One step of the first-maximum scan: input <paramref name="i"/> becomes the best only if strictly greater.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Consider<T>(ref T x, int i, ref int best, ref T bestValue)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T value = Unsafe.Add(ref x, i);
        int greater = value > bestValue ? 1 : 0;
        best += (i - best) * greater;
        bestValue = T.Max(value, bestValue);
    }

    /// <summary>The largest value of the <paramref name="height"/> × <paramref name="columns"/> window whose top-left input is <paramref name="first"/> (NaN if any is).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T WindowMax<T>(ReadOnlySpan<T> x, int first, int height, int columns, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (height == 2 && columns == 2) return T.Max(T.Max(x[first], x[first + 1]), T.Max(x[first + width], x[first + width + 1]));
        T max = x[first];
        for (int ky = 0; ky < height; ky++)
        {
            foreach (T value in x.Slice(first + (ky * width), columns)) max = T.Max(max, value);
        }

        return max;
    }

    /// <summary>
    /// The first maximum, in row-major order, of the <paramref name="height"/> × <paramref name="columns"/> window
    /// whose top-left input is <paramref name="first"/>. Branch-free (the comparisons' outcomes are
    /// unpredictable): a window with a NaN after its first value keeps the maximum found before the NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ArgMax<T>(ReadOnlySpan<T> x, int first, int height, int columns, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int best = first;
        T bestValue = x[first];
        for (int ky = 0; ky < height; ky++)
        {
            int rowStart = first + (ky * width);
            for (int i = rowStart; i < rowStart + columns; i++)
            {
                T value = x[i];
                int greater = value > bestValue ? 1 : 0;
                best += (i - best) * greater;
                bestValue = T.Max(value, bestValue);
            }
        }

        return best;
    }

    /// <summary>The index in x of 1-D output <paramref name="output"/>'s window's first input.</summary>
    private static int FirstInput(int output, SignalWindow window) =>
        (output / window.OutLength * window.Length) + (output % window.OutLength * window.Stride);

    private static int ArgMax<T>(ReadOnlySpan<T> x, int output, SignalWindow window)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int first = FirstInput(output, window);
        return first + TensorPrimitives.IndexOfMax(x.Slice(first, window.Size));
    }

    [Conditional("DEBUG")]
    private static void AssertShapes(int xLength, int yLength, int batch, SignalWindow window)
    {
        Debug.Assert(xLength == batch * window.InputSize, "x (or dx) must be [batch, channels, length].");
        Debug.Assert(yLength == batch * window.Channels * window.OutLength, "y (or dy) must be [batch, channels, outLength].");
    }

    [Conditional("DEBUG")]
    private static void AssertShapes(int xLength, int yLength, int batch, ImageWindow window)
    {
        Debug.Assert(xLength == batch * window.InputSize, "x (or dx) must be [batch, channels, height, width].");
        Debug.Assert(yLength == batch * window.Channels * window.OutputPlane, "y (or dy) must be [batch, channels, outHeight, outWidth].");
    }

    /// <summary>Textbook loops with the same signatures, scanning each window element by element: the reference for the kernels above.</summary>
    internal static class Scalar
    {
        internal static void MaxForward<T>(ReadOnlySpan<T> x, Span<T> y, int batch, ImageWindow window)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int o = 0; o < y.Length; o++) y[o] = x[ArgMax(x, o, window)];
        }

        internal static void MaxBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dx, int batch, ImageWindow window)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int o = 0; o < dy.Length; o++) dx[ArgMax(x, o, window)] += dy[o];
        }

        internal static void AverageForward<T>(ReadOnlySpan<T> x, Span<T> y, int batch, ImageWindow window)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int o = 0; o < y.Length; o++)
            {
                T sum = T.Zero;
                foreach (int i in Window(o, window)) sum += x[i];
                y[o] = sum / T.CreateChecked(window.KernelHeight * window.KernelWidth);
            }
        }

        internal static void AverageBackward<T>(ReadOnlySpan<T> dy, Span<T> dx, int batch, ImageWindow window)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int o = 0; o < dy.Length; o++)
            {
                foreach (int i in Window(o, window)) dx[i] += dy[o] / T.CreateChecked(window.KernelHeight * window.KernelWidth);
            }
        }

        internal static void GlobalAverageForward<T>(ReadOnlySpan<T> x, Span<T> y, int plane)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int o = 0; o < y.Length; o++)
            {
                T sum = T.Zero;
                for (int i = 0; i < plane; i++) sum += x[o * plane + i];
                y[o] = sum / T.CreateChecked(plane);
            }
        }

        internal static void GlobalAverageBackward<T>(ReadOnlySpan<T> dy, Span<T> dx, int plane)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < dx.Length; i++) dx[i] += dy[i / plane] / T.CreateChecked(plane);
        }

        internal static void GlobalMaxForward<T>(ReadOnlySpan<T> x, Span<T> y, int plane)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int o = 0; o < y.Length; o++) y[o] = x[GlobalArgMax(x, o, plane)];
        }

        internal static void GlobalMaxBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dx, int plane)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int o = 0; o < dy.Length; o++) dx[GlobalArgMax(x, o, plane)] += dy[o];
        }

        /// <summary>The first of channel <paramref name="channel"/>'s values that is the IEEE 754 maximum of them all (NaN if any is; +0 above −0), sign included.</summary>
        private static int GlobalArgMax<T>(ReadOnlySpan<T> x, int channel, int plane)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var values = x.Slice(channel * plane, plane);
            T max = values[0];
            foreach (T value in values) max = T.Max(max, value);
            int i = 0;
            while (!(T.IsNaN(max) ? T.IsNaN(values[i]) : values[i] == max && T.IsNegative(values[i]) == T.IsNegative(max))) i++;
            return (channel * plane) + i;
        }

        internal static void MaxForward<T>(ReadOnlySpan<T> x, Span<T> y, int batch, SignalWindow window)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int o = 0; o < y.Length; o++) y[o] = x[FirstMax(x, Window(o, window))];
        }

        internal static void MaxBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dx, int batch, SignalWindow window)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int o = 0; o < dy.Length; o++) dx[FirstMax(x, Window(o, window))] += dy[o];
        }

        internal static void AverageForward<T>(ReadOnlySpan<T> x, Span<T> y, int batch, SignalWindow window)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int o = 0; o < y.Length; o++)
            {
                T sum = T.Zero;
                foreach (int i in Window(o, window)) sum += x[i];
                y[o] = sum / T.CreateChecked(window.Size);
            }
        }

        internal static void AverageBackward<T>(ReadOnlySpan<T> dy, Span<T> dx, int batch, SignalWindow window)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int o = 0; o < dy.Length; o++)
            {
                foreach (int i in Window(o, window)) dx[i] += dy[o] / T.CreateChecked(window.Size);
            }
        }

        /// <summary>The indices in x of 1-D output <paramref name="output"/>'s window.</summary>
        private static IEnumerable<int> Window(int output, SignalWindow window)
        {
            int signal = output / window.OutLength, o = output % window.OutLength;
            for (int tap = 0; tap < window.Size; tap++) yield return (signal * window.Length) + (o * window.Stride) + tap;
        }

        private static int ArgMax<T>(ReadOnlySpan<T> x, int output, ImageWindow window)
            where T : unmanaged, IFloatingPointIeee754<T> => FirstMax(x, Window(output, window));

        /// <summary>The first of <paramref name="indices"/> holding their largest value.</summary>
        private static int FirstMax<T>(ReadOnlySpan<T> x, IEnumerable<int> indices)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            int best = -1;
            foreach (int i in indices)
            {
                if (best < 0 || x[i] > x[best]) best = i;
            }

            return best;
        }

        /// <summary>The indices in x of output <paramref name="output"/>'s window, row-major.</summary>
        private static IEnumerable<int> Window(int output, ImageWindow window)
        {
            int image = output / window.OutputPlane, oy = output % window.OutputPlane / window.OutWidth, ox = output % window.OutWidth;
            for (int ky = 0; ky < window.KernelHeight; ky++)
            {
                for (int kx = 0; kx < window.KernelWidth; kx++) yield return ((image * window.Height) + (oy * window.StrideHeight) + ky) * window.Width + (ox * window.StrideWidth) + kx;
            }
        }
    }
}
