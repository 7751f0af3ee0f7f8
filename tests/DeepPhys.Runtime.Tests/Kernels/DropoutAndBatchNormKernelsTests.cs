using System.Numerics;
using DeepPhys.Kernels;
using static DeepPhys.Runtime.Tests.Kernels.KernelTestKit;

namespace DeepPhys.Runtime.Tests.Kernels;

public class DropoutAndBatchNormKernelsTests
{
    [Fact]
    public void Dropout_MatchesScalarTwin_AndDropsAboutTheRate_WithInvertedScaling()
    {
        foreach (int size in OddSizes)
        {
            MatchDropout<float>(size);
            MatchDropout<double>(size);
        }

        var x = new double[10_000];
        x.AsSpan().Fill(2);
        var y = new double[x.Length];
        var mask = new double[x.Length];
        DropoutKernels.Forward<double>(x, y, mask, 0.25, new RandomStream(3));
        Assert.All(y, value => Assert.True(value == 0 || value == 2 / 0.75));
        double dropped = y.Count(value => value == 0) / (double)y.Length;
        Assert.InRange(dropped, 0.23, 0.27);
        Assert.Equal(2, y.Average(), 0.05);
    }

    [Theory]
    [InlineData(1, 5, 1)]
    [InlineData(3, 4, 1)]
    [InlineData(4, 3, 7)]
    [InlineData(2, 2, 17)]
    public void BatchNorm_MatchesScalarTwins(int batch, int channels, int plane)
    {
        MatchBatchNorm<float>(batch, channels, plane);
        MatchBatchNorm<double>(batch, channels, plane);
    }

    [Fact]
    public void BatchNorm_NormalizesWithBatchStatistics_AndMovesTheRunningAveragesAsKeras()
    {
        // One feature over a batch of 4: mean 2.5, biased variance 1.25.
        double[] x = [1, 2, 3, 4];
        var y = new double[4];
        var normalized = new double[4];
        var inverseStd = new double[1];
        double[] mean = [0], variance = [1];
        BatchNormKernels.Forward<double>(x, [2], [0.5], y, normalized, inverseStd, mean, variance, 4, 1, 0.9, 1e-3);
        double s = Math.Sqrt(1.25 + 1e-3);
        Assert.Equal([(2 * -1.5 / s) + 0.5, (2 * -0.5 / s) + 0.5, (2 * 0.5 / s) + 0.5, (2 * 1.5 / s) + 0.5], y, new Within(1e-12));
        Assert.Equal(0.1 * 2.5, mean[0], 1e-15);
        Assert.Equal((0.9 * 1) + (0.1 * 1.25), variance[0], 1e-15);

        var inference = new double[1];
        BatchNormKernels.Inference<double>([3], [2], [0.5], mean, variance, inference, 1, 1, 1e-3);
        Assert.Equal((2 * (3 - 0.25) / Math.Sqrt(1.025 + 1e-3)) + 0.5, inference[0], 1e-12);
    }

    [Fact]
    public void BatchNorm_Backward_MatchesFiniteDifferencesThroughTheBatchStatistics()
    {
        const int batch = 3, channels = 2, plane = 5;
        var x = Uniform<double>(1, batch * channels * plane);
        var gamma = Uniform<double>(2, channels, 0.5, 1.5);
        var beta = Uniform<double>(3, channels);
        var seed = Uniform<double>(4, x.Length);
        var y = new double[x.Length];
        var normalized = new double[x.Length];
        var inverseStd = new double[channels];
        double Loss()
        {
            BatchNormKernels.Forward<double>(x, gamma, beta, y, normalized, inverseStd, new double[channels], new double[channels], batch, plane, 0.99, 1e-3);
            return Weighted(seed, y);
        }

        Loss();
        var dGamma = new double[channels];
        var dBeta = new double[channels];
        var dx = new double[x.Length];
        BatchNormKernels.BackwardParameters<double>(seed, normalized, dGamma, dBeta, batch, plane);
        BatchNormKernels.BackwardInput<double>(seed, normalized, gamma, inverseStd, dx, batch, plane);
        Close<double>(FiniteDifferences(gamma, Loss), dGamma, 1e-7, "dγ");
        Close<double>(FiniteDifferences(beta, Loss), dBeta, 1e-7, "dβ");
        Close<double>(FiniteDifferences(x, Loss), dx, 1e-6, "dx");
    }

    private static void MatchDropout<T>(int size)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = Uniform<T>(size, size);
        var (y, mask, expectedY, expectedMask) = (Garbage<T>(size), Garbage<T>(size), new T[size], new T[size]);
        DropoutKernels.Forward<T>(x, y, mask, 0.4, new RandomStream(size));
        DropoutKernels.Scalar.Forward<T>(x, expectedY, expectedMask, 0.4, new RandomStream(size));
        Close<T>(expectedMask, mask, Tolerance<T>(), $"dropout mask, size {size}");
        Close<T>(expectedY, y, Tolerance<T>(), $"dropout, size {size}");
    }

    private static void MatchBatchNorm<T>(int batch, int channels, int plane)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string shape = $"batch {batch}, channels {channels}, plane {plane}";
        int seed = batch * 1000 + channels * 100 + plane, n = batch * channels * plane;
        var x = Uniform<T>(seed, n, -2, 3);
        var gamma = Uniform<T>(seed + 1, channels);
        var beta = Uniform<T>(seed + 2, channels);
        var dy = Uniform<T>(seed + 3, n);
        var runningMean = Uniform<T>(seed + 4, channels);
        var runningVariance = Uniform<T>(seed + 5, channels, 0.5, 2);
        var (expectedMean, expectedVariance) = (runningMean.ToArray(), runningVariance.ToArray());

        var (y, normalized, inverseStd) = (Garbage<T>(n), Garbage<T>(n), Garbage<T>(channels));
        var (expectedY, expectedNormalized, expectedInverseStd) = (new T[n], new T[n], new T[channels]);
        BatchNormKernels.Forward<T>(x, gamma, beta, y, normalized, inverseStd, runningMean, runningVariance, batch, plane, 0.9, 1e-3);
        BatchNormKernels.Scalar.Forward<T>(x, gamma, beta, expectedY, expectedNormalized, expectedInverseStd, expectedMean, expectedVariance, batch, plane, 0.9, 1e-3);
        Close<T>(expectedY, y, Tolerance<T>(), $"forward, {shape}");
        Close<T>(expectedNormalized, normalized, Tolerance<T>(), $"x̂, {shape}");
        Close<T>(expectedInverseStd, inverseStd, Tolerance<T>(), $"1/σ, {shape}");
        Close<T>(expectedMean, runningMean, Tolerance<T>(), $"running mean, {shape}");
        Close<T>(expectedVariance, runningVariance, Tolerance<T>(), $"running variance, {shape}");

        var (inference, expectedInference) = (Garbage<T>(n), new T[n]);
        BatchNormKernels.Inference<T>(x, gamma, beta, runningMean, runningVariance, inference, batch, plane, 1e-3);
        BatchNormKernels.Scalar.Inference<T>(x, gamma, beta, runningMean, runningVariance, expectedInference, batch, plane, 1e-3);
        Close<T>(expectedInference, inference, Tolerance<T>(), $"inference, {shape}");

        var (dGamma, dBeta, expectedDGamma, expectedDBeta) = (Garbage<T>(channels), Garbage<T>(channels), new T[channels], new T[channels]);
        BatchNormKernels.BackwardParameters<T>(dy, normalized, dGamma, dBeta, batch, plane);
        BatchNormKernels.Scalar.BackwardParameters<T>(dy, normalized, expectedDGamma, expectedDBeta, batch, plane);
        Close<T>(expectedDGamma, dGamma, Tolerance<T>(), $"dγ, {shape}");
        Close<T>(expectedDBeta, dBeta, Tolerance<T>(), $"dβ, {shape}");

        var dx = Uniform<T>(seed + 6, n);
        var expectedDx = dx.ToArray();
        BatchNormKernels.BackwardInput<T>(dy, normalized, gamma, inverseStd, dx, batch, plane);
        BatchNormKernels.Scalar.BackwardInput<T>(dy, normalized, gamma, inverseStd, expectedDx, batch, plane);
        Close<T>(expectedDx, dx, 10 * Tolerance<T>(), $"dx, {shape}");
    }

    private sealed class Within(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
