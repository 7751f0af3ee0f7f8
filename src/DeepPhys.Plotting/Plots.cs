using System.Globalization;
using DeepPhys.Metrics;
using DeepPhys.Scans;
using DeepPhys.Training;
using ScottPlot;

namespace DeepPhys.Plotting;

/// <summary>
/// PNG pictures of training and evaluation: learning curves, ROC curves, confusion matrices,
/// predicted-vs-true scatter, the spread of cross-validation folds, scans, generic curves, histograms, and grids of images. Each
/// method writes its file atomically (a temporary file in the same folder, then a rename that
/// replaces any older picture), creates the folder if needed and returns the full path. What it
/// draws is built first by an internal method (<c>RocPlot</c>, <c>LearningCurvesFigure</c>, …), so
/// the tests can read the series, labels and panels before anything is rendered.
/// </summary>
public static class Plots
{
    /// <summary>Default picture width in pixels.</summary>
    public const int DefaultWidth = 800;

    /// <summary>Default picture height in pixels.</summary>
    public const int DefaultHeight = 600;

    /// <summary>
    /// Training and validation loss per epoch and, when the loss is a classification loss, training
    /// and validation accuracy in a second panel below. Validation curves appear when
    /// <c>Fit</c> was given a validation set.
    /// </summary>
    /// <param name="history">What <c>Fit</c> returned.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="title">The title above the loss panel.</param>
    /// <param name="width">Picture width in pixels.</param>
    /// <param name="height">Picture height in pixels.</param>
    /// <returns>The full path of the written file.</returns>
    public static string LearningCurves(History history, string path, string title = "Learning curves", int width = DefaultWidth, int height = DefaultHeight)
    {
        var figure = LearningCurvesFigure(history, title);
        return WriteAtomically(path, width, height, temporary => figure.SavePng(temporary, width, height));
    }

    /// <summary>The figure <see cref="LearningCurves"/> draws: the loss panel and, for a classification loss, the accuracy panel below it.</summary>
    internal static Multiplot LearningCurvesFigure(History history, string title)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count == 0) throw new ArgumentException("The history has no epoch.", nameof(history));
        double[] epochs = history.Select(e => (double)e.Epoch).ToArray();

        var loss = new Plot();
        AddLine(loss, epochs, history.Loss, "training");
        if (history.ValidationLoss.Any(double.IsFinite)) AddLine(loss, epochs, history.ValidationLoss, "validation");
        Label(loss, title, "epoch", "loss");

        var panels = new Multiplot();
        panels.Reset(loss);
        panels.Layout = new ScottPlot.MultiplotLayouts.Rows();
        if (!history.Accuracy.Any(double.IsFinite)) return panels;

        var accuracy = new Plot();
        AddLine(accuracy, epochs, history.Accuracy, "training");
        if (history.ValidationAccuracy.Any(double.IsFinite)) AddLine(accuracy, epochs, history.ValidationAccuracy, "validation");
        Label(accuracy, "", "epoch", "accuracy", Alignment.LowerRight);
        panels.AddPlot(accuracy);
        return panels;
    }

    /// <summary>One ROC curve, labelled with its area.</summary>
    /// <param name="curve">The curve, e.g. <c>Evaluation.Roc</c>.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="label">The legend entry (the area is appended).</param>
    /// <param name="title">The plot title.</param>
    /// <param name="width">Picture width in pixels.</param>
    /// <param name="height">Picture height in pixels.</param>
    /// <returns>The full path of the written file.</returns>
    public static string Roc(RocCurve curve, string path, string label = "classifier", string title = "ROC curve", int width = DefaultWidth, int height = DefaultHeight) =>
        Roc([(label, curve)], path, title, width, height);

    /// <summary>The one-vs-rest ROC curves of a several-class classifier, one per class, with the macro-averaged area in the title.</summary>
    /// <param name="curves">The curves, e.g. <c>Evaluation.RocPerClass</c>.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="title">The plot title; the macro AUC is appended.</param>
    /// <param name="width">Picture width in pixels.</param>
    /// <param name="height">Picture height in pixels.</param>
    /// <returns>The full path of the written file.</returns>
    public static string Roc(OneVsRestRoc curves, string path, string title = "ROC curves, one class vs the rest", int width = DefaultWidth, int height = DefaultHeight) =>
        Save(RocPlot(curves, title), path, width, height);

    /// <summary>The plot <see cref="Roc(OneVsRestRoc, string, string, int, int)"/> draws.</summary>
    internal static Plot RocPlot(OneVsRestRoc curves, string title)
    {
        ArgumentNullException.ThrowIfNull(curves);
        return RocPlot(Labelled(curves), Invariant($"{title} (macro AUC = {curves.MacroAuc:F3})"));
    }

    /// <summary>Several ROC curves in one plot: signal efficiency (true-positive rate) against mistag rate (false-positive rate), each labelled with its area, and the diagonal of a random guess.</summary>
    /// <param name="curves">Legend entry and curve of each classifier or class.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="title">The plot title.</param>
    /// <param name="width">Picture width in pixels.</param>
    /// <param name="height">Picture height in pixels.</param>
    /// <returns>The full path of the written file.</returns>
    public static string Roc(IReadOnlyList<(string Label, RocCurve Curve)> curves, string path, string title = "ROC curve", int width = DefaultWidth, int height = DefaultHeight) =>
        Save(RocPlot(curves, title), path, width, height);

    /// <summary>The plot <see cref="Roc(IReadOnlyList{ValueTuple{string, RocCurve}}, string, string, int, int)"/> draws.</summary>
    internal static Plot RocPlot(IReadOnlyList<(string Label, RocCurve Curve)> curves, string title)
    {
        ArgumentNullException.ThrowIfNull(curves);
        if (curves.Count == 0) throw new ArgumentException("No curve to plot.", nameof(curves));
        var plot = new Plot();
        for (int i = 0; i < curves.Count; i++)
        {
            var (label, curve) = curves[i];
            ArgumentNullException.ThrowIfNull(curve);
            var line = AddLine(plot, curve.FalsePositiveRates, curve.TruePositiveRates, Invariant($"{label} (AUC = {curve.Auc:F3})"));
            line.LineWidth = 2 + 2 * (curves.Count - 1 - i);   // earlier curves wider, so coinciding curves stay visible
        }

        var diagonal = plot.Add.Line(0, 0, 1, 1);
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.Color = Colors.Gray;
        diagonal.LegendText = "random guess";
        plot.Axes.SetLimits(-0.02, 1.02, -0.02, 1.02);
        Label(plot, title, "mistag rate (false-positive rate)", "signal efficiency (true-positive rate)", Alignment.LowerRight);
        return plot;
    }

    /// <summary>
    /// ROC curves in the form of HEP papers: background rejection 1/ε_B (the inverse false-positive rate) on a logarithmic
    /// axis against signal efficiency ε_S (the true-positive rate), each labelled with its area, and the 1/ε_S of a random
    /// guess. Points where no background passes (ε_B = 0, infinite rejection) are left out.
    /// </summary>
    /// <param name="curves">Legend entry and curve of each classifier or class.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="title">The plot title.</param>
    /// <param name="width">Picture width in pixels.</param>
    /// <param name="height">Picture height in pixels.</param>
    /// <returns>The full path of the written file.</returns>
    public static string Rejection(IReadOnlyList<(string Label, RocCurve Curve)> curves, string path, string title = "Background rejection", int width = DefaultWidth, int height = DefaultHeight) =>
        Save(RejectionPlot(curves, title), path, width, height);

    /// <summary>The rejection curve of each class against the rest, labelled with the class names, with the macro-averaged area in the title.</summary>
    /// <param name="curves">The curves, e.g. <c>Evaluation.RocPerClass</c>.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="title">The plot title; the macro AUC is appended.</param>
    /// <param name="width">Picture width in pixels.</param>
    /// <param name="height">Picture height in pixels.</param>
    /// <returns>The full path of the written file.</returns>
    public static string Rejection(OneVsRestRoc curves, string path, string title = "Background rejection, one class vs the rest", int width = DefaultWidth, int height = DefaultHeight) =>
        Save(RejectionPlot(curves, title), path, width, height);

    /// <summary>The plot <see cref="Rejection(OneVsRestRoc, string, string, int, int)"/> draws.</summary>
    internal static Plot RejectionPlot(OneVsRestRoc curves, string title)
    {
        ArgumentNullException.ThrowIfNull(curves);
        return RejectionPlot(Labelled(curves), Invariant($"{title} (macro AUC = {curves.MacroAuc:F3})"));
    }

    /// <summary>The plot <see cref="Rejection(IReadOnlyList{ValueTuple{string, RocCurve}}, string, string, int, int)"/> draws: log₁₀(1/ε_B) against ε_S, decades labelled.</summary>
    internal static Plot RejectionPlot(IReadOnlyList<(string Label, RocCurve Curve)> curves, string title)
    {
        ArgumentNullException.ThrowIfNull(curves);
        if (curves.Count == 0) throw new ArgumentException("No curve to plot.", nameof(curves));
        var plot = new Plot();
        double top = 0;
        foreach (var (label, curve) in curves)
        {
            ArgumentNullException.ThrowIfNull(curve);
            var kept = Enumerable.Range(0, curve.FalsePositiveRates.Count).Where(i => curve.FalsePositiveRates[i] > 0 && curve.TruePositiveRates[i] > 0).ToArray();
            double[] efficiencies = kept.Select(i => curve.TruePositiveRates[i]).ToArray();
            double[] rejections = kept.Select(i => -Math.Log10(curve.FalsePositiveRates[i])).ToArray();
            top = rejections.Append(top).Max();
            AddLine(plot, efficiencies, rejections, Invariant($"{label} (AUC = {curve.Auc:F3})"));
        }

        // A random guess passes as much background as signal: 1/ε_B = 1/ε_S, drawn from ε_S = 1 up to the top decade.
        int decades = Math.Max((int)Math.Ceiling(top), 1);
        double[] guess = Enumerable.Range(0, 101).Select(i => Math.Pow(10, -decades * (1 - (i / 100.0)))).ToArray();
        var random = AddLine(plot, guess, guess.Select(e => -Math.Log10(e)).ToArray(), "random guess");
        random.LinePattern = LinePattern.Dashed;
        random.Color = Colors.Gray;
        plot.Axes.Left.TickGenerator = DecadeTicks(0, decades);
        plot.Axes.SetLimits(0, 1.02, 0, decades);
        Label(plot, title, "signal efficiency ε_S", "background rejection 1/ε_B (log scale)");
        return plot;
    }

    /// <summary>
    /// The confusion matrix as a heat map: true classes as rows (top to bottom), predicted classes
    /// as columns; each cell's colour is the row fraction (<see cref="Metrics.ConfusionMatrix.Fraction"/>,
    /// so the diagonal shows each class's efficiency) and its text the fraction and the count.
    /// </summary>
    /// <param name="matrix">The matrix, e.g. <c>Evaluation.ConfusionMatrix</c>.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="title">The plot title.</param>
    /// <param name="width">Picture width in pixels.</param>
    /// <param name="height">Picture height in pixels.</param>
    /// <returns>The full path of the written file.</returns>
    public static string ConfusionMatrix(ConfusionMatrix matrix, string path, string title = "Confusion matrix", int width = DefaultWidth, int height = DefaultHeight) =>
        Save(ConfusionMatrixPlot(matrix, title), path, width, height);

    /// <summary>The plot <see cref="ConfusionMatrix(Metrics.ConfusionMatrix, string, string, int, int)"/> draws.</summary>
    internal static Plot ConfusionMatrixPlot(ConfusionMatrix matrix, string title)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        int n = matrix.ClassCount;
        var fractions = new double[n, n];
        for (int actual = 0; actual < n; actual++)
        {
            for (int predicted = 0; predicted < n; predicted++) fractions[actual, predicted] = matrix.Fraction(actual, predicted);
        }

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(fractions);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        plot.Add.ColorBar(heatmap);

        // The heat map draws row 0 at the top, cell (row r, column c) centred at (c, n - 1 - r).
        for (int actual = 0; actual < n; actual++)
        {
            for (int predicted = 0; predicted < n; predicted++)
            {
                double fraction = fractions[actual, predicted];
                var text = plot.Add.Text(Invariant($"{fraction:F2}\n({matrix[actual, predicted]})"), predicted, n - 1 - actual);
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontSize = 18;
                text.LabelFontColor = fraction > 0.5 ? Colors.Black : Colors.White;
            }
        }

        double[] positions = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.SetTicks(positions, matrix.ClassNames.ToArray());
        plot.Axes.Left.SetTicks(positions, matrix.ClassNames.Reverse().ToArray());
        plot.HideGrid();
        Label(plot, $"{title} (colour: fraction of the true class)", "predicted class", "true class", legend: null);
        return plot;
    }

    /// <summary>Predicted against true values of a regression, one marker per sample, with the line of perfect prediction.</summary>
    /// <param name="truth">The true values.</param>
    /// <param name="predicted">The network's predictions, one per true value.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="quantity">What is predicted, with its unit, e.g. <c>"energy (GeV)"</c>; used in the axis labels.</param>
    /// <param name="title">The plot title.</param>
    /// <param name="width">Picture width in pixels.</param>
    /// <param name="height">Picture height in pixels.</param>
    /// <returns>The full path of the written file.</returns>
    public static string PredictedVersusTrue(IReadOnlyList<double> truth, IReadOnlyList<double> predicted, string path, string quantity = "value", string title = "Predicted vs true",
        int width = DefaultWidth, int height = DefaultHeight) =>
        Save(PredictedVersusTruePlot(truth, predicted, quantity, title), path, width, height);

    /// <summary>The plot <see cref="PredictedVersusTrue"/> draws.</summary>
    internal static Plot PredictedVersusTruePlot(IReadOnlyList<double> truth, IReadOnlyList<double> predicted, string quantity, string title)
    {
        CheckPairs(truth, predicted, nameof(predicted));
        var plot = new Plot();
        var points = plot.Add.ScatterPoints(truth.ToArray(), predicted.ToArray());
        points.MarkerSize = 3;
        points.LegendText = "samples";
        double low = Math.Min(truth.Min(), predicted.Min()), high = Math.Max(truth.Max(), predicted.Max());
        var ideal = plot.Add.Line(low, low, high, high);
        ideal.LinePattern = LinePattern.Dashed;
        ideal.Color = Colors.Black;
        ideal.LegendText = "predicted = true";
        Label(plot, title, $"true {quantity}", $"predicted {quantity}", Alignment.UpperLeft);
        return plot;
    }

    /// <summary>A figure per cross-validation fold, with the mean as a line and mean ± standard deviation (population, divisor k) as a band.</summary>
    /// <param name="values">One value per fold, in fold order.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="metric">What the values are, e.g. <c>"accuracy"</c>; the y-axis label.</param>
    /// <param name="title">The plot title.</param>
    /// <param name="width">Picture width in pixels.</param>
    /// <param name="height">Picture height in pixels.</param>
    /// <returns>The full path of the written file.</returns>
    public static string FoldSpread(IReadOnlyList<double> values, string path, string metric = "accuracy", string title = "k-fold cross-validation", int width = DefaultWidth, int height = DefaultHeight) =>
        Save(FoldSpreadPlot(values, metric, title), path, width, height);

    /// <summary>The plot <see cref="FoldSpread(IReadOnlyList{double}, string, string, string, int, int)"/> draws.</summary>
    internal static Plot FoldSpreadPlot(IReadOnlyList<double> values, string metric, string title)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ArgumentException("No fold to plot.", nameof(values));
        double mean = values.Average();
        double std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);

        var plot = new Plot();
        var band = plot.Add.VerticalSpan(mean - std, mean + std);
        band.LegendText = Invariant($"mean ± std = {mean:F3} ± {std:F3}");
        var line = plot.Add.HorizontalLine(mean);
        line.LinePattern = LinePattern.Dashed;
        double[] folds = Enumerable.Range(1, values.Count).Select(i => (double)i).ToArray();
        var points = plot.Add.ScatterPoints(folds, values.ToArray());
        points.MarkerSize = 10;
        points.LegendText = "fold";
        plot.Axes.Bottom.SetTicks(folds, folds.Select(f => f.ToString(CultureInfo.InvariantCulture)).ToArray());
        double spread = Math.Max(values.Max() - values.Min(), Math.Max(std, 1e-3));
        plot.Axes.SetLimits(0.5, values.Count + 0.5, Math.Min(values.Min(), mean - std) - spread, Math.Max(values.Max(), mean + std) + spread);
        Label(plot, Invariant($"{title} ({values.Count} folds)"), "fold", metric, Alignment.LowerRight);
        return plot;
    }

    /// <summary>The held-out accuracy of each fold (the loss for a regression) of a <see cref="CrossValidation"/> run.</summary>
    /// <param name="result">What <see cref="CrossValidation.Run{T}"/> returned.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="title">The plot title.</param>
    /// <param name="width">Picture width in pixels.</param>
    /// <param name="height">Picture height in pixels.</param>
    /// <returns>The full path of the written file.</returns>
    public static string FoldSpread(CrossValidationResult result, string path, string title = "k-fold cross-validation", int width = DefaultWidth, int height = DefaultHeight)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Accuracy is null
            ? FoldSpread(result.Folds.Select(f => f.Test.Loss).ToArray(), path, "held-out loss", title, width, height)
            : FoldSpread(result.Folds.Select(f => f.Test.Accuracy!.Value).ToArray(), path, "held-out accuracy", title, width, height);
    }

    /// <summary>
    /// A scan (<see cref="Scan"/>): a metric's mean over the folds against one parameter, with the standard deviation as error
    /// bars, one series per value of a second parameter (or per metric). Other parameters are held at the best point's values.
    /// </summary>
    /// <param name="table">What <see cref="Scan.Run(ScanGrid, ScanTrial, ScanOptions?)"/> or <see cref="Scan.Merge"/> returned.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="x">The parameter across; the grid's first unless given.</param>
    /// <param name="series">The parameter with a series per value; the grid's second other than <paramref name="x"/> (none for a one-parameter grid) unless given.</param>
    /// <param name="metrics">The metrics drawn; the table's ranking metric unless given.</param>
    /// <param name="logY">A logarithmic y axis (decades labelled), for MSEs spanning decades; the bars then span log10(mean ± sd).</param>
    /// <param name="title">The plot title; "scan of {metric}" unless given.</param>
    /// <param name="width">Picture width in pixels.</param>
    /// <param name="height">Picture height in pixels.</param>
    /// <returns>The full path of the written file.</returns>
    public static string Scan(ScanTable table, string path, string? x = null, string? series = null, IReadOnlyList<string>? metrics = null, bool logY = false, string? title = null,
        int width = DefaultWidth, int height = DefaultHeight) =>
        Save(ScanPlot(table, x, series, metrics, logY, title), path, width, height);

    /// <summary>The plot <see cref="Scan"/> draws: a line of means and an error bar per series.</summary>
    internal static Plot ScanPlot(ScanTable table, string? x, string? series, IReadOnlyList<string>? metrics, bool logY, string? title)
    {
        ArgumentNullException.ThrowIfNull(table);
        var names = table.Grid.Names;
        x ??= names[0];
        series ??= names.FirstOrDefault(name => name != x);
        metrics ??= [table.Metric];
        if (!names.Contains(x)) throw new ArgumentException($"The scan has no parameter '{x}' (it has {string.Join(", ", names)}).", nameof(x));
        if (series is not null && (series == x || !names.Contains(series))) throw new ArgumentException($"'{series}' is not a parameter of the scan other than '{x}' (it has {string.Join(", ", names)}).", nameof(series));
        if (metrics.FirstOrDefault(metric => !table.Metrics.Contains(metric)) is { } unknown) throw new ArgumentException($"The scan has no metric '{unknown}' (it has {string.Join(", ", table.Metrics)}).", nameof(metrics));

        // Parameters neither across nor per series stay at the best point's values: a slice through the best.
        var slice = table.Rows.Where(row => names.Where(name => name != x && name != series).All(name => row.Point[name] == table.Best.Point[name])).ToList();
        var plot = new Plot();
        var logs = new List<double>();
        foreach (string metric in metrics)
        {
            foreach (var group in slice.GroupBy(row => series is null ? 0 : row.Point[series]))
            {
                var rows = group.OrderBy(row => row.Point[x]).ToArray();
                double[] xs = rows.Select(row => row.Point[x]).ToArray();
                double[] means = rows.Select(row => row[metric].Mean).ToArray(), sds = rows.Select(row => row[metric].Std).ToArray();
                double[] ys = logY ? means.Select(Math.Log10).ToArray() : means;
                double[] up = logY ? means.Select((mean, i) => Math.Log10(mean + sds[i]) - ys[i]).ToArray() : sds;
                double[] down = logY ? means.Select((mean, i) => mean > sds[i] ? ys[i] - Math.Log10(mean - sds[i]) : 0).ToArray() : sds;
                logs.AddRange(ys);
                var line = plot.Add.Scatter(xs, ys);
                line.LegendText = (series is null ? "" : Invariant($"{series} = {group.Key}")) + (series is not null && metrics.Count > 1 ? ", " : "") + (series is null || metrics.Count > 1 ? metric : "");
                line.MarkerSize = 8;
                var bars = new ScottPlot.Plottables.ErrorBar(xs, ys, null, null, up, down) { Color = line.Color };
                plot.Add.Plottable(bars);
            }
        }

        var finite = logs.Where(double.IsFinite).DefaultIfEmpty(0).ToArray();
        if (logY) plot.Axes.Left.TickGenerator = DecadeTicks((int)Math.Floor(finite.Min()), (int)Math.Ceiling(finite.Max()));
        string shown = string.Join(", ", metrics);
        Label(plot, title ?? $"scan of {shown}", x, (logY ? shown + " (log scale)" : shown) + (table.Rows[0].Folds.Count > 1 ? ", mean ± sd over folds" : ""));
        return plot;
    }

    /// <summary>Any number of named series in one plot, as lines, markers or both, on linear or logarithmic axes.</summary>
    /// <param name="series">The series, drawn in order.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="title">The plot title.</param>
    /// <param name="xLabel">The x-axis label.</param>
    /// <param name="yLabel">The y-axis label.</param>
    /// <param name="width">Picture width in pixels.</param>
    /// <param name="height">Picture height in pixels.</param>
    /// <param name="logX">A logarithmic x axis (decades labelled); every abscissa must be positive.</param>
    /// <param name="logY">A logarithmic y axis (decades labelled); every ordinate must be positive.</param>
    /// <returns>The full path of the written file.</returns>
    public static string Curves(IReadOnlyList<Series> series, string path, string title, string xLabel, string yLabel, int width = DefaultWidth, int height = DefaultHeight,
        bool logX = false, bool logY = false) =>
        Save(CurvesPlot(series, title, xLabel, yLabel, logX, logY), path, width, height);

    /// <summary>The plot <see cref="Curves"/> draws; a logarithmic axis holds log₁₀ of the values.</summary>
    internal static Plot CurvesPlot(IReadOnlyList<Series> series, string title, string xLabel, string yLabel, bool logX = false, bool logY = false)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (series.Count == 0) throw new ArgumentException("No series to plot.", nameof(series));
        var plot = new Plot();
        List<double> xs = [], ys = [];
        foreach (var s in series)
        {
            ArgumentNullException.ThrowIfNull(s);
            CheckPairs(s.X, s.Y, nameof(series));
            double[] x = Axis(s.X, logX, s.Label, "abscissa"), y = Axis(s.Y, logY, s.Label, "ordinate");
            xs.AddRange(x);
            ys.AddRange(y);
            var scatter = plot.Add.Scatter(x, y);
            scatter.LegendText = s.Label;
            scatter.LineWidth = s.Style == SeriesStyle.Markers ? 0 : 2;
            scatter.MarkerSize = s.Style == SeriesStyle.Line ? 0 : 8;
        }

        if (logX) plot.Axes.Bottom.TickGenerator = DecadeTicks((int)Math.Floor(xs.Min()), (int)Math.Ceiling(xs.Max()));
        if (logY) plot.Axes.Left.TickGenerator = DecadeTicks((int)Math.Floor(ys.Min()), (int)Math.Ceiling(ys.Max()));
        Label(plot, title, logX ? xLabel + " (log scale)" : xLabel, logY ? yLabel + " (log scale)" : yLabel);
        return plot;

        static double[] Axis(IReadOnlyList<double> values, bool log, string label, string what) => !log
            ? values.ToArray()
            : values.All(v => v > 0)
                ? values.Select(Math.Log10).ToArray()
                : throw new ArgumentException($"Series '{label}' has an {what} ≤ 0 (or NaN) on a logarithmic axis.", nameof(series));
    }

    /// <summary>
    /// Histograms of several samples over the same bins (spanning all values), each normalised to the fraction of its entries
    /// per bin so that classes of different sizes compare, drawn as steps. With <paramref name="logY"/> the fractions are on a
    /// logarithmic axis (decades labelled), where the tails show; an empty bin drops to the axis floor, the decade below the
    /// smallest filled bin.
    /// </summary>
    /// <param name="samples">Legend entry and values of each sample.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="title">The plot title.</param>
    /// <param name="xLabel">The x-axis label (the histogrammed quantity).</param>
    /// <param name="bins">Bins between the smallest and the largest value.</param>
    /// <param name="logY">A logarithmic y axis.</param>
    /// <param name="width">Picture width in pixels.</param>
    /// <param name="height">Picture height in pixels.</param>
    /// <returns>The full path of the written file.</returns>
    public static string Histograms(IReadOnlyList<(string Label, IReadOnlyList<double> Values)> samples, string path, string title, string xLabel, int bins = 50, bool logY = false,
        int width = DefaultWidth, int height = DefaultHeight) =>
        Save(HistogramsPlot(samples, title, xLabel, bins, logY), path, width, height);

    /// <summary>The plot <see cref="Histograms"/> draws: per sample a step line through the bin edges (the last bin's height repeated at the right edge).</summary>
    internal static Plot HistogramsPlot(IReadOnlyList<(string Label, IReadOnlyList<double> Values)> samples, string title, string xLabel, int bins, bool logY)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        if (samples.Count == 0) throw new ArgumentException("No sample to plot.", nameof(samples));
        foreach (var (label, values) in samples)
        {
            ArgumentNullException.ThrowIfNull(values);
            if (values.Count == 0 || !values.All(double.IsFinite)) throw new ArgumentException($"Sample '{label}' is empty or has a value that is not finite.", nameof(samples));
        }

        double low = samples.Min(s => s.Values.Min()), high = samples.Max(s => s.Values.Max());
        double binWidth = high > low ? (high - low) / bins : 1.0 / bins;
        double[] edges = Enumerable.Range(0, bins + 1).Select(i => low + (i * binWidth)).ToArray();
        var fractions = samples.Select(s =>
        {
            var counts = new double[bins];
            foreach (double value in s.Values) counts[Math.Min((int)((value - low) / binWidth), bins - 1)]++;
            return counts.Select(count => count / s.Values.Count).ToArray();
        }).ToArray();
        double floor = logY ? Math.Floor(Math.Log10(fractions.SelectMany(f => f).Where(f => f > 0).Min())) : 0;

        var plot = new Plot();
        for (int i = 0; i < samples.Count; i++)
        {
            double[] heights = fractions[i].Select(f => logY ? (f > 0 ? Math.Log10(f) : floor) : f).ToArray();
            var steps = AddLine(plot, edges, [.. heights, heights[^1]], samples[i].Label);
            steps.ConnectStyle = ConnectStyle.StepHorizontal;
        }

        if (logY) plot.Axes.Left.TickGenerator = DecadeTicks((int)floor);
        Label(plot, title, xLabel, logY ? "fraction per bin (log scale)" : "fraction per bin");
        return plot;
    }

    /// <summary>
    /// Points coloured by a value in groups of equal counts (quantiles): a VAE's latent space (μ of each sample) coloured by a
    /// physics quantity, one legend entry per group naming its range of values.
    /// </summary>
    /// <param name="x">The abscissae.</param>
    /// <param name="y">The ordinates, one per abscissa.</param>
    /// <param name="values">The value that colours each point.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="title">The plot title.</param>
    /// <param name="xLabel">The x-axis label.</param>
    /// <param name="yLabel">The y-axis label.</param>
    /// <param name="valueLabel">What the values are, for the legend (<c>"width"</c>).</param>
    /// <param name="groups">Colour groups, each an equal share of the points by value.</param>
    /// <param name="width">Picture width in pixels.</param>
    /// <param name="height">Picture height in pixels.</param>
    /// <returns>The full path of the written file.</returns>
    public static string ScatterByValue(IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<double> values, string path, string title, string xLabel, string yLabel,
        string valueLabel, int groups = 4, int width = DefaultWidth, int height = DefaultHeight) =>
        Save(ScatterByValuePlot(x, y, values, title, xLabel, yLabel, valueLabel, groups), path, width, height);

    /// <summary>The plot <see cref="ScatterByValue"/> draws: per group, in increasing value, the points whose values rank in it.</summary>
    internal static Plot ScatterByValuePlot(IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<double> values, string title, string xLabel, string yLabel, string valueLabel, int groups)
    {
        CheckPairs(x, y, nameof(y));
        CheckPairs(x, values, nameof(values));
        ArgumentOutOfRangeException.ThrowIfLessThan(groups, 1);
        int[] order = [.. Enumerable.Range(0, x.Count).OrderBy(i => values[i])];
        var plot = new Plot();
        for (int g = 0; g < groups; g++)
        {
            int[] members = order[(g * order.Length / groups)..((g + 1) * order.Length / groups)];
            if (members.Length == 0) continue;
            var points = plot.Add.ScatterPoints(members.Select(i => x[i]).ToArray(), members.Select(i => y[i]).ToArray());
            points.MarkerSize = 3;
            points.LegendText = Invariant($"{valueLabel} {values[members[0]]:G3}–{values[members[^1]]:G3}");
        }

        Label(plot, title, xLabel, yLabel);
        return plot;
    }

    /// <summary>
    /// Square images (calorimeter showers, generated samples) side by side in a grid of <paramref name="columns"/>, each a heat
    /// map with its label above it, all on one colour scale (from the smallest to the largest pixel of any image) with a colour
    /// bar. Pixels are row-major, row 0 drawn at the top.
    /// </summary>
    /// <param name="images">Label and pixels of each image; every image has the same square number of pixels.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="title">The plot title.</param>
    /// <param name="columns">Images per row of the grid.</param>
    /// <param name="width">Picture width in pixels.</param>
    /// <param name="height">Picture height in pixels.</param>
    /// <returns>The full path of the written file.</returns>
    public static string Images(IReadOnlyList<(string Label, IReadOnlyList<double> Pixels)> images, string path, string title, int columns = 4,
        int width = DefaultWidth, int height = DefaultHeight) =>
        Save(ImagesPlot(images, title, columns), path, width, height);

    /// <summary>
    /// The plot <see cref="Images"/> draws: image <c>i</c> of side <c>s</c> covers x from <c>(i mod columns)·(s + 1)</c> and
    /// y from <c>−(i div columns)·(s + 2)</c> over <c>s</c> units (a unit's gap beside, two below for the label).
    /// </summary>
    internal static Plot ImagesPlot(IReadOnlyList<(string Label, IReadOnlyList<double> Pixels)> images, string title, int columns)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        if (images.Count == 0) throw new ArgumentException("No image to plot.", nameof(images));
        int side = (int)Math.Round(Math.Sqrt(images[0].Pixels?.Count ?? 0));
        foreach (var (label, pixels) in images)
        {
            ArgumentNullException.ThrowIfNull(pixels);
            if (side == 0 || pixels.Count != side * side || !pixels.All(double.IsFinite))
            {
                throw new ArgumentException($"Image '{label}' has {pixels.Count} pixels; expected {side} × {side} finite values, as the first image.", nameof(images));
            }
        }

        var range = new ScottPlot.Range(images.Min(i => i.Pixels.Min()), images.Max(i => i.Pixels.Max()));
        var plot = new Plot();
        ScottPlot.Plottables.Heatmap? last = null;
        for (int i = 0; i < images.Count; i++)
        {
            var intensities = new double[side, side];
            for (int p = 0; p < side * side; p++) intensities[p / side, p % side] = images[i].Pixels[p];
            double left = i % columns * (side + 1), bottom = -(i / columns) * (side + 2);
            last = plot.Add.Heatmap(intensities);
            last.Colormap = new ScottPlot.Colormaps.Viridis();
            last.ManualRange = range;
            last.Extent = new CoordinateRect(left, left + side, bottom, bottom + side);
            var label = plot.Add.Text(images[i].Label, left + (side / 2.0), bottom + side + 0.2);
            label.LabelAlignment = Alignment.LowerCenter;
        }

        plot.Add.ColorBar(last!);
        plot.Axes.SquareUnits();
        plot.HideGrid();
        plot.Axes.Frameless(); // pixel coordinates say nothing: no axes, the title kept
        plot.Title(title);
        return plot;
    }

    private static (string Label, RocCurve Curve)[] Labelled(OneVsRestRoc curves) => curves.ClassNames.Zip(curves.Curves, (name, curve) => (name, curve)).ToArray();

    /// <summary>
    /// The distribution of one quantity per class (a feature, or a score), each class normalised to the fraction of its
    /// entries per bin, as <see cref="Histograms"/> draws it.
    /// </summary>
    /// <param name="values">The quantity per sample.</param>
    /// <param name="labels">The class index per sample, into <paramref name="classNames"/>.</param>
    /// <param name="classNames">The legend entry per class; a class without samples is left out.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="quantity">What is histogrammed, with its unit, e.g. <c>"jet p_T (GeV)"</c>; the x-axis label.</param>
    /// <param name="title">The plot title; the quantity unless given.</param>
    /// <param name="bins">Bins between the smallest and the largest value.</param>
    /// <param name="logY">A logarithmic y axis.</param>
    /// <param name="width">Picture width in pixels.</param>
    /// <param name="height">Picture height in pixels.</param>
    /// <returns>The full path of the written file.</returns>
    public static string FeatureHistograms(IReadOnlyList<double> values, IReadOnlyList<int> labels, IReadOnlyList<string> classNames, string path, string quantity, string? title = null,
        int bins = 50, bool logY = false, int width = DefaultWidth, int height = DefaultHeight) =>
        Save(HistogramsPlot(ByClass(values, labels, classNames), title ?? quantity, quantity, bins, logY), path, width, height);

    /// <summary>The plot <see cref="ScoreHistograms"/> draws.</summary>
    internal static Plot ScoreHistogramsPlot(IReadOnlyList<double> scores, IReadOnlyList<int> labels, string title, int bins, bool logY) =>
        HistogramsPlot(ByClass(scores, labels, ["background", "signal"]), title, "classifier score", bins, logY);

    /// <summary>
    /// The classifier's score for background (label 0) and signal (label 1), each normalised to the fraction of its entries
    /// per bin: how well the score separates them, and, with <paramref name="logY"/>, the tails that set the rejection.
    /// </summary>
    /// <param name="scores">The score per sample, e.g. the sigmoid output.</param>
    /// <param name="labels">0 for background, 1 for signal.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="title">The plot title.</param>
    /// <param name="bins">Bins between the smallest and the largest score.</param>
    /// <param name="logY">A logarithmic y axis.</param>
    /// <param name="width">Picture width in pixels.</param>
    /// <param name="height">Picture height in pixels.</param>
    /// <returns>The full path of the written file.</returns>
    public static string ScoreHistograms(IReadOnlyList<double> scores, IReadOnlyList<int> labels, string path, string title = "Classifier score", int bins = 50, bool logY = false,
        int width = DefaultWidth, int height = DefaultHeight) =>
        Save(ScoreHistogramsPlot(scores, labels, title, bins, logY), path, width, height);

    /// <summary>The values of each class that has some, labelled with its name, in class order.</summary>
    internal static (string Label, IReadOnlyList<double> Values)[] ByClass(IReadOnlyList<double> values, IReadOnlyList<int> labels, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        if (values.Count != labels.Count) throw new ArgumentException($"{values.Count} values but {labels.Count} labels.", nameof(labels));
        var perClass = classNames.Select(_ => new List<double>()).ToArray();
        for (int i = 0; i < labels.Count; i++)
        {
            if ((uint)labels[i] >= (uint)classNames.Count)
            {
                throw new ArgumentException($"labels[{i}] is {labels[i]}; a class index from 0 to {classNames.Count - 1} ({string.Join(", ", classNames)}) expected.", nameof(labels));
            }

            perClass[labels[i]].Add(values[i]);
        }

        return classNames.Select((name, c) => (name, (IReadOnlyList<double>)perClass[c])).Where(sample => sample.Item2.Count > 0).ToArray();
    }

    /// <summary>The learning rate of each epoch's last step, as the schedule or the callbacks set it, on a logarithmic axis unless told.</summary>
    /// <param name="history">What <c>Fit</c> returned.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="title">The plot title.</param>
    /// <param name="logY">A logarithmic y axis (decades labelled), where warm-ups and decays over decades show.</param>
    /// <param name="width">Picture width in pixels.</param>
    /// <param name="height">Picture height in pixels.</param>
    /// <returns>The full path of the written file.</returns>
    public static string LearningRate(History history, string path, string title = "Learning rate", bool logY = true, int width = DefaultWidth, int height = DefaultHeight) =>
        Save(LearningRatePlot(history, title, logY), path, width, height);

    /// <summary>The plot <see cref="LearningRate"/> draws.</summary>
    internal static Plot LearningRatePlot(History history, string title, bool logY)
    {
        ArgumentNullException.ThrowIfNull(history);
        double[] rates = history.Series("lr");
        if (rates.Length == 0 || !rates.All(rate => rate > 0 && double.IsFinite(rate)))
        {
            throw new ArgumentException("The history has no epoch, or an epoch without a positive learning rate.", nameof(history));
        }

        var plot = new Plot();
        var line = AddLine(plot, history.Select(e => (double)e.Epoch).ToArray(), logY ? rates.Select(Math.Log10).ToArray() : rates, "learning rate");
        line.MarkerSize = 5;
        if (logY) plot.Axes.Left.TickGenerator = DecadeTicks((int)Math.Floor(Math.Log10(rates.Min())), (int)Math.Ceiling(Math.Log10(rates.Max())));
        Label(plot, title, "epoch", logY ? "learning rate (log scale)" : "learning rate", legend: null);
        return plot;
    }

    /// <summary>Ticks for an axis of log₁₀ values from 10^<paramref name="floor"/> to 1: a labelled major tick per decade, minor ticks at 2–9 × each.</summary>
    private static ScottPlot.TickGenerators.NumericManual DecadeTicks(int floor, int ceiling = 0)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int decade = floor; decade <= ceiling; decade++)
        {
            ticks.AddMajor(decade, Math.Pow(10, decade).ToString("G", CultureInfo.InvariantCulture));
            if (decade == ceiling) break;
            for (int m = 2; m <= 9; m++) ticks.AddMinor(decade + Math.Log10(m));
        }

        return ticks;
    }

    private static ScottPlot.Plottables.Scatter AddLine(Plot plot, IReadOnlyList<double> x, IReadOnlyList<double> y, string label)
    {
        var line = plot.Add.ScatterLine(x.ToArray(), y.ToArray());
        line.LineWidth = 2;
        line.LegendText = label;
        return line;
    }

    private static void Label(Plot plot, string title, string xLabel, string yLabel, Alignment? legend = Alignment.UpperRight)
    {
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        if (legend is { } corner) plot.ShowLegend(corner);
    }

    private static void CheckPairs(IReadOnlyList<double> x, IReadOnlyList<double> y, string name)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new ArgumentException($"{x.Count} abscissae but {y.Count} ordinates.", name);
        if (x.Count == 0) throw new ArgumentException("No point to plot.", name);
    }

    private static string Save(Plot plot, string path, int width, int height) =>
        WriteAtomically(path, width, height, temporary => plot.SavePng(temporary, width, height));

    /// <summary>Renders into a temporary PNG beside <paramref name="path"/> and renames it over it, so a reader never sees half a picture.</summary>
    private static string WriteAtomically(string path, int width, int height, Action<string> write)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        return DeepPhys.IO.AtomicFile.Replace(path, write);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
