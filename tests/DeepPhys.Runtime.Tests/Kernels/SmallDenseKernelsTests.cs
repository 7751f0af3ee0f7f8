using System.Numerics;
using DeepPhys.Kernels;
using static DeepPhys.Runtime.Tests.Kernels.KernelTestKit;

namespace DeepPhys.Runtime.Tests.Kernels;

public class SmallDenseKernelsTests
{
    /// <summary>Every vector width the kernels choose from, down to the portable scalar loop (0), forced whatever the machine has.</summary>
    public static TheoryData<int> Widths => [512, 256, 128, 0];

    [Theory]
    [MemberData(nameof(Widths))]
    public void EveryWidth_IsBitIdenticalToTheScalarTwin(int widest)
    {
        foreach (int batch in new[] { 1, 3, 32 })
        {
            foreach (int inputs in OddSizes)
            {
                foreach (int units in OddSizes)
                {
                    MatchScalarExactly<float>(batch, inputs, units, widest);
                    MatchScalarExactly<double>(batch, inputs, units, widest);
                }
            }
        }
    }

    [Fact]
    public void PublicKernels_UseTheHardwaresWidth_AndMatchTheScalarTwin()
    {
        const int batch = 5, inputs = 16, units = 17;
        var (x, weights, bias, dy) = Operands<float>(batch, inputs, units, seed: 9);
        var y = Garbage<float>(batch * units);
        var expected = new float[batch * units];
        SmallDenseKernels.Forward<float>(x, weights, bias, y, batch, inputs, units);
        SmallDenseKernels.Scalar.Forward<float>(x, weights, bias, expected, batch, inputs, units);
        Assert.Equal(expected, y);

        var dx = Garbage<float>(batch * inputs);
        var expectedDx = new float[batch * inputs];
        SmallDenseKernels.BackwardInput<float>(dy, weights, dx, batch, inputs, units);
        SmallDenseKernels.Scalar.BackwardInput<float>(dy, weights, expectedDx, batch, inputs, units);
        Assert.Equal(expectedDx, dx);
    }

    [Fact]
    public void BackwardInput_BeyondTheStackLimit_FallsBackToDenseKernels()
    {
        const int batch = 2, inputs = 70, units = 65; // 4550 weights, more than are transposed on the stack
        var (_, weights, _, dy) = Operands<float>(batch, inputs, units, seed: 11);
        var dx = Garbage<float>(batch * inputs);
        var expected = new float[batch * inputs];
        SmallDenseKernels.BackwardInput<float>(dy, weights, dx, batch, inputs, units);
        SmallDenseKernels.Scalar.BackwardInput<float>(dy, weights, expected, batch, inputs, units);
        Close<float>(expected, dx, Tolerance<float>(), "BackwardInput, 70 × 65");
    }

    [Fact]
    public void BackwardKernelsMatchFiniteDifferences()
    {
        const int batch = 3, inputs = 4, units = 17;
        var (x, weights, bias, seed) = Operands<double>(batch, inputs, units, seed: 5);
        var y = new double[batch * units];
        double Loss()
        {
            SmallDenseKernels.Forward<double>(x, weights, bias, y, batch, inputs, units);
            return Weighted(seed, y);
        }

        var dWeights = new double[inputs * units];
        var dBias = new double[units];
        var dx = new double[batch * inputs];
        SmallDenseKernels.BackwardParameters<double>(x, seed, dWeights, dBias, batch, inputs, units);
        SmallDenseKernels.BackwardInput<double>(seed, weights, dx, batch, inputs, units);

        Close<double>(FiniteDifferences(weights, Loss), dWeights, 1e-8, "dW");
        Close<double>(FiniteDifferences(bias, Loss), dBias, 1e-8, "db");
        Close<double>(FiniteDifferences(x, Loss), dx, 1e-8, "dx");
    }

    private static (T[] X, T[] Weights, T[] Bias, T[] Dy) Operands<T>(int batch, int inputs, int units, int seed)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        (Uniform<T>(seed, batch * inputs), Uniform<T>(seed + 1, inputs * units), Uniform<T>(seed + 2, units), Uniform<T>(seed + 3, batch * units));

    private static void MatchScalarExactly<T>(int batch, int inputs, int units, int widest)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string shape = $"{typeof(T).Name}, batch {batch}, inputs {inputs}, units {units}, {widest} bits";
        var (x, weights, bias, dy) = Operands<T>(batch, inputs, units, seed: batch * 10_000 + inputs * 100 + units);

        var y = Garbage<T>(batch * units);
        var expectedY = new T[batch * units];
        SmallDenseKernels.Forward<T>(x, weights, bias, y, batch, inputs, units, widest);
        SmallDenseKernels.Scalar.Forward<T>(x, weights, bias, expectedY, batch, inputs, units);
        Assert.True(expectedY.AsSpan().SequenceEqual(y), $"Forward, {shape}");

        var dWeights = Garbage<T>(inputs * units);
        var dBias = Garbage<T>(units);
        var expectedDWeights = new T[inputs * units];
        var expectedDBias = new T[units];
        SmallDenseKernels.BackwardParameters<T>(x, dy, dWeights, dBias, batch, inputs, units, widest);
        SmallDenseKernels.Scalar.BackwardParameters<T>(x, dy, expectedDWeights, expectedDBias, batch, inputs, units);
        Assert.True(expectedDWeights.AsSpan().SequenceEqual(dWeights), $"BackwardParameters dW, {shape}");
        Assert.True(expectedDBias.AsSpan().SequenceEqual(dBias), $"BackwardParameters db, {shape}");

        var dx = Garbage<T>(batch * inputs);
        var expectedDx = new T[batch * inputs];
        SmallDenseKernels.BackwardInput<T>(dy, weights, dx, batch, inputs, units, widest);
        SmallDenseKernels.Scalar.BackwardInput<T>(dy, weights, expectedDx, batch, inputs, units);
        // Beyond the weights transposed on the stack, DenseKernels' dot products sum in another order.
        if (inputs * units <= 4096) Assert.True(expectedDx.AsSpan().SequenceEqual(dx), $"BackwardInput, {shape}");
        else Close<T>(expectedDx, dx, Tolerance<T>(), $"BackwardInput, {shape}");
    }
}
