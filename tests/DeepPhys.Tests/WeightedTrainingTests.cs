using DeepPhys.Data;
using DeepPhys.Optimizers;
using DeepPhys.Training;

namespace DeepPhys.Tests;

/// <summary>Sample and class weights: Keras's Σ wᵢℓᵢ / batch through the generated TrainBatch and Fit.</summary>
public class WeightedTrainingTests
{
    [Theory]
    [InlineData(nameof(CceReluHidden))]
    [InlineData(nameof(BceLeakyReluHidden))]
    [InlineData(nameof(MseTanhHidden))]
    [InlineData(nameof(TwoHeadNet))]
    public void WeightedTrainStep_IsTheWeightedSumOfTheSamplesLosses_OverTheBatchSize(string name)
    {
        var network = TestNetworkCatalog.All[name](5);
        var (inputs, targets) = GradientCheck.RandomBatch(network, 3, seed: 9);
        double[] weights = [2, 0.5, 0];
        var losses = new double[3];
        for (int i = 0; i < 3; i++)
        {
            losses[i] = network.TrainStep(inputs.AsSpan(i * network.InputSize, network.InputSize), targets.AsSpan(i * network.OutputSize, network.OutputSize));
        }

        double expected = (2 * losses[0] + 0.5 * losses[1]) / 3;
        Assert.True(losses[0] > 0.01 && losses[1] > 0.01, $"{name}: per-sample losses {losses[0]}, {losses[1]} are too small to tell");
        Assert.Equal(expected, network.TrainStep(inputs, targets, weights), 1e-13);
        // An unweighted step afterwards is unweighted again.
        Assert.Equal(losses.Average(), network.TrainStep(inputs, targets), 1e-13);
    }

    [Fact]
    public void ClassWeightTwo_EqualsDuplicatingThatClassesSamples_LossAndStep()
    {
        // Six samples of three classes; class 1 weighs 2 in one run and appears twice in the other.
        var (features, labels) = ToySamples(seed: 4, count: 6, classes: 3);
        int[] duplicated = [.. Enumerable.Range(0, 6), .. Enumerable.Range(0, 6).Where(i => labels[i] == 1)];
        Assert.True(duplicated.Length > 6, "the toy set needs a sample of class 1");
        var weighted = Dataset<double>.FromClassLabels(features, 3, labels, 3);
        var doubled = weighted.Subset(duplicated);

        // Batch gradient descent over the whole set: the doubled set's mean has the larger denominator, so its rate is scaled up to match.
        var (weightedNetwork, doubledNetwork) = (new CceReluHidden(seed: 2), new CceReluHidden(seed: 2));
        var weightedHistory = weightedNetwork.Fit(weighted, new Sgd(0.1), new FitOptions<double> { Epochs = 1, BatchSize = 6, Shuffle = false, ClassWeights = [1, 2, 1] });
        var doubledHistory = doubledNetwork.Fit(doubled, new Sgd(0.1 * duplicated.Length / 6), new FitOptions<double> { Epochs = 1, BatchSize = duplicated.Length, Shuffle = false });

        Assert.Equal(doubledHistory.Loss[0] * duplicated.Length / 6, weightedHistory.Loss[0], 1e-13);
        var before = new CceReluHidden(seed: 2).Parameters.ToArray();
        for (int i = 0; i < before.Length; i++)
        {
            Assert.Equal(doubledNetwork.Parameters[i], weightedNetwork.Parameters[i], 1e-13);
        }

        Assert.True(Enumerable.Range(0, before.Length).Max(i => Math.Abs(weightedNetwork.Parameters[i] - before[i])) > 1e-3, "the step moved nothing");
    }

    [Fact]
    public void SampleWeights_FollowTheSamplesThroughShuffling()
    {
        // Weight 0 on every sample but one: with batch size 1 only that sample's steps move the parameters.
        var (features, labels) = ToySamples(seed: 6, count: 8, classes: 3);
        var data = Dataset<double>.FromClassLabels(features, 3, labels, 3);
        var weights = new double[8];
        weights[5] = 1;
        var network = new CceReluHidden(seed: 3);
        network.Fit(data, new Sgd(0.05), new FitOptions<double> { Epochs = 3, BatchSize = 1, SampleWeights = weights });

        var alone = new CceReluHidden(seed: 3);
        alone.Fit(data.Subset([5]), new Sgd(0.05), new FitOptions<double> { Epochs = 3, BatchSize = 1 });
        for (int i = 0; i < network.ParameterCount; i++) Assert.Equal(alone.Parameters[i], network.Parameters[i], 1e-14);
    }

    [Fact]
    public void ClassWeights_ShiftTheDecisionTowardsTheRareClass()
    {
        // 90 % background around −0.5, 10 % signal around +0.5 along the first feature, unit noise: they overlap.
        var random = new RandomStream(12);
        const int count = 1000;
        var features = new double[count * 3];
        var targets = new double[count];
        for (int i = 0; i < count; i++)
        {
            targets[i] = i % 10 == 0 ? 1 : 0;
            features[i * 3] = (targets[i] == 1 ? 0.5 : -0.5) + random.NextNormal();
            features[i * 3 + 1] = random.NextNormal();
            features[i * 3 + 2] = random.NextNormal();
        }

        var data = new Dataset<double>(features, 3, targets, 1);
        double SignalEfficiency(IReadOnlyList<double>? classWeights)
        {
            var network = new BceReluHidden(seed: 1);
            network.Fit(data, new Adam(1e-2), new FitOptions<double> { Epochs = 20, BatchSize = 50, ClassWeights = classWeights });
            var probabilities = network.Predict(features);
            int signal = 0, found = 0;
            for (int i = 0; i < count; i++)
            {
                if (targets[i] != 1) continue;
                signal++;
                if (probabilities[i] >= 0.5) found++;
            }

            return (double)found / signal;
        }

        double plain = SignalEfficiency(null), balanced = SignalEfficiency([1, 9]);
        Assert.True(plain < 0.2, $"unweighted, {plain:P0} of the signal passes 0.5");
        Assert.True(balanced > 0.6, $"with class weights 1 : 9, only {balanced:P0} of the signal passes 0.5");
    }

    [Fact]
    public void BadWeights_AreRejectedWithTheirReason()
    {
        var (features, labels) = ToySamples(seed: 1, count: 4, classes: 3);
        var data = Dataset<double>.FromClassLabels(features, 3, labels, 3);
        void Fit(Network<double> network, Dataset<double> set, FitOptions<double> options) => network.Fit(set, new Sgd(), options);

        var count = Assert.Throws<ArgumentException>(() => Fit(new CceReluHidden(), data, new() { ClassWeights = [1, 2] }));
        Assert.Contains("has 2 weights; expected 3 (one per class)", count.Message);
        var negative = Assert.Throws<ArgumentException>(() => Fit(new CceReluHidden(), data, new() { SampleWeights = [1, -1, 1, 1] }));
        Assert.Contains("SampleWeights[1] is -1", negative.Message);
        var regression = new Dataset<double>(features, 3, new double[8], 2);
        var mse = Assert.Throws<ArgumentException>(() => Fit(new MseReluHidden(), regression, new() { ClassWeights = [1, 2] }));
        Assert.Contains("MseReluHidden has MeanSquaredError with 2 outputs", mse.Message);
        var step = Assert.Throws<ArgumentException>(() => new CceReluHidden().TrainStep(features, data.Targets, [1, 1]));
        Assert.Contains("expected one per sample (4)", step.Message);
    }

    private static (double[] Features, int[] Labels) ToySamples(int seed, int count, int classes)
    {
        var random = new RandomStream(seed);
        var features = new double[count * 3];
        for (int i = 0; i < features.Length; i++) features[i] = random.NextNormal();
        return (features, Enumerable.Range(0, count).Select(i => i % classes).ToArray());
    }
}
