using System.Numerics;
using DeepPhys.Kernels;
using static DeepPhys.Runtime.Tests.Kernels.KernelTestKit;

namespace DeepPhys.Runtime.Tests.Kernels;

public class RecurrentKernelsTests
{
    /// <summary>Every cell in both return modes, with odd sizes: one step, one feature, one unit, and sizes past a vector width.</summary>
    public static TheoryData<RecurrentCell, bool, int, int, int, int> Layers()
    {
        var data = new TheoryData<RecurrentCell, bool, int, int, int, int>();
        foreach (var cell in Enum.GetValues<RecurrentCell>())
        {
            foreach (bool sequences in new[] { false, true })
            {
                data.Add(cell, sequences, 1, 1, 1, 1);
                data.Add(cell, sequences, 3, 5, 2, 3);
                data.Add(cell, sequences, 2, 4, 7, 17);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void KernelsMatchScalarTwins(RecurrentCell cell, bool returnSequences, int batch, int time, int features, int units)
    {
        var layer = new RecurrentLayer(cell, time, features, units, returnSequences);
        MatchScalar<float>(layer, batch);
        MatchScalar<double>(layer, batch);
    }

    [Theory]
    [InlineData(RecurrentCell.Lstm)]
    [InlineData(RecurrentCell.Gru)]
    [InlineData(RecurrentCell.SimpleRnn)]
    public void LayersOfSeveralGemmTiles_MatchScalarTwins(RecurrentCell cell)
    {
        // 40 units make 160 LSTM gate columns and 33 features a depth past any tile: every step's batched products span several tiles.
        var layer = new RecurrentLayer(cell, Time: 3, Features: 33, Units: 40, ReturnSequences: true);
        MatchScalar<float>(layer, 9);
        MatchScalar<double>(layer, 9);
    }

    [Fact]
    public void LstmWiderThanTheStackLimit_MatchesTheScalarTwin() =>
        // 1025 units: the backward pass takes tanh(c) value by value instead of vectorised on the stack.
        MatchScalar<double>(new RecurrentLayer(RecurrentCell.Lstm, Time: 2, Features: 1, Units: 1025, ReturnSequences: false), 1);

    [Theory]
    [InlineData(Activation.Sigmoid)]
    [InlineData(Activation.ReLU)]
    [InlineData(Activation.Linear)]
    public void SimpleRnnActivations_MatchScalarTwins(Activation activation)
    {
        MatchScalar<double>(new RecurrentLayer(RecurrentCell.SimpleRnn, 4, 3, 5, true, activation), 3);
        MatchScalar<float>(new RecurrentLayer(RecurrentCell.SimpleRnn, 4, 3, 5, false, activation), 2);
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void Backward_MatchesFiniteDifferences(RecurrentCell cell, bool returnSequences, int batch, int time, int features, int units)
    {
        var layer = new RecurrentLayer(cell, time, features, units, returnSequences);
        CheckFiniteDifferences(layer, Math.Min(batch, 2));
    }

    [Theory]
    [InlineData(Activation.Sigmoid)]
    [InlineData(Activation.Linear)]
    public void SimpleRnnActivations_MatchFiniteDifferences(Activation activation) =>
        CheckFiniteDifferences(new RecurrentLayer(RecurrentCell.SimpleRnn, 4, 2, 3, true, activation), 2);

    [Fact]
    public void Lstm_OneStep_MatchesHandComputedValues()
    {
        // One unit, one feature, every weight 0.5, biases 0: each gate's pre-activation is 0.5 · x = 0.5 (h₋₁ = 0).
        var layer = new RecurrentLayer(RecurrentCell.Lstm, 1, 1, 1, false);
        double[] weights = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5];
        var y = new double[1];
        RecurrentKernels.Forward<double>([1.0], weights, new double[8], y, new double[layer.WorkspaceSize], 1, layer);
        double sigmoid = 1 / (1 + Math.Exp(-0.5)), c = sigmoid * Math.Tanh(0.5);
        Assert.Equal(sigmoid * Math.Tanh(c), y[0], 1e-15);
    }

    [Fact]
    public void BackwardInput_AddsToTheGradient()
    {
        var layer = new RecurrentLayer(RecurrentCell.Gru, 3, 2, 4, true);
        const int batch = 2;
        var (x, weights, biases) = Parameters<double>(layer, batch);
        var workspace = new double[batch * layer.WorkspaceSize];
        RecurrentKernels.Forward<double>(x, weights, biases, new double[batch * layer.OutputSize], workspace, batch, layer);
        RecurrentKernels.BackwardParameters<double>(x, weights, Uniform<double>(9, batch * layer.OutputSize), workspace, new double[layer.WeightCount], new double[layer.BiasCount], batch, layer);
        var fresh = new double[x.Length];
        RecurrentKernels.BackwardInput<double>(workspace, weights, fresh, batch, layer);
        var added = new double[x.Length];
        added.AsSpan().Fill(10);
        RecurrentKernels.BackwardInput<double>(workspace, weights, added, batch, layer);
        for (int i = 0; i < x.Length; i++) Assert.Equal(fresh[i] + 10, added[i], 1e-12);
    }

    [Fact]
    public void ForwardAndBackward_AllocateNothing()
    {
        var layer = new RecurrentLayer(RecurrentCell.Lstm, 6, 3, 5, true);
        const int batch = 4;
        var (x, weights, biases) = Parameters<float>(layer, batch);
        var y = new float[batch * layer.OutputSize];
        var workspace = new float[batch * layer.WorkspaceSize];
        var dWeights = new float[layer.WeightCount];
        var dBiases = new float[layer.BiasCount];
        var dx = new float[x.Length];
        void Step()
        {
            RecurrentKernels.Forward<float>(x, weights, biases, y, workspace, batch, layer);
            RecurrentKernels.BackwardParameters<float>(x, weights, y, workspace, dWeights, dBiases, batch, layer);
            RecurrentKernels.BackwardInput<float>(workspace, weights, dx, batch, layer);
        }

        Step();
        Assert.Equal(0, SteadyState.AllocatedBytes(Step, rounds: 2));
    }

    private static (T[] X, T[] Weights, T[] Biases) Parameters<T>(RecurrentLayer layer, int batch)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        (Uniform<T>(1, batch * layer.InputSize, -2, 2), Uniform<T>(2, layer.WeightCount), Uniform<T>(3, layer.BiasCount));

    private static void MatchScalar<T>(RecurrentLayer layer, int batch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (x, weights, biases) = Parameters<T>(layer, batch);
        var dy = Uniform<T>(4, batch * layer.OutputSize);
        var expectedY = new T[dy.Length];
        var expectedDWeights = new T[layer.WeightCount];
        var expectedDBiases = new T[layer.BiasCount];
        var expectedDx = new T[x.Length];
        RecurrentKernels.Scalar.Forward<T>(x, weights, biases, expectedY, batch, layer);
        RecurrentKernels.Scalar.Backward<T>(x, weights, biases, dy, expectedDWeights, expectedDBiases, expectedDx, batch, layer);

        // Garbage everywhere the kernels must overwrite; dx starts at zero because BackwardInput adds.
        var y = Garbage<T>(dy.Length);
        var workspace = Garbage<T>(batch * layer.WorkspaceSize);
        var dWeights = Garbage<T>(layer.WeightCount);
        var dBiases = Garbage<T>(layer.BiasCount);
        var dx = new T[x.Length];
        RecurrentKernels.Forward<T>(x, weights, biases, y, workspace, batch, layer);
        RecurrentKernels.BackwardParameters<T>(x, weights, dy, workspace, dWeights, dBiases, batch, layer);
        RecurrentKernels.BackwardInput<T>(workspace, weights, dx, batch, layer);
        string context = $"{layer}, batch {batch}";
        double tolerance = Tolerance<T>() * 10;
        Close<T>(expectedY, y, tolerance, context + " y");
        Close<T>(expectedDWeights, dWeights, tolerance, context + " dW");
        Close<T>(expectedDBiases, dBiases, tolerance, context + " db");
        Close<T>(expectedDx, dx, tolerance, context + " dx");
    }

    private static void CheckFiniteDifferences(RecurrentLayer layer, int batch)
    {
        var (x, weights, biases) = Parameters<double>(layer, batch);
        var seed = Uniform<double>(5, batch * layer.OutputSize);
        var y = new double[seed.Length];
        var workspace = new double[batch * layer.WorkspaceSize];
        double Loss()
        {
            RecurrentKernels.Forward<double>(x, weights, biases, y, workspace, batch, layer);
            return Weighted(seed, y);
        }

        Loss();
        var dWeights = new double[layer.WeightCount];
        var dBiases = new double[layer.BiasCount];
        var dx = new double[x.Length];
        RecurrentKernels.BackwardParameters<double>(x, weights, seed, workspace, dWeights, dBiases, batch, layer);
        RecurrentKernels.BackwardInput<double>(workspace, weights, dx, batch, layer);
        Close<double>(FiniteDifferences(weights, Loss), dWeights, 1e-7, $"{layer} dW");
        Close<double>(FiniteDifferences(biases, Loss), dBiases, 1e-7, $"{layer} db");
        Close<double>(FiniteDifferences(x, Loss), dx, 1e-7, $"{layer} dx");
    }
}
