using static DeepPhys.Tool.Tests.ToolHarness;

namespace DeepPhys.Tool.Tests;

/// <summary><c>deepphys scan --slurm</c> and <c>--htcondor</c>: the files written, their exact text, and what is printed.</summary>
public sealed class BatchSubmissionTests : IDisposable
{
    private readonly TemporaryFolder folder = new();
    private readonly string iris = Fixture("iris.csv"), dph = Fixture("iris_scan.dph");
    private readonly string grid, run;

    public BatchSubmissionTests()
    {
        grid = folder.File("grid.json");
        run = folder.File("farm");
        File.WriteAllText(grid, """{"width1": [4, 8, 16], "width2": [3, 6]}""");
    }

    public void Dispose() => folder.Dispose();

    private string[] ScanArgs(params string[] more) => ["scan", dph, "--grid", grid, "--data", iris, "--target", "species", "--out", run, "--epochs", "30", .. more];

    private string PointArguments => $"scan {dph} --grid {grid} --data {iris} --target species --out {run} --folds 5 --epochs 30 --batch-size 32 --optimizer adam --seed 0 --scale standard";

    [Fact]
    public void Slurm()
    {
        var result = Succeeds(ScanArgs("--slurm", "--partition", "short", "--time", "00:20:00", "--mem", "2G", "--cpus", "2", "--deepphys", "/opt/tools/deepphys"));

        Assert.Equal($"""
            #!/bin/bash
            #SBATCH --job-name=deepphys-scan
            #SBATCH --array=0-5
            #SBATCH --output={run}/logs/point-%a.out
            #SBATCH --partition=short
            #SBATCH --time=00:20:00
            #SBATCH --mem=2G
            #SBATCH --cpus-per-task=2
            set -euo pipefail
            /opt/tools/deepphys {PointArguments} --point "$SLURM_ARRAY_TASK_ID"

            """, File.ReadAllText(Path.Combine(run, "scan.sbatch")));
        Assert.Equal($"""
            #!/bin/bash
            #SBATCH --job-name=deepphys-merge
            #SBATCH --output={run}/logs/merge.out
            #SBATCH --partition=short
            #SBATCH --time=00:20:00
            #SBATCH --mem=2G
            #SBATCH --cpus-per-task=1
            set -euo pipefail
            /opt/tools/deepphys merge {run}

            """, File.ReadAllText(Path.Combine(run, "merge.sbatch")));
        Assert.Equal($"""
            wrote {run}: scan.sbatch, merge.sbatch (6 jobs, one point each); submit with
            jobid=$(sbatch --parsable {run}/scan.sbatch)
            sbatch --dependency=afterok:$jobid {run}/merge.sbatch

            """, result.Output);
        Assert.True(Directory.Exists(Path.Combine(run, "logs")));
    }

    [Fact]
    public void SlurmDefaultsAndAQuotedPath()
    {
        Succeeds(ScanArgs("--slurm", "--lr", "0.01", "--deepphys", "/opt/my tools/deepphys"));
        Assert.Equal($"""
            #!/bin/bash
            #SBATCH --job-name=deepphys-scan
            #SBATCH --array=0-5
            #SBATCH --output={run}/logs/point-%a.out
            #SBATCH --time=01:00:00
            #SBATCH --mem=4G
            #SBATCH --cpus-per-task=1
            set -euo pipefail
            '/opt/my tools/deepphys' {PointArguments} --lr 0.01 --point "$SLURM_ARRAY_TASK_ID"

            """, File.ReadAllText(Path.Combine(run, "scan.sbatch")));
    }

    [Fact]
    public void HtCondor()
    {
        var result = Succeeds(ScanArgs("--htcondor", "--mem", "2G", "--deepphys", "/opt/tools/deepphys"));

        Assert.Equal($"""
            # deepphys scan: one point per job, the point's index is $(Process). After every job: deepphys merge {run}
            executable     = /opt/tools/deepphys
            arguments      = "{PointArguments} --point $(Process)"
            initialdir     = {run}
            output         = {run}/logs/point-$(Process).out
            error          = {run}/logs/point-$(Process).err
            log            = {run}/logs/scan.log
            request_cpus   = 1
            request_memory = 2G
            getenv         = True
            queue 6

            """, File.ReadAllText(Path.Combine(run, "scan.sub")));
        Assert.Equal($"""
            wrote {run}: scan.sub (6 jobs, one point each); submit with
            condor_submit {run}/scan.sub
            condor_wait {run}/logs/scan.log && /opt/tools/deepphys merge {run}

            """, result.Output);
    }

    private void AssertUsageError(string expected, params string[] more)
    {
        var result = Run(ScanArgs(more));
        Assert.Equal(expected + Environment.NewLine, result.Error);
        Assert.Equal(Cli.UsageError, result.ExitCode);
        Assert.False(File.Exists(Path.Combine(run, "scan.sbatch")));
    }

    [Fact]
    public void BothSchedulers() => AssertUsageError("deepphys: --slurm and --htcondor: give one of them.", "--slurm", "--htcondor");

    [Fact]
    public void WithPoint() => AssertUsageError("deepphys: --point runs one point here; --slurm and --htcondor write the jobs that run every point.", "--slurm", "--point", "1");

    [Fact]
    public void NoCpus() => AssertUsageError("deepphys: --cpus must be at least 1, not 0.", "--slurm", "--cpus", "0");

    [Fact]
    public void GridChecked()
    {
        File.WriteAllText(grid, """{"depth": [2]}""");
        AssertUsageError($"deepphys: {grid}: parameter 'depth' is not a 'param' line of {dph} (it declares width1, width2).", "--slurm");
    }
}
