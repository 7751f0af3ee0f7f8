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

    [Theory]
    [MemberData(nameof(Widths))]
    public void ARow_GivesTheSameOutputsAloneAsInABatch(int widest)
    {
        const int batch = 9, inputs = 17, units = 19; // depth and columns not multiples of four or of any vector width
        var (x, weights, bias, _) = Operands<float>(batch, inputs, units, seed: 13);
        var y = new float[batch * units];
        SmallDenseKernels.Forward<float>(x, weights, bias, y, batch, inputs, units, widest);
        var row = new float[units];
        for (int b = 0; b < batch; b++)
        {
            SmallDenseKernels.Forward<float>(x.AsSpan(b * inputs, inputs), weights, bias, row, 1, inputs, units, widest);
            Assert.True(row.AsSpan().SequenceEqual(y.AsSpan(b * units, units)), $"row {b}, {widest} bits");
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void ForwardRelu_KeepsNaNAndClipsNegativeOutputs_LikeRelu(int widest)
    {
        const int batch = 5, inputs = 3, units = 33;
        var (x, weights, bias, _) = Operands<float>(batch, inputs, units, seed: 21);
        x[inputs] = float.NaN; // row 1 is all NaN
        var y = new float[batch * units];
        var expected = new float[batch * units];
        SmallDenseKernels.ForwardRelu<float>(x, weights, bias, y, batch, inputs, units, widest);
        SmallDenseKernels.Scalar.Forward<float>(x, weights, bias, expected, batch, inputs, units);
        ActivationKernels.Relu<float>(expected);
        Assert.All(y.AsSpan(units, units).ToArray(), value => Assert.True(float.IsNaN(value)));
        Assert.Contains(0f, y);
        Assert.True(expected.AsSpan().SequenceEqual(y), $"{widest} bits");
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void NarrowLayers_NeverReadTheNextRow(int widest)
    {
        // Five inputs leave the chain-lane kernel a last block of one input; the next row's infinities must not reach it
        // (infinity times a zero padding weight is NaN). Three units and one are the float and double narrow layers.
        foreach (int units in new[] { 1, 3 })
        {
            const int batch = 2, inputs = 5;
            var (x, weights, bias, _) = Operands<float>(batch, inputs, units, seed: 31);
            x.AsSpan(inputs).Fill(float.PositiveInfinity);
            var y = Garbage<float>(batch * units);
            var expected = new float[batch * units];
            SmallDenseKernels.Forward<float>(x, weights, bias, y, batch, inputs, units, widest);
            SmallDenseKernels.Scalar.Forward<float>(x, weights, bias, expected, batch, inputs, units);
            Assert.All(y[..units], value => Assert.True(float.IsFinite(value), $"{units} units, {widest} bits: {value}"));
            Assert.True(expected.AsSpan().SequenceEqual(y), $"{units} units, {widest} bits");

            var xd = x.Select(value => (double)value).ToArray();
            var (wd, bd) = (weights.Select(value => (double)value).ToArray(), bias.Select(value => (double)value).ToArray());
            var yd = Garbage<double>(batch * units);
            var expectedD = new double[batch * units];
            SmallDenseKernels.Forward<double>(xd, wd, bd, yd, batch, inputs, units, widest);
            SmallDenseKernels.Scalar.Forward<double>(xd, wd, bd, expectedD, batch, inputs, units);
            Assert.True(expectedD.AsSpan().SequenceEqual(yd), $"double, {units} units, {widest} bits");
        }
    }

    [Fact]
    public void Scalar_SumsInFourFusedChains()
    {
        // One output from five inputs: chain 0 = fma(x4, w4, fma(x0, w0, bias)), chains 1–3 = x1w1, x2w2, x3w3 each rounded once.
        double[] x = [0.1, 0.2, 0.3, 0.4, 0.5], weights = [1.1, 1.3, 1.7, 1.9, 2.3], bias = [0.7];
        double chain0 = Math.FusedMultiplyAdd(x[4], weights[4], Math.FusedMultiplyAdd(x[0], weights[0], bias[0]));
        double expected = (chain0 + (x[1] * weights[1])) + ((x[2] * weights[2]) + (x[3] * weights[3]));
        var y = new double[1];
        SmallDenseKernels.Scalar.Forward<double>(x, weights, bias, y, 1, 5, 1);
        Assert.Equal(expected, y[0]);
        SmallDenseKernels.Forward<double>(x, weights, bias, y, 1, 5, 1);
        Assert.Equal(expected, y[0]);
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

        // ForwardRelu is Forward then ActivationKernels.Relu, bit for bit (the operands are centred, so half the values are clipped).
        var rectified = Garbage<T>(batch * units);
        SmallDenseKernels.ForwardRelu<T>(x, weights, bias, rectified, batch, inputs, units, widest);
        ActivationKernels.Relu<T>(expectedY);
        Assert.True(expectedY.AsSpan().SequenceEqual(rectified), $"ForwardRelu, {shape}");

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
