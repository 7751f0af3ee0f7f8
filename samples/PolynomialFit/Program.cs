using DeepPhys.Plotting;
using DeepPhys.Samples.PolynomialFit;

// Over- and under-fitting: polynomials of degree 1, 3 and 10 on 10 noisy points of y = 2x.
var result = PolynomialDemo.Run(seed: 1);

Console.WriteLine("10 training points of y = 2x + N(0, 0.3²), x uniform in [0, 1]; 1000 test points of the same law.");
Console.WriteLine("The noise alone gives a test MSE of 0.09.");
Console.WriteLine();
Console.WriteLine("degree   training MSE   test MSE");
foreach (var fit in result.Fits) Console.WriteLine($"{fit.Degree,6}   {fit.TrainMse,12:G4}   {fit.TestMse,8:G4}");

var series = new List<Series> { new("training points", result.Train.X, result.Train.Y, SeriesStyle.Markers) };
series.AddRange(result.Fits.Select(f => new Series($"degree {f.Degree}", f.CurveX, f.CurveY)));
series.Add(new Series("truth y = 2x", [0, 1], [0, 2]));
var output = Path.Combine(AppContext.BaseDirectory, "output");
Console.WriteLine();
Console.WriteLine($"Wrote {Plots.Curves(series, Path.Combine(output, "polynomial_fits.png"), "Polynomial fits to 10 noisy points of y = 2x", "x", "y")}");
