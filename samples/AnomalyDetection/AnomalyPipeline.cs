using DeepPhys.Data;
using DeepPhys.Metrics;
using DeepPhys.Optimizers;
using DeepPhys.Training;

namespace DeepPhys.Samples.AnomalyDetection;

/// <summary>How well one signal kind stands out from the background by its reconstruction error.</summary>
/// <param name="Kind">The signal.</param>
/// <param name="Roc">Its ROC curve against the test background.</param>
/// <param name="Scores">Its events' anomaly scores.</param>
public sealed record SignalResult(EventKind Kind, RocCurve Roc, double[] Scores)
{
    /// <summary>The signal efficiency at a background rate (mistag rate) of at most <paramref name="backgroundRate"/>.</summary>
    public double EfficiencyAt(double backgroundRate) => Roc.AtMistagRate(backgroundRate).SignalEfficiency;
}

/// <summary>Trains the autoencoder on background only and scores the signals by their reconstruction error.</summary>
public static class AnomalyPipeline
{
    /// <summary>The background rates at which the signal efficiencies are quoted, as trigger rates are.</summary>
    public static readonly double[] BackgroundRates = [0.01, 0.001];

    /// <summary>What a run gives.</summary>
    /// <param name="History">The training (loss: mean squared reconstruction error).</param>
    /// <param name="BackgroundScores">The test background's anomaly scores.</param>
    /// <param name="Signals">Each signal kind's scores and ROC curve.</param>
    public sealed record Result(History History, double[] BackgroundScores, IReadOnlyList<SignalResult> Signals);

    /// <summary>Background events to train on.</summary>
    public const int TrainCount = 20_000;

    /// <summary>Test events per kind: 20 background events above the cut at a 0.1 % rate.</summary>
    public const int TestCount = 20_000;

    /// <summary>Training epochs.</summary>
    public const int Epochs = 20;

    public static Result Run(int seed, int trainCount = TrainCount, int testCount = TestCount, int epochs = Epochs, IProgress<EpochResult>? progress = null)
    {
        // The events are their own targets; the generator has scaled the features already.
        var background = TriggerEvents.Generate(EventKind.Background, trainCount, seed);
        var train = new Dataset<float>(background, TriggerEvents.Features, background, TriggerEvents.Features);
        var network = new TriggerAutoencoder(seed);
        var history = network.Fit(train, new Adam(0.003), epochs, batchSize: 128, progress: progress);

        double[] Scores(EventKind kind, int offset)
        {
            var events = TriggerEvents.Generate(kind, testCount, seed + offset);
            var scores = new float[testCount];
            network.ReconstructionError(events, scores);
            return scores.Select(score => (double)score).ToArray();
        }

        double[] backgroundScores = Scores(EventKind.Background, 1);
        var signals = new[] { EventKind.Resonance, EventKind.HardTail, EventKind.CorrelationFlip }.Select((kind, i) =>
        {
            double[] scores = Scores(kind, 2 + i);
            int[] labels = [.. new int[testCount], .. Enumerable.Repeat(1, testCount)];
            return new SignalResult(kind, RocCurve.Compute([.. backgroundScores, .. scores], labels), scores);
        }).ToArray();
        return new Result(history, backgroundScores, signals);
    }
}
