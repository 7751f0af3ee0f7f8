using DeepPhys.Samples.ArchitectureScan;
using DeepPhys.Scans;

namespace DeepPhys.Samples.Tests;

/// <summary>The ArchitectureScan sample's key figures (docs/samples.md, docs/runtime-compile.md).</summary>
public sealed class ArchitectureScanTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("architecture-scan-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    /// <summary>The sample's own run: a low degree is best near the noise variance 0.09; high degrees interpolate the 10 points and fail on the rest.</summary>
    [Fact]
    public void PolynomialScan_LowDegreesGeneralise_HighDegreesInterpolate()
    {
        var table = ArchitectureScanDemo.PolynomialScan(directory);
        var byDegree = table.Rows.ToDictionary(row => (int)row.Point["degree"]);

        Assert.Equal(12, table.Rows.Count);
        Assert.InRange((int)table.Best.Point["degree"], 1, 3);
        Assert.InRange(table.Best["validation_mse"].Mean, 0.07, 0.12);
        Assert.True(byDegree[10]["train_mse"].Mean < 1e-3, $"degree 10 training MSE {byDegree[10]["train_mse"].Mean}");
        Assert.True(byDegree[10]["validation_mse"].Mean > 1, $"degree 10 validation MSE {byDegree[10]["validation_mse"].Mean}");
        Assert.True(byDegree[1]["train_mse"].Mean > byDegree[7]["train_mse"].Mean);
        Assert.Equal(table.ToCsv(), Scan.Merge(directory).ToCsv());
    }

    [Fact]
    public void CnnScan_EveryPointSeparatesElectronsFromPions()
    {
        var table = ArchitectureScanDemo.CnnScan(directory, ScanGrid.Parse("filters: [4], depth: [1, 2]"), trainCount: 1000, testCount: 1000, epochs: 2);

        Assert.Equal(["auc", "accuracy", "efficiency"], table.Metrics);
        Assert.All(table.Rows, row => Assert.InRange(row["auc"].Mean, 0.85, 1));
        Assert.Equal(table.Rows.MaxBy(row => row["auc"].Mean), table.Best);
    }
}
