using DeepPhys;
using static DeepPhys.Tests.CnnNetworkTests;

namespace DeepPhys.Tests;

/// <summary>The 1-D convolutional networks: output shapes (channels, length), Keras's parameter counts, and the weight layout.</summary>
public class SignalNetworkTests
{
    [Fact]
    public void SignalCnn_Summary_ShowsSignalShapesAndKerasParameterCounts()
    {
        var network = new SignalCnn(seed: 1);

        // Conv1D: filters · (channels · kernel + 1), without the 1 when it has no bias.
        AssertRow(network.Summary, "c1 (Conv1D, ReLU)", "(None, 3, 11)", 3 * (2 * 4 + 1));
        AssertRow(network.Summary, "p (MaxPool1D)", "(None, 3, 5)", 0);
        AssertRow(network.Summary, "c2 (Conv1D, Tanh)", "(None, 2, 2)", 2 * 3 * 3);
        AssertRow(network.Summary, "n (BatchNorm)", "(None, 2, 2)", 4 * 2);
        AssertRow(network.Summary, "a (AvgPool1D)", "(None, 2, 1)", 0);
        AssertRow(network.Summary, "f (Flatten)", "(None, 2)", 0);
        AssertRow(network.Summary, "out (Dense, Softmax)", "(None, 3)", 2 * 3 + 3);
        // FLOPs: a multiply-add 2 per tap (channels · kernel per output), the bias and the activation 1 per output.
        Assert.EndsWith(" " + ((((2 * 2 * 4) + 1) * 3 * 11) + (3 * 11)), Row(network.Summary, "c1 (Conv1D, ReLU)"), StringComparison.Ordinal);
        Assert.EndsWith(" " + ((((2 * 3 * 3) + 1) * 2 * 2) + (2 * 2)), Row(network.Summary, "c2 (Conv1D, Tanh)"), StringComparison.Ordinal);
        Assert.Equal(2 * 11, network.InputSize);
        Assert.Equal(27 + 18 + 4 + 9, network.ParameterCount);
        Assert.Equal(2 * 2, network.Definition.StateCount);
    }

    [Fact]
    public void AttributeSignalCnn_Summary_UsesKerasNamesShapesAndCounts()
    {
        var network = new AttributeSignalCnn(seed: 1);
        AssertRow(network.Summary, "conv1d (Conv1D, LeakyReLU)", "(None, 4, 5)", 4 * (3 * 3 + 1));
        AssertRow(network.Summary, "average_pooling1d (AvgPool1D)", "(None, 4, 4)", 0);
        AssertRow(network.Summary, "mix (Conv1D)", "(None, 2, 3)", 2 * 4 * 2);
        AssertRow(network.Summary, "max_pooling1d (MaxPool1D)", "(None, 2, 2)", 0);
        AssertRow(network.Summary, "global_average_pooling1d (GlobalAvgPool1D)", "(None, 2)", 0);
        AssertRow(network.Summary, "dense (Dense)", "(None, 2)", 2 * 2 + 2);
        Assert.Equal(AttributeSignalCnn.Layout.MixWeights + 16, AttributeSignalCnn.Layout.DenseWeights);
    }

    [Fact]
    public void Conv1D_Weights_AreFiltersByChannelsByKernel()
    {
        // Single unit weights picked by their [filter, channel, tap] index make the whole network a known function of the input:
        // a wrong layout reads another channel or tap and changes the output.
        var network = new AttributeSignalCnn(seed: 5);
        var p = network.Parameters;
        p.Clear();
        p[AttributeSignalCnn.Layout.Conv1dWeights + (((0 * 3) + 0) * 3) + 1] = 1;     // filter 0 copies channel 0's centre tap
        var mix = p.Slice(AttributeSignalCnn.Layout.MixWeights, 16);
        mix[(((1 * 4) + 0) * 2) + 1] = 1;                                                  // filter 1 of mix: channel 0, second tap
        p[AttributeSignalCnn.Layout.DenseWeights + (1 * 2) + 0] = 1;                      // out[0] = global average of mix's filter 1

        // Channel 0 of the input is 0..8; conv1d (stride 2, 'same': pad 1) keeps x[0], x[2], …, x[8] = 0, 2, 4, 6, 8.
        // Average pool (2, stride 1): 1, 3, 5, 7; mix filter 1 takes the second tap: 3, 5, 7; max pool (2, 1): 5, 7; mean 6.
        var input = new double[27];
        for (int i = 0; i < 9; i++) input[i] = i;
        Assert.Equal([6, 0], network.Predict(input));
    }

    private static string Row(string summary, string layer) => summary.Split('\n').Single(line => line.StartsWith(" " + layer + " ", StringComparison.Ordinal));
}
