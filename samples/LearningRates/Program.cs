using DeepPhys.Plotting;
using DeepPhys.Samples.LearningRates;
using DeepPhys.Samples.Shared;

// Too small, just right, too large: plain SGD on y = sin 3x + noise at three learning rates.
var runs = LearningRateDemo.RunAll(seed: 3, TrainingProgress.Run);

Console.WriteLine();
Console.WriteLine("rate         run          epochs   loss after 1   final loss   final val_loss");
foreach (var run in runs)
{
    var h = run.History;
    Console.WriteLine($"{run.Rate,-12:G3} {run.Name,-12} {h.Count,6}   {h.Loss[0],12:G4}   {h.Loss[^1],10:G4}   {h.ValidationLoss[^1],14:G4}");
}

Console.WriteLine();
foreach (var run in runs.Where(r => r.History.StopReason is not null)) Console.WriteLine($"{run.Name}: {run.History.StopReason}");

// The loss of every step on a log scale; the diverged run's line ends at its last finite loss.
var series = runs.Select(r =>
{
    var finite = r.StepLosses.Select((loss, step) => (Step: step + 1.0, Loss: loss)).Where(p => double.IsFinite(p.Loss)).ToArray();
    return new Series($"SGD η = {r.Rate:G3} ({r.Name})", finite.Select(p => p.Step).ToArray(), finite.Select(p => Math.Log10(p.Loss)).ToArray());
}).ToList();
var output = Path.Combine(AppContext.BaseDirectory, "output");
Console.WriteLine();
Console.WriteLine($"Wrote {Plots.Curves(series, Path.Combine(output, "learning_rates.png"), "Learning rate: too small, just right, too large", "step", "log₁₀ training loss")}");
