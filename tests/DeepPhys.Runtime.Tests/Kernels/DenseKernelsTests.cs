using System.Numerics;
using DeepPhys.Kernels;
using static DeepPhys.Runtime.Tests.Kernels.KernelTestKit;

namespace DeepPhys.Runtime.Tests.Kernels;

public class DenseKernelsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void KernelsMatchScalarTwins(int batch)
    {
        foreach (int inputs in OddSizes)
        {
            foreach (int units in OddSizes)
            {
                MatchScalar<float>(batch, inputs, units);
                MatchScalar<double>(batch, inputs, units);
            }
        }
    }

    private static void MatchScalar<T>(int batch, int inputs, int units)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string shape = $"batch {batch}, inputs {inputs}, units {units}";
        int seed = batch * 10_000 + inputs * 100 + units;
        var x = Uniform<T>(seed, batch * inputs);
        var weights = Uniform<T>(seed + 1, inputs * units);
        var bias = Uniform<T>(seed + 2, units);
        var dy = Uniform<T>(seed + 3, batch * units);

        var y = Garbage<T>(batch * units);
        var expectedY = new T[batch * units];
        DenseKernels.Forward<T>(x, weights, bias, y, batch, inputs, units);
        DenseKernels.Scalar.Forward<T>(x, weights, bias, expectedY, batch, inputs, units);
        Close<T>(expectedY, y, Tolerance<T>(), $"Forward, {shape}");

        var dWeights = Garbage<T>(inputs * units);
        var dBias = Garbage<T>(units);
        var expectedDWeights = new T[inputs * units];
        var expectedDBias = new T[units];
        DenseKernels.BackwardParameters<T>(x, dy, dWeights, dBias, batch, inputs, units);
        DenseKernels.Scalar.BackwardParameters<T>(x, dy, expectedDWeights, expectedDBias, batch, inputs, units);
        Close<T>(expectedDWeights, dWeights, Tolerance<T>(), $"BackwardParameters dW, {shape}");
        Close<T>(expectedDBias, dBias, Tolerance<T>(), $"BackwardParameters db, {shape}");

        var dx = Garbage<T>(batch * inputs);
        var expectedDx = new T[batch * inputs];
        DenseKernels.BackwardInput<T>(dy, weights, dx, batch, inputs, units);
        DenseKernels.Scalar.BackwardInput<T>(dy, weights, expectedDx, batch, inputs, units);
        Close<T>(expectedDx, dx, Tolerance<T>(), $"BackwardInput, {shape}");
    }

    // x = [[1, 2], [-1, 0.5]], W = [[1, 2, 3], [4, 5, 6]], b = [0.5, -1, 0], dy = [[1, 0, -1], [2, 1, 0]].
    private static readonly double[] X = [1, 2, -1, 0.5];
    private static readonly double[] W = [1, 2, 3, 4, 5, 6];
    private static readonly double[] B = [0.5, -1, 0];
    private static readonly double[] Dy = [1, 0, -1, 2, 1, 0];

    [Fact]
    public void ScalarForwardMatchesHandComputedValues()
    {
        var y = new double[6];
        DenseKernels.Scalar.Forward<double>(X, W, B, y, 2, 2, 3);
        Assert.Equal([9.5, 11, 15, 1.5, -0.5, 0], y);
    }

    [Fact]
    public void ScalarBackwardParametersMatchesHandComputedValues()
    {
        var dWeights = new double[6];
        var dBias = new double[3];
        DenseKernels.Scalar.BackwardParameters<double>(X, Dy, dWeights, dBias, 2, 2, 3);
        Assert.Equal([-1, -1, -1, 3, 0.5, -2], dWeights);
        Assert.Equal([3, 1, -1], dBias);
    }

    [Fact]
    public void ScalarBackwardInputMatchesHandComputedValues()
    {
        var dx = new double[4];
        DenseKernels.Scalar.BackwardInput<double>(Dy, W, dx, 2, 2, 3);
        Assert.Equal([-2, -2, 4, 13], dx);
    }

    /// <summary>On the row loops and, past <see cref="DenseKernels.UsesGemm"/>'s threshold, on the GEMM.</summary>
    [Theory]
    [InlineData(3, 4, 5)]
    [InlineData(16, 32, 40)]
    public void BackwardKernelsMatchFiniteDifferences(int batch, int inputs, int units)
    {
        var x = Uniform<double>(1, batch * inputs);
        var weights = Uniform<double>(2, inputs * units);
        var bias = Uniform<double>(3, units);
        var seed = Uniform<double>(4, batch * units);
        var y = new double[batch * units];
        double Loss()
        {
            DenseKernels.Forward<double>(x, weights, bias, y, batch, inputs, units);
            return Weighted(seed, y);
        }

        var dWeights = new double[inputs * units];
        var dBias = new double[units];
        var dx = new double[batch * inputs];
        DenseKernels.BackwardParameters<double>(x, seed, dWeights, dBias, batch, inputs, units);
        DenseKernels.BackwardInput<double>(seed, weights, dx, batch, inputs, units);

        // The loss is linear in each value, so a wide step has no truncation error and less rounding.
        Close<double>(FiniteDifferences(weights, Loss, step: 1e-3), dWeights, 1e-8, "dW");
        Close<double>(FiniteDifferences(bias, Loss, step: 1e-3), dBias, 1e-8, "db");
        Close<double>(FiniteDifferences(x, Loss, step: 1e-3), dx, 1e-8, "dx");
    }
}
