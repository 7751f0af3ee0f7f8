using System.Buffers.Binary;
using DeepPhys.Data;
using DeepPhys.Metrics;
using DeepPhys.Optimizers;
using DeepPhys.Training;

namespace DeepPhys.Plotting.Tests;

/// <summary>Two features, three classes: enough to give a History with accuracy.</summary>
[Network(Loss = Loss.CategoricalCrossEntropy)]
[Input(2)]
[Dense(3, Activation.Softmax)]
public partial class TinyClassifier;

/// <summary>Two features, one real output: a History without accuracy.</summary>
[Network(Loss = Loss.MeanSquaredError)]
[Input(2)]
[Dense(1)]
public partial class TinyRegressor;

public sealed class PlotsTests : IDisposable
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private readonly string folder = Path.Combine(Path.GetTempPath(), "deepphys-plots-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void LearningCurvesOfAClassifierIsAPngOfTheRequestedSize()
    {
        var (train, validation) = ThreeClasses();
        var history = new TinyClassifier(seed: 1).Fit(train, new Adam(1e-2), epochs: 4, batchSize: 8, validation);
        string path = Plots.LearningCurves(history, Path.Combine(folder, "learning.png"), width: 640, height: 480);
        AssertPng(path, 640, 480);
    }

    [Fact]
    public void LearningCurvesOfARegressionHasOnlyTheLossPanel()
    {
        var data = new Dataset<float>([0, 1, 1, 0, 1, 1, 0, 0], 2, [1, 1, 2, 0], 1);
        var history = new TinyRegressor(seed: 1).Fit(data, new Sgd(0.1), epochs: 3, batchSize: 4);
        Assert.All(history.Accuracy, a => Assert.True(double.IsNaN(a)));
        AssertPng(Plots.LearningCurves(history, Path.Combine(folder, "regression.png"), width: 300, height: 200), 300, 200);
    }

    [Fact]
    public void RocCurvesSingleSeveralAndOneVsRest()
    {
        var roc = RocCurve.Compute([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
        AssertPng(Plots.Roc(roc, Path.Combine(folder, "roc.png")), Plots.DefaultWidth, Plots.DefaultHeight);
        var other = RocCurve.Compute([0.9, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
        AssertPng(Plots.Roc([("a", roc), ("b", other)], Path.Combine(folder, "two.png"), width: 500, height: 400), 500, 400);

        var ovr = OneVsRestRoc.Compute([0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.3, 0.3, 0.4, 0.6, 0.2, 0.2], [0, 1, 2, 0], ["a", "b", "c"]);
        AssertPng(Plots.Roc(ovr, Path.Combine(folder, "ovr.png"), width: 720, height: 540), 720, 540);
    }

    [Fact]
    public void ConfusionMatrixHeatMap()
    {
        var matrix = new ConfusionMatrix(["setosa", "versicolor", "virginica"]);
        matrix.Add(0, 0);
        matrix.Add(1, 2);
        matrix.Add(2, 2);
        AssertPng(Plots.ConfusionMatrix(matrix, Path.Combine(folder, "confusion.png"), width: 600, height: 500), 600, 500);
    }

    [Fact]
    public void PredictedVersusTrueFoldSpreadAndCurves()
    {
        AssertPng(Plots.PredictedVersusTrue([1, 2, 3], [1.1, 1.8, 3.3], Path.Combine(folder, "pvt.png"), "energy (GeV)", width: 400, height: 400), 400, 400);
        AssertPng(Plots.FoldSpread([0.9, 0.95, 1.0, 0.93, 0.97], Path.Combine(folder, "folds.png"), width: 410, height: 310), 410, 310);
        var series = new[] { new Series("points", [0, 1, 2], [0, 2, 4], SeriesStyle.Markers), new Series("fit", [0, 2], [0, 4]) };
        AssertPng(Plots.Curves(series, Path.Combine(folder, "curves.png"), "title", "x", "y", width: 333, height: 222), 333, 222);
    }

    [Fact]
    public void AnOldPictureIsReplacedAndNoTemporaryFileIsLeft()
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "folds.png");
        File.WriteAllText(path, "not a picture");
        Assert.Equal(Path.GetFullPath(path), Plots.FoldSpread([0.5, 0.7], path, width: 200, height: 150));
        AssertPng(path, 200, 150);
        Assert.Equal(["folds.png"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void BadArgumentsAreRefusedBeforeAnyFileIsWritten()
    {
        string path = Path.Combine(folder, "bad.png");
        Assert.Throws<ArgumentException>(() => Plots.PredictedVersusTrue([1, 2], [1], path));
        Assert.Throws<ArgumentException>(() => Plots.Curves([new Series("s", [], [])], path, "t", "x", "y"));
        Assert.Throws<ArgumentException>(() => Plots.FoldSpread([], path));
        Assert.Throws<ArgumentOutOfRangeException>(() => Plots.FoldSpread([1.0], path, width: 0));
        Assert.False(Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any());
    }

    private static (Dataset<float> Train, Dataset<float> Validation) ThreeClasses()
    {
        var features = new float[30 * 2];
        var labels = new int[30];
        for (int i = 0; i < 30; i++)
        {
            labels[i] = i % 3;
            features[2 * i] = labels[i] + 0.1f * (i % 5);
            features[2 * i + 1] = -labels[i] + 0.05f * (i % 7);
        }

        var data = Dataset<float>.FromClassLabels(features, 2, labels, 3);
        var order = Enumerable.Range(0, 30).ToArray();
        return (data.Subset(order[..24]), data.Subset(order[24..]));
    }

    private static void AssertPng(string path, int width, int height)
    {
        Assert.True(Path.IsPathFullyQualified(path));
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 1000, $"{path} has only {bytes.Length} bytes");
        Assert.Equal(PngSignature, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }
}
