using DeepPhys.Plotting;
using DeepPhys.Samples.Optimizers;
using DeepPhys.Samples.Shared;

// SGD, momentum, RMSProp and Adam on y = sin 3x + noise: same data, same initial parameters, same shuffling.
var runs = OptimizerComparison.RunAll(seed: 3, TrainingProgress.Run);
const double target = 0.02;

Console.WriteLine();
Console.WriteLine($"optimizer                  loss@1    loss@10   loss@{OptimizerComparison.Epochs}   val_loss@{OptimizerComparison.Epochs}   epochs to val_loss ≤ {target}");
foreach (var run in runs)
{
    var h = run.History;
    string reached = OptimizerComparison.EpochsTo(h, target) is { } epoch ? epoch.ToString() : "never";
    Console.WriteLine($"{run.Name,-25} {h.Loss[0],8:F4} {h.Loss[9],10:F4} {h.Loss[^1],9:F4} {h.ValidationLoss[^1],13:F4}   {reached}");
}

var epochs = Enumerable.Range(1, OptimizerComparison.Epochs).Select(e => (double)e).ToArray();
var series = runs.Select(r => new Series(r.Name, epochs, r.History.ValidationLoss.Select(Math.Log10).ToArray())).ToList();
var output = Path.Combine(AppContext.BaseDirectory, "output");
Console.WriteLine();
Console.WriteLine($"Wrote {Plots.Curves(series, Path.Combine(output, "optimizers.png"), "Optimizers on the same problem: validation loss", "epoch", "log₁₀ validation loss (MSE)")}");
