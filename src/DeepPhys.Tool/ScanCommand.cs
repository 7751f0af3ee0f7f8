using System.CommandLine;
using System.Globalization;
using System.Numerics;
using DeepPhys.IO;
using DeepPhys.Plotting;
using DeepPhys.Scans;
using DeepPhys.Training;

namespace DeepPhys.Tool;

/// <summary>
/// <c>deepphys scan net.dph --grid grid.json --data events.csv --target label --out run/</c>: k-fold cross-validation of
/// the network at every point of the grid (<see cref="ScanTrials.CrossValidate{T}"/>), all cores at once, or one point
/// with <c>--point i</c> (an array job); and <c>deepphys merge run/</c>, the table and plot from the per-point files.
/// </summary>
internal static class ScanCommand
{
    /// <summary>The merged table as aligned text and as CSV, and the plot of the ranking metric.</summary>
    public const string TableText = "scan.txt", TableCsv = "scan.csv", Plot = "scan.png";

    /// <summary>What the command line says.</summary>
    private sealed record Arguments(
        string Network, string Grid, string Data, string Target, string Out, int Folds, int Epochs, int BatchSize, string Optimizer,
        double? LearningRate, int Seed, string Scale, string? Precision, int? Point);

    public static Command Create(TextWriter output)
    {
        var network = new Argument<string>("network") { Description = "The .dph file, with a 'param' line per grid parameter." };
        var grid = new Option<string>("--grid") { Description = "The grid: a JSON object of arrays, e.g. {\"width\": [16, 32], \"depth\": [2, 3]}.", Required = true };
        var data = new Option<string>("--data") { Description = "The data: a .csv or .parquet file.", Required = true };
        var target = new Option<string>("--target") { Description = "The target column; every other column is an input.", Required = true };
        var runFolder = new Option<string>("--out") { Description = "The scan folder to write (created if needed).", Required = true };
        var folds = new Option<int>("--folds") { Description = "Cross-validation folds per point.", DefaultValueFactory = _ => 5 };
        var epochs = new Option<int>("--epochs") { Description = "Passes over each fold's training part.", DefaultValueFactory = _ => 50 };
        var batchSize = new Option<int>("--batch-size") { Description = "Samples per step.", DefaultValueFactory = _ => 32 };
        var optimizer = new Option<string>("--optimizer") { Description = "The optimizer.", DefaultValueFactory = _ => "adam" };
        optimizer.AcceptOnlyFromAmong([.. TrainCommand.Optimizers.Keys]);
        var learningRate = new Option<double?>("--lr") { Description = "The learning rate (default: the optimizer's)." };
        var seed = new Option<int>("--seed") { Description = "Seeds the folds and the networks (the same at every point).", DefaultValueFactory = _ => 0 };
        var scale = new Option<string>("--scale") { Description = "Standardise each fold on its training part, or not.", DefaultValueFactory = _ => "standard" };
        scale.AcceptOnlyFromAmong("standard", "none");
        var precision = new Option<string?>("--precision") { Description = "single or double (default: the .dph file's 'precision' line, else single)." };
        precision.AcceptOnlyFromAmong("single", "double");
        var point = new Option<int?>("--point") { Description = "Run this point alone (an array job's index, from 0) and write its file; 'deepphys merge' makes the table." };
        var slurm = new Option<bool>("--slurm") { Description = "Write a Slurm array job (scan.sbatch, merge.sbatch) into --out instead of running." };
        var condor = new Option<bool>("--htcondor") { Description = "Write an HTCondor submit file (scan.sub) into --out instead of running." };
        var partition = new Option<string?>("--partition") { Description = "The Slurm partition (default: the cluster's)." };
        var time = new Option<string>("--time") { Description = "Wall time per job, hh:mm:ss (Slurm).", DefaultValueFactory = _ => "01:00:00" };
        var memory = new Option<string>("--mem") { Description = "Memory per job.", DefaultValueFactory = _ => "4G" };
        var cpus = new Option<int>("--cpus") { Description = "Cores per job.", DefaultValueFactory = _ => 1 };
        var deepphys = new Option<string>("--deepphys") { Description = "The deepphys command on the farm's nodes.", DefaultValueFactory = _ => "deepphys" };

        var command = new Command("scan", "Cross-validate a network at every point of a parameter grid and write the table and plot.")
        {
            network, grid, data, target, runFolder, folds, epochs, batchSize, optimizer, learningRate, seed, scale, precision, point,
            slurm, condor, partition, time, memory, cpus, deepphys,
        };
        command.SetAction(parse =>
        {
            var arguments = new Arguments(
                parse.GetRequiredValue(network), parse.GetRequiredValue(grid), parse.GetRequiredValue(data), parse.GetRequiredValue(target),
                parse.GetRequiredValue(runFolder), parse.GetValue(folds), parse.GetValue(epochs), parse.GetValue(batchSize),
                parse.GetRequiredValue(optimizer), parse.GetValue(learningRate), parse.GetValue(seed), parse.GetRequiredValue(scale), parse.GetValue(precision),
                parse.GetValue(point));
            Check(arguments);
            if (parse.GetValue(slurm) || parse.GetValue(condor))
            {
                var resources = new BatchResources(parse.GetValue(partition), parse.GetRequiredValue(time), parse.GetRequiredValue(memory), parse.GetValue(cpus), parse.GetRequiredValue(deepphys));
                WriteSubmission(arguments, parse.GetValue(slurm), parse.GetValue(condor), resources, output);
                return 0;
            }

            var requested = arguments.Precision is { } name ? Enum.Parse<Precision>(name, ignoreCase: true) : (Precision?)null;
            if (NetworkFile.PrecisionOf(arguments.Network, requested) == Precision.Double) Run<double>(arguments, output);
            else Run<float>(arguments, output);
            return 0;
        });
        return command;
    }

    /// <summary><c>deepphys merge run/</c>.</summary>
    public static Command CreateMerge(TextWriter output)
    {
        var folder = new Argument<string>("folder") { Description = "The folder 'deepphys scan --out' (with --point per job) wrote." };
        var command = new Command("merge", "Merge the per-point files of a scan into its table and plot.") { folder };
        command.SetAction(parse =>
        {
            string directory = parse.GetRequiredValue(folder);
            ScanTable table;
            try
            {
                table = Scan.Merge(directory);
            }
            catch (Exception e) when (e is FormatException or DirectoryNotFoundException)
            {
                throw new ToolException(e.Message);
            }

            WriteTable(table, directory, output);
            return 0;
        });
        return command;
    }

    private static void Check(Arguments arguments)
    {
        if (arguments.Folds < 2) throw new ToolException(Invariant($"--folds must be at least 2, not {arguments.Folds}."));
        TrainCommand.CheckTraining(arguments.Epochs, arguments.BatchSize, arguments.LearningRate);
    }

    /// <summary>The array job of <c>--slurm</c> or <c>--htcondor</c>: the grid and files checked here, the points run on the farm.</summary>
    private static void WriteSubmission(Arguments arguments, bool slurm, bool condor, BatchResources resources, TextWriter output)
    {
        if (slurm && condor) throw new ToolException("--slurm and --htcondor: give one of them.");
        if (arguments.Point is not null) throw new ToolException("--point runs one point here; --slurm and --htcondor write the jobs that run every point.");
        if (resources.Cpus < 1) throw new ToolException(Invariant($"--cpus must be at least 1, not {resources.Cpus}."));
        var grid = LoadGrid(arguments.Grid, arguments.Network);
        if (!File.Exists(arguments.Data)) throw new ToolException($"{arguments.Data}: no such data file.");
        // The jobs start in other folders: every path absolute.
        string folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(TrainCommand.CreateFolder(arguments.Out)));
        List<string> command =
        [
            resources.Deepphys, "scan", Path.GetFullPath(arguments.Network), "--grid", Path.GetFullPath(arguments.Grid), "--data", Path.GetFullPath(arguments.Data),
            "--target", arguments.Target, "--out", folder, "--folds", Invariant($"{arguments.Folds}"), "--epochs", Invariant($"{arguments.Epochs}"),
            "--batch-size", Invariant($"{arguments.BatchSize}"), "--optimizer", arguments.Optimizer, "--seed", Invariant($"{arguments.Seed}"), "--scale", arguments.Scale,
        ];
        if (arguments.LearningRate is { } rate) command.AddRange(["--lr", rate.ToString("R", CultureInfo.InvariantCulture)]);
        if (arguments.Precision is { } precision) command.AddRange(["--precision", precision]);
        string submit = slurm
            ? BatchSubmission.WriteSlurm(folder, grid.Count, command, resources)
            : BatchSubmission.WriteCondor(folder, grid.Count, command, resources);
        string written = slurm ? $"{BatchSubmission.SlurmScan}, {BatchSubmission.SlurmMerge}" : BatchSubmission.Condor;
        output.WriteLine(Invariant($"wrote {folder}: {written} ({grid.Count} jobs, one point each); submit with"));
        output.WriteLine(submit);
    }

    private static void Run<T>(Arguments arguments, TextWriter output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var grid = LoadGrid(arguments.Grid, arguments.Network);
        if (arguments.Point is { } index && (index < 0 || index >= grid.Count))
        {
            throw new ToolException(Invariant($"--point {index}: {arguments.Grid} has {grid.Count} points, 0 to {grid.Count - 1}."));
        }

        var data = DataFile.Read(arguments.Data, arguments.Target, NetworkFile.Load<T>(arguments.Network, arguments.Seed), arguments.Network);
        var settings = new FitSettings(() => TrainCommand.Optimizers[arguments.Optimizer](arguments.LearningRate), arguments.Epochs, arguments.BatchSize, arguments.Scale == "standard");
        var crossValidate = ScanTrials.CrossValidate(File.ReadAllText(arguments.Network), data, arguments.Folds, settings, arguments.Seed);
        var options = new ScanOptions { Directory = TrainCommand.CreateFolder(arguments.Out) };
        var gate = new object();
        ScanTrial trial = point =>
        {
            var folds = crossValidate(point);
            var losses = folds.Select(fold => fold["loss"]).ToArray();
            double mean = losses.Average();
            double sd = Math.Sqrt(losses.Sum(loss => (loss - mean) * (loss - mean)) / losses.Length);
            lock (gate) output.WriteLine(Invariant($"point {point.Index + 1}/{grid.Count} ({point.Label}): loss {mean:G4} ± {sd:G3} over {folds.Count} folds"));
            return folds;
        };

        output.WriteLine(Invariant($"{grid.Count} points ({grid}), {arguments.Folds} folds each, {data.Count} samples ({typeof(T).Name})"));
        try
        {
            if (arguments.Point is { } single)
            {
                Scan.RunPoint(grid, single, trial, options);
                output.WriteLine(Invariant($"wrote {Path.Combine(arguments.Out, $"point-{single:D4}.json")}; 'deepphys merge {arguments.Out}' when every point is done"));
            }
            else
            {
                WriteTable(Scan.Run(grid, trial, options), arguments.Out, output);
            }
        }
        catch (ArgumentException e) when (e.ParamName == "options")
        {
            throw new ToolException($"--out {arguments.Out}: {e.Message}");
        }
    }

    /// <summary>The grid file, its every parameter checked against the network's <c>param</c> lines.</summary>
    private static ScanGrid LoadGrid(string path, string networkPath)
    {
        ScanGrid grid;
        try
        {
            grid = ScanGrid.Load(path);
        }
        catch (Exception e) when (e is FileNotFoundException or FormatException)
        {
            throw new ToolException(e is FileNotFoundException ? $"{path}: no such grid file." : e.Message);
        }

        if (!File.Exists(networkPath)) throw new ToolException($"{networkPath}: no such network file.");
        var declared = Networks.Parameters(File.ReadAllText(networkPath)).Select(parameter => parameter.Key).ToList();
        if (grid.Names.FirstOrDefault(name => !declared.Contains(name)) is { } unknown)
        {
            string has = declared.Count == 0 ? "it declares none" : $"it declares {string.Join(", ", declared)}";
            throw new ToolException($"{path}: parameter '{unknown}' is not a 'param' line of {networkPath} ({has}).");
        }

        return grid;
    }

    private static void WriteTable(ScanTable table, string folder, TextWriter output)
    {
        string text = table + "\n";
        AtomicFile.WriteAllText(Path.Combine(folder, TableText), text);
        table.WriteCsv(Path.Combine(folder, TableCsv));
        Plots.Scan(table, Path.Combine(folder, Plot));
        output.Write(text);
        output.WriteLine($"wrote {folder}: {TableText}, {TableCsv}, {Plot}");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
