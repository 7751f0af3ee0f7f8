using DeepPhys;

namespace DeepPhys.Tests;

/// <summary>The convolutional networks' summaries and layouts: output shapes as Keras prints them (channels first) and Keras's parameter counts.</summary>
public class CnnNetworkTests
{
    [Fact]
    public void SmallCnn_Summary_ShowsImageShapesAndKerasParameterCounts()
    {
        var network = new SmallCnn(seed: 1);

        // Conv2D: filters · (channels · kernel² + 1); pooling and flatten own nothing.
        AssertRow(network.Summary, "c1 (Conv2D, ReLU)", "(None, 3, 7, 7)", 3 * (2 * 3 * 3 + 1));
        AssertRow(network.Summary, "p1 (MaxPool2D)", "(None, 3, 3, 3)", 0);
        AssertRow(network.Summary, "c2 (Conv2D, Tanh)", "(None, 4, 2, 2)", 4 * (3 * 2 * 2 + 1));
        AssertRow(network.Summary, "f (Flatten)", "(None, 16)", 0);
        AssertRow(network.Summary, "out (Dense, Softmax)", "(None, 3)", 16 * 3 + 3);
        Assert.Equal(57 + 52 + 51, network.ParameterCount);
        Assert.Contains("Total params: 160", network.Summary);
    }

    [Fact]
    public void StridedCnn_SamePaddingWithStride_HalvesRoundingUp()
    {
        var network = new StridedCnn(seed: 1);
        AssertRow(network.Summary, "c1 (Conv2D, LeakyReLU)", "(None, 2, 4, 4)", 2 * (4 * 4 + 1));
        AssertRow(network.Summary, "a (AvgPool2D)", "(None, 2, 2, 2)", 0);
        AssertRow(network.Summary, "c2 (Conv2D)", "(None, 2, 4, 4)", 2 * (2 + 1));
    }

    /// <summary>The graph in the definition: wiring, shapes, windows with 'same''s odd pad at the end, parameters and state.</summary>
    [Fact]
    public void Definition_Nodes_CarryTheGraphAndItsAttributes()
    {
        var strided = new StridedCnn(seed: 1).Definition.Nodes.ToDictionary(node => node.Name);
        var c1 = strided["c1"];
        Assert.Equal(NodeKind.Conv2D, c1.Kind);
        Assert.Equal([0], c1.Inputs);
        Assert.Equal([2, 4, 4], c1.Shape);
        Assert.Equal([4, 4], c1.Kernel);
        Assert.Equal([2, 2], c1.Strides);
        Assert.Equal([1, 1, 1, 2], c1.Pads); // 8×7 by a 4-kernel at stride 2 to 4×4: 2 rows and 3 columns of zeros, the odd one right
        Assert.Equal((Activation.LeakyReLU, 0.01, 2, 0, 34, 32), (c1.Activation, c1.NegativeSlope, c1.Units, c1.ParameterOffset, c1.ParameterCount, c1.BiasOffset));
        Assert.Equal([1, 1, 1, 1], strided["c2"].Pads);
        Assert.Equal([2, 2, 2, 2, 0, 0, 0, 0], [.. strided["a"].Kernel, .. strided["a"].Strides, .. strided["a"].Pads]);

        var normalized = new NormalizedCnn(seed: 1).Definition;
        var n2 = normalized.Nodes.Single(node => node.Name == "n2");
        Assert.Equal((6, 5, 0.99, 0.001, true), (n2.StateOffset, n2.StateCount / 2, n2.Momentum, n2.Epsilon, n2.HasBias));
        Assert.Equal(0.3, normalized.Nodes.Single(node => node.Name == "d").Rate);

        var twoHeads = new TwoHeadNet(seed: 1).Definition;
        Assert.Equal(["p", "q"], twoHeads.Inputs.Select(node => node.Name));
        Assert.Equal([("energy", Loss.MeanSquaredError, 1.0), ("label", Loss.CategoricalCrossEntropy, 0.5)],
            twoHeads.Outputs.Select(output => (twoHeads.Nodes[output.Node].Name, output.Loss, output.Weight)));
        Assert.Equal([2, 3], twoHeads.Nodes.Single(node => node.Name == "diff").Inputs); // hp and hq, after the inputs p and q
    }

    [Fact]
    public void ResidualCnn_Layout_PlacesConvWeightsFiltersFirstThenTheBias()
    {
        var layers = new ResidualCnn(seed: 1).Definition.Layers;
        Assert.Equal(["stem", "b1", "b2", "shortcut", "r", "p", "f", "g", "both", "out"], layers.Select(layer => layer.Name));
        Assert.Equal([57, 84, 84, 12, 0, 0, 0, 0, 0, 16], layers.Select(layer => layer.ParameterCount));
        Assert.Equal(0, ResidualCnn.Layout.StemWeights);
        Assert.Equal(54, ResidualCnn.Layout.StemBias);
        Assert.Equal(57 + 84 + 84, ResidualCnn.Layout.ShortcutWeights);
        Assert.Equal(ResidualCnn.Layout.ShortcutWeights + 9, ResidualCnn.Layout.ShortcutBias);
    }

    [Fact]
    public void Conv_Weights_AreFiltersByChannelsByKernelRowsByColumns()
    {
        // StridedCnn's c2 is a 1×1 conv of 2 channels into 2 filters with padding 1: the border is the bias alone,
        // the centre filter f is Σ_c W[f, c] · a[c]. Set W = [[1, 0], [0, 0]], bias = [0.25, −0.5] and read it back through a dense identity.
        var network = new StridedCnn(seed: 3);
        var p = network.Parameters;
        double[] weights = [1, 0, 0, 0], bias = [0.25, -0.5];
        weights.CopyTo(p.Slice(StridedCnn.Layout.C2Weights, 4));
        bias.CopyTo(p.Slice(StridedCnn.Layout.C2Bias, 2));
        p.Slice(StridedCnn.Layout.OutWeights, 64).Clear();
        p.Slice(StridedCnn.Layout.OutBias, 2).Clear();
        p[StridedCnn.Layout.OutWeights + (0 * 2)] = 1;          // out[0] = c2[filter 0, row 0, column 0]: border, the bias
        p[StridedCnn.Layout.OutWeights + (17 * 2) + 1] = 1;     // out[1] = c2[filter 1, row 0, column 1]: border, the bias
        var output = network.Predict(new double[56]);
        Assert.Equal([0.25, -0.5], output);
    }

    [Fact]
    public void NormalizedCnn_TrainsOnBatchStatistics_PredictsWithRunningAverages_AndDropsOnlyInTraining()
    {
        var network = new NormalizedCnn(seed: 2);
        var (inputs, targets) = GradientCheck.RandomBatch(network, 6, seed: 4);
        Assert.Equal(2 * (3 + 5), network.Definition.StateCount);
        Assert.Equal([0, 0, 0, 1, 1, 1], network.State[..6].ToArray());
        Assert.Equal([1, 1, 1, 0, 0, 0], network.Parameters.Slice(NormalizedCnn.Layout.N1Weights, 6).ToArray());

        // Inference: running averages (still 0 and 1) and no dropout, so Predict is repeatable and batch-independent.
        double[] before = network.Predict(inputs);
        Assert.Equal(before, network.Predict(inputs));
        Assert.Equal(before[..3], network.Predict(inputs.AsSpan(0, network.InputSize)));

        // Training: the same seed draws the same mask; another seed another mask, so another loss.
        network.Reseed(1);
        double first = network.TrainStep(inputs, targets);
        network.Reseed(1);
        Assert.Equal(first, network.TrainStep(inputs, targets));
        network.Reseed(2);
        Assert.NotEqual(first, network.TrainStep(inputs, targets));

        // Three steps moved the running means from 0 by (1 − 0.99^3) of the batch mean; the parameters did not change.
        Assert.All(network.State[..3].ToArray(), mean => Assert.NotEqual(0, mean));
        Assert.Equal([1, 1, 1, 0, 0, 0], network.Parameters.Slice(NormalizedCnn.Layout.N1Weights, 6).ToArray());
        Assert.NotEqual(before, network.Predict(inputs));

        network.Reset(2);
        Assert.Equal([0, 0, 0, 1, 1, 1], network.State[..6].ToArray());
        Assert.Equal(before, network.Predict(inputs));
    }

    [Fact]
    public void AttributeCnn_Summary_UsesKerasNamesShapesAndCounts()
    {
        var network = new AttributeCnn(seed: 1);
        AssertRow(network.Summary, "conv2d (Conv2D, ReLU)", "(None, 4, 8, 8)", 4 * (2 * 3 * 3 + 1));
        AssertRow(network.Summary, "max_pooling2d (MaxPool2D)", "(None, 4, 4, 4)", 0);
        AssertRow(network.Summary, "conv2d_1 (Conv2D, Tanh)", "(None, 5, 2, 2)", 5 * 4 * 2 * 2);
        // Keras's count for batch norm: γ, β (trainable) and the running mean and variance (non-trainable state).
        AssertRow(network.Summary, "batch_normalization (BatchNorm)", "(None, 5, 2, 2)", 4 * 5);
        AssertRow(network.Summary, "global_average_pooling2d (GlobalAvgPool2D)", "(None, 5)", 0);
        AssertRow(network.Summary, "dropout (Dropout)", "(None, 5)", 0);
        AssertRow(network.Summary, "dense (Dense, Softmax)", "(None, 3)", 5 * 3 + 3);
        Assert.Equal(2 * 8 * 8, network.InputSize);
        Assert.Equal(10, network.Definition.StateCount);
        int trainable = 76 + 80 + 10 + 18;
        Assert.Equal(trainable, network.ParameterCount);
        Assert.Contains($"Total params: {trainable + 10}\nTrainable params: {trainable}\nNon-trainable params: 10\n", network.Summary);

        var flatten = new AttributeFlattenCnn(seed: 1);
        AssertRow(flatten.Summary, "features (Conv2D, LeakyReLU)", "(None, 2, 4, 3)", 2 * (9 + 1));
        AssertRow(flatten.Summary, "average_pooling2d (AvgPool2D)", "(None, 2, 3, 2)", 0);
        AssertRow(flatten.Summary, "flatten (Flatten)", "(None, 12)", 0);
        Assert.Equal(0, AttributeFlattenCnn.Layout.FeaturesWeights);
    }

    [Fact]
    public void DenseBlockCnn_TransitionWithoutBias_OwnsWeightsOnly()
    {
        // image 2 + c1 2 + c2 2 channels into 3 filters of 1 × 1, no bias.
        var layers = new DenseBlockCnn(seed: 1).Definition.Layers;
        Assert.Equal(6 * 3, layers.Single(layer => layer.Name == "t").ParameterCount);
        Assert.Equal(2 * ((2 * 9) + 1), layers.Single(layer => layer.Name == "c1").ParameterCount);
        Assert.Equal(2 * ((4 * 9) + 1), layers.Single(layer => layer.Name == "c2").ParameterCount);
    }

    /// <summary>A summary row: the layer cell, the shape cell and the count, then the FLOPs column (a wide cell pushes the next one right by one space).</summary>
    internal static void AssertRow(string summary, string layer, string shape, int parameters)
    {
        var row = summary.Split('\n').Single(line => line.StartsWith(" " + layer + " ", StringComparison.Ordinal));
        var match = System.Text.RegularExpressions.Regex.Match(row, @"^ (?<layer>.+\)) +(?<shape>\(None[^)]*\)) +(?<count>\d+) +[\d,]+$");
        Assert.True(match.Success, row);
        Assert.Equal([layer, shape, parameters.ToString(System.Globalization.CultureInfo.InvariantCulture)], new[] { match.Groups["layer"].Value, match.Groups["shape"].Value, match.Groups["count"].Value });
    }
}
