using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DeepPhys.Kernels;

/// <summary>
/// 2-D convolution (cross-correlation, as Keras and PyTorch compute it) over batch-first images.
/// Inputs <c>x</c> are <c>[batch, channels, height, width]</c>, outputs <c>y</c> are
/// <c>[batch, filters, outHeight, outWidth]</c>, and the weights are <c>[filters, channels, kernelHeight, kernelWidth]</c>,
/// PyTorch's <c>Conv2d.weight</c> layout (Keras stores <c>[kernelHeight, kernelWidth, channels, filters]</c>).
/// </summary>
/// <remarks>
/// im2col + <see cref="Gemm"/>: each image's windows are unrolled into a
/// <c>[channels · kernelHeight · kernelWidth, outHeight · outWidth]</c> matrix (zeros where a window hangs over the
/// padding) in a per-thread scratch buffer reused by every call, so one product per image gives its
/// outputs (<c>W · col</c>), its column gradients (<c>Wᵀ · dy</c>, scattered back by col2im), or its
/// share of the transposed weight gradient (<c>col · dyᵀ</c>). Threads (<see cref="KernelThreads"/>) take whole
/// images for the forward pass and the input gradient, and rows of the transposed weight gradient
/// (each summing every image in order), so results do not depend on the thread count.
/// </remarks>
public static class Conv2DKernels
{
    /// <summary>Forward pass: <c>y[b, f] = bias[f] + Σ_c x[b, c] ⋆ W[f, c]</c>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">Inputs, <c>[batch, channels, height, width]</c>.</param>
    /// <param name="weights">Weights, <c>[filters, channels, kernelHeight, kernelWidth]</c>.</param>
    /// <param name="bias">Bias, <c>[filters]</c>, or empty for a convolution without bias.</param>
    /// <param name="y">Receives the outputs, <c>[batch, filters, outHeight, outWidth]</c>; must not overlap the other spans.</param>
    /// <param name="batch">Images in the batch.</param>
    /// <param name="filters">Output channels.</param>
    /// <param name="window">The geometry.</param>
    /// <param name="relu">Apply <c>max(y, 0)</c> to each image while it is in cache (the same values as <see cref="ActivationKernels.Relu{T}(Span{T})"/> afterwards, one pass over the outputs fewer).</param>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> y, int batch, int filters, ImageWindow window, bool relu = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertShapes(x.Length, weights.Length, bias.Length, y.Length, batch, filters, window);
        Run(relu ? Pass.ForwardRelu : Pass.Forward, x, weights, bias, y, batch, filters, window);
    }

    /// <summary>Parameter gradients: <c>dW[f, c] = Σ_b x[b, c] ⋆ dy[b, f]</c> and <c>db[f] = Σ dy[·, f]</c>, overwriting both.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward pass's inputs, <c>[batch, channels, height, width]</c>.</param>
    /// <param name="dy">Loss gradient with respect to the outputs, <c>[batch, filters, outHeight, outWidth]</c>.</param>
    /// <param name="dWeights">Receives the weight gradient, <c>[filters, channels, kernelHeight, kernelWidth]</c>.</param>
    /// <param name="dBias">Receives the bias gradient, <c>[filters]</c>; empty for a convolution without bias.</param>
    /// <param name="batch">Images in the batch.</param>
    /// <param name="filters">Output channels.</param>
    /// <param name="window">The geometry.</param>
    public static void BackwardParameters<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dWeights, Span<T> dBias, int batch, int filters, ImageWindow window)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertShapes(x.Length, dWeights.Length, dBias.Length, dy.Length, batch, filters, window);
        if (!dBias.IsEmpty) ChannelBiasGradient(dy, dBias, batch, filters, window.OutputPlane);
        if (batch == 0) dWeights.Clear();
        else Run(Pass.WeightGradient, x, dy, default, dWeights, batch, filters, window);
    }

    /// <summary>Input gradient: <c>dx[b, c] += Σ_f dy[b, f] ⋆ᵀ W[f, c]</c>, or <c>=</c> without <paramref name="accumulate"/>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="dy">Loss gradient with respect to the outputs, <c>[batch, filters, outHeight, outWidth]</c>.</param>
    /// <param name="weights">Weights, <c>[filters, channels, kernelHeight, kernelWidth]</c>.</param>
    /// <param name="dx">Receives (or accumulates) the loss gradient with respect to the inputs, <c>[batch, channels, height, width]</c>.</param>
    /// <param name="batch">Images in the batch.</param>
    /// <param name="filters">Output channels.</param>
    /// <param name="window">The geometry.</param>
    /// <param name="accumulate">
    /// Add into <paramref name="dx"/> (true) or overwrite it (false): each thread then clears its own images just before it
    /// folds into them, while they are in cache, rather than the caller clearing the whole buffer on one thread first.
    /// </param>
    public static void BackwardInput<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> weights, Span<T> dx, int batch, int filters, ImageWindow window, bool accumulate = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertShapes(dx.Length, weights.Length, filters, dy.Length, batch, filters, window);
        Run(accumulate ? Pass.InputGradient : Pass.InputGradientOverwrite, dy, weights, default, dx, batch, filters, window);
    }

    /// <summary>
    /// <see cref="Forward{T}"/> without bias, added into <paramref name="y"/>: <c>y[b, f] += Σ_c x[b, c] ⋆ W[f, c]</c>
    /// (the input gradient of <see cref="Conv2DTransposeKernels"/> when it accumulates).
    /// </summary>
    internal static void ForwardAdding<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weights, Span<T> y, int batch, int filters, ImageWindow window)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertShapes(x.Length, weights.Length, 0, y.Length, batch, filters, window);
        Run(Pass.ForwardAdd, x, weights, default, y, batch, filters, window);
    }

    /// <summary>
    /// Adds a bias per channel: <c>y[b, c, ·] += bias[c]</c> over each channel's <paramref name="plane"/> values. For
    /// layers whose main kernel has no bias of its own, as <see cref="Conv2DTransposeKernels.Forward{T}"/>.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">Values, <c>[batch, channels, plane]</c> (a plane is an image's height × width, or a signal's length), changed in place.</param>
    /// <param name="bias">Bias, <c>[channels]</c>.</param>
    /// <param name="batch">Samples in the batch.</param>
    /// <param name="channels">Channels per sample.</param>
    /// <param name="plane">Values per channel.</param>
    public static void AddChannelBias<T>(Span<T> y, ReadOnlySpan<T> bias, int batch, int channels, int plane)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertChannels(y.Length, bias.Length, batch, channels, plane);
        for (int i = 0; i < batch * channels; i++)
        {
            var values = y.Slice(i * plane, plane);
            TensorPrimitives.Add(values, bias[i % channels], values);
        }
    }

    /// <summary>
    /// The gradient of <see cref="AddChannelBias{T}"/>'s bias: <c>dBias[c] = Σ_b Σ dy[b, c, ·]</c>, overwriting
    /// <paramref name="dBias"/> as <see cref="BackwardParameters{T}"/> does with its own.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="dy">Loss gradient with respect to the biased values, <c>[batch, channels, plane]</c>.</param>
    /// <param name="dBias">Receives the bias gradient, <c>[channels]</c>.</param>
    /// <param name="batch">Samples in the batch.</param>
    /// <param name="channels">Channels per sample.</param>
    /// <param name="plane">Values per channel.</param>
    public static void ChannelBiasGradient<T>(ReadOnlySpan<T> dy, Span<T> dBias, int batch, int channels, int plane)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertChannels(dy.Length, dBias.Length, batch, channels, plane);
        dBias.Clear();
        for (int i = 0; i < batch * channels; i++) dBias[i % channels] += TensorPrimitives.Sum(dy.Slice(i * plane, plane));
    }

    /// <summary>im2col rows (channels · kernel taps) from which the weight gradient is a packed GEMM rather than dot products: two tiles of rows.</summary>
    private const int DotProductDepth = 2 * Gemm.TileRows;

    /// <summary>Which product a part computes, and so what its four spans hold.</summary>
    private enum Pass
    {
        /// <summary>(x, weights, bias) → y; parts take images.</summary>
        Forward,

        /// <summary>(x, weights, bias) → max(y, 0), each image as soon as it is computed; parts take images.</summary>
        ForwardRelu,

        /// <summary>(x, weights, unused) → y, added; parts take images.</summary>
        ForwardAdd,

        /// <summary>(dy, weights, unused) → dx, added; parts take images.</summary>
        InputGradient,

        /// <summary>(dy, weights, unused) → dx, overwritten: each image cleared by its part just before the fold.</summary>
        InputGradientOverwrite,

        /// <summary>(x, dy, unused) → dW; parts take columns (channel × tap) of dW, rows of dWᵀ.</summary>
        WeightGradient,
    }

    private static void Run<T>(Pass pass, ReadOnlySpan<T> first, ReadOnlySpan<T> second, ReadOnlySpan<T> bias, Span<T> output, int batch, int filters, ImageWindow window)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int parts = Parts<T>(pass, batch, filters, window);
        if (parts > 1 && ConvolutionJob<T>.TryRun(pass, first, second, bias, output, batch, filters, window, parts)) return;
        for (int part = 0; part < parts; part++) RunPart(pass, first, second, bias, output, batch, filters, window, part, parts);
    }

    private static int Parts<T>(Pass pass, int batch, int filters, ImageWindow window)
    {
        int threads = KernelThreads.Count, depth = TapRows(window);
        if (threads == 1 || (long)batch * filters * depth * window.OutputPlane < Gemm.ParallelWork) return 1;
        return Math.Min(threads, pass == Pass.WeightGradient ? Gemm.TileCount(depth, Gemm.TileRows) : batch);
    }

    /// <summary>Rows of the im2col matrix: one per channel and window tap.</summary>
    private static int TapRows(ImageWindow window) => window.Channels * window.KernelPlane;

    private static void RunPart<T>(Pass pass, ReadOnlySpan<T> first, ReadOnlySpan<T> second, ReadOnlySpan<T> bias, Span<T> output,
        int batch, int filters, ImageWindow window, int part, int parts)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int depth = TapRows(window), plane = window.OutputPlane;
        var columns = ConvolutionScratch<T>.Columns(depth * plane);
        if (pass == Pass.WeightGradient)
        {
            // dWᵀ[rows, :] = Σ_b col[b][rows] · dy[b]ᵀ, images in order, for this part's rows of col alone: col is
            // A (cheap to pack, and 6-row tiles fit channels · k² well), dy the small B; then transposed into dW.
            // Shared by rows, not whole tiles: 9 rows (one channel, 3 × 3) go 5 + 4, one tile each, rather than 6 + 3.
            var (start, end) = KernelJob.Share(part, parts, depth, 1, depth);
            if (start == end) return;
            int rows = end - start;
            var partColumns = columns[..(rows * plane)];
            var transposed = ConvolutionScratch<T>.Gradient(rows * filters);
            for (int b = 0; b < batch; b++)
            {
                Unroll(first.Slice(b * window.InputSize, window.InputSize), window, start, end, partColumns);
                var gradient = second.Slice(b * filters * plane, filters * plane);
                if (depth >= DotProductDepth)
                {
                    Gemm.MultiplyOnThisThread<T>(partColumns, Strides.RowMajor(plane), gradient, Strides.Transposed(plane),
                        transposed, filters, rows, filters, plane, accumulate: b > 0);
                    continue;
                }

                // Few taps (one input channel, 3 × 3): a dot product per tap and filter costs less than packing a 9-row product.
                for (int r = 0; r < rows; r++)
                {
                    for (int f = 0; f < filters; f++)
                    {
                        T dot = Dot<T>(partColumns.Slice(r * plane, plane), gradient.Slice(f * plane, plane));
                        transposed[r * filters + f] = b == 0 ? dot : transposed[r * filters + f] + dot;
                    }
                }
            }

            for (int f = 0; f < filters; f++)
            {
                for (int r = 0; r < rows; r++) output[f * depth + start + r] = transposed[r * filters + f];
            }

            return;
        }

        var (firstImage, lastImage) = KernelJob.Share(part, parts, batch, 1, batch);
        for (int b = firstImage; b < lastImage; b++)
        {
            if (pass is Pass.Forward or Pass.ForwardRelu or Pass.ForwardAdd)
            {
                // y[b] = W · col[b] (or +=), then the bias (one value per filter row) while the image is still in cache.
                var image = output.Slice(b * filters * plane, filters * plane);
                Unroll(first.Slice(b * window.InputSize, window.InputSize), window, 0, depth, columns);
                Gemm.MultiplyOnThisThread<T>(second, Strides.RowMajor(depth), columns, Strides.RowMajor(plane), image, plane, filters, plane, depth,
                    accumulate: pass == Pass.ForwardAdd);
                if (!bias.IsEmpty) AddChannelBias(image, bias, 1, filters, plane);
                if (pass == Pass.ForwardRelu) TensorPrimitives.Max(image, T.Zero, image);
            }
            else
            {
                // col gradient = Wᵀ · dy[b], scattered back onto dx[b].
                Gemm.MultiplyOnThisThread<T>(second, Strides.Transposed(depth), first.Slice(b * filters * plane, filters * plane), Strides.RowMajor(plane),
                    columns, plane, depth, plane, filters, accumulate: false);
                var image = output.Slice(b * window.InputSize, window.InputSize);
                if (pass == Pass.InputGradientOverwrite) image.Clear();
                Fold(columns, window, image);
            }
        }
    }

    /// <summary>
    /// A dot product summed in an order fixed by the length alone (<see cref="TensorPrimitives.Dot{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/>
    /// may start at an aligned address, and each thread's im2col buffer lies elsewhere: that would break bit-identity across
    /// thread counts), at the GEMM's SIMD width.
    /// </summary>
    private static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> => Gemm.Path switch
        {
            GemmPath.Vector512 => Dot<Simd512<T>, Vector512<T>, T>(x, y),
            GemmPath.Vector256 => Dot<Simd256<T>, Vector256<T>, T>(x, y),
            _ => Dot<Simd128<T>, Vector128<T>, T>(x, y),
        };

    private static T Dot<TSimd, TVector, T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y)
        where TSimd : ISimd<T, TVector>
        where TVector : struct
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = TSimd.Count, i = 0;
        ref T left = ref MemoryMarshal.GetReference(x);
        ref T right = ref MemoryMarshal.GetReference(y);
        TVector sum0 = default, sum1 = default, sum2 = default, sum3 = default;
        for (; i + (4 * width) <= x.Length; i += 4 * width)
        {
            sum0 = TSimd.MultiplyAdd(TSimd.Load(ref Unsafe.Add(ref left, i)), TSimd.Load(ref Unsafe.Add(ref right, i)), sum0);
            sum1 = TSimd.MultiplyAdd(TSimd.Load(ref Unsafe.Add(ref left, i + width)), TSimd.Load(ref Unsafe.Add(ref right, i + width)), sum1);
            sum2 = TSimd.MultiplyAdd(TSimd.Load(ref Unsafe.Add(ref left, i + (2 * width))), TSimd.Load(ref Unsafe.Add(ref right, i + (2 * width))), sum2);
            sum3 = TSimd.MultiplyAdd(TSimd.Load(ref Unsafe.Add(ref left, i + (3 * width))), TSimd.Load(ref Unsafe.Add(ref right, i + (3 * width))), sum3);
        }

        for (; i + width <= x.Length; i += width) sum0 = TSimd.MultiplyAdd(TSimd.Load(ref Unsafe.Add(ref left, i)), TSimd.Load(ref Unsafe.Add(ref right, i)), sum0);
        Span<T> lanes = stackalloc T[width];
        TSimd.Store(TSimd.Add(TSimd.Add(sum0, sum1), TSimd.Add(sum2, sum3)), ref MemoryMarshal.GetReference(lanes));
        T sum = T.Zero;
        foreach (T lane in lanes) sum += lane;
        for (; i < x.Length; i++) sum += x[i] * y[i];
        return sum;
    }

    /// <summary>im2col for one image: row <c>r</c> of <paramref name="columns"/> (for <c>r</c> in <c>[start, end)</c>) holds tap <c>r</c>'s input value under every output position, zero over the padding.</summary>
    private static void Unroll<T>(ReadOnlySpan<T> image, ImageWindow window, int start, int end, Span<T> columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int taps = window.KernelPlane, sw = window.StrideWidth, outWidth = window.OutWidth, plane = window.OutputPlane;
        for (int r = start; r < end; r++)
        {
            var channel = image.Slice(r / taps * window.Height * window.Width, window.Height * window.Width);
            var target = columns.Slice((r - start) * plane, plane);
            var (rows, inside, ix) = Taps(window, r % taps);
            target[..(rows.Start * outWidth)].Clear();
            target[(rows.End * outWidth)..].Clear();
            if (rows.Start < rows.End && inside.Start < inside.End && Shifts(window))
            {
                // Output and input rows equally long: the tap reads one contiguous run of the channel; then zero
                // the columns that wrapped round to a neighbouring row instead of reading the padding.
                var (first, last, shift) = ShiftedRun(window, r % taps, rows, inside);
                channel.Slice(first + shift, last - first).CopyTo(target[first..last]);
                ClearWrapped(target, outWidth, rows, inside);
                continue;
            }

            for (int oy = rows.Start; oy < rows.End; oy++)
            {
                var output = target.Slice(oy * outWidth, outWidth);
                var input = channel[InputRow(window, oy, r % taps)..];
                output[..inside.Start].Clear();
                output[inside.End..].Clear();
                var middle = output[inside.Start..inside.End];
                if (sw == 1) input.Slice(ix, middle.Length).CopyTo(middle);
                else for (int i = 0; i < middle.Length; i++) middle[i] = input[ix + (i * sw)];
            }
        }
    }

    /// <summary>col2im for one image: adds each row of <paramref name="columns"/> back onto the input values its tap read.</summary>
    private static void Fold<T>(Span<T> columns, ImageWindow window, Span<T> image)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int taps = window.KernelPlane, sw = window.StrideWidth, outWidth = window.OutWidth, plane = window.OutputPlane;
        for (int r = 0; r < TapRows(window); r++)
        {
            var channel = image.Slice(r / taps * window.Height * window.Width, window.Height * window.Width);
            var source = columns.Slice(r * plane, plane);
            var (rows, inside, ix) = Taps(window, r % taps);
            if (rows.Start < rows.End && inside.Start < inside.End && Shifts(window))
            {
                // As in Unroll, one contiguous run: the wrapped columns are zeroed in the scratch matrix so they add nothing.
                var (start, end, shift) = ShiftedRun(window, r % taps, rows, inside);
                ClearWrapped(source, outWidth, rows, inside);
                var run = channel.Slice(start + shift, end - start);
                TensorPrimitives.Add(run, source[start..end], run);
                continue;
            }

            for (int oy = rows.Start; oy < rows.End; oy++)
            {
                var gradient = source.Slice(oy * outWidth + inside.Start, inside.End - inside.Start);
                var input = channel[InputRow(window, oy, r % taps)..];
                if (sw == 1) TensorPrimitives.Add(input.Slice(ix, gradient.Length), gradient, input.Slice(ix, gradient.Length));
                else for (int i = 0; i < gradient.Length; i++) input[ix + (i * sw)] += gradient[i];
            }
        }
    }

    /// <summary>Where in its channel the input row starts that window tap <paramref name="tap"/> reads for output row <paramref name="oy"/>.</summary>
    private static int InputRow(ImageWindow window, int oy, int tap) =>
        ((oy * window.StrideHeight) + (tap / window.KernelWidth) - window.PadTop) * window.Width;

    /// <summary>Stride 1 along both axes and outputs as wide as inputs ('same' padding): each tap reads the channel shifted by a constant offset.</summary>
    private static bool Shifts(ImageWindow window) => window.StrideHeight == 1 && window.StrideWidth == 1 && window.OutWidth == window.Width;

    /// <summary>For a shifting window (<see cref="Shifts"/>): the run <c>[start, end)</c> of output positions from the first to the last inside the image, and the offset of the input each reads.</summary>
    private static (int Start, int End, int Shift) ShiftedRun(ImageWindow window, int tap, (int Start, int End) rows, (int Start, int End) inside)
    {
        int width = window.Width;
        int shift = ((tap / window.KernelWidth) - window.PadTop) * width + (tap % window.KernelWidth) - window.PadLeft;
        return (rows.Start * width + inside.Start, (rows.End - 1) * width + inside.End, shift);
    }

    /// <summary>Zeroes, in the rows <paramref name="rows"/> of one tap's row of the im2col matrix, the columns outside <paramref name="inside"/>.</summary>
    private static void ClearWrapped<T>(Span<T> target, int outWidth, (int Start, int End) rows, (int Start, int End) inside)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // A pad's width of values per row (one for a 3 × 3 kernel): single stores beat two Clear calls per row.
        for (int oy = rows.Start; oy < rows.End; oy++)
        {
            var row = target.Slice(oy * outWidth, outWidth);
            for (int ox = 0; ox < inside.Start; ox++) row[ox] = T.Zero;
            for (int ox = inside.End; ox < outWidth; ox++) row[ox] = T.Zero;
        }
    }

    /// <summary>For window tap <paramref name="tap"/> (row-major in the window): the output rows and columns it reads the image for, and the input column of the first.</summary>
    private static ((int Start, int End) Rows, (int Start, int End) Columns, int FirstColumn) Taps(ImageWindow window, int tap)
    {
        int ky = tap / window.KernelWidth, kx = tap % window.KernelWidth;
        var columns = window.InsideColumns(kx);
        return (window.InsideRows(ky), columns, (columns.Start * window.StrideWidth) + kx - window.PadLeft);
    }

    /// <summary>One thread's im2col matrix and transposed weight gradient, grown to the largest convolution it has run and then reused.</summary>
    private static class ConvolutionScratch<T>
    {
        [ThreadStatic]
        private static T[]? columns;

        [ThreadStatic]
        private static T[]? gradient;

        public static Span<T> Columns(int length) => Grown(ref columns, length);

        public static Span<T> Gradient(int length) => Grown(ref gradient, length);

        private static Span<T> Grown(ref T[]? buffer, int length)
        {
            if (buffer is null || buffer.Length < length) buffer = new T[length];
            return buffer.AsSpan(0, length);
        }
    }

    /// <summary>A convolution pass shared with the <see cref="KernelThreads"/> workers, one per calling thread.</summary>
    private sealed class ConvolutionJob<T> : PinnedJob<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        private static ConvolutionJob<T>? current;

        private int batch, filters;
        private ImageWindow window;
        private Pass pass;

        public static bool TryRun(Pass pass, ReadOnlySpan<T> first, ReadOnlySpan<T> second, ReadOnlySpan<T> bias, Span<T> output,
            int batch, int filters, ImageWindow window, int parts)
        {
            var job = current ??= new ConvolutionJob<T>();
            (job.pass, job.batch, job.filters, job.window) = (pass, batch, filters, window);
            return job.TryRun(first, second, bias, output, parts);
        }

        protected override void Run(ReadOnlySpan<T> first, ReadOnlySpan<T> second, ReadOnlySpan<T> bias, Span<T> output, int part, int parts) =>
            RunPart(pass, first, second, bias, output, batch, filters, window, part, parts);
    }

    [Conditional("DEBUG")]
    private static void AssertChannels(int valuesLength, int biasLength, int batch, int channels, int plane)
    {
        Debug.Assert(biasLength == channels, "bias must be [channels].");
        Debug.Assert(valuesLength == batch * channels * plane, "y (or dy) must be [batch, channels, plane].");
    }

    [Conditional("DEBUG")]
    private static void AssertShapes(int xLength, int weightsLength, int biasLength, int yLength, int batch, int filters, ImageWindow window)
    {
        Debug.Assert(xLength == batch * window.InputSize, "x (or dx) must be [batch, channels, height, width].");
        Debug.Assert(weightsLength == filters * window.Channels * window.KernelPlane, "weights must be [filters, channels, kernelHeight, kernelWidth].");
        Debug.Assert(biasLength == 0 || biasLength == filters, "bias must be [filters] or empty.");
        Debug.Assert(yLength == batch * filters * window.OutputPlane, "y (or dy) must be [batch, filters, outHeight, outWidth].");
    }

    /// <summary>Textbook loops with the same signatures, every tap bounds-checked: the reference the kernels above are tested against.</summary>
    internal static class Scalar
    {
        internal static void AddChannelBias<T>(Span<T> y, ReadOnlySpan<T> bias, int batch, int channels, int plane)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < y.Length; i++) y[i] += bias[i / plane % channels];
        }

        internal static void ChannelBiasGradient<T>(ReadOnlySpan<T> dy, Span<T> dBias, int batch, int channels, int plane)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int c = 0; c < channels; c++)
            {
                T sum = T.Zero;
                for (int b = 0; b < batch; b++)
                {
                    for (int p = 0; p < plane; p++) sum += dy[((b * channels) + c) * plane + p];
                }

                dBias[c] = sum;
            }
        }

        internal static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> y, int batch, int filters, ImageWindow window)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int b = 0; b < batch; b++)
            {
                for (int f = 0; f < filters; f++)
                {
                    for (int oy = 0; oy < window.OutHeight; oy++)
                    {
                        for (int ox = 0; ox < window.OutWidth; ox++)
                        {
                            T sum = bias.IsEmpty ? T.Zero : bias[f];
                            for (int c = 0; c < window.Channels; c++)
                            {
                                for (int ky = 0; ky < window.KernelHeight; ky++)
                                {
                                    for (int kx = 0; kx < window.KernelWidth; kx++)
                                    {
                                        int iy = oy * window.StrideHeight + ky - window.PadTop, ix = ox * window.StrideWidth + kx - window.PadLeft;
                                        if (iy < 0 || iy >= window.Height || ix < 0 || ix >= window.Width) continue;
                                        sum += x[((b * window.Channels + c) * window.Height + iy) * window.Width + ix] * weights[((f * window.Channels + c) * window.KernelHeight + ky) * window.KernelWidth + kx];
                                    }
                                }
                            }

                            y[((b * filters + f) * window.OutHeight + oy) * window.OutWidth + ox] = sum;
                        }
                    }
                }
            }
        }

        internal static void BackwardParameters<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dWeights, Span<T> dBias, int batch, int filters, ImageWindow window)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (!dBias.IsEmpty) ChannelBiasGradient(dy, dBias, batch, filters, window.OutputPlane);
            for (int f = 0; f < filters; f++)
            {
                for (int c = 0; c < window.Channels; c++)
                {
                    for (int ky = 0; ky < window.KernelHeight; ky++)
                    {
                        for (int kx = 0; kx < window.KernelWidth; kx++)
                        {
                            T sum = T.Zero;
                            for (int b = 0; b < batch; b++)
                            {
                                for (int oy = 0; oy < window.OutHeight; oy++)
                                {
                                    for (int ox = 0; ox < window.OutWidth; ox++)
                                    {
                                        int iy = oy * window.StrideHeight + ky - window.PadTop, ix = ox * window.StrideWidth + kx - window.PadLeft;
                                        if (iy < 0 || iy >= window.Height || ix < 0 || ix >= window.Width) continue;
                                        sum += x[((b * window.Channels + c) * window.Height + iy) * window.Width + ix] * dy[((b * filters + f) * window.OutHeight + oy) * window.OutWidth + ox];
                                    }
                                }
                            }

                            dWeights[((f * window.Channels + c) * window.KernelHeight + ky) * window.KernelWidth + kx] = sum;
                        }
                    }
                }
            }
        }

        /// <summary>Gathers from the input's side: each input value sums the outputs whose windows cover it.</summary>
        internal static void BackwardInput<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> weights, Span<T> dx, int batch, int filters, ImageWindow window)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int b = 0; b < batch; b++)
            {
                for (int c = 0; c < window.Channels; c++)
                {
                    for (int iy = 0; iy < window.Height; iy++)
                    {
                        for (int ix = 0; ix < window.Width; ix++)
                        {
                            T sum = T.Zero;
                            for (int f = 0; f < filters; f++)
                            {
                                for (int ky = 0; ky < window.KernelHeight; ky++)
                                {
                                    for (int kx = 0; kx < window.KernelWidth; kx++)
                                    {
                                        int ry = iy + window.PadTop - ky, rx = ix + window.PadLeft - kx;
                                        if (ry < 0 || rx < 0 || ry % window.StrideHeight != 0 || rx % window.StrideWidth != 0) continue;
                                        int oy = ry / window.StrideHeight, ox = rx / window.StrideWidth;
                                        if (oy >= window.OutHeight || ox >= window.OutWidth) continue;
                                        sum += dy[((b * filters + f) * window.OutHeight + oy) * window.OutWidth + ox] * weights[((f * window.Channels + c) * window.KernelHeight + ky) * window.KernelWidth + kx];
                                    }
                                }
                            }

                            dx[((b * window.Channels + c) * window.Height + iy) * window.Width + ix] += sum;
                        }
                    }
                }
            }
        }
    }
}
