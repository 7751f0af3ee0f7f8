using DeepPhys.Data;
using DeepPhys.Optimizers;
using DeepPhys.Plotting;
using DeepPhys.Samples.Iris;
using DeepPhys.Training;

// Stratified 5-fold cross-validation of the lecture's Iris network: each flower is held out once,
// a fresh network (seeded by the fold number) is trained on the other four folds, with a
// StandardScaler fitted on those four folds only.
var csv = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "iris.csv");
var iris = Dataset<float>.FromCsv(csv, target: "species");
var result = CrossValidation.Run(fold => new IrisClassifier(seed: fold), iris, k: 5,
    new FitSettings(() => new Adam(learningRate: 1e-2), Epochs: 100, BatchSize: 16), seed: 7);

Console.WriteLine($"Stratified 5-fold cross-validation on {iris.Count} flowers, 100 epochs of Adam (lr 0.01) per fold");
Console.WriteLine(result);
var (mean, std) = result.Accuracy!.Value;
Console.WriteLine($"Held-out accuracy: {mean:P1} ± {std:P1} (population std over the folds)");

var output = Path.Combine(AppContext.BaseDirectory, "output");
Console.WriteLine($"Wrote {Plots.FoldSpread(result, Path.Combine(output, "fold_spread.png"), "Iris: stratified k-fold cross-validation")}");
