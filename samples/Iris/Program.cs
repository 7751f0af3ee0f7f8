using DeepPhys.Plotting;
using DeepPhys.Samples.Iris;
using DeepPhys.Samples.Shared;

// The lecture's Iris example: Dense 16 ReLU ×3 → softmax, Adam, categorical cross-entropy.
var csv = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "iris.csv");
Console.WriteLine(new IrisClassifier().Summary);

var result = TrainingProgress.Run("Iris", IrisPipeline.Epochs, progress => IrisPipeline.Run(csv, seed: 7, progress));

Console.WriteLine();
Console.WriteLine($"Test loss {result.Test.Loss:F4}, test accuracy {result.Test.Accuracy:P1} on {result.Test.ConfusionMatrix!.Total} flowers");
Console.WriteLine();
Console.WriteLine("Confusion matrix (rows: true species, columns: predicted):");
Console.WriteLine(result.Test.ConfusionMatrix);

// Pictures beside the binary: the learning curve, one ROC curve per species against the rest, the confusion matrix.
var output = Path.Combine(AppContext.BaseDirectory, "output");
Console.WriteLine();
Console.WriteLine($"Macro-averaged one-vs-rest ROC AUC on the test part: {result.Test.RocPerClass!.MacroAuc:F3}");
Console.WriteLine($"Wrote {Plots.LearningCurves(result.History, Path.Combine(output, "learning_curves.png"), "Iris: learning curves")}");
Console.WriteLine($"Wrote {Plots.Roc(result.Test.RocPerClass, Path.Combine(output, "roc_curves.png"), "Iris test part: ROC, one species vs the rest")}");
Console.WriteLine($"Wrote {Plots.ConfusionMatrix(result.Test.ConfusionMatrix, Path.Combine(output, "confusion_matrix.png"), "Iris test part: confusion matrix")}");

