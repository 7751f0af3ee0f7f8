using System.Diagnostics;
using System.Globalization;
using DeepPhys.Plotting;
using DeepPhys.Samples.ShowerGan;

// A GAN on toy calorimeter showers: a generator and a discriminator trained in alternation, the generator through the discriminator's input gradient.
Console.WriteLine(new ShowerGenerator().Summary);
Console.WriteLine(new ShowerDiscriminator().Summary);
var clock = Stopwatch.StartNew();
var result = ShowerGanPipeline.Run(seed: 1);
Console.WriteLine(Invariant($"{ShowerGanPipeline.TrainCount} electron showers, {ShowerGanPipeline.Steps} alternating steps of {ShowerGanPipeline.Batch}: {clock.Elapsed.TotalSeconds:F1} s"));
Console.WriteLine(Invariant($"Final losses (mean of the last {ShowerGanPipeline.LossWindow} steps): discriminator {result.DiscriminatorLoss[^1]:F4} (ln 2 = 0.6931 at equilibrium), generator {result.GeneratorLoss[^1]:F4}"));
Console.WriteLine(Invariant($"Wasserstein-1 distance to {ShowerGanPipeline.TestCount} real electron showers   {"energy",8} {"width",8}"));
Console.WriteLine(Invariant($"  generated                                          {result.Distances.Energy,8:F4} {result.Distances.Width,8:F4}"));
Console.WriteLine(Invariant($"  second real sample (statistical floor)             {result.Floor.Energy,8:F4} {result.Floor.Width,8:F4}"));
Console.WriteLine(Invariant($"  pion showers (a wrong distribution)                {result.Pions.Energy,8:F4} {result.Pions.Width,8:F4}"));
Console.WriteLine(Invariant($"Mean width: real {result.Real.Width.Average():F3}, generated {result.Generated.Width.Average():F3} cells; mean energy: real {result.Real.Energy.Average():F4}, generated {result.Generated.Energy.Average():F4}"));

var output = Path.Combine(AppContext.BaseDirectory, "output");
Console.WriteLine();
(string, IReadOnlyList<double>)[] Pair(double[] real, double[] generated) => [("real electrons", real), ("generated", generated)];
Console.WriteLine($"Wrote {Plots.Histograms(Pair(result.Real.Energy, result.Generated.Energy), Path.Combine(output, "energy.png"), "Total energy: generated vs real", "sum of cells")}");
Console.WriteLine($"Wrote {Plots.Histograms(Pair(result.Real.Width, result.Generated.Width), Path.Combine(output, "width.png"), "Shower width: generated vs real", "width (cells)")}");
double[] steps = Enumerable.Range(1, result.GeneratorLoss.Length).Select(i => (double)(i * ShowerGanPipeline.LossWindow)).ToArray();
Console.WriteLine($"Wrote {Plots.Curves([new Series("discriminator", steps, result.DiscriminatorLoss), new Series("generator (non-saturating)", steps, result.GeneratorLoss)], Path.Combine(output, "losses.png"), "GAN losses", "step", "loss")}");
var showers = result.RealShowers.Select((cells, i) => ($"real {i + 1}", cells)).Concat(result.GeneratedShowers.Select((cells, i) => ($"generated {i + 1}", cells)))
    .Select(s => (s.Item1, (IReadOnlyList<double>)s.cells.Select(c => (double)c).ToArray())).ToArray();
Console.WriteLine($"Wrote {Plots.Images(showers, Path.Combine(output, "showers.png"), "Real (top) and generated (bottom) electron showers", columns: 4)}");

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
