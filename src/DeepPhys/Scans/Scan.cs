using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json;
using DeepPhys.IO;

namespace DeepPhys.Scans;

/// <summary>Trains one point of a scan and returns its figures: one dictionary of metric values per fold (a single one without folds).</summary>
/// <param name="point">The point: its parameter values, e.g. for <c>Networks.Compile(dsl, seed, parameters: point)</c>.</param>
public delegate IReadOnlyList<IReadOnlyDictionary<string, double>> ScanTrial(ScanPoint point);

/// <summary>How a scan runs and ranks its points.</summary>
public sealed record ScanOptions
{
    /// <summary>The metric that ranks the points (the trial must return it); <c>loss</c> unless set.</summary>
    public string Metric { get; init; } = "loss";

    /// <summary>Whether the best point has the smallest mean of <see cref="Metric"/> (a loss) rather than the largest (an accuracy).</summary>
    public bool Minimize { get; init; } = true;

    /// <summary>How many points train at once; all cores unless set. A point's result does not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Where <c>scan.json</c> and one JSON result per point and per fold go, for <see cref="Scan.Merge"/>; none when <c>null</c>.</summary>
    public string? Directory { get; init; }
}

/// <summary>
/// Scans over DSL parameters (docs/runtime-compile.md, <i>Scans</i>): train every point of a <see cref="ScanGrid"/> in parallel
/// (<see cref="Run(ScanGrid, ScanTrial, ScanOptions?)"/>), or one point per batch-farm job (<see cref="RunPoint"/>) and the table from
/// their files (<see cref="Merge"/>). The files: <c>scan.json</c> (the grid and the ranking), <c>point-0003.json</c> (point 3's
/// parameters and per-fold metrics) and <c>point-0003-fold-1.json</c> (fold 1 alone), each written atomically.
/// </summary>
public static class Scan
{
    private const string ScanFile = "scan.json";

    /// <summary>Trains every point, <see cref="ScanOptions.MaxDegreeOfParallelism"/> at a time, and ranks them.</summary>
    /// <param name="grid">The points.</param>
    /// <param name="trial">Trains one point; called once per point, from several threads at once (give each point its own network and optimizer).</param>
    /// <param name="options">Metric, parallelism, output directory; the defaults when <c>null</c>.</param>
    /// <returns>The table: per point the metrics' mean ± sd over folds, and the best point.</returns>
    /// <exception cref="InvalidOperationException">A trial returned no folds, or folds without the ranking metric or with different metrics.</exception>
    public static ScanTable Run(ScanGrid grid, ScanTrial trial, ScanOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(trial);
        options ??= new ScanOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxDegreeOfParallelism, 1, nameof(options));
        WriteScanFile(grid, options);
        var rows = new ScanRow[grid.Count];
        var failures = new Exception?[grid.Count];
        Parallel.For(0, grid.Count, new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism }, (index, loop) =>
        {
            try
            {
                rows[index] = Train(grid, index, trial, options);
            }
            catch (Exception e)
            {
                failures[index] = e;
                loop.Stop();
            }
        });
        // The trial's own exception (not an AggregateException), of the first point that failed.
        if (failures.FirstOrDefault(failure => failure is not null) is { } first) ExceptionDispatchInfo.Capture(first).Throw();
        return new ScanTable(grid, options.Metric, options.Minimize, rows);
    }

    /// <summary>Trains a point whose trial has no folds: one dictionary of metrics per point.</summary>
    /// <inheritdoc cref="Run(ScanGrid, ScanTrial, ScanOptions?)"/>
    public static ScanTable Run(ScanGrid grid, Func<ScanPoint, IReadOnlyDictionary<string, double>> trial, ScanOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return Run(grid, point => [trial(point)], options);
    }

    /// <summary>Trains point <paramref name="index"/> alone, as array job <paramref name="index"/> of <see cref="ScanGrid.Count"/> does, and writes its files.</summary>
    /// <param name="grid">The points; every job of a scan must be given the same grid.</param>
    /// <param name="index">The point, from 0 (a Slurm <c>SLURM_ARRAY_TASK_ID</c>, an HTCondor <c>$(Process)</c>).</param>
    /// <param name="trial">Trains the point.</param>
    /// <param name="options">Metric and directory (required: <see cref="Merge"/> reads the files).</param>
    /// <returns>The point's row.</returns>
    /// <exception cref="ArgumentException"><paramref name="options"/> has no directory, or the directory's <c>scan.json</c> is another scan's.</exception>
    public static ScanRow RunPoint(ScanGrid grid, int index, ScanTrial trial, ScanOptions options)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Directory is null) throw new ArgumentException("Running one point needs ScanOptions.Directory: Scan.Merge reads the results from there.", nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (index >= grid.Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"The grid has {grid.Count} points, 0 to {grid.Count - 1}.");
        WriteScanFile(grid, options);
        return Train(grid, index, trial, options);
    }

    /// <summary>The table of a scan from its directory's files alone: what <see cref="Run(ScanGrid, ScanTrial, ScanOptions?)"/> returned, whether the points ran here or on a batch farm.</summary>
    /// <param name="directory">The scan's directory (<see cref="ScanOptions.Directory"/>).</param>
    /// <exception cref="DirectoryNotFoundException">There is no such directory.</exception>
    /// <exception cref="FormatException">A file is missing (<c>scan.json</c> or a point's), a point is there twice, belongs to another scan, or is not a result; the message names the files.</exception>
    public static ScanTable Merge(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!System.IO.Directory.Exists(directory)) throw new DirectoryNotFoundException($"There is no scan directory '{directory}'.");
        string scanPath = Path.Combine(directory, ScanFile);
        if (!File.Exists(scanPath)) throw new FormatException($"'{directory}' has no {ScanFile}: it is not a scan's directory (Scan.Run and Scan.RunPoint write one).");
        var (grid, metric, minimize) = Read(scanPath, root => (
            ScanGrid.FromJson(root.GetProperty("grid"), scanPath),
            root.GetProperty("metric").GetString() ?? throw new FormatException("metric is null"),
            root.GetProperty("minimize").GetBoolean()));
        string gridJson = grid.ToJson();
        var rows = new ScanRow?[grid.Count];
        var files = new string?[grid.Count];
        foreach (string path in System.IO.Directory.GetFiles(directory, "point-*.json").Where(path => !Path.GetFileName(path).Contains("-fold-", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var (index, pointGrid, parameters, folds) = Read(path, root => (
                root.GetProperty("index").GetInt32(),
                ScanGrid.FromJson(root.GetProperty("grid"), path).ToJson(),
                root.GetProperty("parameters").EnumerateObject().Select(p => new KeyValuePair<string, double>(p.Name, p.Value.GetDouble())).ToArray(),
                root.GetProperty("folds").EnumerateArray().Select(fold => (IReadOnlyDictionary<string, double>)fold.EnumerateObject().ToDictionary(m => m.Name, m => Number(m.Value))).ToArray()));
            if (pointGrid != gridJson || index < 0 || index >= grid.Count || !parameters.SequenceEqual(grid[index]))
            {
                throw new FormatException($"'{path}' is a point of another scan (grid {pointGrid}, point {index}), not of this directory's {ScanFile} (grid {gridJson}).");
            }

            if (files[index] is { } other) throw new FormatException($"'{other}' and '{path}' both hold point {index} ({grid[index].Label}); remove one.");
            files[index] = path;
            rows[index] = Row(grid[index], folds, metric, path);
        }

        var missing = Enumerable.Range(0, grid.Count).Where(index => rows[index] is null).ToList();
        if (missing.Count > 0)
        {
            throw new FormatException($"'{directory}' has no result for point{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Take(20))}{(missing.Count > 20 ? ", …" : "")} of {grid.Count}: run {(missing.Count > 1 ? "them" : "it")} (Scan.RunPoint) before merging.");
        }

        return new ScanTable(grid, metric, minimize, rows!);
    }

    private static ScanRow Train(ScanGrid grid, int index, ScanTrial trial, ScanOptions options)
    {
        var point = grid[index];
        var folds = trial(point) ?? throw new InvalidOperationException($"The trial of {point} returned null.");
        var row = Row(point, folds.Select(fold => (IReadOnlyDictionary<string, double>)fold.ToDictionary()).ToArray(), options.Metric, "the trial");
        if (options.Directory is { } directory)
        {
            string name = "point-" + index.ToString("D4", CultureInfo.InvariantCulture);
            for (int fold = 0; fold < row.Folds.Count; fold++)
            {
                Write(Path.Combine(directory, $"{name}-fold-{fold}.json"), grid, point, writer =>
                {
                    writer.WriteNumber("fold", fold);
                    WriteMetrics(writer, "metrics", row.Folds[fold]);
                });
            }

            Write(Path.Combine(directory, name + ".json"), grid, point, writer =>
            {
                writer.WriteStartArray("folds");
                foreach (var fold in row.Folds) WriteMetrics(writer, null, fold);
                writer.WriteEndArray();
            });
        }

        return row;
    }

    /// <summary>A row from a point's folds, checked: at least one fold, each with the ranking metric and the same metrics.</summary>
    private static ScanRow Row(ScanPoint point, IReadOnlyList<IReadOnlyDictionary<string, double>> folds, string metric, string source)
    {
        string? problem = folds.Count == 0 ? "no folds"
            : folds.Any(fold => !fold.ContainsKey(metric)) ? $"no '{metric}' (the ranking metric) in a fold"
            : folds.Any(fold => !fold.Keys.Order(StringComparer.Ordinal).SequenceEqual(folds[0].Keys.Order(StringComparer.Ordinal))) ? "folds with different metrics"
            : null;
        if (problem is null) return new ScanRow(point, folds);
        string message = $"{point}: {source} gave {problem}.";
        throw source == "the trial" ? new InvalidOperationException(message) : new FormatException(message);
    }

    private static void WriteScanFile(ScanGrid grid, ScanOptions options)
    {
        if (options.Directory is not { } directory) return;
        string path = Path.Combine(directory, ScanFile);
        string text = Json(writer =>
        {
            writer.WriteStartObject();
            writer.WritePropertyName("grid");
            grid.WriteJson(writer);
            writer.WriteString("metric", options.Metric);
            writer.WriteBoolean("minimize", options.Minimize);
            writer.WriteEndObject();
        });
        // Every array job writes it; the same scan writes the same bytes, another scan's must not be overwritten.
        if (File.Exists(path) && File.ReadAllText(path) != text)
        {
            throw new ArgumentException($"'{path}' is another scan's ({File.ReadAllText(path).Trim()}); use a new directory for this one.", nameof(options));
        }

        AtomicFile.WriteAllText(path, text);
    }

    private static void Write(string path, ScanGrid grid, ScanPoint point, Action<Utf8JsonWriter> body) =>
        AtomicFile.WriteAllText(path, Json(writer =>
        {
            writer.WriteStartObject();
            writer.WritePropertyName("grid");
            grid.WriteJson(writer);
            writer.WriteNumber("index", point.Index);
            WriteMetrics(writer, "parameters", point);
            body(writer);
            writer.WriteEndObject();
        }));

    private static void WriteMetrics(Utf8JsonWriter writer, string? name, IEnumerable<KeyValuePair<string, double>> values)
    {
        if (name is null) writer.WriteStartObject();
        else writer.WriteStartObject(name);
        foreach (var (key, value) in values)
        {
            // A diverged training's NaN is a result too; JSON has no NaN, so it is the string "NaN".
            if (double.IsFinite(value)) writer.WriteNumber(key, value);
            else writer.WriteString(key, value.ToString(CultureInfo.InvariantCulture));
        }

        writer.WriteEndObject();
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static double Number(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? double.Parse(value.GetString()!, CultureInfo.InvariantCulture) : value.GetDouble();

    private static TResult Read<TResult>(string path, Func<JsonElement, TResult> read)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return read(document.RootElement);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException || (e is FormatException && !e.Message.StartsWith(path, StringComparison.Ordinal)))
        {
            throw new FormatException($"'{path}' is not a scan result ({e.Message}).", e);
        }
    }
}
