using System.CommandLine;
using System.Globalization;
using System.Numerics;
using DeepPhys.Data;
using DeepPhys.Optimizers;
using DeepPhys.Plotting;
using DeepPhys.Training;

namespace DeepPhys.Tool;

/// <summary>
/// <c>deepphys train net.dph --data events.csv --target label --out run/</c>: splits off a validation part (stratified),
/// fits the scaler on the training part, trains, and writes the run folder (<see cref="RunFolder"/>).
/// </summary>
internal static class TrainCommand
{
    /// <summary>The <c>--optimizer</c> choices, each with its own default learning rate.</summary>
    internal static readonly Dictionary<string, Func<double?, Optimizer>> Optimizers = new()
    {
        ["adam"] = rate => rate is { } r ? new Adam(r) : new Adam(),
        ["adamw"] = rate => rate is { } r ? new AdamW(r) : new AdamW(),
        ["nadam"] = rate => rate is { } r ? new NAdam(r) : new NAdam(),
        ["sgd"] = rate => rate is { } r ? new Sgd(r) : new Sgd(),
        ["rmsprop"] = rate => rate is { } r ? new RmsProp(r) : new RmsProp(),
        ["adagrad"] = rate => rate is { } r ? new AdaGrad(r) : new AdaGrad(),
    };

    /// <summary>What the command line says.</summary>
    private sealed record Arguments(
        string Network, string Data, string Target, string Out, int Epochs, int BatchSize, string Optimizer, double? LearningRate,
        double ValidationSplit, int Seed, string Scale, bool Interactive);

    public static Command Create(TextWriter output, bool interactive)
    {
        var network = new Argument<string>("network") { Description = "The .dph file." };
        var data = new Option<string>("--data") { Description = "The training data: a .csv or .parquet file.", Required = true };
        var target = new Option<string>("--target") { Description = "The target column; every other column is an input.", Required = true };
        var runFolder = new Option<string>("--out") { Description = "The run folder to write (created if needed).", Required = true };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training part.", DefaultValueFactory = _ => 50 };
        var batchSize = new Option<int>("--batch-size") { Description = "Samples per step.", DefaultValueFactory = _ => 32 };
        var optimizer = new Option<string>("--optimizer") { Description = "The optimizer.", DefaultValueFactory = _ => "adam" };
        optimizer.AcceptOnlyFromAmong([.. Optimizers.Keys]);
        var learningRate = new Option<double?>("--lr") { Description = "The learning rate (default: the optimizer's, e.g. 0.001 for adam, 0.01 for sgd)." };
        var validationSplit = new Option<double>("--validation-split") { Description = "The fraction held out for validation (0: none).", DefaultValueFactory = _ => 0.2 };
        var seed = new Option<int>("--seed") { Description = "Seeds the split, the initialisation and the shuffling.", DefaultValueFactory = _ => 0 };
        var scale = new Option<string>("--scale") { Description = "The scaler fitted on the training part.", DefaultValueFactory = _ => "standard" };
        scale.AcceptOnlyFromAmong("standard", "minmax", "none");
        var precision = new Option<string?>("--precision") { Description = "single or double (default: the .dph file's 'precision' line, else single)." };
        precision.AcceptOnlyFromAmong("single", "double");

        var command = new Command("train", "Train a network on a table and write the run folder.")
        {
            network, data, target, runFolder, epochs, batchSize, optimizer, learningRate, validationSplit, seed, scale, precision,
        };
        command.SetAction(parse =>
        {
            var arguments = new Arguments(
                parse.GetRequiredValue(network), parse.GetRequiredValue(data), parse.GetRequiredValue(target), parse.GetRequiredValue(runFolder),
                parse.GetValue(epochs), parse.GetValue(batchSize), parse.GetRequiredValue(optimizer), parse.GetValue(learningRate),
                parse.GetValue(validationSplit), parse.GetValue(seed), parse.GetRequiredValue(scale), interactive);
            Check(arguments);
            var requested = parse.GetValue(precision) is { } name ? Enum.Parse<Precision>(name, ignoreCase: true) : (Precision?)null;
            if (NetworkFile.PrecisionOf(arguments.Network, requested) == Precision.Double) Train<double>(arguments, output);
            else Train<float>(arguments, output);
            return 0;
        });
        return command;
    }

    private static void Check(Arguments arguments)
    {
        CheckTraining(arguments.Epochs, arguments.BatchSize, arguments.LearningRate);
        if (!(arguments.ValidationSplit is >= 0 and < 1))
        {
            throw new ToolException(Invariant($"--validation-split must be at least 0 and below 1, not {arguments.ValidationSplit}."));
        }
    }

    /// <summary>The options <c>train</c> and <c>scan</c> share: <c>--epochs</c>, <c>--batch-size</c>, <c>--lr</c>.</summary>
    internal static void CheckTraining(int epochs, int batchSize, double? learningRate)
    {
        if (epochs < 1) throw new ToolException(Invariant($"--epochs must be at least 1, not {epochs}."));
        if (batchSize < 1) throw new ToolException(Invariant($"--batch-size must be at least 1, not {batchSize}."));
        if (learningRate is { } rate && !(double.IsFinite(rate) && rate > 0))
        {
            throw new ToolException(Invariant($"--lr must be a positive number, not {rate}."));
        }
    }

    private static void Train<T>(Arguments arguments, TextWriter output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var network = NetworkFile.Load<T>(arguments.Network, arguments.Seed);
        var data = DataFile.Read(arguments.Data, arguments.Target, network, arguments.Network);
        var (train, validation) = Split(data, arguments);
        FeatureScaler? scaler = arguments.Scale switch
        {
            "standard" => StandardScaler.Fit(train),
            "minmax" => MinMaxScaler.Fit(train),
            _ => null,
        };
        if (scaler is not null)
        {
            train = scaler.Transform(train);
            validation = validation is null ? null : scaler.Transform(validation);
        }

        var optimizer = Optimizers[arguments.Optimizer](arguments.LearningRate);
        string folder = CreateFolder(arguments.Out);
        output.WriteLine(Invariant(
            $"{network.Definition.Name}: {network.ParameterCount} parameters ({typeof(T).Name}), {train.Count} training samples, {validation?.Count ?? 0} validation, {arguments.Optimizer} lr {optimizer.BaseLearningRate}"));
        var history = network.Fit(train, optimizer, new FitOptions<T>
        {
            Epochs = arguments.Epochs,
            BatchSize = arguments.BatchSize,
            Validation = validation,
            Progress = new EpochProgress(output, arguments.Epochs, arguments.Interactive),
        });

        File.Copy(arguments.Network, Path.Combine(folder, RunFolder.Network), overwrite: true);
        Checkpoint.Save(network, Path.Combine(folder, RunFolder.Checkpoint), optimizer, scaler);
        history.SaveJson(Path.Combine(folder, RunFolder.HistoryJson));
        history.SaveCsv(Path.Combine(folder, RunFolder.HistoryCsv));
        RunFolder.Save(folder, new RunSettings(
            typeof(T) == typeof(double) ? Precision.Double : Precision.Single, arguments.Target, data.FeatureNames ?? [], data.ClassNames,
            arguments.Data, arguments.Seed, arguments.Optimizer, optimizer.BaseLearningRate, arguments.Epochs, arguments.BatchSize,
            arguments.ValidationSplit, arguments.Scale));
        List<string> written = [RunFolder.Network, RunFolder.Checkpoint, RunFolder.HistoryJson, RunFolder.HistoryCsv, RunFolder.FileName];
        Plots.LearningCurves(history, Path.Combine(folder, RunFolder.LossPlot), $"{network.Definition.Name}: learning curves");
        written.Add(RunFolder.LossPlot);
        if (DrawRoc(network.Evaluate(validation ?? train), Path.Combine(folder, RunFolder.RocPlot), validation is null ? "training" : "validation"))
        {
            written.Add(RunFolder.RocPlot);
        }

        output.WriteLine($"wrote {folder}: {string.Join(", ", written)}");
    }

    /// <summary>The run folder, created before training so a bad <c>--out</c> is found before the time is spent.</summary>
    internal static string CreateFolder(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            return folder;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ToolException($"--out {folder}: {e.Message}");
        }
    }

    /// <summary>The stratified validation part, drawn with the run's seed; none for a split of 0.</summary>
    private static (Dataset<T> Train, Dataset<T>? Validation) Split<T>(Dataset<T> data, Arguments arguments) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (arguments.ValidationSplit == 0) return (data, null);
        try
        {
            var (train, validation, _) = data.Split(1 - arguments.ValidationSplit, arguments.ValidationSplit, 0, arguments.Seed);
            return (train, validation);
        }
        catch (ArgumentException e)
        {
            throw new ToolException($"--validation-split {arguments.ValidationSplit.ToString(CultureInfo.InvariantCulture)} of {arguments.Data}: {e.Message}");
        }
    }

    /// <summary>The ROC curve of a binary classifier, or one curve per class of a softmax; false for a regression.</summary>
    private static bool DrawRoc(Evaluation evaluation, string path, string part)
    {
        if (evaluation.Roc is { } roc) Plots.Roc(roc, path, title: $"ROC curve ({part} part)");
        else if (evaluation.RocPerClass is { } curves) Plots.Roc(curves, path, title: $"ROC curves, one class vs the rest ({part} part)");
        else return false;
        return true;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
