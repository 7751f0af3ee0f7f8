using DeepPhys.Samples.AnomalyDetection;

namespace DeepPhys.Samples.Tests;

public sealed class AnomalyDetectionTests
{
    [Fact]
    public void Events_AreSeeded_AndTheFlippedKindAntiCorrelatesTheDijetsPseudorapidities()
    {
        float[] background = TriggerEvents.Generate(EventKind.Background, 3000, seed: 5);
        Assert.Equal(background, TriggerEvents.Generate(EventKind.Background, 3000, seed: 5));
        Assert.NotEqual(background, TriggerEvents.Generate(EventKind.Background, 3000, seed: 6));

        // Slots 9 and 10 are the two leading jets, η their second feature: the dijet pair, unless a third jet outranks one
        // of it, which dilutes the pair's ±0.95 to about ±0.34.
        double Correlation(float[] events) => Pearson(Column(events, (3 * 9) + 1), Column(events, (3 * 10) + 1));
        double flipped = Correlation(TriggerEvents.Generate(EventKind.CorrelationFlip, 3000, seed: 5));
        Assert.True(Correlation(background) > 0.25 && flipped < -0.25, $"background {Correlation(background):F2}, flipped {flipped:F2}");
    }

    /// <summary>
    /// The sample's own run (seed 1): AUC 0.994 / 0.713 / 0.569 and 85.6 % / 18.9 % / 1.5 % at a 1 % background rate
    /// (docs/samples.md); the bounds leave a margin for another SIMD width.
    /// </summary>
    [Fact]
    public void TheAutoencoderFlagsTheResonanceAndTheHardTail_AndHardlyTheCorrelationFlip()
    {
        var result = AnomalyPipeline.Run(seed: 1);
        var signals = result.Signals.ToDictionary(s => s.Kind);

        Assert.True(signals[EventKind.Resonance].Roc.Auc > 0.98, $"resonance AUC {signals[EventKind.Resonance].Roc.Auc:F4}");
        Assert.True(signals[EventKind.Resonance].EfficiencyAt(0.01) > 0.75, $"resonance {signals[EventKind.Resonance].EfficiencyAt(0.01):P1} at 1 %");
        Assert.True(signals[EventKind.HardTail].Roc.Auc > 0.68, $"hard-tail AUC {signals[EventKind.HardTail].Roc.Auc:F4}");
        Assert.True(signals[EventKind.HardTail].EfficiencyAt(0.01) > 0.14, $"hard tail {signals[EventKind.HardTail].EfficiencyAt(0.01):P1} at 1 %");
        Assert.InRange(signals[EventKind.CorrelationFlip].Roc.Auc, 0.54, 0.62);
    }

    /// <summary>
    /// The convolutional autoencoder's runs (seed 1): trained on pions it flags electrons with AUC 0.893; trained on electrons it
    /// scores pions lower than electrons, AUC 0.387 (docs/samples.md). Bounds with a margin for another SIMD width.
    /// </summary>
    [Fact]
    public void TheConvolutionalAutoencoder_TrainedOnPions_FlagsElectrons_ButNotTheOtherWayRound()
    {
        Assert.True(CaloAnomalyPipeline.Run(seed: 1, trainOnElectrons: false).Roc.Auc > 0.85);
        Assert.True(CaloAnomalyPipeline.Run(seed: 1, trainOnElectrons: true).Roc.Auc < 0.5);
    }

    private static double[] Column(float[] events, int feature) =>
        Enumerable.Range(0, events.Length / TriggerEvents.Features).Select(i => (double)events[(i * TriggerEvents.Features) + feature]).ToArray();

    private static double Pearson(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        double sxy = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum();
        return sxy / Math.Sqrt(x.Sum(a => (a - mx) * (a - mx)) * y.Sum(b => (b - my) * (b - my)));
    }
}
