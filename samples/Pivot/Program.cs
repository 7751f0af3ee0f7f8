using System.Globalization;
using DeepPhys.Plotting;
using DeepPhys.Samples.Pivot;

// Learning to pivot: a classifier decorrelated from the mass by an adversary that predicts the mass from its output.
double lambda = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : PivotPipeline.Lambda;
var alone = PivotPipeline.Run(seed: 1, lambda: 0);
var pivot = PivotPipeline.Run(seed: 1, lambda);
Console.WriteLine(Invariant($"{PivotPipeline.TrainCount} training, {PivotPipeline.TestCount} test events; {PivotPipeline.Epochs} epochs, the adversary's term from epoch {PivotPipeline.PretrainEpochs + 1}"));
Console.WriteLine(Invariant($"Cut on the classifier's output keeping {PivotPipeline.BackgroundEfficiency:P0} of the background; Jensen–Shannon divergence of its mass spectrum before/after the cut ({PivotPipeline.HistogramBins} bins)"));
Console.WriteLine(Invariant($"{"",-24} {"ROC AUC",8} {"JSD (bits)",11} {"adversary CE",13}"));
Console.WriteLine(Invariant($"{"classifier alone",-24} {alone.Roc.Auc,8:F4} {alone.Divergence,11:F4} {alone.AdversaryLoss[^1],13:F4}"));
Console.WriteLine(Invariant($"{$"with adversary, λ = {lambda}",-24} {pivot.Roc.Auc,8:F4} {pivot.Divergence,11:F4} {pivot.AdversaryLoss[^1],13:F4}"));
Console.WriteLine(Invariant($"Sculpting reduced {alone.Divergence / pivot.Divergence:F1}×, at an AUC cost of {alone.Roc.Auc - pivot.Roc.Auc:F4}"));

var output = Path.Combine(AppContext.BaseDirectory, "output");
Console.WriteLine();
Console.WriteLine($"Wrote {Plots.Histograms([("background, no cut", alone.BackgroundMasses), ("after the cut, classifier alone", alone.SelectedMasses), ("after the cut, with adversary", pivot.SelectedMasses)], Path.Combine(output, "mass_sculpting.png"), "Background mass after a cut keeping 10 % of it", "mass", bins: PivotPipeline.HistogramBins)}");
Console.WriteLine($"Wrote {Plots.Roc([("classifier alone", alone.Roc), ($"with adversary (λ = {lambda})", pivot.Roc)], Path.Combine(output, "roc.png"), "The cost of decorrelation")}");
double[] epochs = Enumerable.Range(1, PivotPipeline.Epochs).Select(e => (double)e).ToArray();
Console.WriteLine($"Wrote {Plots.Curves([new Series("classifier alone: BCE", epochs, alone.ClassifierLoss), new Series("with adversary: BCE", epochs, pivot.ClassifierLoss), new Series("adversary CE (classifier alone)", epochs, alone.AdversaryLoss), new Series("adversary CE (with adversary)", epochs, pivot.AdversaryLoss)], Path.Combine(output, "losses.png"), "Losses per epoch", "epoch", "loss")}");

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
