using DeepPhys;
using DeepPhys.Optimizers;

namespace DeepPhys.Tests;

/// <summary>The recurrent networks' summaries, layouts, initialisation, and float training and prediction.</summary>
public class RecurrentNetworkTests
{
    [Fact]
    public void Summaries_ShowSequenceShapes_AndPyTorchParameterCounts()
    {
        // gates · units · (features + units + 2): PyTorch's two biases (Keras's LSTM and SimpleRNN have one, its GRU two).
        var lstm = new LstmNet(seed: 1);
        CnnNetworkTests.AssertRow(lstm.Summary, "h (Lstm)", "(None, 4)", 4 * 4 * (3 + 4 + 2));
        var gru = new GruSequenceNet(seed: 1);
        CnnNetworkTests.AssertRow(gru.Summary, "h (Gru)", "(None, 4, 3)", 3 * 3 * (2 + 3 + 2));
        CnnNetworkTests.AssertRow(gru.Summary, "f (Flatten)", "(None, 12)", 0);
        var stacked = new StackedSimpleRnnNet(seed: 1);
        CnnNetworkTests.AssertRow(stacked.Summary, "encoder (SimpleRnn)", "(None, 4, 5)", 5 * (3 + 5 + 2));
        CnnNetworkTests.AssertRow(stacked.Summary, "simple_rnn_1 (SimpleRnn)", "(None, 4)", 4 * (5 + 4 + 2));
        var attributes = new StackedRecurrentNet(seed: 1);
        CnnNetworkTests.AssertRow(attributes.Summary, "lstm (Lstm)", "(None, 5, 4)", 4 * 4 * (2 + 4 + 2));
        CnnNetworkTests.AssertRow(attributes.Summary, "gru (Gru)", "(None, 3)", 3 * 3 * (4 + 3 + 2));
        Assert.Equal(10, attributes.InputSize);
    }

    /// <summary>A transpose turns a Conv1D's [channels, length] into the [time, features] a recurrent layer reads, and a sample's values move with it.</summary>
    [Fact]
    public void Transpose_FeedsAConvolutionsSignalToRecurrentLayers_AsSteps()
    {
        var dsl = new SignalLstmNet(seed: 1);
        CnnNetworkTests.AssertRow(dsl.Summary, "c (Conv1D, ReLU)", "(None, 3, 7)", 3 * (2 * 3 + 1));
        CnnNetworkTests.AssertRow(dsl.Summary, "steps (Transpose)", "(None, 7, 3)", 0);
        CnnNetworkTests.AssertRow(dsl.Summary, "h (Lstm)", "(None, 4)", 4 * 4 * (3 + 4 + 2));
        var attributes = new AttributeSignalGruNet(seed: 1);
        CnnNetworkTests.AssertRow(attributes.Summary, "transpose (Transpose)", "(None, 6, 3)", 0);
        CnnNetworkTests.AssertRow(attributes.Summary, "gru (Gru)", "(None, 4)", 3 * 4 * (3 + 4 + 2));
    }

    [Fact]
    public void Flops_CountBothProductsBiasesGatesAndCellWork_PerStep()
    {
        // LSTM, 5 steps of: 2·16·(3 + 4) products, 3·16 bias adds and gate activations, 5·4 cell values; then the dense softmax.
        long lstm = 5 * ((2 * 16 * 7) + (3 * 16) + (5 * 4));
        long dense = (2 * 4 * 3) + 3 + 3;
        Assert.Contains($"FLOPs per sample (forward): {lstm + dense:N0}", new LstmNet(seed: 1).Summary);
    }

    [Fact]
    public void Layout_PlacesInputWeightsThenRecurrentWeightsThenBothBiases()
    {
        Assert.Equal(0, LstmNet.Layout.HWeights);
        Assert.Equal(16 * (3 + 4), LstmNet.Layout.HBias);
        Assert.Equal(LstmNet.Layout.HBias + 32, LstmNet.Layout.OutWeights);
        var layer = new LstmNet(seed: 1).Definition.Layers[0];
        Assert.Equal(NodeKind.Lstm, layer.Kind);
        Assert.Equal(16 * 7, layer.Weights);
    }

    [Fact]
    public void Initialization_SetsTheForgetGateBiasToOne_AndLeavesTheOtherBiasesZero()
    {
        var network = new LstmNet(seed: 3);
        var bias = network.Parameters.Slice(LstmNet.Layout.HBias, 32).ToArray();
        Assert.Equal(Enumerable.Repeat(0.0, 4).Concat(Enumerable.Repeat(1.0, 4)).Concat(Enumerable.Repeat(0.0, 24)), bias);

        // Glorot uniform W_ih within √(6 / (3 + 16)); orthogonal W_hh [16, 4]: its four columns orthonormal.
        var weights = network.Parameters.Slice(LstmNet.Layout.HWeights, 16 * 7).ToArray();
        Assert.All(weights[..48], w => Assert.InRange(Math.Abs(w), 0, Math.Sqrt(6.0 / 19)));
        for (int a = 0; a < 4; a++)
        {
            for (int b = 0; b < 4; b++)
            {
                double dot = Enumerable.Range(0, 16).Sum(row => weights[48 + (row * 4) + a] * weights[48 + (row * 4) + b]);
                Assert.Equal(a == b ? 1 : 0, dot, 1e-12);
            }
        }
    }

    [Fact]
    public void FloatNetwork_TrainsOnASequenceTask_AndPredictsInBatchesAsOneByOne()
    {
        // Is the first step's feature larger than the last one's? A task only the recurrence can carry across the sequence.
        var network = new FloatRecurrentNet(seed: 5);
        const int count = 64;
        var random = new RandomStream(9);
        var inputs = new float[count * 16];
        var targets = new float[count];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = (float)random.NextNormal();
        for (int s = 0; s < count; s++) targets[s] = inputs[s * 16] > inputs[(s * 16) + 14] ? 1 : 0;

        var adam = new Adam(learningRate: 0.01);
        float first = network.TrainStep(inputs, targets);
        float last = first;
        for (int step = 0; step < 150; step++)
        {
            last = network.TrainStep(inputs, targets);
            adam.Step(network.Parameters, network.Gradients);
        }

        Assert.True(last < 0.5f * first, $"loss {first} → {last}");
        var batched = network.Predict(inputs);
        for (int s = 0; s < 4; s++) Assert.Equal(batched[s], network.Predict(inputs.AsSpan(s * 16, 16))[0], 5);
    }
}
