using DeepPhys;
using DeepPhys.Data;
using DeepPhys.Optimizers;
using DeepPhys.Samples.Iris;
using DeepPhys.Training;

namespace DeepPhys.Tests;

public class TrainingTests
{
    private static readonly string IrisCsv = Path.Combine(AppContext.BaseDirectory, "Data", "iris.csv");

    [Fact]
    public void IrisPipeline_ReachesTestAccuracyOf93Percent()
    {
        var result = IrisPipeline.Run(IrisCsv, seed: 7);

        Assert.Equal(30, result.Test.ConfusionMatrix!.Total);
        Assert.True(result.Test.Accuracy >= 0.93, $"test accuracy {result.Test.Accuracy:F4}\n{result.Test.ConfusionMatrix}");
        Assert.Equal(result.Test.Accuracy!.Value, result.Test.ConfusionMatrix.Accuracy, 12);
        Assert.Equal(200, result.History.Count);
        Assert.True(result.History[^1].Loss < result.History[0].Loss / 4, "training loss should fall well below its start");
    }

    [Fact]
    public void IrisPipeline_OverTwentySplitSeeds_AveragesAtLeast92Percent()
    {
        // Guards against a lucky seed: 30 test flowers make one seed's accuracy move in steps of 0.033.
        // Measured: mean 0.933, standard deviation 0.039 (PyTorch, same model and splits: about the same).
        double mean = Enumerable.Range(1, 20).Average(seed => IrisPipeline.Run(IrisCsv, seed).Test.Accuracy!.Value);

        Assert.True(mean >= 0.92, $"mean test accuracy {mean:F3}");
    }

    [Fact]
    public void SameSeed_GivesBitIdenticalParameters()
    {
        float[] first = TrainIris(seed: 42), second = TrainIris(seed: 42), other = TrainIris(seed: 43);

        Assert.Equal(AsBits(first), AsBits(second));
        Assert.NotEqual(AsBits(first), AsBits(other));
    }

    [Fact]
    public void Fit_WithSgdOnSeparableData_LearnsTheBoundary()
    {
        // y = 1 exactly when x0 + x1 > 0: a single sigmoid unit can learn it.
        var random = new RandomStream(9);
        var features = new float[400];
        var labels = new float[200];
        for (int i = 0; i < 200; i++)
        {
            features[2 * i] = (float)random.NextNormal();
            features[2 * i + 1] = (float)random.NextNormal();
            labels[i] = features[2 * i] + features[2 * i + 1] > 0 ? 1 : 0;
        }

        var data = new Dataset<float>(features, 2, labels, 1);
        var network = new FloatLogistic(seed: 1);
        var history = network.Fit(data, new Sgd(learningRate: 0.5), epochs: 30, batchSize: 16);

        Assert.True(history[^1].Accuracy >= 0.97, $"training accuracy {history[^1].Accuracy}");
        var evaluation = network.Evaluate(data);
        Assert.True(evaluation.Accuracy >= 0.97);
        Assert.Equal(200, evaluation.ConfusionMatrix!.Total);
        Assert.True(network.Predict([3f, 3f])[0] > 0.9f);
        Assert.True(network.Predict([-3f, -3f])[0] < 0.1f);
    }

    [Fact]
    public void History_RecordsValidationFiguresEveryEpoch()
    {
        var data = Dataset<float>.FromCsv(IrisCsv, target: "species");
        var (train, validation, _) = data.Split(0.6, 0.2, 0.2, seed: 1);
        var reported = new List<int>();

        var history = new IrisClassifier(seed: 1).Fit(
            train, new Adam(), epochs: 3, batchSize: 32, validation, progress: new Collect(reported));

        Assert.Equal([1, 2, 3], reported);
        Assert.All(history, e => Assert.NotNull(e.Validation?.Accuracy));
        Assert.All(history.ValidationLoss, l => Assert.True(double.IsFinite(l) && l > 0));
    }

    [Fact]
    public void FusedLosses_StayFiniteForLogitsOfTenThousand()
    {
        var network = new FloatLogistic(seed: 1);
        // weights (1e4, -1e4), bias 0: logits of ±1e4 for inputs (±1, 0) and (0, ±1).
        network.Parameters[0] = 1e4f;
        network.Parameters[1] = -1e4f;
        network.Parameters[2] = 0;
        float[] inputs = [1, 0, 0, 1, -1, 0, 0, -1];
        float[] targets = [0, 1, 1, 0]; // every sample confidently wrong: loss ≈ 1e4 each

        float loss = network.TrainStep(inputs, targets);

        Assert.Equal(1e4f, loss, 1f);
        foreach (float g in network.Gradients) Assert.True(float.IsFinite(g));
        Assert.Equal(0.5f, network.Gradients[0], 1e-6f); // Σ x·(σ(z) − t)/4 = (1·1 + (−1)·(−1))/4
    }

    /// <summary>Issue 20, item 3: two networks of one class have the same length and type, which was all the optimizer compared.</summary>
    [Fact]
    public void OneOptimizer_ForASecondNetworkOfTheSameClass_ThrowsNamingBoth()
    {
        var data = Dataset<float>.FromCsv(IrisCsv, target: "species");
        var adam = new Adam();
        new IrisClassifier(seed: 1).Fit(data, adam, epochs: 1);
        var second = new IrisClassifier(seed: 2);
        var before = second.Parameters.ToArray();

        var error = Assert.Throws<InvalidOperationException>(() => second.Fit(data, adam, epochs: 1));
        var streamed = Assert.Throws<InvalidOperationException>(() => StreamingTraining.Fit(second, new InMemorySource(data), adam, epochs: 1));

        Assert.Equal("This Adam already trains an instance of IrisClassifier (the network of its first Fit); it was now given another network, an instance of IrisClassifier. "
            + "Its moments and step count belong to the first: use one optimizer per network.", error.Message);
        Assert.Equal(error.Message, streamed.Message);
        Assert.Equal(before, second.Parameters.ToArray());
    }

    private static float[] TrainIris(int seed)
    {
        var data = Dataset<float>.FromCsv(IrisCsv, target: "species");
        var network = new IrisClassifier(seed);
        network.Fit(data, new Adam(), epochs: 5, batchSize: 16);
        return network.Parameters.ToArray();
    }

    private static int[] AsBits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

    /// <summary>A dataset as one chunk.</summary>
    private sealed class InMemorySource(Dataset<float> data) : IBatchSource<float>
    {
        public int FeatureCount => data.FeatureCount;

        public int TargetCount => data.TargetCount;

        public IEnumerable<Dataset<float>> ReadChunks(RandomStream? random) => [data];
    }

    private sealed class Collect(List<int> epochs) : IProgress<Training.EpochResult>
    {
        public void Report(Training.EpochResult value) => epochs.Add(value.Epoch);
    }
}
