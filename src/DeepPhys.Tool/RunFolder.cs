using System.Text.Json;
using System.Text.Json.Serialization;
using DeepPhys.IO;

namespace DeepPhys.Tool;

/// <summary>
/// What <c>deepphys train</c> writes into its <c>--out</c> folder, and what <c>evaluate</c> and <c>export</c> read back:
/// the network's .dph, the checkpoint (parameters, optimizer state, scaler), the history, the plots, and <see cref="FileName"/>
/// (<see cref="RunSettings"/>: which columns, classes and precision the network was trained on).
/// </summary>
internal static class RunFolder
{
    /// <summary>The run's settings.</summary>
    public const string FileName = "run.json";

    /// <summary>The copy of the network's .dph file.</summary>
    public const string Network = "network.dph";

    /// <summary>The checkpoint, with the optimizer's state and the scaler.</summary>
    public const string Checkpoint = "checkpoint.json";

    /// <summary>The history per epoch, as JSON and as CSV.</summary>
    public const string HistoryJson = "history.json", HistoryCsv = "history.csv";

    /// <summary>The learning curves and, for a classifier, the ROC curve(s) on the validation part (the training part without one).</summary>
    public const string LossPlot = "loss.png", RocPlot = "roc.png";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Writes <paramref name="settings"/> into <paramref name="folder"/>.</summary>
    public static void Save(string folder, RunSettings settings) =>
        AtomicFile.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(settings, Json));

    /// <summary>Reads the settings of the run in <paramref name="folder"/>; a folder that is not a run is a <see cref="ToolException"/>.</summary>
    public static RunSettings Load(string folder)
    {
        foreach (string file in new[] { FileName, Network, Checkpoint })
        {
            if (!File.Exists(Path.Combine(folder, file)))
            {
                throw new ToolException($"{folder}: no {file}; give the folder 'deepphys train --out' wrote.");
            }
        }

        string path = Path.Combine(folder, FileName);
        try
        {
            return JsonSerializer.Deserialize<RunSettings>(File.ReadAllText(path), Json) ?? throw new JsonException("the file holds null");
        }
        catch (JsonException e)
        {
            throw new ToolException($"{path} is not a deepphys run file: {e.Message}");
        }
    }
}

/// <summary>How a run was trained: what <c>evaluate</c> needs to read new data as the training data was read.</summary>
/// <param name="Precision">The precision the network was compiled in.</param>
/// <param name="Target">The target column.</param>
/// <param name="Features">The feature columns, in input order.</param>
/// <param name="Classes">The class names, one per output, for a categorical cross-entropy network; null otherwise.</param>
/// <param name="Data">The training data file, as given.</param>
/// <param name="Seed">Seeds the split, the initialisation and the shuffling.</param>
/// <param name="Optimizer">The optimizer's name.</param>
/// <param name="LearningRate">Its learning rate.</param>
/// <param name="Epochs">Passes over the training part.</param>
/// <param name="BatchSize">Samples per step.</param>
/// <param name="ValidationSplit">The fraction held out for validation.</param>
/// <param name="Scale">The scaler fitted on the training part: <c>standard</c>, <c>minmax</c> or <c>none</c>.</param>
internal sealed record RunSettings(
    Precision Precision, string Target, IReadOnlyList<string> Features, IReadOnlyList<string>? Classes, string Data, int Seed,
    string Optimizer, double LearningRate, int Epochs, int BatchSize, double ValidationSplit, string Scale);
