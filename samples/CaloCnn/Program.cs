using DeepPhys.Samples.CaloCnn;

// Electron/pion separation from toy calorimeter images with a small CNN.
var result = CaloCnnPipeline.Run(seed: 1, trainCount: 6000, testCount: 4000, epochs: 6);
Console.WriteLine($"Toy calorimeter images: {CaloImages.Size} × {CaloImages.Size} cells, narrow electron vs wide pion showers; 6000 training, 4000 test images");
Console.WriteLine($"Test accuracy: {result.Accuracy:P1}, ROC AUC {result.Auc:F4}");
Console.WriteLine($"Electron efficiency at a {result.MistagRate:P0} pion mistag rate: CNN {result.Efficiency:P1}, shower-width cut {result.WidthEfficiency:P1}");
