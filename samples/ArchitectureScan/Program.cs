using System.Diagnostics;
using DeepPhys.Plotting;
using DeepPhys.Samples.ArchitectureScan;
using DeepPhys.Scans;

// Two architecture scans, each from one parameterised DSL text compiled at run time per point, the points trained two at a time.
var output = Path.Combine(AppContext.BaseDirectory, "output");
var clock = Stopwatch.StartNew();

var polynomial = ArchitectureScanDemo.PolynomialScan(Path.Combine(output, "polynomial"));
Console.WriteLine("Polynomial degree scan: 10 training points of y = 2x + N(0, 0.3²), 200 validation points (noise alone: MSE 0.09)");
Console.WriteLine(polynomial);
polynomial.WriteCsv(Path.Combine(output, "polynomial.csv"));
Console.WriteLine($"wrote {Plots.Scan(polynomial, Path.Combine(output, "polynomial-scan.png"), metrics: ["train_mse", "validation_mse"], logY: true, title: "MSE vs polynomial degree")}");
Console.WriteLine();

var grid = ScanGrid.Parse("filters: [4, 8], depth: [1, 2]");
var cnn = ArchitectureScanDemo.CnnScan(Path.Combine(output, "cnn"), grid, trainCount: 2000, testCount: 2000, epochs: 3);
Console.WriteLine($"CNN scan on the calorimeter images ({grid}): 2000 training, 2000 test images, 3 epochs");
Console.WriteLine(cnn);
cnn.WriteCsv(Path.Combine(output, "cnn.csv"));
Console.WriteLine($"wrote {Plots.Scan(cnn, Path.Combine(output, "cnn-scan.png"), title: "ROC AUC vs CNN width and depth")}");
Console.WriteLine($"{clock.Elapsed.TotalSeconds:F0} s; Scan.Merge(\"{Path.Combine(output, "cnn")}\") rebuilds the table from the JSON files");
