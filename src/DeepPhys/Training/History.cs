using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DeepPhys.IO;
using DeepPhys.Serialization;

namespace DeepPhys.Training;

/// <summary>The figures of one training epoch.</summary>
/// <param name="Epoch">The epoch number, from 1.</param>
/// <param name="Loss">Mean training loss over the epoch's samples, as each batch saw it, weight penalties included.</param>
/// <param name="Accuracy">Training accuracy over the epoch's batches; null for a regression loss.</param>
/// <param name="Validation">Evaluation on the validation set after the epoch, when one was given.</param>
/// <param name="Elapsed">Time since <c>Fit</c> started.</param>
public sealed record EpochResult(int Epoch, double Loss, double? Accuracy, Evaluation? Validation, TimeSpan Elapsed)
{
    /// <summary>The names <see cref="Quantity"/> knows, as Keras names them.</summary>
    public static readonly IReadOnlyList<string> Quantities = ["loss", "accuracy", "val_loss", "val_accuracy", "lr"];

    private static readonly IReadOnlyDictionary<string, double> NoParts = new Dictionary<string, double>();

    /// <summary>The learning rate of the epoch's last step.</summary>
    public double LearningRate { get; init; } = double.NaN;

    /// <summary>
    /// The parts of <see cref="Loss"/> when the network's loss has several (<see cref="NetworkDefinition.LossParts"/>: <c>loss_mse</c>,
    /// <c>loss_kl</c>, …), each the epoch's mean of its unweighted value over the samples, in the definition's order; empty otherwise.
    /// Kept in memory only: <see cref="History.SaveCsv"/> and <see cref="History.SaveJson"/> write the Keras quantities.
    /// </summary>
    public IReadOnlyDictionary<string, double> LossParts { get; init; } = NoParts;

    /// <summary>A figure by its Keras name: <c>loss</c>, <c>accuracy</c>, <c>val_loss</c>, <c>val_accuracy</c> or <c>lr</c>, or a loss part's (<see cref="LossParts"/>); null when this epoch does not have it.</summary>
    /// <param name="name">One of <see cref="Quantities"/> or of <see cref="LossParts"/>.</param>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Quantities"/> nor a loss part.</exception>
    public double? Quantity(string name) => LossParts.TryGetValue(name, out double part) ? part : CheckQuantity(name) switch
    {
        "loss" => Loss,
        "accuracy" => Accuracy,
        "val_loss" => Validation?.Loss,
        "val_accuracy" => Validation?.Accuracy,
        _ => double.IsNaN(LearningRate) ? null : LearningRate,
    };

    /// <summary>One line as the samples print it: <c>epoch 3: loss 0.4123, accuracy 0.8667, val_loss …, lr 0.001</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"epoch {Epoch}: {Figures()}");

    /// <summary>The figures this epoch has, without the epoch: <c>loss 0.4123, accuracy 0.8667, val_loss 0.3912, val_accuracy 0.9000, lr 0.001</c>, loss parts after the loss.</summary>
    internal string Figures()
    {
        var line = new StringBuilder().Append(CultureInfo.InvariantCulture, $"loss {Loss:F4}");
        foreach (var (name, part) in LossParts) line.Append(CultureInfo.InvariantCulture, $", {name} {part:F4}");
        if (Accuracy is { } accuracy) line.Append(CultureInfo.InvariantCulture, $", accuracy {accuracy:F4}");
        if (Validation is { } validation)
        {
            line.Append(CultureInfo.InvariantCulture, $", val_loss {validation.Loss:F4}");
            if (validation.Accuracy is { } validationAccuracy) line.Append(CultureInfo.InvariantCulture, $", val_accuracy {validationAccuracy:F4}");
        }

        if (!double.IsNaN(LearningRate)) line.Append(CultureInfo.InvariantCulture, $", lr {LearningRate:G4}");
        return line.ToString();
    }

    /// <summary>The epoch's loss parts by name from their sums over <paramref name="samples"/> samples, in the definition's order.</summary>
    internal static IReadOnlyDictionary<string, double> Parts(IReadOnlyList<string> names, double[] sums, int samples)
    {
        if (names.Count == 0) return NoParts;
        var parts = new Dictionary<string, double>(names.Count);
        for (int i = 0; i < names.Count; i++) parts.Add(names[i], sums[i] / samples);
        return parts;
    }

    internal static string CheckQuantity(string name) => Quantities.Contains(name)
        ? name
        : throw new ArgumentException($"Unknown quantity '{name}'; the known ones are {string.Join(", ", Quantities)}.", nameof(name));

    /// <summary>The row <see cref="History.SaveCsv"/> writes; empty fields for missing figures, round-trip precision.</summary>
    internal string ToCsvRow() => string.Join(
        ',',
        [Epoch.ToString(CultureInfo.InvariantCulture), .. Quantities.Select(q => Quantity(q)?.ToString("R", CultureInfo.InvariantCulture) ?? ""),
         Elapsed.TotalSeconds.ToString("R", CultureInfo.InvariantCulture)]);
}

/// <summary>What <c>Fit</c> returns: one <see cref="EpochResult"/> per epoch, in order; saved and loaded as CSV or JSON.</summary>
public sealed class History : IReadOnlyList<EpochResult>
{
    /// <summary>The CSV header <see cref="SaveCsv"/> and the CSV logger write.</summary>
    internal static readonly string CsvHeader = "epoch," + string.Join(',', EpochResult.Quantities) + ",seconds";

    private readonly List<EpochResult> epochs;

    internal History(int capacity) => epochs = new List<EpochResult>(capacity);

    /// <inheritdoc/>
    public int Count => epochs.Count;

    /// <inheritdoc/>
    public EpochResult this[int index] => epochs[index];

    /// <summary>Why training stopped before the last epoch (early stopping, divergence); null when it ran to the end.</summary>
    public string? StopReason { get; internal set; }

    /// <summary>Training loss per epoch.</summary>
    public double[] Loss => Series("loss");

    /// <summary>Validation loss per epoch (NaN where no validation set was given).</summary>
    public double[] ValidationLoss => Series("val_loss");

    /// <summary>Training accuracy per epoch (NaN for a regression loss).</summary>
    public double[] Accuracy => Series("accuracy");

    /// <summary>Validation accuracy per epoch (NaN where not available).</summary>
    public double[] ValidationAccuracy => Series("val_accuracy");

    /// <summary>A quantity per epoch by its Keras name (see <see cref="EpochResult.Quantities"/>), NaN where an epoch lacks it.</summary>
    /// <param name="quantity"><c>loss</c>, <c>accuracy</c>, <c>val_loss</c>, <c>val_accuracy</c> or <c>lr</c>.</param>
    public double[] Series(string quantity) => epochs.Select(e => e.Quantity(quantity) ?? double.NaN).ToArray();

    /// <inheritdoc/>
    public IEnumerator<EpochResult> GetEnumerator() => epochs.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Writes one row per epoch: <c>epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds</c>, empty where a figure is missing.</summary>
    /// <param name="path">The CSV file, replaced.</param>
    public void SaveCsv(string path) =>
        AtomicFile.WriteAllText(path, string.Join(Environment.NewLine, [CsvHeader, .. epochs.Select(e => e.ToCsvRow())]) + Environment.NewLine);

    /// <summary>Reads a file written by <see cref="SaveCsv"/> or the CSV logger.</summary>
    /// <param name="path">The CSV file.</param>
    /// <exception cref="FormatException">The header or a row is not what <see cref="SaveCsv"/> writes; the message names the line.</exception>
    public static History LoadCsv(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0] != CsvHeader)
        {
            throw new FormatException($"{path}: line 1 must be the header '{CsvHeader}'.");
        }

        var history = new History(lines.Length - 1);
        for (int i = 1; i < lines.Length; i++)
        {
            var fields = lines[i].Split(',');
            if (fields.Length != EpochResult.Quantities.Count + 2 || !int.TryParse(fields[0], CultureInfo.InvariantCulture, out int epoch))
            {
                throw new FormatException($"{path}: line {i + 1} does not have the {EpochResult.Quantities.Count + 2} fields of the header.");
            }

            double? Field(int index) => fields[index].Length == 0
                ? null
                : double.TryParse(fields[index], NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
                    ? value
                    : throw new FormatException($"{path}: line {i + 1}, column {index + 1}: '{fields[index]}' is not a number.");
            if (Field(6) is { } seconds && !IsDuration(seconds))
            {
                throw new FormatException($"{path}: line {i + 1}, column 7: '{fields[6]}' is not a duration in seconds.");
            }

            history.Add(Create(epoch, Field(1), Field(2), Field(3), Field(4), Field(5), Field(6)));
        }

        return history;
    }

    /// <summary>Writes the epochs and the stop reason as JSON: <c>{"stopReason": …, "epochs": [{"epoch": 1, "loss": …, "val_loss": …}, …]}</c>.</summary>
    /// <param name="path">The JSON file, replaced.</param>
    public void SaveJson(string path)
    {
        var document = new Dictionary<string, object?>
        {
            ["stopReason"] = StopReason,
            ["epochs"] = epochs.Select(e =>
            {
                var row = new Dictionary<string, object?> { ["epoch"] = e.Epoch };
                foreach (string q in EpochResult.Quantities) row[q] = e.Quantity(q);
                row["seconds"] = e.Elapsed.TotalSeconds;
                return row;
            }).ToArray(),
        };
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(document, HistoryJson.Default.DictionaryStringObject));
    }

    /// <summary>Reads a file written by <see cref="SaveJson"/>.</summary>
    /// <param name="path">The JSON file.</param>
    /// <exception cref="FormatException">The file is not what <see cref="SaveJson"/> writes.</exception>
    public static History LoadJson(string path)
    {
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            var root = json.RootElement;
            var rows = root.GetProperty("epochs").EnumerateArray().ToArray();
            var history = new History(rows.Length);
            foreach (var row in rows)
            {
                double? Number(string name) => !row.TryGetProperty(name, out var value) ? null : value.ValueKind switch
                {
                    JsonValueKind.Number => value.GetDouble(),
                    JsonValueKind.String => value.GetString() switch
                    {
                        "NaN" => double.NaN,
                        "Infinity" => double.PositiveInfinity,
                        "-Infinity" => double.NegativeInfinity,
                        var text => throw new FormatException($"'{name}' is \"{text}\": a number, \"NaN\", \"Infinity\" or \"-Infinity\" expected"),
                    },
                    _ => null,
                };
                var epoch = row.GetProperty("epoch");
                if (epoch.ValueKind != JsonValueKind.Number || !epoch.TryGetInt32(out int number))
                {
                    throw new FormatException($"'epoch' is {epoch.GetRawText()}, not an epoch number");
                }

                if (Number("seconds") is { } seconds && !IsDuration(seconds))
                {
                    throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"'seconds' is {seconds}, not a duration in seconds"));
                }

                history.Add(Create(number, Number("loss"), Number("accuracy"), Number("val_loss"), Number("val_accuracy"), Number("lr"), Number("seconds")));
            }

            history.StopReason = root.TryGetProperty("stopReason", out var reason) ? reason.GetString() : null;
            return history;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new FormatException($"{path}: not a history written by History.SaveJson ({e.Message}).", e);
        }
    }

    internal void Add(EpochResult result) => epochs.Add(result);

    /// <summary>Whether <see cref="TimeSpan.FromSeconds(double)"/> takes it as an elapsed time: not NaN, not negative, not past <see cref="TimeSpan.MaxValue"/>.</summary>
    private static bool IsDuration(double seconds) => seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds;

    private static EpochResult Create(int epoch, double? loss, double? accuracy, double? validationLoss, double? validationAccuracy, double? rate, double? seconds) =>
        new(epoch, loss ?? double.NaN, accuracy,
            validationLoss is { } vl ? new Evaluation(vl, validationAccuracy, null) : null,
            TimeSpan.FromSeconds(seconds ?? 0))
        {
            LearningRate = rate ?? double.NaN,
        };
}
