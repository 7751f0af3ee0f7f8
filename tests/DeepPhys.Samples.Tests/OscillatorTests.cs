using DeepPhys.Samples.Oscillator;

namespace DeepPhys.Samples.Tests;

public sealed class OscillatorTests
{
    [Fact]
    public void Traces_AreSeeded_Balanced_AndDrivenOnesDecayLess()
    {
        var (traces, labels) = OscillatorTraces.Generate(600, seed: 5);
        Assert.Equal(traces, OscillatorTraces.Generate(600, seed: 5).Traces);
        Assert.NotEqual(traces, OscillatorTraces.Generate(600, seed: 6).Traces);
        Assert.Equal(600 * OscillatorTraces.Steps, traces.Length);
        Assert.InRange(labels.Average(), 0.4, 0.6);
        double Ratio(int label) => Enumerable.Range(0, 600).Where(i => labels[i] == label)
            .Average(i => OscillatorTraces.LateToEarlyRatio(traces.AsSpan(i * OscillatorTraces.Steps, OscillatorTraces.Steps)));
        Assert.True(Ratio(1) > 1.5 * Ratio(0), $"driven ratio {Ratio(1):F2}, damped ratio {Ratio(0):F2}");
    }

    [Fact]
    public void Gru_SeparatesDrivenFromDampedTraces_BetterThanTheAmplitudeRatio()
    {
        var result = OscillatorPipeline.Run(seed: 1, trainCount: 1200, testCount: 1000, epochs: 5);
        Assert.True(result.Auc > 0.9, $"AUC {result.Auc:F3}");
        Assert.True(result.Accuracy > 0.8, $"accuracy {result.Accuracy:P1}");
        Assert.True(result.Efficiency > result.RatioEfficiency + 0.1, $"GRU {result.Efficiency:P1} vs ratio {result.RatioEfficiency:P1} at 5 % mistag");
    }
}
