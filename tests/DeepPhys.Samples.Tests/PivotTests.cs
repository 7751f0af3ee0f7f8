using DeepPhys.Samples.Pivot;

namespace DeepPhys.Samples.Tests;

public sealed class PivotTests
{
    [Fact]
    public void JensenShannon_IsZeroForOneShape_AndOneBitForDisjointOnes()
    {
        Assert.Equal(0, PivotPipeline.JensenShannon([0.1, 0.6], [0.6, 0.1, 0.1, 0.6], bins: 2), 1e-15);
        Assert.Equal(1, PivotPipeline.JensenShannon([0.1, 0.2], [0.7, 0.9], bins: 2), 1e-15);
        // p = (½, ½), q = (1, 0), their mean (¾, ¼): ½ [½ log₂(½/¾) + ½ log₂(½/¼)] + ½ [1 · log₂(1/¾)].
        double expected = (0.25 * Math.Log2(0.5 / 0.75)) + (0.25 * Math.Log2(0.5 / 0.25)) + (0.5 * Math.Log2(1 / 0.75));
        Assert.Equal(expected, PivotPipeline.JensenShannon([0.1, 0.6], [0.1], bins: 2), 1e-15);
    }

    [Fact]
    public void Events_AreSeeded_SignalPeaksAtHalf_BackgroundFalls()
    {
        var (features, masses, labels) = PivotEvents.Generate(4000, seed: 3);
        Assert.Equal(features, PivotEvents.Generate(4000, seed: 3).Features);
        double[] signal = masses.Where((_, i) => labels[i] == 1).ToArray(), background = masses.Where((_, i) => labels[i] == 0).ToArray();
        Assert.InRange(signal.Average(), 0.49, 0.51);
        Assert.True(background.Count(m => m < 0.2) > 3 * background.Count(m => m > 0.6), "a falling spectrum");
        Assert.All(masses, m => Assert.InRange(m, 0, 1));
    }

    /// <summary>
    /// The sample's own runs (seed 1): AUC 0.957 alone, 0.759 with the adversary (λ = 200; x₁ alone gives Φ(1/√2) = 0.760);
    /// Jensen–Shannon divergence of the background mass after the cut 0.578 → 0.016 bits, 37× less (docs/samples.md). The test
    /// asks for at least 10×, with a margin for another SIMD width.
    /// </summary>
    [Fact]
    public void TheAdversary_ReducesTheMassSculptingTenfold_AtTheCostOfTheMassInformation()
    {
        var alone = PivotPipeline.Run(seed: 1, lambda: 0);
        var pivot = PivotPipeline.Run(seed: 1, PivotPipeline.Lambda);

        Assert.True(alone.Divergence > 10 * pivot.Divergence, $"JSD {alone.Divergence:F4} alone, {pivot.Divergence:F4} with the adversary");
        Assert.True(alone.Roc.Auc > 0.94, $"AUC alone {alone.Roc.Auc:F4}");
        Assert.InRange(pivot.Roc.Auc, 0.72, 0.80);
    }
}
