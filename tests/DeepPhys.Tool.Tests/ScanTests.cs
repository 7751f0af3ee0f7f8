using DeepPhys.Data;
using DeepPhys.Optimizers;
using DeepPhys.Scans;
using DeepPhys.Training;
using static DeepPhys.Tool.Tests.ToolHarness;

namespace DeepPhys.Tool.Tests;

/// <summary><c>deepphys scan</c> and <c>merge</c>: the table equals the library's <see cref="Scan.Run(ScanGrid, ScanTrial, ScanOptions?)"/>, point by point too; bad input one line.</summary>
public sealed class ScanTests : IDisposable
{
    private readonly TemporaryFolder folder = new();
    private readonly string iris = Fixture("iris.csv"), dph = Fixture("iris_scan.dph");
    private readonly string grid;

    public ScanTests()
    {
        grid = folder.File("grid.json");
        File.WriteAllText(grid, """{"width1": [4, 8], "width2": [3, 6]}""");
    }

    public void Dispose() => folder.Dispose();

    private string[] ScanArgs(string output, params string[] more) =>
        ["scan", dph, "--grid", grid, "--data", iris, "--target", "species", "--out", output, "--folds", "2", "--epochs", "3", .. more];

    /// <summary>What docs/tool.md says the scan does, through the library: 2-fold cross-validation, Adam's default rate, standardised folds, seed 0.</summary>
    private string LibraryCsv()
    {
        var data = Dataset<float>.FromCsv(iris, "species", TargetEncoding.OneHot);
        var trial = ScanTrials.CrossValidate(File.ReadAllText(dph), data, folds: 2, new FitSettings(() => new Adam(), Epochs: 3), seed: 0);
        return Scan.Run(ScanGrid.Load(grid), trial).ToCsv();
    }

    [Fact]
    public void LocalScanEqualsTheLibrarysBitForBit()
    {
        string run = folder.File("run");
        var result = Succeeds(ScanArgs(run));

        Assert.Equal(LibraryCsv(), File.ReadAllText(Path.Combine(run, "scan.csv")));
        string table = File.ReadAllText(Path.Combine(run, "scan.txt"));
        Assert.EndsWith($"{table}wrote {run}: scan.txt, scan.csv, scan.png{Environment.NewLine}", result.Output);
        Assert.StartsWith($"4 points (width1: [4, 8], width2: [3, 6]), 2 folds each, 150 samples (Single){Environment.NewLine}", result.Output);
        for (int point = 1; point <= 4; point++) Assert.Contains($"point {point}/4 (width1=", result.Output);
        Assert.True(new FileInfo(Path.Combine(run, "scan.png")).Length > 1000);
    }

    [Fact]
    public void EveryPointThenMergeEqualsTheLocalRun()
    {
        string local = folder.File("local"), farm = folder.File("farm");
        Succeeds(ScanArgs(local));
        for (int point = 0; point < 4; point++)
        {
            var result = Succeeds(ScanArgs(farm, "--point", point.ToString()));
            Assert.EndsWith($"wrote {Path.Combine(farm, $"point-{point:D4}.json")}; 'deepphys merge {farm}' when every point is done{Environment.NewLine}", result.Output);
        }

        Succeeds("merge", farm);
        foreach (string file in new[] { "scan.csv", "scan.txt", "point-0002.json", "point-0003-fold-1.json" })
        {
            Assert.Equal(File.ReadAllText(Path.Combine(local, file)), File.ReadAllText(Path.Combine(farm, file)));
        }
    }

    private static void AssertUsageError(string expected, params string[] args)
    {
        var result = Run(args);
        Assert.Equal(expected + Environment.NewLine, result.Error);
        Assert.Equal(Cli.UsageError, result.ExitCode);
    }

    [Fact]
    public void GridParameterNotInTheNetwork()
    {
        File.WriteAllText(grid, """{"width1": [4], "depth": [2, 3]}""");
        AssertUsageError($"deepphys: {grid}: parameter 'depth' is not a 'param' line of {dph} (it declares width1, width2).", ScanArgs(folder.File("run")));
    }

    [Fact]
    public void GridThatIsNotJson()
    {
        File.WriteAllText(grid, "width1: [4, 8]");
        var result = Run(ScanArgs(folder.File("run")));
        Assert.StartsWith($"deepphys: {grid}: not JSON (", result.Error);
        Assert.Single(result.Error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(Cli.UsageError, result.ExitCode);
    }

    [Fact]
    public void MissingGrid()
    {
        string missing = folder.File("missing.json");
        AssertUsageError($"deepphys: {missing}: no such grid file.", ["scan", dph, "--grid", missing, "--data", iris, "--target", "species", "--out", folder.Path]);
    }

    [Fact]
    public void PointOutOfRange() =>
        AssertUsageError($"deepphys: --point 4: {grid} has 4 points, 0 to 3.", ScanArgs(folder.File("run"), "--point", "4"));

    [Fact]
    public void OneFold() =>
        AssertUsageError("deepphys: --folds must be at least 2, not 1.", ["scan", dph, "--grid", grid, "--data", iris, "--target", "species", "--out", folder.Path, "--folds", "1"]);

    [Fact]
    public void MergeOfAFolderMissingPoints()
    {
        string farm = folder.File("farm");
        Succeeds(ScanArgs(farm, "--point", "1"));
        AssertUsageError($"deepphys: '{farm}' has no result for points 0, 2, 3 of 4: run them (Scan.RunPoint) before merging.", "merge", farm);
    }

    [Fact]
    public void MergeOfAFolderThatIsNoScan() =>
        AssertUsageError($"deepphys: '{folder.Path}' has no scan.json: it is not a scan's directory (Scan.Run and Scan.RunPoint write one).", "merge", folder.Path);
}
