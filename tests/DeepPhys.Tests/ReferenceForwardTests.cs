using DeepPhys;
using DeepPhys.Data;

namespace DeepPhys.Tests;

/// <summary>
/// Predict and the reported losses against a textbook forward pass written here from the layer
/// table alone (weights [inputs, units] row-major, then the bias), so the generated offsets,
/// layer order and activations are checked independently of the generated code.
/// </summary>
public class ReferenceForwardTests
{
    public static TheoryData<string> Chains => new(TestNetworkCatalog.All.Keys.Except(TestNetworkCatalog.Graphs));

    [Theory]
    [MemberData(nameof(Chains))]
    public void Predict_MatchesTextbookForward(string name)
    {
        var network = TestNetworkCatalog.All[name](5);
        var (inputs, targets) = GradientCheck.RandomBatch(network, batch: 3, seed: 2);

        double[] expected = ReferenceForward(network, inputs);
        double[] actual = network.Predict(inputs);

        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-12);

        double expectedLoss = ReferenceLoss(network.Definition.Loss, expected, targets, network.OutputSize);
        Assert.Equal(expectedLoss, network.TrainStep(inputs, targets), 1e-12);
        var data = new Dataset<double>(inputs, network.InputSize, targets, network.OutputSize);
        Assert.Equal(expectedLoss, network.Evaluate(data).Loss, 1e-12);
    }

    [Fact]
    public void LayoutConstants_AgreeWithTheLayerTable()
    {
        var network = new CceThreeLayers(seed: 1);
        var layers = network.Definition.Layers;
        Assert.Equal([0, 30, 65], layers.Select(l => l.ParameterOffset));
        Assert.Equal(CceThreeLayers.Layout.DenseWeights, layers[0].ParameterOffset);
        Assert.Equal(CceThreeLayers.Layout.Dense1Weights, layers[1].ParameterOffset);
        Assert.Equal(CceThreeLayers.Layout.Dense2Weights, layers[2].ParameterOffset);
        Assert.Equal(CceThreeLayers.Layout.Dense2Bias, layers[2].ParameterOffset + 5 * 3);
        Assert.Equal(4 * 6 + 6 + 6 * 5 + 5 + 5 * 3 + 3, CceThreeLayers.Layout.ParameterCount);
        Assert.Equal(CceThreeLayers.Layout.ParameterCount, network.Parameters.Length);
    }

    internal static double[] ReferenceForward(Network<double> network, double[] inputs)
    {
        int batch = inputs.Length / network.InputSize;
        double[] x = inputs;
        int width = network.InputSize;
        foreach (var layer in network.Definition.Layers)
        {
            var p = network.Parameters.Slice(layer.ParameterOffset, layer.ParameterCount).ToArray();
            int units = layer.OutputSize;
            var y = new double[batch * units];
            for (int b = 0; b < batch; b++)
            {
                for (int j = 0; j < units; j++)
                {
                    double sum = p[width * units + j];
                    for (int k = 0; k < width; k++) sum += x[b * width + k] * p[k * units + j];
                    y[b * units + j] = sum;
                }

                Activate(layer.Activation, y.AsSpan(b * units, units), layer.NegativeSlope);
            }

            x = y;
            width = units;
        }

        return x;
    }

    private static void Activate(Activation activation, Span<double> row, double negativeSlope)
    {
        switch (activation)
        {
            case Activation.ReLU:
                foreach (ref double v in row) v = Math.Max(v, 0);
                break;
            case Activation.LeakyReLU:
                foreach (ref double v in row) v = v > 0 ? v : negativeSlope * v;
                break;
            case Activation.Sigmoid:
                foreach (ref double v in row) v = 1 / (1 + Math.Exp(-v));
                break;
            case Activation.Tanh:
                foreach (ref double v in row) v = Math.Tanh(v);
                break;
            case Activation.Softmax:
                double max = double.NegativeInfinity, total = 0;
                foreach (double v in row) max = Math.Max(max, v);
                foreach (ref double v in row) total += v = Math.Exp(v - max);
                foreach (ref double v in row) v /= total;
                break;
        }
    }

    /// <summary>The textbook losses on probabilities: mean over samples for categorical CE, over every output otherwise.</summary>
    private static double ReferenceLoss(Loss loss, double[] outputs, double[] targets, int width)
    {
        double sum = 0;
        for (int i = 0; i < outputs.Length; i++)
        {
            sum += loss switch
            {
                Loss.MeanSquaredError => (outputs[i] - targets[i]) * (outputs[i] - targets[i]),
                Loss.BinaryCrossEntropy => -(targets[i] * Math.Log(outputs[i]) + (1 - targets[i]) * Math.Log(1 - outputs[i])),
                _ => -targets[i] * Math.Log(outputs[i]),
            };
        }

        return sum / (loss == Loss.CategoricalCrossEntropy ? outputs.Length / width : outputs.Length);
    }
}
