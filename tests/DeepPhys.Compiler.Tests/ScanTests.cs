using DeepPhys.Data;
using DeepPhys.Optimizers;
using DeepPhys.Scans;
using DeepPhys.Training;

namespace DeepPhys.Compiler.Tests;

/// <summary><see cref="Scan"/>: grids, tables, parallel runs equal to runs alone, the table merged from the files, and the errors.</summary>
public sealed class ScanTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("scan-tests-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private const string Classifier = """
        param width = 4
        param depth = 1
        input x[4]
        repeat depth: h = dense(x, width) -> tanh
        out = dense(h, 3) -> softmax
        loss categorical_crossentropy(out)
        """;

    private static Dataset<float> Data()
    {
        var random = new RandomStream(8);
        var features = new float[60 * 4];
        for (int i = 0; i < features.Length; i++) features[i] = (float)random.NextNormal();
        var labels = Enumerable.Range(0, 60).Select(i => (features[4 * i] > 0 ? 1 : 0) + (features[4 * i + 1] > 0.5f ? 1 : 0)).ToArray();
        return Dataset<float>.FromClassLabels(features, 4, labels, 3);
    }

    private static ScanTrial CrossValidate() => ScanTrials.CrossValidate(Classifier, Data(), folds: 3, new FitSettings(() => new Adam(1e-2), Epochs: 3, BatchSize: 10), seed: 2);

    private static readonly ScanGrid Grid = ScanGrid.Parse("width: [4, 8], depth: [1, 2]");

    [Fact]
    public void Grid_NumbersPointsWithTheLastParameterFastest_FromTextJsonOrFile()
    {
        string file = Path.Combine(directory, "grid.json");
        File.WriteAllText(file, """{ "width": [4, 8], "depth": [1, 2] }""");

        foreach (var grid in new[] { Grid, ScanGrid.FromJson(Grid.ToJson()), ScanGrid.Load(file), ScanGrid.Parse(Grid.ToString()) })
        {
            Assert.Equal(["width", "depth"], grid.Names);
            Assert.Equal(["width=4, depth=1", "width=4, depth=2", "width=8, depth=1", "width=8, depth=2"], grid.Select(point => point.Label));
            Assert.Equal([0, 1, 2, 3], grid.Select(point => point.Index));
        }

        Assert.Equal("""{"width":[4,8],"depth":[1,2]}""", Grid.ToJson());
        Assert.Equal(8, Grid[3]["width"]);
        Assert.Equal(0.25, ScanGrid.Parse("p: [0.1, 0.25, 1e-3]")[1]["p"]);
    }

    [Theory]
    [InlineData("width: [16, 32] depth: [2]", "Scan grid, column 1: expected 'name: [value, …]' separated by commas")]
    [InlineData("width: [16, 32], depth [2]", "Scan grid, column 18: expected 'name: [value, …]' separated by commas")]
    [InlineData("width: [16, x]", "Scan grid, column 9: 'x' in width's values is not a number.")]
    [InlineData("width: [16, 16]", "Scan grid: Parameter 'width' repeats a value: [16, 16].")]
    [InlineData("width: [16], width: [8]", "Scan grid: Parameter 'width' appears twice in the grid.")]
    [InlineData("", "Scan grid, column 1: expected 'name: [value, …]'")]
    public void Grid_BadText_IsAFormatExceptionWithTheColumn(string text, string message)
    {
        var error = Assert.Throws<FormatException>(() => ScanGrid.Parse(text));

        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void Grid_BadJsonFile_NamesTheFile()
    {
        string file = Path.Combine(directory, "bad.json");
        File.WriteAllText(file, """{ "width": [16, "32"] }""");

        var error = Assert.Throws<FormatException>(() => ScanGrid.Load(file));

        Assert.Equal($"{file}: 'width' must be an array of numbers, not [16, \"32\"].", error.Message);
        Assert.Throws<FileNotFoundException>(() => ScanGrid.Load(Path.Combine(directory, "none.json")));
    }

    /// <summary>Made-up figures with known means and sds: the table's columns, the best point, the CSV.</summary>
    [Fact]
    public void Table_ShowsMeanAndSdPerPoint_AndTheBest()
    {
        var grid = ScanGrid.Parse("width: [4, 8], depth: [1, 2]");
        var table = Scan.Run(grid, (ScanTrial)(point => [Figures(point["width"] + point["depth"] - 1), Figures(point["width"] + point["depth"] + 1)]), new ScanOptions { Metric = "accuracy", Minimize = false });

        // Point 3: accuracy 1 - 1/(8+2∓1) = 8/9, 10/11 → mean 0.8990, sd |8/9 - 10/11| / 2 = 0.0101.
        Assert.Equal(3, table.Best.Point.Index);
        Assert.Equal((0.5 * (8.0 / 9 + 10.0 / 11), 0.5 * (10.0 / 11 - 8.0 / 9)), table.Best["accuracy"]);
        Assert.Equal("""
               point  width  depth  accuracy (mean ± sd)  loss (mean ± sd)
                   0      4      1      0.7917 ± 0.04167  0.2083 ± 0.04167
                   1      4      2      0.8286 ± 0.02857  0.1714 ± 0.02857
                   2      8      1       0.8875 ± 0.0125   0.1125 ± 0.0125
            *      3      8      2        0.899 ± 0.0101    0.101 ± 0.0101
            best (largest accuracy, mean over 2 folds): point 3 (width=8, depth=2), accuracy 0.899 ± 0.0101
            """.ReplaceLineEndings("\n"), table.ToString().ReplaceLineEndings("\n"));
        string[] csv = table.ToCsv().TrimEnd().Split('\n');
        Assert.Equal("point,width,depth,accuracy_mean,accuracy_sd,loss_mean,loss_sd,folds,best", csv[0]);
        Assert.Equal($"3,8,2,{0.5 * (8.0 / 9 + 10.0 / 11):R},{0.5 * (10.0 / 11 - 8.0 / 9):R},{0.5 * (1.0 / 9 + 1.0 / 11):R},{0.5 * (1.0 / 9 - 1.0 / 11):R},2,1", csv[4]);

        static IReadOnlyDictionary<string, double> Figures(double n) => new Dictionary<string, double> { ["accuracy"] = 1 - 1 / n, ["loss"] = 1 / n };
    }

    /// <summary>Two points at a time give each point the bits it gets alone, as an array job; the table merged from the files is the same.</summary>
    [Fact]
    public void Run_InParallel_IsBitIdenticalToEachPointAlone_AndToTheMergedFiles()
    {
        string parallelDirectory = Path.Combine(directory, "parallel"), aloneDirectory = Path.Combine(directory, "alone");
        var parallel = Scan.Run(Grid, CrossValidate(), new ScanOptions { MaxDegreeOfParallelism = 2, Directory = parallelDirectory });
        var alone = Enumerable.Range(0, Grid.Count).Reverse().Select(index => Scan.RunPoint(Grid, index, CrossValidate(), new ScanOptions { MaxDegreeOfParallelism = 1, Directory = aloneDirectory })).Reverse().ToList();

        for (int index = 0; index < Grid.Count; index++)
        {
            Assert.Equal(3, parallel.Rows[index].Folds.Count);
            Assert.Equal(Bits(alone[index]), Bits(parallel.Rows[index]));
        }

        Assert.NotEqual(Bits(parallel.Rows[0]), Bits(parallel.Rows[1]));
        foreach (var merged in new[] { Scan.Merge(parallelDirectory), Scan.Merge(aloneDirectory) })
        {
            Assert.Equal(parallel.ToCsv(), merged.ToCsv());
            Assert.Equal(parallel.ToString(), merged.ToString());
            Assert.Equal(Enumerable.Range(0, 4).Select(i => Bits(parallel.Rows[i])), merged.Rows.Select(Bits));
        }

        Assert.Equal(
            ["point-0000-fold-0.json", "point-0000-fold-1.json", "point-0000-fold-2.json", "point-0000.json"],
            Directory.GetFiles(parallelDirectory, "point-0000*").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(File.ReadAllText(Path.Combine(parallelDirectory, "scan.json")), File.ReadAllText(Path.Combine(aloneDirectory, "scan.json")));
    }

    /// <summary>Each point compiles once: its folds' networks share one class, and points of another shape get another.</summary>
    [Fact]
    public void Run_CompilesEachDistinctPointOnce()
    {
        var types = new System.Collections.Concurrent.ConcurrentBag<(int Point, Type Type)>();
        Scan.Run(Grid, point =>
        {
            for (int fold = 0; fold < 2; fold++) types.Add((point.Index, Networks.Compile<float>(Classifier, fold, parameters: point).GetType()));
            return new Dictionary<string, double> { ["loss"] = point.Index };
        });

        Assert.All(types.GroupBy(entry => entry.Point), point => Assert.Single(point.Select(entry => entry.Type).Distinct()));
        Assert.Equal(4, types.Select(entry => entry.Type).Distinct().Count());
    }

    [Fact]
    public void Merge_MissingDuplicateOrForeignPoints_AreFormatExceptionsNamingThem()
    {
        var trial = (Func<ScanPoint, IReadOnlyDictionary<string, double>>)(point => new Dictionary<string, double> { ["loss"] = point["width"] / point["depth"] });
        string scan = Path.Combine(directory, "scan"), other = Path.Combine(directory, "other");
        Scan.Run(Grid, trial, new ScanOptions { Directory = scan });
        Scan.Run(ScanGrid.Parse("width: [4, 16], depth: [1, 2]"), trial, new ScanOptions { Directory = other });
        string Point(string folder, int index) => Path.Combine(folder, $"point-{index:D4}.json");

        File.Move(Point(scan, 2), Path.Combine(directory, "aside.json"));
        var missing = Assert.Throws<FormatException>(() => Scan.Merge(scan));
        File.Move(Path.Combine(directory, "aside.json"), Point(scan, 2));
        File.Copy(Point(scan, 1), Path.Combine(scan, "point-0001-copy.json"));
        var duplicate = Assert.Throws<FormatException>(() => Scan.Merge(scan));
        File.Delete(Path.Combine(scan, "point-0001-copy.json"));
        File.Copy(Point(other, 3), Point(scan, 3), overwrite: true);
        var foreign = Assert.Throws<FormatException>(() => Scan.Merge(scan));
        var noScan = Assert.Throws<FormatException>(() => Scan.Merge(directory));

        Assert.Equal($"'{scan}' has no result for point 2 of 4: run it (Scan.RunPoint) before merging.", missing.Message);
        Assert.Equal($"'{Path.Combine(scan, "point-0001-copy.json")}' and '{Point(scan, 1)}' both hold point 1 (width=4, depth=2); remove one.", duplicate.Message);
        Assert.StartsWith($"'{Point(scan, 3)}' is a point of another scan (grid {{\"width\":[4,16],\"depth\":[1,2]}}, point 3), not of this directory's scan.json", foreign.Message);
        Assert.StartsWith($"'{directory}' has no scan.json", noScan.Message);
    }

    [Fact]
    public void RunPoint_IntoAnotherScansDirectory_OrWithoutOne_IsAnArgumentException()
    {
        var trial = (ScanTrial)(point => [new Dictionary<string, double> { ["loss"] = 1 }]);
        Scan.RunPoint(Grid, 0, trial, new ScanOptions { Directory = directory });

        var other = Assert.Throws<ArgumentException>("options", () => Scan.RunPoint(ScanGrid.Parse("width: [4]"), 0, trial, new ScanOptions { Directory = directory }));
        Assert.Throws<ArgumentException>("options", () => Scan.RunPoint(Grid, 0, trial, new ScanOptions()));
        Assert.Throws<ArgumentOutOfRangeException>("index", () => Scan.RunPoint(Grid, 4, trial, new ScanOptions { Directory = directory }));
        Assert.Contains("is another scan's", other.Message);
    }

    [Fact]
    public void Run_TrialWithoutTheRankingMetric_SaysWhichPoint()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Scan.Run(Grid, point => new Dictionary<string, double> { ["mse"] = 1 }));

        Assert.Equal("point 0 (width=4, depth=1): the trial gave no 'loss' (the ranking metric) in a fold.", error.Message);
    }

    [Fact]
    public void CrossValidate_GridParameterTheTextLacks_IsAnArgumentExceptionNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => Scan.Run(ScanGrid.Parse("units: [4]"), CrossValidate()));

        Assert.Contains("no parameter 'units' (it declares depth, width;", error.Message);
    }

    private static long[] Bits(ScanRow row) =>
        row.Folds.SelectMany(fold => fold.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => BitConverter.DoubleToInt64Bits(pair.Value))).ToArray();
}
