using DeepPhys.Scans;
using System.Buffers.Binary;
using System.Globalization;
using DeepPhys.Data;
using DeepPhys.Metrics;
using DeepPhys.Optimizers;
using DeepPhys.Training;
using ScottPlot;
using ScottPlot.Plottables;

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
    public void LearningCurvesOfAClassifier_DrawLossAndAccuracyPanels_TrainingAndValidation()
    {
        var (train, validation) = ThreeClasses();
        var history = new TinyClassifier(seed: 1).Fit(train, new Adam(1e-2), epochs: 4, batchSize: 8, validation);

        var panels = Plots.LearningCurvesFigure(history, "Tiny").GetPlots();

        Assert.Equal(2, panels.Length);
        AssertLabels(panels[0], "Tiny", "epoch", "loss");
        AssertLines(panels[0], ("training", [1, 2, 3, 4], history.Loss), ("validation", [1, 2, 3, 4], history.ValidationLoss));
        AssertLabels(panels[1], "", "epoch", "accuracy");
        AssertLines(panels[1], ("training", [1, 2, 3, 4], history.Accuracy), ("validation", [1, 2, 3, 4], history.ValidationAccuracy));
        AssertPng(Plots.LearningCurves(history, Path.Combine(folder, "learning.png"), width: 640, height: 480), 640, 480);
    }

    [Fact]
    public void LearningCurvesOfARegression_DrawOnlyTheTrainingLoss()
    {
        var data = new Dataset<float>([0, 1, 1, 0, 1, 1, 0, 0], 2, [1, 1, 2, 0], 1);
        var history = new TinyRegressor(seed: 1).Fit(data, new Sgd(0.1), epochs: 3, batchSize: 4);
        Assert.All(history.Accuracy, a => Assert.True(double.IsNaN(a)));

        var panel = Assert.Single(Plots.LearningCurvesFigure(history, "Learning curves").GetPlots());

        AssertLabels(panel, "Learning curves", "epoch", "loss");
        AssertLines(panel, ("training", [1, 2, 3], history.Loss));
        AssertPng(Plots.LearningCurves(history, Path.Combine(folder, "regression.png"), width: 300, height: 200), 300, 200);
    }

    /// <summary>Scores 0.1, 0.4, 0.35, 0.8 for labels 0, 0, 1, 1: the curve (0, 0), (0, ½), (½, ½), (½, 1), (1, 1), area ¾.</summary>
    [Fact]
    public void RocCurve_DrawsMistagRateAcrossAndEfficiencyUp_WithItsAreaAndTheDiagonal()
    {
        var roc = RocCurve.Compute([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);

        var plot = Plots.RocPlot([("classifier", roc)], "ROC curve");

        AssertLabels(plot, "ROC curve", "mistag rate (false-positive rate)", "signal efficiency (true-positive rate)");
        AssertLines(plot, ("classifier (AUC = 0.750)", [0, 0, 0.5, 0.5, 1], [0, 0.5, 0.5, 1, 1]));
        var diagonal = Assert.Single(plot.GetPlottables<LinePlot>());
        Assert.Equal(("random guess", new Coordinates(0, 0), new Coordinates(1, 1)), (diagonal.LegendText, diagonal.Start, diagonal.End));
        AssertPng(Plots.Roc(roc, Path.Combine(folder, "roc.png")), Plots.DefaultWidth, Plots.DefaultHeight);
    }

    [Fact]
    public void SeveralRocCurves_EachFromItsCurve_EarlierOnesWider()
    {
        var first = RocCurve.Compute([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
        var second = RocCurve.Compute([0.9, 0.4, 0.35, 0.8], [0, 0, 1, 1]);

        var plot = Plots.RocPlot([("a", first), ("b", second)], "two");

        AssertLines(plot, ("a (AUC = 0.750)", first.FalsePositiveRates, first.TruePositiveRates), ("b (AUC = 0.250)", second.FalsePositiveRates, second.TruePositiveRates));
        Assert.Equal([4f, 2f], plot.GetPlottables<Scatter>().Select(line => line.LineWidth));
        AssertPng(Plots.Roc([("a", first), ("b", second)], Path.Combine(folder, "two.png"), width: 500, height: 400), 500, 400);
    }

    [Fact]
    public void OneVsRestRoc_DrawsOneCurvePerClass_AndTheMacroAreaInTheTitle()
    {
        var ovr = OneVsRestRoc.Compute([0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.3, 0.3, 0.4, 0.6, 0.2, 0.2], [0, 1, 2, 0], ["a", "b", "c"]);

        var plot = Plots.RocPlot(ovr, "per class");

        Assert.Equal(Invariant($"per class (macro AUC = {ovr.MacroAuc:F3})"), plot.Axes.Title.Label.Text);
        AssertLines(plot, [.. ovr.ClassNames.Zip(ovr.Curves, (name, curve) => (Invariant($"{name} (AUC = {curve.Auc:F3})"), curve.FalsePositiveRates, curve.TruePositiveRates))]);
        AssertPng(Plots.Roc(ovr, Path.Combine(folder, "ovr.png"), width: 720, height: 540), 720, 540);
    }

    /// <summary>
    /// a: the curve (0, 0), (0, ½), (½, ½), (½, 1), (1, 1); b: 100 backgrounds at 0, 0.01, …, 0.99 and signals at 0.995 and 0.985,
    /// the curve (0, 0), (0, ½), (0.01, ½), (0.01, 1), (1, 1), area 0.005 + 0.99. Points at ε_B = 0 are left out; 1/ε_B is
    /// drawn as log₁₀: 2 → 0.301, 100 → 2.
    /// </summary>
    [Fact]
    public void Rejection_DrawsLogOfOneOverMistagAgainstEfficiency_WithoutTheInfinitePoints()
    {
        var a = RocCurve.Compute([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
        double[] scores = [.. Enumerable.Range(0, 100).Select(i => i / 100.0), 0.995, 0.985];
        int[] labels = [.. Enumerable.Repeat(0, 100), 1, 1];
        var b = RocCurve.Compute(scores, labels);

        var plot = Plots.RejectionPlot([("a", a), ("b", b)], "HEP");

        AssertLabels(plot, "HEP", "signal efficiency ε_S", "background rejection 1/ε_B (log scale)");
        var drawn = plot.GetPlottables<Scatter>().ToArray();
        AssertLines(plot.GetPlottables<Scatter>().Take(2),
            ("a (AUC = 0.750)", [0.5, 1, 1], [Math.Log10(2), Math.Log10(2), 0]), ("b (AUC = 0.995)", [0.5, 1, 1], [2, 2, 0]));
        var guess = drawn[2].Data.GetScatterPoints();
        Assert.Equal("random guess", drawn[2].LegendText);
        Assert.Equal((0.01, 1.0), (guess[0].X, guess[^1].X), new ToleranceComparer());
        Assert.All(guess, point => Assert.Equal(-Math.Log10(point.X), point.Y, 1e-12));   // 1/ε_B = 1/ε_S
        plot.RenderInMemory(400, 300);
        Assert.Equal([(0.0, "1"), (1.0, "10"), (2.0, "100")], plot.Axes.Left.TickGenerator.Ticks.Where(t => t.IsMajor).Select(t => (t.Position, t.Label)));
        AssertPng(Plots.Rejection([("a", a), ("b", b)], Path.Combine(folder, "rejection.png"), width: 640, height: 480), 640, 480);
    }

    [Fact]
    public void Rejection_OfAPerfectClassifier_KeepsOnlyFinitePoints_AndPerClassCurvesAreLabelledByClass()
    {
        var perfect = RocCurve.Compute([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]);
        var plot = Plots.RejectionPlot([("perfect", perfect)], "t");
        AssertLines(plot.GetPlottables<Scatter>().Take(1), ("perfect (AUC = 1.000)", [1], [0]));
        Assert.All(plot.GetPlottables<Scatter>().SelectMany(s => s.Data.GetScatterPoints()), p => Assert.True(double.IsFinite(p.X) && double.IsFinite(p.Y)));

        var ovr = OneVsRestRoc.Compute([0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.3, 0.3, 0.4, 0.6, 0.2, 0.2], [0, 1, 2, 0], ["q", "W", "t"]);
        string path = Plots.Rejection(ovr, Path.Combine(folder, "per-class.png"), width: 500, height: 400);
        AssertPng(path, 500, 400);
        var perClass = Plots.RejectionPlot(ovr, "jets");
        Assert.Equal(Invariant($"jets (macro AUC = {ovr.MacroAuc:F3})"), perClass.Axes.Title.Label.Text);
        Assert.Equal(["q", "W", "t", "random"], perClass.GetPlottables<Scatter>().Select(s => s.LegendText.Split(' ')[0]));
    }

    /// <summary>Scores 0.1, 0.2, 0.7 (background) and 0.9, 0.8 (signal) in two bins [0.1, 0.5), [0.5, 0.9]: background ⅔, ⅓; signal 0, 1.</summary>
    [Fact]
    public void ScoreHistograms_SplitBackgroundAndSignal_EachNormalised()
    {
        double[] scores = [0.1, 0.2, 0.9, 0.8, 0.7];
        int[] labels = [0, 0, 1, 1, 0];

        var plot = Plots.ScoreHistogramsPlot(scores, labels, "Scores", bins: 2, logY: false);

        AssertLabels(plot, "Scores", "classifier score", "fraction per bin");
        AssertLines(plot, ("background", [0.1, 0.5, 0.9], [2.0 / 3, 1.0 / 3, 1.0 / 3]), ("signal", [0.1, 0.5, 0.9], [0, 1, 1]));
        var log = Plots.ScoreHistogramsPlot(scores, labels, "Scores", bins: 2, logY: true);
        Assert.Equal("fraction per bin (log scale)", log.Axes.Left.Label.Text);
        AssertPng(Plots.ScoreHistograms(scores, labels, Path.Combine(folder, "scores.png"), bins: 2, logY: true, width: 300, height: 250), 300, 250);
    }

    /// <summary>p_T 1, 10, 100, 1000 GeV in three bins of 333 GeV: light and W all in the first bin, top in the last; Z has no jet and no line.</summary>
    [Fact]
    public void FeatureHistograms_DrawAHistogramPerClassThatHasSamples()
    {
        double[] pt = [1, 10, 100, 1000];
        int[] labels = [0, 1, 1, 2];
        string[] classes = ["light", "W", "top", "Z"];

        var plot = Plots.HistogramsPlot(Plots.ByClass(pt, labels, classes), "jet p_T (GeV)", "jet p_T (GeV)", bins: 3, logY: false);

        AssertLabels(plot, "jet p_T (GeV)", "jet p_T (GeV)", "fraction per bin");
        double[] edges = [1, 334, 667, 1000];
        AssertLines(plot, ("light", edges, [1, 0, 0, 0]), ("W", edges, [1, 0, 0, 0]), ("top", edges, [0, 0, 1, 1]));
        AssertPng(Plots.FeatureHistograms(pt, labels, classes, Path.Combine(folder, "pt.png"), "jet p_T (GeV)", bins: 3, width: 350, height: 250), 350, 250);
        var error = Assert.Throws<ArgumentException>("labels", () => Plots.FeatureHistograms(pt, [0, 1, 4, 2], classes, Path.Combine(folder, "bad.png"), "p_T"));
        Assert.StartsWith("labels[2] is 4; a class index from 0 to 3 (light, W, top, Z) expected.", error.Message);
        Assert.Throws<ArgumentException>("labels", () => Plots.ScoreHistograms([0.5, 0.6], [1], Path.Combine(folder, "bad.png")));
        Assert.False(File.Exists(Path.Combine(folder, "bad.png")));
    }

    [Fact]
    public void LearningRate_DrawsEachEpochsRate_OnADecadeAxis()
    {
        Directory.CreateDirectory(folder);
        string csv = Path.Combine(folder, "history.csv");
        File.WriteAllLines(csv, ["epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds", "1,1,,,,0.1,1", "2,0.5,,,,0.01,2", "3,0.4,,,,0.001,3"]);
        var history = History.LoadCsv(csv);

        var plot = Plots.LearningRatePlot(history, "Schedule", logY: true);

        AssertLabels(plot, "Schedule", "epoch", "learning rate (log scale)");
        AssertLines(plot, ("learning rate", [1, 2, 3], [-1, -2, -3]));
        plot.RenderInMemory(400, 300);
        Assert.Equal([(-3.0, "0.001"), (-2.0, "0.01"), (-1.0, "0.1")], plot.Axes.Left.TickGenerator.Ticks.Where(t => t.IsMajor).Select(t => (t.Position, t.Label)));
        AssertLines(Plots.LearningRatePlot(history, "Schedule", logY: false), ("learning rate", [1, 2, 3], [0.1, 0.01, 0.001]));
        AssertPng(Plots.LearningRate(history, Path.Combine(folder, "lr.png"), width: 420, height: 300), 420, 300);
    }

    /// <summary>Rows are true classes: setosa 1 of 1 right; versicolor 1 right, 1 as virginica; virginica 2 right, 1 as setosa.</summary>
    [Fact]
    public void ConfusionMatrix_ColoursEachCellByItsRowFraction_AndWritesFractionAndCount()
    {
        var matrix = new ConfusionMatrix(["setosa", "versicolor", "virginica"]);
        foreach (var (actual, predicted) in new[] { (0, 0), (1, 1), (1, 2), (2, 2), (2, 2), (2, 0) }) matrix.Add(actual, predicted);

        var plot = Plots.ConfusionMatrixPlot(matrix, "Iris");

        AssertLabels(plot, "Iris (colour: fraction of the true class)", "predicted class", "true class");
        double third = 1.0 / 3;
        Assert.Equal(new double[,] { { 1, 0, 0 }, { 0, 0.5, 0.5 }, { third, 0, 2 * third } }, Assert.Single(plot.GetPlottables<Heatmap>()).Intensities);
        // Row 0 is drawn at the top: the cell (true r, predicted c) is centred at (c, 2 − r).
        var texts = plot.GetPlottables<Text>().ToDictionary(text => (text.Location.X, text.Location.Y), text => text.LabelText);
        Assert.Equal(9, texts.Count);
        Assert.Equal("1.00\n(1)", texts[(0, 2)]);
        Assert.Equal("0.00\n(0)", texts[(1, 2)]);
        Assert.Equal("0.50\n(1)", texts[(1, 1)]);
        Assert.Equal("0.50\n(1)", texts[(2, 1)]);
        Assert.Equal("0.33\n(1)", texts[(0, 0)]);
        Assert.Equal("0.67\n(2)", texts[(2, 0)]);
        AssertPng(Plots.ConfusionMatrix(matrix, Path.Combine(folder, "confusion.png"), width: 600, height: 500), 600, 500);
    }

    [Fact]
    public void PredictedVersusTrue_DrawsOneMarkerPerSample_AndTheDiagonalOverTheirRange()
    {
        var plot = Plots.PredictedVersusTruePlot([1, 2, 3], [1.1, 1.8, 3.3], "energy (GeV)", "Energy");

        AssertLabels(plot, "Energy", "true energy (GeV)", "predicted energy (GeV)");
        AssertLines(plot, ("samples", [1, 2, 3], [1.1, 1.8, 3.3]));
        var ideal = Assert.Single(plot.GetPlottables<LinePlot>());
        Assert.Equal((new Coordinates(1, 1), new Coordinates(3.3, 3.3)), (ideal.Start, ideal.End));
        AssertPng(Plots.PredictedVersusTrue([1, 2, 3], [1.1, 1.8, 3.3], Path.Combine(folder, "pvt.png"), "energy (GeV)", width: 400, height: 400), 400, 400);
    }

    /// <summary>Folds 0.9, 0.95, 1.0, 0.93, 0.97: mean 0.95, population variance 0.0058 / 5.</summary>
    [Fact]
    public void FoldSpread_DrawsEachFold_TheMeanAndTheStandardDeviationBand()
    {
        double[] folds = [0.9, 0.95, 1.0, 0.93, 0.97];
        double std = Math.Sqrt(0.0058 / 5);

        var plot = Plots.FoldSpreadPlot(folds, "accuracy", "CV");

        AssertLabels(plot, "CV (5 folds)", "fold", "accuracy");
        AssertLines(plot, ("fold", [1, 2, 3, 4, 5], folds));
        Assert.Equal(0.95, Assert.Single(plot.GetPlottables<HorizontalLine>()).Y, 1e-12);
        var band = Assert.Single(plot.GetPlottables<VerticalSpan>());
        Assert.Equal(0.95 - std, band.Bottom, 1e-12);
        Assert.Equal(0.95 + std, band.Top, 1e-12);
        Assert.Equal("mean ± std = 0.950 ± 0.034", band.LegendText);
        AssertPng(Plots.FoldSpread(folds, Path.Combine(folder, "folds.png"), width: 410, height: 310), 410, 310);
    }

    [Fact]
    public void Curves_DrawEachSeriesInOrder_AsMarkersOrLines()
    {
        var series = new[] { new Series("points", [0, 1, 2], [0, 2, 4], SeriesStyle.Markers), new Series("fit", [0, 2], [0, 4]) };

        var plot = Plots.CurvesPlot(series, "title", "x", "y");

        AssertLabels(plot, "title", "x", "y");
        AssertLines(plot, ("points", [0, 1, 2], [0, 2, 4]), ("fit", [0, 2], [0, 4]));
        Assert.Equal([(0f, 8f), (2f, 0f)], plot.GetPlottables<Scatter>().Select(s => (s.LineWidth, s.MarkerSize)));
        AssertPng(Plots.Curves(series, Path.Combine(folder, "curves.png"), "title", "x", "y", width: 333, height: 222), 333, 222);
    }

    [Fact]
    public void CurvesOnLogAxes_DrawLog10OfTheValues_WithADecadeTickEach()
    {
        var series = new[] { new Series("rate", [1, 10, 100], [0.1, 0.01, 0.001]) };

        var plot = Plots.CurvesPlot(series, "t", "step", "lr", logX: true, logY: true);

        AssertLabels(plot, "t", "step (log scale)", "lr (log scale)");
        AssertLines(plot, ("rate", [0, 1, 2], [-1, -2, -3]));
        plot.RenderInMemory(400, 300);
        Assert.Equal([(0.0, "1"), (1.0, "10"), (2.0, "100")], plot.Axes.Bottom.TickGenerator.Ticks.Where(t => t.IsMajor).Select(t => (t.Position, t.Label)));
        Assert.Equal([(-3.0, "0.001"), (-2.0, "0.01"), (-1.0, "0.1")], plot.Axes.Left.TickGenerator.Ticks.Where(t => t.IsMajor).Select(t => (t.Position, t.Label)));
        AssertLines(Plots.CurvesPlot(series, "t", "step", "lr", logY: true), ("rate", [1, 10, 100], [-1, -2, -3]));
        var error = Assert.Throws<ArgumentException>("series", () => Plots.Curves([new Series("loss", [1, 2], [0.5, 0])], Path.Combine(folder, "bad.png"), "t", "x", "y", logY: true));
        Assert.StartsWith("Series 'loss' has an ordinate ≤ 0", error.Message);
        AssertPng(Plots.Curves(series, Path.Combine(folder, "log.png"), "t", "step", "lr", width: 300, height: 200, logX: true, logY: true), 300, 200);
    }

    [Fact]
    public void Histograms_ShareTheBins_AndDrawEachSamplesFractionsAsSteps()
    {
        (string, IReadOnlyList<double>)[] samples = [("background", [0, 0, 0, 1]), ("signal", [1])];

        var plot = Plots.HistogramsPlot(samples, "title", "score", bins: 2, logY: false);

        AssertLabels(plot, "title", "score", "fraction per bin");
        AssertLines(plot, ("background", [0, 0.5, 1], [0.75, 0.25, 0.25]), ("signal", [0, 0.5, 1], [0, 1, 1]));
        Assert.All(plot.GetPlottables<Scatter>(), s => Assert.Equal(ConnectStyle.StepHorizontal, s.ConnectStyle));
        AssertPng(Plots.Histograms(samples, Path.Combine(folder, "histograms.png"), "title", "score", bins: 2, logY: true, width: 320, height: 240), 320, 240);
    }

    [Fact]
    public void LogHistograms_DrawLog10Fractions_EmptyBinsAtTheDecadeBelowTheSmallestFilledOne()
    {
        (string, IReadOnlyList<double>)[] samples = [("background", [0, 0, 0, 1]), ("signal", [1])];

        var plot = Plots.HistogramsPlot(samples, "title", "score", bins: 2, logY: true);

        AssertLabels(plot, "title", "score", "fraction per bin (log scale)");
        AssertLines(plot, ("background", [0, 0.5, 1], [Math.Log10(0.75), Math.Log10(0.25), Math.Log10(0.25)]), ("signal", [0, 0.5, 1], [-1, 0, 0]));
        plot.RenderInMemory(400, 300);   // a tick generator hands out its ticks after a render
        var majors = plot.Axes.Left.TickGenerator.Ticks.Where(t => t.IsMajor).ToArray();
        Assert.Equal([(-1.0, "0.1"), (0.0, "1")], majors.Select(t => (t.Position, t.Label)));
    }

    [Fact]
    public void ScatterByValue_DrawsEachQuantileGroupOfPoints_LabelledByItsRange()
    {
        double[] x = [0, 1, 2, 3], y = [10, 11, 12, 13], width = [0.9, 0.5, 1.4, 0.7];

        var plot = Plots.ScatterByValuePlot(x, y, width, "latent space", "z₁", "z₂", "width", groups: 2);

        AssertLabels(plot, "latent space", "z₁", "z₂");
        var groups = plot.GetPlottables<Scatter>().ToArray();
        Assert.Equal(["width 0.5–0.7", "width 0.9–1.4"], groups.Select(g => g.LegendText));
        Assert.Equal([(1.0, 11.0), (3.0, 13.0)], groups[0].Data.GetScatterPoints().Select(p => (p.X, p.Y)));
        Assert.Equal([(0.0, 10.0), (2.0, 12.0)], groups[1].Data.GetScatterPoints().Select(p => (p.X, p.Y)));
        AssertPng(Plots.ScatterByValue(x, y, width, Path.Combine(folder, "latent.png"), "t", "x", "y", "width", width: 320, height: 240), 320, 240);
    }

    [Fact]
    public void Images_DrawEachAsAHeatMapInItsGridCell_RowZeroOnTop_OnOneColourScale()
    {
        (string, IReadOnlyList<double>)[] images = [("a", [1, 2, 3, 4]), ("b", [0, 0, 0, 8]), ("c", [5, 5, 5, 5])];

        var plot = Plots.ImagesPlot(images, "showers", columns: 2);

        Assert.Equal("showers", plot.Axes.Title.Label.Text);
        var maps = plot.GetPlottables<Heatmap>().ToArray();
        Assert.Equal(new double[,] { { 1, 2 }, { 3, 4 } }, maps[0].Intensities);
        Assert.Equal(new double[,] { { 0, 0 }, { 0, 8 } }, maps[1].Intensities);
        // Side 2: a unit's gap between columns, two below a row for the next row's labels.
        Assert.Equal([new CoordinateRect(0, 2, 0, 2), new CoordinateRect(3, 5, 0, 2), new CoordinateRect(0, 2, -4, -2)], maps.Select(m => m.Extent!.Value));
        Assert.All(maps, m => Assert.Equal((0.0, 8.0), (m.ManualRange!.Value.Min, m.ManualRange.Value.Max)));
        Assert.Equal(["a", "b", "c"], plot.GetPlottables<Text>().Select(t => t.LabelText));
        AssertPng(Plots.Images(images, Path.Combine(folder, "images.png"), "showers", columns: 2, width: 400, height: 300), 400, 300);
        Assert.Throws<ArgumentException>(() => Plots.ImagesPlot([("a", [1, 2, 3, 4]), ("b", [1, 2, 3])], "t", 2));
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
        Assert.Throws<ArgumentException>(() => Plots.Histograms([("empty", [])], path, "t", "x"));
        Assert.Throws<ArgumentException>(() => Plots.ScatterByValue([1, 2], [1, 2], [1], path, "t", "x", "y", "v"));
        Assert.Throws<ArgumentException>(() => Plots.Histograms([("nan", [1, double.NaN])], path, "t", "x"));
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

    /// <summary>Width 4, 8 across, a series per depth 1, 2, made-up folds: the means drawn, the sds as bars; a third parameter held at the best point.</summary>
    [Fact]
    public void Scan_DrawsMeansAcrossOneParameter_ASeriesPerValueOfAnother_SdsAsErrorBars()
    {
        var grid = ScanGrid.Parse("width: [4, 8], depth: [1, 2], rate: [0, 0.5]");
        var table = DeepPhys.Scans.Scan.Run(grid, (ScanTrial)(point => [Loss(point, -1), Loss(point, 1)]));
        Assert.Equal(new Dictionary<string, double> { ["width"] = 8, ["depth"] = 2, ["rate"] = 0 }, table.Best.Point.ToDictionary());

        var plot = Plots.ScanPlot(table, x: null, series: null, metrics: null, logY: false, title: null);

        AssertLabels(plot, "scan of loss", "width", "loss, mean ± sd over folds");
        // loss = 2 / (width · depth) + rate ± 1: at rate 0 the mean is 2 / (width · depth), the sd 1.
        AssertLines(plot, ("depth = 1", [4, 8], [2.0 / 4, 2.0 / 8]), ("depth = 2", [4, 8], [2.0 / 8, 2.0 / 16]));
        var bars = plot.GetPlottables<ScottPlot.Plottables.ErrorBar>().ToArray();
        Assert.Equal(2, bars.Length);
        Assert.All(bars, bar => Assert.Equal([1.0, 1.0], bar.YErrorPositive!));
        AssertPng(Plots.Scan(table, Path.Combine(folder, "scan.png"), width: 500, height: 400), 500, 400);

        var log = Plots.ScanPlot(table, x: "depth", series: "width", metrics: ["loss"], logY: true, title: "log");
        AssertLines(log, ("width = 4", [1, 2], [Math.Log10(0.5), Math.Log10(0.25)]), ("width = 8", [1, 2], [Math.Log10(0.25), Math.Log10(0.125)]));
        Assert.Equal("loss (log scale), mean ± sd over folds", log.Axes.Left.Label.Text);
        Assert.Throws<ArgumentException>("x", () => Plots.ScanPlot(table, x: "size", series: null, metrics: null, logY: false, title: null));

        static IReadOnlyDictionary<string, double> Loss(ScanPoint point, double shift) =>
            new Dictionary<string, double> { ["loss"] = 2 / (point["width"] * point["depth"]) + point["rate"] + shift };
    }

    private static void AssertLabels(Plot plot, string title, string xLabel, string yLabel) =>
        Assert.Equal((title, xLabel, yLabel), (plot.Axes.Title.Label.Text, plot.Axes.Bottom.Label.Text, plot.Axes.Left.Label.Text));

    /// <summary>The plot's scatter series, in drawing order, are exactly these: legend entry, abscissae and ordinates.</summary>
    private static void AssertLines(Plot plot, params (string Label, IReadOnlyList<double> X, IReadOnlyList<double> Y)[] expected) =>
        AssertLines(plot.GetPlottables<Scatter>(), expected);

    /// <summary>These scatter series are exactly these: legend entry, abscissae and ordinates (to 1e-12, for logarithms).</summary>
    private static void AssertLines(IEnumerable<Scatter> series, params (string Label, IReadOnlyList<double> X, IReadOnlyList<double> Y)[] expected)
    {
        var drawn = series.ToArray();
        Assert.Equal(expected.Select(e => e.Label), drawn.Select(s => s.LegendText));
        for (int i = 0; i < expected.Length; i++)
        {
            var points = drawn[i].Data.GetScatterPoints();
            Assert.Equal(expected[i].X, points.Select(p => p.X), new ToleranceComparer());
            Assert.Equal(expected[i].Y, points.Select(p => p.Y), new ToleranceComparer());
        }
    }

    private sealed class ToleranceComparer : IEqualityComparer<double>, IEqualityComparer<(double, double)>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= 1e-12 * Math.Max(1, Math.Abs(x));

        public int GetHashCode(double obj) => 0;

        public bool Equals((double, double) x, (double, double) y) => Equals(x.Item1, y.Item1) && Equals(x.Item2, y.Item2);

        public int GetHashCode((double, double) obj) => 0;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

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
