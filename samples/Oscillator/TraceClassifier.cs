using DeepPhys.Training;

namespace DeepPhys.Samples.Oscillator;

/// <summary>Driven or only damped, from a trace of 40 displacements: a GRU reads the trace, one sigmoid unit decides.</summary>
[Network(Loss = Loss.BinaryCrossEntropy)]
[Input(OscillatorTraces.Steps, 1)]
[GRU(16)]
[Dense(1, Activation.Sigmoid)]
public partial class TraceClassifier;

/// <summary>Trains the classifier and scores it: accuracy at 0.5 and the driven-trace efficiency at a fixed mistag rate.</summary>
public static class OscillatorPipeline
{
    /// <summary>What a run gives.</summary>
    /// <param name="History">The training figures per epoch.</param>
    /// <param name="Accuracy">Test accuracy with the 0.5 threshold.</param>
    /// <param name="Auc">Area under the test ROC curve.</param>
    /// <param name="Efficiency">Efficiency for driven traces at <paramref name="MistagRate"/> of damped ones called driven.</param>
    /// <param name="MistagRate">The mistag rate of the working point.</param>
    /// <param name="RatioEfficiency">The late-to-early amplitude ratio's efficiency at the same mistag rate: the classic baseline.</param>
    public sealed record Result(History History, double Accuracy, double Auc, double Efficiency, double MistagRate, double RatioEfficiency);

    public static Result Run(int seed, int trainCount, int testCount, int epochs, double mistagRate = 0.05, IProgress<EpochResult>? progress = null)
    {
        var (trainTraces, trainLabels) = OscillatorTraces.Generate(trainCount, seed);
        var (testTraces, testLabels) = OscillatorTraces.Generate(testCount, seed + 1);
        var train = new global::DeepPhys.Data.Dataset<float>(trainTraces, OscillatorTraces.Steps, trainLabels.Select(label => (float)label).ToArray(), 1);
        var network = new TraceClassifier(seed);
        var history = network.Fit(train, new global::DeepPhys.Optimizers.Adam(0.01), epochs, batchSize: 32, progress: progress);

        var scores = network.Predict(testTraces).Select(score => (double)score).ToArray();
        double accuracy = scores.Zip(testLabels, (score, label) => (score >= 0.5 ? 1 : 0) == label ? 1.0 : 0).Average();
        var roc = global::DeepPhys.Metrics.RocCurve.Compute(scores, testLabels);
        var ratios = Enumerable.Range(0, testCount).Select(i => OscillatorTraces.LateToEarlyRatio(testTraces.AsSpan(i * OscillatorTraces.Steps, OscillatorTraces.Steps))).ToArray();
        var ratioRoc = global::DeepPhys.Metrics.RocCurve.Compute(ratios, testLabels);
        return new Result(history, accuracy, roc.Auc, roc.AtMistagRate(mistagRate).SignalEfficiency, mistagRate, ratioRoc.AtMistagRate(mistagRate).SignalEfficiency);
    }
}
