using DeepPhys;
using DeepPhys.Data;

namespace DeepPhys.Tests;

/// <summary>Several inputs and outputs through the unchanged runtime API: packed columns, per-output losses and weights.</summary>
public class GraphNetworkTests
{
    [Fact]
    public void TwoHeadNet_PacksOutputsAndWeightsItsLosses()
    {
        var network = new TwoHeadNet(seed: 4);
        Assert.Equal(3 + 2, network.InputSize);
        Assert.Equal(1 + 3, network.OutputSize);
        Assert.Equal(Loss.None, network.Definition.Loss);

        var (inputs, _) = GradientCheck.RandomBatch(network, 5, seed: 9);
        var targets = new double[5 * 4];
        var random = new RandomStream(1);
        for (int row = 0; row < 5; row++)
        {
            targets[row * 4] = random.NextNormal();
            targets[row * 4 + 1 + random.NextInt(3)] = 1;
        }

        double[] outputs = network.Predict(inputs);
        double mse = 0, cce = 0;
        for (int row = 0; row < 5; row++)
        {
            var probabilities = outputs.AsSpan(row * 4 + 1, 3);
            Assert.Equal(1.0, probabilities[0] + probabilities[1] + probabilities[2], 1e-12);
            mse += Math.Pow(outputs[row * 4] - targets[row * 4], 2);
            for (int j = 0; j < 3; j++) cce -= targets[row * 4 + 1 + j] * Math.Log(probabilities[j]);
        }

        double expected = (mse / 5) + (0.5 * cce / 5);
        Assert.Equal(expected, network.TrainStep(inputs, targets), 1e-12);
        Assert.Equal(expected, network.Evaluate(new Dataset<double>(inputs, 5, targets, 4)).Loss, 1e-12);
    }

    [Fact]
    public void TwoHeadNet_ReadsEachInputFromItsColumns()
    {
        var network = new TwoHeadNet(seed: 4);
        double[] sample = [0.1, -0.2, 0.3, 0.4, -0.5];
        double[] moved = [0.1, -0.2, 0.3, -0.5, 0.4];

        Assert.Equal(0, TwoHeadNet.Layout.PColumn);
        Assert.Equal(3, TwoHeadNet.Layout.QColumn);
        Assert.NotEqual(network.Predict(sample), network.Predict(moved));
    }

    [Fact]
    public void WidthConcatNet_JoinsEachRowOfBothImages()
    {
        var network = new WidthConcatNet(seed: 1);
        double[] parameters = [1, 0, 10, 0.5];   // a = x, b = 10 x + 0.5
        parameters.CopyTo(network.Parameters);
        double[] image = [1, 2, 3, 4, 5, 6];

        Assert.Equal([1, 2, 3, 10.5, 20.5, 30.5, 4, 5, 6, 40.5, 50.5, 60.5], network.Predict(image));
        Assert.Contains("c (Concatenate)", network.Summary, StringComparison.Ordinal);
        Assert.Contains("(None, 1, 2, 6)", network.Summary, StringComparison.Ordinal);
    }
}
