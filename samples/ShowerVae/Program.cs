using System.Globalization;
using DeepPhys.Plotting;
using DeepPhys.Samples.ShowerVae;
using DeepPhys.Samples.Shared;

// A variational autoencoder of calorimeter showers: trained on electron showers, it generates new ones from its prior.
Console.WriteLine(new ShowerVae().Summary);
var result = TrainingProgress.Run("ShowerVae", ShowerPipeline.Epochs, progress => ShowerPipeline.Run(seed: 1, progress: progress));
Console.WriteLine($"{ShowerPipeline.TrainCount} electron showers of 12 × 12 cells for training; {ShowerPipeline.CompareCount} real test showers against {ShowerPipeline.CompareCount} generated from z ~ N(0, 1)");
Console.WriteLine(result.History[^1]);
var (real, generated) = (result.Real, result.Generated);
var floor = result.ReferenceDistances;
Console.WriteLine(Invariant($"{"",-16} {"real mean",10} {"real std",9} {"gen. mean",10} {"gen. std",9} {"W1",8} {"W1 real/real",13}"));
Console.WriteLine(Invariant($"{"total energy",-16} {real.Energy.Average(),10:F4} {Std(real.Energy),9:F4} {generated.Energy.Average(),10:F4} {Std(generated.Energy),9:F4} {result.EnergyDistance,8:F4} {floor.Energy,13:F4}"));
Console.WriteLine(Invariant($"{"width (cells)",-16} {real.Width.Average(),10:F4} {Std(real.Width),9:F4} {generated.Width.Average(),10:F4} {Std(generated.Width),9:F4} {result.WidthDistance,8:F4} {floor.Width,13:F4}"));

var output = Path.Combine(AppContext.BaseDirectory, "output");
Console.WriteLine();
Console.WriteLine($"Wrote {Plots.Histograms([("real", real.Energy), ("generated", generated.Energy)], Path.Combine(output, "energy.png"), "Total energy: real vs generated showers", "sum of the cells")}");
Console.WriteLine($"Wrote {Plots.Histograms([("real", real.Width), ("generated", generated.Width)], Path.Combine(output, "width.png"), "Shower width: real vs generated", "width (cells)")}");
Console.WriteLine($"Wrote {Plots.Histograms([("real", real.CentreColumn), ("generated", generated.CentreColumn)], Path.Combine(output, "centre.png"), "Shower centre: real vs generated", "energy-weighted column")}");
Console.WriteLine($"Wrote {Plots.ScatterByValue(result.Latent.Z1, result.Latent.Z2, real.CentreColumn, Path.Combine(output, "latent.png"), "Latent space: μ of real showers by their centre column", "z₁", "z₂", "centre column")}");
Console.WriteLine($"Wrote {Plots.LearningCurves(result.History, Path.Combine(output, "loss.png"), "VAE loss (mse + β · kl)")}");

static double Std(double[] values) => Math.Sqrt(values.Select(v => (v - values.Average()) * (v - values.Average())).Average());

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
