using DeepPhys.Plotting;
using DeepPhys.Samples.Titanic;

// A Titanic-style survival classifier on a generated passenger list with categories and missing values.
const int Passengers = 1309, Seed = 1;
const double MistagRate = 0.10;
var output = Path.Combine(AppContext.BaseDirectory, "output");
Directory.CreateDirectory(output);
var csv = Path.Combine(output, "passengers.csv");
File.WriteAllText(csv, TitanicData.Generate(Passengers, Seed));

var result = TitanicPipeline.Run(csv, Seed);
Console.WriteLine($"Generated {Passengers} passengers (seed {Seed}) into {csv}");
foreach (var column in result.Table.Columns.Where(c => c.MissingCount > 0))
{
    Console.WriteLine($"  {column.Name}: {column.MissingCount} missing, filled with the training {(column.Numbers is null ? "mode" : "median")}");
}

Console.WriteLine($"Inputs after encoding: {string.Join(", ", result.Preprocessor.FeatureNames)}");
Console.WriteLine(result.History[^1]);
Console.WriteLine();

var test = result.Test;
var roc = test.Roc!;
var point = roc.AtMistagRate(MistagRate);
Console.WriteLine($"Test rows: {test.ConfusionMatrix!.Total} ({roc.Positives} survived, {roc.Negatives} died); survived is the signal class");
Console.WriteLine($"Accuracy {test.Accuracy:P1} (cut at 0.5), ROC AUC {roc.Auc:F3}");
Console.WriteLine($"Signal efficiency {point.SignalEfficiency:P1} at mistag rate ≤ {MistagRate:P0} (actual {point.MistagRate:P1}, cut at score ≥ {point.Threshold:F3})");
Console.WriteLine("Confusion matrix (rows: true, columns: predicted):");
Console.WriteLine(test.ConfusionMatrix);

Console.WriteLine($"Wrote {Plots.Roc(roc, Path.Combine(output, "roc.png"), "survival network", "Titanic-style test passengers: ROC curve")}");
Console.WriteLine($"Wrote {Plots.Rejection([("survival network", roc)], Path.Combine(output, "rejection.png"), "Titanic-style test passengers: rejection of the dead vs survivor efficiency")}");
Console.WriteLine($"Wrote {Plots.LearningCurves(result.History, Path.Combine(output, "learning_curves.png"), "Titanic-style survival: learning curves")}");
