using System.Numerics;
using DeepPhys.Kernels;
using static DeepPhys.Runtime.Tests.Kernels.KernelTestKit;

namespace DeepPhys.Runtime.Tests.Kernels;

/// <summary>
/// Tests that change the process-wide kernel settings (forced GEMM path, thread count) run one at a time, after the
/// parallel tests: the two-thread allocation checks read the workers' counts with a job of their own.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KernelSettingsCollection
{
    public const string Name = "Kernel settings";
}

/// <summary>
/// The packed GEMM on every path (the hardware's widest, and Vector256 and the portable Vector128 path
/// forced, as on a machine without AVX-512 or on Arm) against a textbook triple loop, on sizes that
/// leave edge tiles and cross every block boundary, with every transpose, overwrite and accumulate.
/// </summary>
[Collection(KernelSettingsCollection.Name)]
public class GemmTests
{
    /// <summary>(m, n, k): odd sizes, a product past one depth block (k &gt; 256), one row block (m &gt; 96) and one column block (n &gt; 512).</summary>
    private static readonly (int M, int N, int K)[] Shapes =
    [
        (1, 1, 1), (1, 7, 33), (7, 1, 33), (7, 33, 1), (6, 32, 8), (13, 17, 7), (33, 65, 33), (257, 7, 33), (7, 257, 300), (100, 40, 600), (9, 520, 5),
    ];

    [Theory]
    [InlineData(nameof(GemmPath.Portable))]
    [InlineData(nameof(GemmPath.Vector256))]
    [InlineData(nameof(GemmPath.Vector512))]
    public void MultiplyMatchesTextbookLoops_EveryTransposeAndMode(string path)
    {
        using var forced = OnPath(path);
        foreach (var (m, n, k) in Shapes)
        {
            foreach (bool transposeA in new[] { false, true })
            {
                foreach (bool transposeB in new[] { false, true })
                {
                    foreach (bool accumulate in new[] { false, true })
                    {
                        MatchReference<float>(m, n, k, transposeA, transposeB, accumulate, epilogue: false);
                        MatchReference<double>(m, n, k, transposeA, transposeB, accumulate, epilogue: false);
                    }
                }
            }

            MatchReference<float>(m, n, k, transposeA: false, transposeB: false, accumulate: false, epilogue: true);
            MatchReference<double>(m, n, k, transposeA: true, transposeB: true, accumulate: true, epilogue: true);
        }
    }

    [Theory]
    [InlineData(nameof(GemmPath.Portable))]
    [InlineData(nameof(GemmPath.Vector256))]
    [InlineData(nameof(GemmPath.Vector512))]
    public void DenseKernelsOnTheGemmPath_MatchTheirScalarTwins(string path)
    {
        using var forced = OnPath(path);
        foreach (var (batch, inputs, units) in new[] { (8, 257, 33), (33, 65, 17), (256, 100, 9 * 8), (17, 300, 520) })
        {
            Assert.True(DenseKernels.UsesGemm(batch, inputs, units));
            DenseMatchesScalar<float>(batch, inputs, units);
            DenseMatchesScalar<double>(batch, inputs, units);
        }
    }

    [Theory]
    [InlineData(nameof(GemmPath.Portable))]
    [InlineData(nameof(GemmPath.Vector256))]
    [InlineData(nameof(GemmPath.Vector512))]
    public void ConvolutionKernelsOnEveryPath_MatchTheirScalarTwins(string path)
    {
        using var forced = OnPath(path);
        // W3's two convolutions ('same' 3 × 3), then a strided one with odd sizes, and a rectangular one.
        Conv2DKernelsTests.MatchScalar<float>(W3First, 16, withBias: true, batch: 2);
        Conv2DKernelsTests.MatchScalar<double>(W3Second, 32, withBias: true, batch: 2);
        Conv2DKernelsTests.MatchScalar<float>(new ImageWindow(5, 19, 23, 5, 5, 2, 2, 2, 2, 10, 12), 7, withBias: false, batch: 3);
        Conv2DKernelsTests.MatchScalar<double>(Rectangular, 6, withBias: true, batch: 2);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void MoreThreads_GiveBitIdenticalDenseConvolutionAndPoolingResults(int threads)
    {
        float[][] single =
        [
            .. DenseResults(1), .. ConvolutionResults(1, W3Second, 32), .. ConvolutionResults(1, W3First, 16), .. ConvolutionResults(1, Rectangular, 16),
            .. PoolingResults(1),
        ];
        float[][] several =
        [
            .. DenseResults(threads), .. ConvolutionResults(threads, W3Second, 32), .. ConvolutionResults(threads, W3First, 16),
            .. ConvolutionResults(threads, Rectangular, 16), .. PoolingResults(threads),
        ];
        for (int i = 0; i < single.Length; i++) Assert.Equal(single[i], several[i]);
    }

    private static readonly ImageWindow W3First = new(1, 28, 28, 3, 3, 1, 1, 1, 1, 28, 28);
    private static readonly ImageWindow W3Second = new(16, 14, 14, 3, 3, 1, 1, 1, 1, 14, 14);

    /// <summary>A (3, 5) kernel at stride (1, 2), padded (1, 2): PyTorch's output size, 14 × 11.</summary>
    private static readonly ImageWindow Rectangular = new(8, 14, 21, 3, 5, 1, 2, 1, 2, 14, 11);

    [Fact]
    public void SteadyStateProducts_AllocateNothing_OnTwoThreads()
    {
        const int m = 64, n = 96, k = 80;
        var a = Uniform<float>(1, m * k);
        var b = Uniform<float>(2, k * n);
        var c = new float[m * n];
        KernelThreads.Count = 2;
        try
        {
            Gemm.Multiply<float>(a, Strides.RowMajor(k), b, Strides.RowMajor(n), c, n, m, n, k, accumulate: false);
            Assert.Equal(0, SteadyState.AllocatedBytesWithKernelWorkers(() => Gemm.Multiply<float>(a, Strides.RowMajor(k), b, Strides.RowMajor(n), c, n, m, n, k, accumulate: true), rounds: 20));
        }
        finally
        {
            KernelThreads.Count = 1;
        }
    }

    [Fact]
    public void SteadyStateMaxPooling_AllocatesNothing_OnTwoThreads()
    {
        const int batch = 64;
        var window = new ImageWindow(16, 28, 28, 2, 2, 2, 2, 0, 0, 14, 14);
        var x = Uniform<float>(1, batch * window.InputSize);
        var dy = Uniform<float>(2, batch * window.Channels * window.OutputPlane);
        float[] y = new float[dy.Length], dx = new float[x.Length];
        KernelThreads.Count = 2;
        try
        {
            PoolingKernels.MaxForward<float>(x, y, batch, window);
            PoolingKernels.MaxBackward<float>(x, dy, dx, batch, window);
            Assert.Equal(0, SteadyState.AllocatedBytesWithKernelWorkers(
                () =>
                {
                    PoolingKernels.MaxForward<float>(x, y, batch, window);
                    PoolingKernels.MaxBackward<float>(x, dy, dx, batch, window);
                },
                rounds: 5));
        }
        finally
        {
            KernelThreads.Count = 1;
        }
    }

    [Fact]
    public void ThreadCountBelowOne_IsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => KernelThreads.Count = 0);

    /// <summary>The forward output and both gradients of a W2-sized dense layer (784 → 512, batch 64) on <paramref name="threads"/> threads.</summary>
    private static float[][] DenseResults(int threads)
    {
        const int batch = 64, inputs = 784, units = 512;
        var x = Uniform<float>(1, batch * inputs);
        var weights = Uniform<float>(2, inputs * units);
        var bias = Uniform<float>(3, units);
        var dy = Uniform<float>(4, batch * units);
        float[] y = new float[batch * units], dWeights = new float[inputs * units], dBias = new float[units], dx = new float[batch * inputs];
        KernelThreads.Count = threads;
        try
        {
            DenseKernels.Forward<float>(x, weights, bias, y, batch, inputs, units, relu: true);
            DenseKernels.BackwardParameters<float>(x, dy, dWeights, dBias, batch, inputs, units);
            DenseKernels.BackwardInput<float>(dy, weights, dx, batch, inputs, units);
        }
        finally
        {
            KernelThreads.Count = 1;
        }

        return [y, dWeights, dBias, dx];
    }

    /// <summary>The output (also added onto values, as a transposed convolution's input gradient) and all gradients of a convolution (batch 8) on <paramref name="threads"/> threads.</summary>
    private static float[][] ConvolutionResults(int threads, ImageWindow window, int filters)
    {
        const int batch = 8;
        var x = Uniform<float>(1, batch * window.InputSize);
        var weights = Uniform<float>(2, filters * window.Channels * window.KernelPlane);
        var bias = Uniform<float>(3, filters);
        var dy = Uniform<float>(4, batch * filters * window.OutputPlane);
        float[] y = new float[dy.Length], dWeights = new float[weights.Length], dBias = new float[filters], dx = new float[x.Length];
        var overwritten = Garbage<float>(x.Length);
        var rectified = Garbage<float>(dy.Length);
        var added = Uniform<float>(5, dy.Length);
        KernelThreads.Count = threads;
        try
        {
            Conv2DKernels.Forward<float>(x, weights, bias, y, batch, filters, window);
            Conv2DKernels.Forward<float>(x, weights, bias, rectified, batch, filters, window, relu: true);
            Conv2DKernels.ForwardAdding<float>(x, weights, added, batch, filters, window);
            Conv2DKernels.BackwardParameters<float>(x, dy, dWeights, dBias, batch, filters, window);
            Conv2DKernels.BackwardInput<float>(dy, weights, dx, batch, filters, window);
            Conv2DKernels.BackwardInput<float>(dy, weights, overwritten, batch, filters, window, accumulate: false);
        }
        finally
        {
            KernelThreads.Count = 1;
        }

        return [y, rectified, added, dWeights, dBias, dx, overwritten];
    }

    /// <summary>Max pooling's output and input gradient on W3's first pooled shape (batch 64, 2 × 2) and an overlapping 3 × 3, stride-2 window, on <paramref name="threads"/> threads.</summary>
    private static float[][] PoolingResults(int threads)
    {
        const int batch = 64;
        ImageWindow[] windows = [new(16, 28, 28, 2, 2, 2, 2, 0, 0, 14, 14), new(16, 28, 27, 3, 3, 2, 2, 0, 0, 13, 13)];
        var results = new List<float[]>();
        KernelThreads.Count = threads;
        try
        {
            foreach (var window in windows)
            {
                var x = Uniform<float>(5, batch * window.InputSize);
                var dy = Uniform<float>(6, batch * window.Channels * window.OutputPlane);
                float[] y = new float[dy.Length], dx = new float[x.Length];
                var overwritten = Garbage<float>(x.Length);
                PoolingKernels.MaxForward<float>(x, y, batch, window);
                PoolingKernels.MaxBackward<float>(x, dy, dx, batch, window);
                PoolingKernels.MaxBackward<float>(x, dy, overwritten, batch, window, accumulate: false);
                results.Add(y);
                results.Add(dx);
                results.Add(overwritten);
            }
        }
        finally
        {
            KernelThreads.Count = 1;
        }

        return [.. results];
    }

    private static void MatchReference<T>(int m, int n, int k, bool transposeA, bool transposeB, bool accumulate, bool epilogue)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string context = $"m {m}, n {n}, k {k}, Aᵀ {transposeA}, Bᵀ {transposeB}, accumulate {accumulate}, epilogue {epilogue}";
        int seed = m * 1_000_000 + n * 1_000 + k;
        var a = Uniform<T>(seed, m * k);
        var b = Uniform<T>(seed + 1, k * n);
        var bias = epilogue ? Uniform<T>(seed + 2, n) : [];
        // C's rows are padded to ldc = n + 3 so a write past the row is caught.
        int ldc = n + 3;
        var c = Uniform<T>(seed + 3, m * ldc);
        var expected = (T[])c.Clone();
        var aStrides = transposeA ? Strides.Transposed(m) : Strides.RowMajor(k);
        var bStrides = transposeB ? Strides.Transposed(k) : Strides.RowMajor(n);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                T sum = T.Zero;
                for (int p = 0; p < k; p++) sum += a[i * aStrides.Row + p * aStrides.Column] * b[p * bStrides.Row + j * bStrides.Column];
                T value = (accumulate ? expected[i * ldc + j] : T.Zero) + sum + (epilogue ? bias[j] : T.Zero);
                expected[i * ldc + j] = epilogue ? T.Max(value, T.Zero) : value;
            }
        }

        Gemm.Multiply<T>(a, aStrides, b, bStrides, c, ldc, m, n, k, accumulate, bias, relu: epilogue);
        Close<T>(expected, c, Tolerance<T>() * Math.Sqrt(k), context);
    }

    private static void DenseMatchesScalar<T>(int batch, int inputs, int units)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string shape = $"{Gemm.Path}, batch {batch}, inputs {inputs}, units {units}";
        double tolerance = Tolerance<T>() * Math.Sqrt(Math.Max(batch, Math.Max(inputs, units)));
        var x = Uniform<T>(1, batch * inputs);
        var weights = Uniform<T>(2, inputs * units);
        var bias = Uniform<T>(3, units);
        var dy = Uniform<T>(4, batch * units);

        T[] y = Garbage<T>(batch * units), expectedY = new T[batch * units];
        DenseKernels.Forward<T>(x, weights, bias, y, batch, inputs, units, relu: true);
        DenseKernels.Scalar.Forward<T>(x, weights, bias, expectedY, batch, inputs, units);
        for (int i = 0; i < expectedY.Length; i++) expectedY[i] = T.Max(expectedY[i], T.Zero);
        Close<T>(expectedY, y, tolerance, $"Forward + ReLU, {shape}");

        T[] dWeights = Garbage<T>(inputs * units), dBias = Garbage<T>(units), expectedDWeights = new T[inputs * units], expectedDBias = new T[units];
        DenseKernels.BackwardParameters<T>(x, dy, dWeights, dBias, batch, inputs, units);
        DenseKernels.Scalar.BackwardParameters<T>(x, dy, expectedDWeights, expectedDBias, batch, inputs, units);
        Close<T>(expectedDWeights, dWeights, tolerance, $"BackwardParameters dW, {shape}");
        Close<T>(expectedDBias, dBias, tolerance, $"BackwardParameters db, {shape}");

        T[] dx = Garbage<T>(batch * inputs), expectedDx = new T[batch * inputs];
        DenseKernels.BackwardInput<T>(dy, weights, dx, batch, inputs, units);
        DenseKernels.Scalar.BackwardInput<T>(dy, weights, expectedDx, batch, inputs, units);
        Close<T>(expectedDx, dx, tolerance, $"BackwardInput, {shape}");
    }
}
