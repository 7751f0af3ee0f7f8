using System.CommandLine;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;
using DeepPhys.Training;

namespace DeepPhys.Tool;

/// <summary>
/// <c>deepphys evaluate run/ --data test.csv [--json]</c> (or <c>model.json --network net.dph --target label</c>): the trained
/// network's <see cref="Evaluation"/> on new data, read and scaled as the training data was.
/// </summary>
internal static class EvaluateCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static Command Create(TextWriter output)
    {
        var run = new Argument<string>("run") { Description = "The run folder 'deepphys train --out' wrote, or a checkpoint file (with --network and --target)." };
        var data = new Option<string>("--data") { Description = "The data to evaluate on: a .csv or .parquet file with the training columns.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON." };
        var network = new Option<string?>("--network") { Description = "The checkpoint's .dph file (for a checkpoint file)." };
        var target = new Option<string?>("--target") { Description = "The target column (for a checkpoint file; a run folder knows it)." };
        var command = new Command("evaluate", "Loss and metrics of a trained network on new data.") { run, data, json, network, target };
        command.SetAction(parse =>
        {
            var model = TrainedModel.Open(parse.GetRequiredValue(run), parse.GetValue(network));
            string column = model.Settings?.Target ?? parse.GetValue(target)
                ?? throw new ToolException("--target is required with a checkpoint file: name the target column.");
            if (model.Settings is not null && parse.GetValue(target) is not null)
            {
                throw new ToolException($"--target is for a checkpoint file; the run folder trained on '{model.Settings.Target}'.");
            }

            var report = model.Precision == Precision.Double
                ? Evaluate<double>(model, column, parse.GetRequiredValue(data))
                : Evaluate<float>(model, column, parse.GetRequiredValue(data));
            output.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(report, Json) : report.ToString());
            return 0;
        });
        return command;
    }

    private static EvaluationReport Evaluate<T>(TrainedModel model, string target, string path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (network, scaler) = model.Load<T>();
        var data = DataFile.Read(path, target, network, model.Network, model.Settings);
        if (scaler is not null) data = scaler.Transform(data);
        return EvaluationReport.Of(path, data.Count, network.Evaluate(data));
    }
}

/// <summary>The figures <c>evaluate</c> prints: an <see cref="Evaluation"/>'s, those its loss has (null otherwise, and left out of the JSON).</summary>
/// <param name="Data">The data file.</param>
/// <param name="Samples">Its number of samples.</param>
/// <param name="Loss">The mean loss per sample.</param>
/// <param name="Accuracy">The fraction classified right.</param>
/// <param name="Auc">The area under the ROC curve of a binary classifier.</param>
/// <param name="MacroAuc">The mean one-vs-rest area of a several-class classifier.</param>
/// <param name="Precision">A binary classifier's precision at the threshold 0.5.</param>
/// <param name="Recall">Its recall (signal efficiency).</param>
/// <param name="F1">Its F1 score.</param>
/// <param name="MeanSquaredError">A regression's mean squared error.</param>
/// <param name="MeanAbsoluteError">Its mean absolute error.</param>
/// <param name="R2">Its coefficient of determination.</param>
/// <param name="Classes">The class names, the rows and columns of <paramref name="ConfusionMatrix"/>.</param>
/// <param name="ConfusionMatrix">Counts per true class (row) and predicted class (column).</param>
internal sealed record EvaluationReport(
    string Data, int Samples, double Loss, double? Accuracy, double? Auc, double? MacroAuc, double? Precision, double? Recall, double? F1,
    double? MeanSquaredError, double? MeanAbsoluteError, double? R2, IReadOnlyList<string>? Classes, long[][]? ConfusionMatrix)
{
    public static EvaluationReport Of(string data, int samples, Evaluation evaluation)
    {
        var matrix = evaluation.ConfusionMatrix;
        return new EvaluationReport(
            data, samples, evaluation.Loss, evaluation.Accuracy, evaluation.Roc?.Auc, evaluation.RocPerClass?.MacroAuc,
            evaluation.Binary?.Precision, evaluation.Binary?.Recall, evaluation.Binary?.F1,
            evaluation.Regression?.MeanSquaredError, evaluation.Regression?.MeanAbsoluteError, evaluation.Regression?.R2,
            matrix?.ClassNames,
            matrix is null ? null : [.. Enumerable.Range(0, matrix.ClassCount).Select(actual => Enumerable.Range(0, matrix.ClassCount).Select(predicted => matrix[actual, predicted]).ToArray())]);
    }

    /// <summary>One figure a line, those the loss has, then the confusion matrix.</summary>
    public override string ToString()
    {
        var lines = new List<string> { $"{Data}: {Samples} samples" };
        void Add(string name, double? value)
        {
            if (value is { } figure) lines.Add(string.Create(CultureInfo.InvariantCulture, $"{name,-10}{figure:F4}"));
        }

        Add("loss", Loss);
        Add("accuracy", Accuracy);
        Add("auc", Auc);
        Add("macro auc", MacroAuc);
        Add("precision", Precision);
        Add("recall", Recall);
        Add("f1", F1);
        Add("mse", MeanSquaredError);
        Add("mae", MeanAbsoluteError);
        Add("r2", R2);
        if (Classes is not null && ConfusionMatrix is not null)
        {
            int width = Math.Max(6, Classes.Max(name => name.Length) + 1);
            lines.Add("confusion matrix (rows true, columns predicted):");
            lines.Add(new string(' ', width) + string.Concat(Classes.Select(name => name.PadLeft(width))));
            lines.AddRange(Classes.Select((name, row) => name.PadRight(width) + string.Concat(ConfusionMatrix[row].Select(count => count.ToString(CultureInfo.InvariantCulture).PadLeft(width)))));
        }

        return string.Join(Environment.NewLine, lines);
    }
}
