using System.Globalization;
using System.Text;
using DeepPhys.IO;

namespace DeepPhys.Scans;

/// <summary>One point's result: its folds' metrics and their mean ± sd.</summary>
public sealed class ScanRow
{
    internal ScanRow(ScanPoint point, IReadOnlyList<IReadOnlyDictionary<string, double>> folds)
    {
        Point = point;
        Folds = folds;
    }

    /// <summary>The point.</summary>
    public ScanPoint Point { get; }

    /// <summary>Each fold's metrics, in fold order (one entry for a point trained without folds).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, double>> Folds { get; }

    /// <summary>The metrics' names, sorted.</summary>
    public IReadOnlyList<string> Metrics => Folds[0].Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>The mean of <paramref name="metric"/> over the folds and its population standard deviation (divisor n, as <see cref="Training.CrossValidationResult"/>); sd 0 for one fold.</summary>
    /// <exception cref="KeyNotFoundException">The point has no such metric.</exception>
    public (double Mean, double Std) this[string metric]
    {
        get
        {
            if (!Folds[0].ContainsKey(metric)) throw new KeyNotFoundException($"{Point} has no metric '{metric}' (it has {string.Join(", ", Metrics)}).");
            double[] values = Folds.Select(fold => fold[metric]).ToArray();
            double mean = values.Average();
            return (mean, Math.Sqrt(values.Sum(value => (value - mean) * (value - mean)) / values.Length));
        }
    }
}

/// <summary>A scan's result: a row per point in index order, and the best point by one metric's mean.</summary>
public sealed class ScanTable
{
    internal ScanTable(ScanGrid grid, string metric, bool minimize, IReadOnlyList<ScanRow> rows)
    {
        Grid = grid;
        Metric = metric;
        Minimize = minimize;
        Rows = rows;
        if (rows.FirstOrDefault(row => !row.Metrics.SequenceEqual(rows[0].Metrics)) is { } odd)
        {
            throw new InvalidOperationException($"{odd.Point} has the metrics {string.Join(", ", odd.Metrics)} but {rows[0].Point} has {string.Join(", ", rows[0].Metrics)}; every point of a scan must report the same ones.");
        }

        // The first of equal means wins, so the best point does not depend on the order points finished in; NaN never wins.
        var ranked = rows.Where(row => !double.IsNaN(row[metric].Mean)).ToList();
        Best = ranked.Count == 0 ? rows[0] : ranked.Aggregate((best, row) => (minimize ? row[metric].Mean < best[metric].Mean : row[metric].Mean > best[metric].Mean) ? row : best);
    }

    /// <summary>The points.</summary>
    public ScanGrid Grid { get; }

    /// <summary>The metric that ranks the points.</summary>
    public string Metric { get; }

    /// <summary>Whether the smallest mean of <see cref="Metric"/> is best.</summary>
    public bool Minimize { get; }

    /// <summary>A row per point, in index order.</summary>
    public IReadOnlyList<ScanRow> Rows { get; }

    /// <summary>The row with the best mean of <see cref="Metric"/> (the first of equals).</summary>
    public ScanRow Best { get; }

    /// <summary>The metrics' names: <see cref="Metric"/> first, then the others sorted.</summary>
    public IReadOnlyList<string> Metrics => Rows[0].Metrics.OrderBy(name => name == Metric ? 0 : 1).ThenBy(name => name, StringComparer.Ordinal).ToArray();

    /// <summary>
    /// Aligned columns: the point's index and parameters, each metric's mean ± sd over the folds, <c>*</c> at the best point,
    /// then a line naming it.
    /// </summary>
    public override string ToString()
    {
        int folds = Rows.Max(row => row.Folds.Count);
        var header = new[] { "", "point" }.Concat(Grid.Names).Concat(Metrics.Select(metric => folds > 1 ? metric + " (mean ± sd)" : metric)).ToArray();
        var lines = Rows.Select(row => new[] { row == Best ? "*" : "", row.Point.Index.ToString(CultureInfo.InvariantCulture) }
            .Concat(row.Point.Values.Select(ScanGrid.Format))
            .Concat(Metrics.Select(metric => Figure(row, metric, folds)))
            .ToArray()).Prepend(header).ToList();
        int[] widths = Enumerable.Range(0, header.Length).Select(column => lines.Max(line => line[column].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var line in lines) text.AppendLine(string.Join("  ", line.Select((cell, column) => column == 0 ? cell.PadRight(widths[column]) : cell.PadLeft(widths[column]))).TrimEnd());
        text.Append(CultureInfo.InvariantCulture, $"best ({(Minimize ? "smallest" : "largest")} {Metric}{(folds > 1 ? $", mean over {folds} folds" : "")}): {Best.Point}, {Metric} {Figure(Best, Metric, folds)}");
        return text.ToString();
    }

    /// <summary>
    /// The table as CSV: <c>point</c>, the parameters, <c>metric_mean</c> and <c>metric_sd</c> per metric, <c>folds</c>, <c>best</c> (1 or 0);
    /// numbers in their shortest round-trip form.
    /// </summary>
    public string ToCsv()
    {
        var text = new StringBuilder();
        text.AppendLine(string.Join(",", new[] { "point" }.Concat(Grid.Names).Concat(Metrics.SelectMany(metric => new[] { metric + "_mean", metric + "_sd" })).Append("folds").Append("best")));
        foreach (var row in Rows)
        {
            text.AppendLine(string.Join(",", new[] { row.Point.Index.ToString(CultureInfo.InvariantCulture) }
                .Concat(row.Point.Values.Select(ScanGrid.Format))
                .Concat(Metrics.SelectMany(metric => new[] { ScanGrid.Format(row[metric].Mean), ScanGrid.Format(row[metric].Std) }))
                .Append(row.Folds.Count.ToString(CultureInfo.InvariantCulture))
                .Append(row == Best ? "1" : "0")));
        }

        return text.ToString();
    }

    /// <summary>Writes <see cref="ToCsv"/> to <paramref name="path"/> atomically.</summary>
    /// <returns>The full path written.</returns>
    public string WriteCsv(string path) => AtomicFile.WriteAllText(path, ToCsv());

    private static string Figure(ScanRow row, string metric, int folds)
    {
        var (mean, std) = row[metric];
        return folds > 1 ? $"{Format(mean)} ± {Format(std)}" : Format(mean);
    }

    /// <summary>Four significant digits: MSEs of 1e-5 and losses of 2.3 side by side.</summary>
    private static string Format(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
