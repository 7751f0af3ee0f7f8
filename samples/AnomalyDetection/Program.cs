using System.Globalization;
using DeepPhys.Plotting;
using DeepPhys.Samples.AnomalyDetection;
using DeepPhys.Samples.Shared;

// Anomaly detection as in a level-1 trigger (AXOL1TL): an autoencoder trained on background only flags what it reconstructs badly.
Console.WriteLine(new TriggerAutoencoder().Summary);
var result = TrainingProgress.Run("AnomalyDetection", AnomalyPipeline.Epochs, progress => AnomalyPipeline.Run(seed: 1, progress: progress));
Console.WriteLine($"Toy trigger events: {TriggerEvents.Objects} objects × (pT, η, φ) = {TriggerEvents.Features} features; {AnomalyPipeline.TrainCount} background events for training, {AnomalyPipeline.TestCount} test events per kind");
Console.WriteLine(result.History[^1]);
Console.WriteLine("Anomaly score: mean squared reconstruction error (ReconstructionError)");
Console.WriteLine($"{"signal",-16} {"ROC AUC",8}" + string.Concat(AnomalyPipeline.BackgroundRates.Select(rate => Invariant($"  ε_S at {rate:P1} bkg"))));
foreach (var signal in result.Signals)
{
    Console.WriteLine(Invariant($"{signal.Kind,-16} {signal.Roc.Auc,8:F4}") + string.Concat(AnomalyPipeline.BackgroundRates.Select(rate => Invariant($"  {signal.EfficiencyAt(rate),14:P1}"))));
}

var output = Path.Combine(AppContext.BaseDirectory, "output");
var logScores = new[] { ("Background", result.BackgroundScores) }.Concat(result.Signals.Select(s => (s.Kind.ToString(), s.Scores)))
    .Select(s => (s.Item1, (IReadOnlyList<double>)s.Item2.Select(Math.Log10).ToArray())).ToArray();
Console.WriteLine();
Console.WriteLine($"Wrote {Plots.Histograms(logScores, Path.Combine(output, "score_histograms.png"), "Anomaly score per class", "log₁₀ reconstruction error", bins: 60, logY: true)}");
Console.WriteLine($"Wrote {Plots.Roc(result.Signals.Select(s => (s.Kind.ToString(), s.Roc)).ToArray(), Path.Combine(output, "roc_curves.png"), "Reconstruction error: each signal against the background")}");

// The same idea on images: a convolutional autoencoder trained on one kind of calorimeter shower, the other kind as the anomaly.
Console.WriteLine();
Console.WriteLine(new CaloAutoencoder().Summary);
foreach (var (trained, anomaly) in new[] { ("pions", "electrons"), ("electrons", "pions") })
{
    var calo = CaloAnomalyPipeline.Run(seed: 1, trainOnElectrons: trained == "electrons");
    Console.WriteLine(Invariant($"Convolutional autoencoder on {CaloAnomalyPipeline.TrainCount} {trained} ({CaloAnomalyPipeline.Epochs} epochs, final loss {calo.FinalLoss:F5}): {anomaly} flagged with ROC AUC {calo.Roc.Auc:F4}, {calo.Roc.AtMistagRate(0.01).SignalEfficiency:P1} of them at a 1 % rate of {trained}"));
    (string, IReadOnlyList<double>)[] caloScores = [(trained, calo.NormalScores.Select(Math.Log10).ToArray()), (anomaly, calo.AnomalyScores.Select(Math.Log10).ToArray())];
    Console.WriteLine($"Wrote {Plots.Histograms(caloScores, Path.Combine(output, $"calo_scores_trained_on_{trained}.png"), $"Convolutional autoencoder trained on {trained}", "log₁₀ reconstruction error", bins: 60, logY: true)}");
}

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
