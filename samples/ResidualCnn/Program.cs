using DeepPhys.Samples.CaloCnn;
using DeepPhys.Samples.ResidualCnn;

// Electron/pion separation from toy calorimeter images with residual and dense blocks, beside the plain CNN of samples/CaloCnn.
const int seed = 1, trainCount = 4000, testCount = 4000, epochs = 5;
Console.WriteLine($"Toy calorimeter images: {CaloImages.Size} × {CaloImages.Size} cells, narrow electron vs wide pion showers; {trainCount} training, {testCount} test images");
var residual = new ResidualCnnClassifier(seed);
Console.WriteLine($"Residual network: {residual.ParameterCount} parameters, {residual.Definition.StateCount} batch-norm statistics");
var timer = System.Diagnostics.Stopwatch.StartNew();
var result = CaloCnnPipeline.Run(residual, seed, trainCount, testCount, epochs);
var residualTime = timer.Elapsed;
timer.Restart();
var plain = CaloCnnPipeline.Run(new CaloCnnClassifier(seed), seed, trainCount, testCount, epochs);
var plainTime = timer.Elapsed;

Console.WriteLine($"Test accuracy: residual {result.Accuracy:P1} (ROC AUC {result.Auc:F4}), plain CNN {plain.Accuracy:P1} (ROC AUC {plain.Auc:F4})");
Console.WriteLine($"Electron efficiency at a {result.MistagRate:P0} pion mistag rate: residual {result.Efficiency:P1}, plain CNN {plain.Efficiency:P1}, shower-width cut {result.WidthEfficiency:P1}");
Console.WriteLine($"Training time: residual {residualTime.TotalSeconds:F1} s, plain CNN {plainTime.TotalSeconds:F1} s");
