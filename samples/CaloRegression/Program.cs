using DeepPhys.Plotting;
using DeepPhys.Samples.CaloRegression;

// Energy regression in a toy sampling calorimeter: 8 layer deposits → the electron's true energy.
var result = CaloPipeline.Run(seed: 1);
Console.WriteLine($"Toy calorimeter: {ToyCalorimeter.Layers} layers × {ToyCalorimeter.LayerDepth} X0, a = {ToyCalorimeter.Stochastic} √GeV, c = {ToyCalorimeter.Constant:P0}, " +
                  $"sampling fraction {ToyCalorimeter.SamplingFraction}, noise {ToyCalorimeter.Noise * 1000} MeV per layer; electrons of 2–100 GeV");
Console.WriteLine($"20000 training, 5000 validation, {result.TrueEnergy.Length} test electrons");
Console.WriteLine(result.History[^1]);
Console.WriteLine($"Calibrated sum: E = {result.Calibration:F3} × Σ deposits (fitted on the training electrons)");
Console.WriteLine();
Console.WriteLine("Relative error r = (E_pred − E_true)/E_true on the test electrons: mean (bias) and σ (resolution)");
Console.WriteLine("E_true (GeV)   events   network mean    σ(r)   calibrated sum mean    σ(r)   sampling model σ/E at bin centre");
foreach (var bin in result.Bins)
{
    string range = bin.Low == CaloPipeline.BinEdges[0] && bin.High == CaloPipeline.BinEdges[^1] ? "all" : $"{bin.Low:F0}–{bin.High:F0}";
    Console.WriteLine($"{range,-12} {bin.Count,8}   {Signed(bin.NetworkMean),12}  {bin.NetworkSigma,6:F3}   {Signed(bin.SumMean),19}  {bin.SumSigma,6:F3}   {ToyCalorimeter.ExpectedResolution((bin.Low + bin.High) / 2),10:F3}");
}

var output = Path.Combine(AppContext.BaseDirectory, "output");
Console.WriteLine();
Console.WriteLine($"Wrote {Plots.PredictedVersusTrue(result.TrueEnergy, result.Predicted, Path.Combine(output, "predicted_vs_true.png"), "energy (GeV)", "Toy calorimeter: network energy vs true energy")}");
Console.WriteLine($"Wrote {Plots.LearningCurves(result.History, Path.Combine(output, "learning_curves.png"), "Toy calorimeter: learning curves (MSE of the correction factor)")}");

static string Signed(double value) => value.ToString("+0.000;-0.000", System.Globalization.CultureInfo.InvariantCulture);
