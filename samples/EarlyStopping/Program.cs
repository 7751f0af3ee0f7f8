using DeepPhys.Plotting;
using DeepPhys.Samples.EarlyStopping;
using DeepPhys.Samples.Shared;

// Early stopping: an over-parameterised network on 30 noisy points, validation loss watched.
var (history, stopper, restored) = EarlyStoppingDemo.Run(seed: 5, TrainingProgress.Run);
int best = stopper.BestEpoch;

Console.WriteLine();
Console.WriteLine(history.StopReason ?? $"No early stop within {EarlyStoppingDemo.Epochs} epochs.");
Console.WriteLine();
Console.WriteLine("epoch   loss     val_loss");
foreach (int epoch in new[] { 1, 10, 50, best / 2, best, (best + history.Count) / 2, history.Count }.Distinct().Order())
{
    var e = history[epoch - 1];
    Console.WriteLine($"{epoch,5}   {e.Loss,6:F4}   {e.Validation!.Loss,8:F4}{(epoch == best ? "   ← best, restored" : epoch == history.Count ? "   ← stopped" : "")}");
}

Console.WriteLine();
Console.WriteLine($"Validation loss of the restored network: {restored:F4} (the noise alone gives 0.09)");

// Both curves on a log scale, with the best and the stopping epoch as vertical lines.
var epochs = Enumerable.Range(1, history.Count).Select(e => (double)e).ToArray();
var loss = history.Loss.Select(Math.Log10).ToArray();
var validationLoss = history.ValidationLoss.Select(Math.Log10).ToArray();
double low = Math.Min(loss.Min(), validationLoss.Min()), high = Math.Max(loss.Max(), validationLoss.Max());
var output = Path.Combine(AppContext.BaseDirectory, "output");
Console.WriteLine($"Wrote {Plots.Curves(
    [
        new Series("training loss", epochs, loss),
        new Series("validation loss", epochs, validationLoss),
        new Series($"best epoch {best} (restored)", [best, best], [low, high]),
        new Series($"stopped at epoch {history.Count}", [history.Count, history.Count], [low, high]),
    ],
    Path.Combine(output, "early_stopping.png"), "Early stopping on an over-parameterised network", "epoch", "log₁₀ loss (MSE)")}");
