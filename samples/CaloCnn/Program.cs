using DeepPhys.Plotting;
using DeepPhys.Samples.CaloCnn;

// Electron/pion separation from toy calorimeter images with a small CNN.
const int Seed = 1, TrainCount = 6000, TestCount = 4000;
var result = CaloCnnPipeline.Run(Seed, TrainCount, TestCount, epochs: 6);
Console.WriteLine($"Toy calorimeter images: {CaloImages.Size} × {CaloImages.Size} cells, narrow electron vs wide pion showers; {TrainCount} training, {TestCount} test images");
Console.WriteLine($"Test accuracy: {result.Accuracy:P1}, ROC AUC {result.Auc:F4}");
Console.WriteLine($"Electron efficiency at a {result.MistagRate:P0} pion mistag rate: CNN {result.Efficiency:P1}, shower-width cut {result.WidthEfficiency:P1}");

var output = Path.Combine(AppContext.BaseDirectory, "output");
Console.WriteLine($"Wrote {Plots.Rejection([("CNN", result.Roc), ("shower-width cut", result.WidthRoc)], Path.Combine(output, "rejection.png"), "Toy calorimeter: pion rejection vs electron efficiency")}");
Console.WriteLine($"Wrote {Plots.ScoreHistograms(result.Scores, result.Labels, Path.Combine(output, "scores.png"), "CNN score: pions (background), electrons (signal)", logY: true)}");

// The test images again (the same seed), to show the mean shower of each particle and one of each.
var (images, labels) = CaloImages.Generate(TestCount, Seed + 1);
const int Cells = CaloImages.Size * CaloImages.Size;
Console.WriteLine($"Wrote {Plots.Images([("mean pion", Mean(0)), ("mean electron", Mean(1)), ("a pion", Image(Array.IndexOf(labels, 0))), ("an electron", Image(Array.IndexOf(labels, 1)))],
    Path.Combine(output, "showers.png"), "Toy calorimeter showers (fraction of the energy per cell)", width: 1200, height: 400)}");

double[] Image(int index) => images.AsSpan(index * Cells, Cells).ToArray().Select(pixel => (double)pixel).ToArray();

double[] Mean(int label)
{
    int[] members = Enumerable.Range(0, labels.Length).Where(i => labels[i] == label).ToArray();
    var mean = new double[Cells];
    foreach (int i in members)
    {
        for (int cell = 0; cell < Cells; cell++) mean[cell] += images[(i * Cells) + cell] / (double)members.Length;
    }

    return mean;
}
