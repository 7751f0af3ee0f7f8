using System.Numerics;
using DeepPhys.Kernels;
using static DeepPhys.Runtime.Tests.Kernels.KernelTestKit;

namespace DeepPhys.Runtime.Tests.Kernels;

public class PoolingKernelsTests
{
    public static TheoryData<ImageWindow> Geometries => new()
    {
        new ImageWindow(1, 4, 4, 2, 2, 2, 2, 0, 0, 2, 2),
        new ImageWindow(3, 7, 5, 2, 2, 2, 2, 0, 0, 3, 2),
        new ImageWindow(2, 9, 9, 3, 3, 3, 3, 0, 0, 3, 3),
        new ImageWindow(2, 7, 17, 3, 3, 1, 1, 0, 0, 5, 15),   // overlapping windows
        new ImageWindow(1, 33, 17, 5, 5, 4, 4, 0, 0, 8, 4),
        new ImageWindow(3, 28, 28, 2, 2, 2, 2, 0, 0, 14, 14),  // W3's first pool: whole vectors, then an overlapping last one
        new ImageWindow(2, 9, 20, 2, 2, 2, 2, 0, 0, 4, 10),    // an odd height: the last row belongs to no window
        new ImageWindow(3, 5, 11, 1, 4, 1, 2, 0, 0, 5, 4),   // kernel (1, 4), stride (1, 2)
        new ImageWindow(3, 5, 11, 2, 3, 1, 2, 0, 0, 4, 5),   // kernel (2, 3), stride (1, 2)
        new ImageWindow(2, 8, 32, 2, 2, 1, 2, 0, 0, 7, 16),  // 2 × 2 at stride (1, 2): not the vectors of window pairs
        new ImageWindow(2, 8, 31, 2, 2, 2, 1, 0, 0, 4, 30),  // 2 × 2 at stride (2, 1): nor this
        new ImageWindow(1, 16, 32, 2, 4, 2, 4, 0, 0, 8, 8),  // windows that tile the plane, but not 2 × 2
    };

    /// <summary>
    /// 2 × 2, stride-2 pooling (W3's) runs on vectors of window pairs where the hardware has them: exactly the values of the
    /// scalar loops of the portable path, ties, NaN and negative zero included, adding or overwriting, for rows of whole
    /// vectors, rows ending in an overlapping vector, rows too short for one and an odd height or width.
    /// </summary>
    [Theory]
    [InlineData(nameof(GemmPath.Vector256))]
    [InlineData(nameof(GemmPath.Vector512))]
    public void PairPools_OnVectors_GiveTheScalarLoopsValuesExactly(string path)
    {
        ImageWindow[] windows =
        [
            new(3, 28, 28, 2, 2, 2, 2, 0, 0, 14, 14), new(2, 14, 14, 2, 2, 2, 2, 0, 0, 7, 7), new(2, 6, 20, 2, 2, 2, 2, 0, 0, 3, 10),
            new(2, 4, 6, 2, 2, 2, 2, 0, 0, 2, 3), new(2, 7, 17, 2, 2, 2, 2, 0, 0, 3, 8),
        ];
        foreach (var window in windows)
        {
            float[][] portable, vectors;
            using (OnPath(nameof(GemmPath.Portable))) portable = PairPoolResults<float>(window);
            using (OnPath(path)) vectors = PairPoolResults<float>(window);
            for (int i = 0; i < portable.Length; i++) Assert.True(SameBits<float>(portable[i], vectors[i]), $"float result {i}, {window}");

            double[][] portableDouble, vectorsDouble;
            using (OnPath(nameof(GemmPath.Portable))) portableDouble = PairPoolResults<double>(window);
            using (OnPath(path)) vectorsDouble = PairPoolResults<double>(window);
            for (int i = 0; i < portableDouble.Length; i++) Assert.True(SameBits<double>(portableDouble[i], vectorsDouble[i]), $"double result {i}, {window}");
        }
    }

    /// <summary>Bit for bit: NaN's payload and the sign of zero count (Equals takes −0 for +0).</summary>
    private static bool SameBits<T>(T[] expected, T[] actual)
        where T : unmanaged => System.Runtime.InteropServices.MemoryMarshal.AsBytes(expected.AsSpan()).SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.AsBytes(actual.AsSpan()));

    /// <summary>Max pooling's output and its input gradient added to random values and overwriting garbage, on inputs of a few levels (many ties), with NaN and −0.</summary>
    private static T[][] PairPoolResults<T>(ImageWindow window)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int batch = 2;
        var x = Uniform<T>(7, batch * window.InputSize);
        for (int i = 0; i < x.Length; i++) x[i] = i % 37 == 5 ? T.NaN : i % 23 == 3 ? T.NegativeZero : T.Round(x[i] * T.CreateChecked(2));
        var dy = Uniform<T>(8, batch * window.Channels * window.OutputPlane);
        var y = Garbage<T>(dy.Length);
        var added = Uniform<T>(9, x.Length);
        var overwritten = Garbage<T>(x.Length);
        PoolingKernels.MaxForward<T>(x, y, batch, window);
        PoolingKernels.MaxBackward<T>(x, dy, added, batch, window);
        PoolingKernels.MaxBackward<T>(x, dy, overwritten, batch, window, accumulate: false);
        return [y, added, overwritten];
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void KernelsMatchScalarTwins(ImageWindow window)
    {
        MatchScalar<float>(window);
        MatchScalar<double>(window);
    }

    [Fact]
    public void MaxPool_RoutesTheGradientToTheFirstMaximum()
    {
        // One 2×4 image, two 2×2 windows: [1 3 | 5 5] over [2 3 | 5 4]. Ties go to the first in row-major order.
        double[] x = [1, 3, 5, 5, 2, 3, 5, 4];
        var window = new ImageWindow(1, 2, 4, 2, 2, 2, 2, 0, 0, 1, 2);
        var y = new double[2];
        PoolingKernels.MaxForward<double>(x, y, 1, window);
        Assert.Equal([3, 5], y);

        var dx = new double[8];
        PoolingKernels.MaxBackward<double>(x, [10, 20], dx, 1, window);
        Assert.Equal([0, 10, 20, 0, 0, 0, 0, 0], dx);
    }

    [Fact]
    public void RectangularAveragePool_DividesByTheWindowsArea()
    {
        // One 2 × 5 image, a 2 × 3 window at stride (1, 2): two windows, columns 0–2 and 2–4.
        double[] x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        var window = new ImageWindow(1, 2, 5, 2, 3, 1, 2, 0, 0, 1, 2);
        var y = new double[2];
        PoolingKernels.AverageForward<double>(x, y, 1, window);
        Assert.Equal([(1 + 2 + 3 + 6 + 7 + 8) / 6.0, (3 + 4 + 5 + 8 + 9 + 10) / 6.0], y);
        var dx = new double[10];
        PoolingKernels.AverageBackward<double>([6, 12], dx, 1, window);
        Assert.Equal([1, 1, 3, 2, 2, 1, 1, 3, 2, 2], dx);
    }

    [Fact]
    public void GlobalMax_TakesTheFirstMaximum_AndAddsOrOverwrites()
    {
        // Three channels of four: a tie (the first 5 wins), a NaN (the first of two; y is NaN), and +0 above −0.
        double[] x = [1, 5, 2, 5, 1, double.NaN, 9, double.NaN, -0.0, 0.0, -1, -2];
        var y = new double[3];
        PoolingKernels.GlobalMaxForward<double>(x, y, 4);
        Assert.Equal(5, y[0]);
        Assert.True(double.IsNaN(y[1]));
        Assert.True(double.IsPositive(y[2]) && y[2] == 0, "+0 is the maximum of −0 and +0");

        var dx = new double[12];
        dx.AsSpan().Fill(1);
        PoolingKernels.GlobalMaxBackward<double>(x, [10, 20, 30], dx, 4);
        Assert.Equal([1, 11, 1, 1, 1, 21, 1, 1, 1, 31, 1, 1], dx);
        PoolingKernels.GlobalMaxBackward<double>(x, [10, 20, 30], dx, 4, accumulate: false);
        Assert.Equal([0, 10, 0, 0, 0, 20, 0, 0, 0, 30, 0, 0], dx);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(33)]
    [InlineData(65)]
    public void GlobalMax_MatchesScalarTwins(int plane)
    {
        MatchGlobalMax<float>(plane);
        MatchGlobalMax<double>(plane);
    }

    /// <summary>Bit for bit, on a few levels (ties), NaN and both zeros, over 5 channels of <paramref name="plane"/> values.</summary>
    private static void MatchGlobalMax<T>(int plane)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int channels = 5;
        var x = Uniform<T>(plane, channels * plane);
        for (int i = 0; i < x.Length; i++) x[i] = i % 29 == 11 ? T.NaN : i % 13 == 4 ? T.NegativeZero : T.Round(x[i] * T.CreateChecked(2));
        var dy = Uniform<T>(plane + 1, channels);
        T[] y = Garbage<T>(channels), expectedY = new T[channels];
        PoolingKernels.GlobalMaxForward<T>(x, y, plane);
        PoolingKernels.Scalar.GlobalMaxForward<T>(x, expectedY, plane);
        Assert.True(SameBits(expectedY, y), $"{typeof(T).Name} global max forward, plane {plane}");

        var dx = Uniform<T>(plane + 2, x.Length);
        var expectedDx = dx.ToArray();
        PoolingKernels.GlobalMaxBackward<T>(x, dy, dx, plane);
        PoolingKernels.Scalar.GlobalMaxBackward<T>(x, dy, expectedDx, plane);
        Assert.True(SameBits(expectedDx, dx), $"{typeof(T).Name} global max backward, plane {plane}");
    }

    [Fact]
    public void GlobalMax_AllocatesNothing()
    {
        const int plane = 49;
        var x = Uniform<float>(1, 64 * plane);
        var dy = Uniform<float>(2, 64);
        float[] y = new float[64], dx = new float[x.Length];
        PoolingKernels.GlobalMaxForward<float>(x, y, plane);
        PoolingKernels.GlobalMaxBackward<float>(x, dy, dx, plane, accumulate: false);
        Assert.Equal(0, SteadyState.AllocatedBytes(
            () =>
            {
                PoolingKernels.GlobalMaxForward<float>(x, y, plane);
                PoolingKernels.GlobalMaxBackward<float>(x, dy, dx, plane, accumulate: false);
            },
            rounds: 5));
    }

    [Fact]
    public void AveragePools_ComputeMeansAndSpreadTheGradient()
    {
        double[] x = [1, 3, 5, 7, 2, 4, 6, 8];
        var window = new ImageWindow(1, 2, 4, 2, 2, 2, 2, 0, 0, 1, 2);
        var y = new double[2];
        PoolingKernels.AverageForward<double>(x, y, 1, window);
        Assert.Equal([2.5, 6.5], y);
        var dx = new double[8];
        PoolingKernels.AverageBackward<double>([4, 8], dx, 1, window);
        Assert.Equal([1, 1, 2, 2, 1, 1, 2, 2], dx);

        var global = new double[2];
        PoolingKernels.GlobalAverageForward<double>(x, global, 4);
        Assert.Equal([4, 5], global);
        var dGlobal = new double[8];
        PoolingKernels.GlobalAverageBackward<double>([4, 8], dGlobal, 4);
        Assert.Equal([1, 1, 1, 1, 2, 2, 2, 2], dGlobal);
    }

    public static TheoryData<SignalWindow> SignalGeometries => new()
    {
        new SignalWindow(1, 4, 2, 2, 0, 2),
        new SignalWindow(3, 7, 2, 2, 0, 3),
        new SignalWindow(2, 17, 3, 1, 0, 15),   // overlapping windows
        new SignalWindow(1, 65, 5, 4, 0, 16),
    };

    [Theory]
    [MemberData(nameof(SignalGeometries))]
    public void SignalKernelsMatchScalarTwins(SignalWindow window)
    {
        MatchScalar<float>(window);
        MatchScalar<double>(window);
    }

    [Fact]
    public void SignalPools_TakeMaximaAndMeans_AndRouteTheGradient()
    {
        // Two channels of 4 values, windows of 2: [1 3 | 5 5] and [2 4 | 6 8]; the tie goes to the first 5.
        double[] x = [1, 3, 5, 5, 2, 4, 6, 8];
        var window = new SignalWindow(2, 4, 2, 2, 0, 2);
        var y = new double[4];
        PoolingKernels.MaxForward<double>(x, y, 1, window);
        Assert.Equal([3, 5, 4, 8], y);
        var dx = new double[8];
        PoolingKernels.MaxBackward<double>(x, [10, 20, 30, 40], dx, 1, window);
        Assert.Equal([0, 10, 20, 0, 0, 30, 0, 40], dx);

        PoolingKernels.AverageForward<double>(x, y, 1, window);
        Assert.Equal([2, 5, 3, 7], y);
        dx.AsSpan().Clear();
        PoolingKernels.AverageBackward<double>([2, 4, 6, 8], dx, 1, window);
        Assert.Equal([1, 1, 2, 2, 3, 3, 4, 4], dx);
    }

    private static void MatchScalar<T>(SignalWindow window)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int batch = 3;
        int seed = window.GetHashCode() & 0xFFFF, outputs = batch * window.Channels * window.OutLength;
        var x = Uniform<T>(seed, batch * window.InputSize);
        var dy = Uniform<T>(seed + 1, outputs);
        var y = Garbage<T>(outputs);
        var expectedY = new T[outputs];
        var dx = Uniform<T>(seed + 2, x.Length);
        var expectedDx = dx.ToArray();
        PoolingKernels.MaxForward<T>(x, y, batch, window);
        PoolingKernels.Scalar.MaxForward<T>(x, expectedY, batch, window);
        PoolingKernels.MaxBackward<T>(x, dy, dx, batch, window);
        PoolingKernels.Scalar.MaxBackward<T>(x, dy, expectedDx, batch, window);
        Close<T>(expectedY, y, Tolerance<T>(), $"max forward, {window}");
        Close<T>(expectedDx, dx, Tolerance<T>(), $"max backward, {window}");

        y = Garbage<T>(outputs);
        PoolingKernels.AverageForward<T>(x, y, batch, window);
        PoolingKernels.Scalar.AverageForward<T>(x, expectedY, batch, window);
        PoolingKernels.AverageBackward<T>(dy, dx, batch, window);
        PoolingKernels.Scalar.AverageBackward<T>(dy, expectedDx, batch, window);
        Close<T>(expectedY, y, Tolerance<T>(), $"average forward, {window}");
        Close<T>(expectedDx, dx, Tolerance<T>(), $"average backward, {window}");
    }

    private static void MatchScalar<T>(ImageWindow window)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int batch = 3;
        int seed = window.GetHashCode() & 0xFFFF, outputs = batch * window.Channels * window.OutputPlane;
        var x = Uniform<T>(seed, batch * window.InputSize);
        var dy = Uniform<T>(seed + 1, outputs);
        foreach (bool max in new[] { true, false })
        {
            string context = $"{(max ? "max" : "average")} pool, {window}";
            var y = Garbage<T>(outputs);
            var expectedY = new T[outputs];
            var dx = Uniform<T>(seed + 2, x.Length);
            var expectedDx = dx.ToArray();
            if (max)
            {
                PoolingKernels.MaxForward<T>(x, y, batch, window);
                PoolingKernels.Scalar.MaxForward<T>(x, expectedY, batch, window);
                PoolingKernels.MaxBackward<T>(x, dy, dx, batch, window);
                PoolingKernels.Scalar.MaxBackward<T>(x, dy, expectedDx, batch, window);
            }
            else
            {
                PoolingKernels.AverageForward<T>(x, y, batch, window);
                PoolingKernels.Scalar.AverageForward<T>(x, expectedY, batch, window);
                PoolingKernels.AverageBackward<T>(dy, dx, batch, window);
                PoolingKernels.Scalar.AverageBackward<T>(dy, expectedDx, batch, window);
            }

            Close<T>(expectedY, y, Tolerance<T>(), $"forward, {context}");
            Close<T>(expectedDx, dx, Tolerance<T>(), $"backward, {context}");
        }

        // Max pooling backward overwriting: whatever dx held before is gone, as if it had been cleared.
        var overwritten = Garbage<T>(x.Length);
        var expectedOverwritten = new T[x.Length];
        PoolingKernels.MaxBackward<T>(x, dy, overwritten, batch, window, accumulate: false);
        PoolingKernels.Scalar.MaxBackward<T>(x, dy, expectedOverwritten, batch, window);
        Close<T>(expectedOverwritten, overwritten, Tolerance<T>(), $"max backward overwriting, {window}");

        int plane = window.Height * window.Width, channels = batch * window.Channels;
        var global = Garbage<T>(channels);
        var expectedGlobal = new T[channels];
        PoolingKernels.GlobalAverageForward<T>(x, global, plane);
        PoolingKernels.Scalar.GlobalAverageForward<T>(x, expectedGlobal, plane);
        Close<T>(expectedGlobal, global, Tolerance<T>(), $"global average forward, {window}");
        var dGlobal = Uniform<T>(seed + 3, x.Length);
        var expectedDGlobal = dGlobal.ToArray();
        PoolingKernels.GlobalAverageBackward<T>(dy.AsSpan(0, channels), dGlobal, plane);
        PoolingKernels.Scalar.GlobalAverageBackward<T>(dy.AsSpan(0, channels), expectedDGlobal, plane);
        Close<T>(expectedDGlobal, dGlobal, Tolerance<T>(), $"global average backward, {window}");
    }
}
