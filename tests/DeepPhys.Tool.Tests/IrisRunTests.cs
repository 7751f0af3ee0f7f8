using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using DeepPhys.Data;
using DeepPhys.Onnx;
using DeepPhys.Training;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using static DeepPhys.Tool.Tests.ToolHarness;

namespace DeepPhys.Tool.Tests;

/// <summary>One <c>deepphys train</c> of the Iris classifier, and the same training through the library's API.</summary>
public sealed class IrisRun : IDisposable
{
    public const int Epochs = 30, Seed = 7, BatchSize = 16;
    public const double LearningRate = 0.01, ValidationSplit = 0.25;

    public IrisRun()
    {
        Result = Succeeds(
            "train", Fixture("iris.dph"), "--data", Fixture("iris.csv"), "--target", "species", "--out", Folder.Path,
            "--epochs", $"{Epochs}", "--batch-size", $"{BatchSize}", "--lr", "0.01", "--validation-split", "0.25", "--seed", $"{Seed}");
        Library = Train<float>(Fixture("iris.dph"), Fixture("iris.csv"), "species", TargetEncoding.OneHot, Seed, Epochs, BatchSize, LearningRate, ValidationSplit);
    }

    public TemporaryFolder Folder { get; } = new();

    public ToolResult Result { get; }

    public LibraryRun<float> Library { get; }

    public string File(string name) => Folder.File(name);

    public void Dispose() => Folder.Dispose();
}

public sealed class IrisRunTests(IrisRun run) : IClassFixture<IrisRun>
{
    [Fact]
    public void History_IsTheLibrarys_BitForBit_InJsonAndCsv()
    {
        foreach (var history in new[] { History.LoadJson(run.File("history.json")), History.LoadCsv(run.File("history.csv")) })
        {
            Assert.Equal(IrisRun.Epochs, history.Count);
            Assert.Equal(run.Library.History.Loss, history.Loss);
            Assert.Equal(run.Library.History.Accuracy, history.Accuracy);
            Assert.Equal(run.Library.History.ValidationLoss, history.ValidationLoss);
            Assert.Equal(run.Library.History.ValidationAccuracy, history.ValidationAccuracy);
        }
    }

    [Fact]
    public void Checkpoint_HoldsTheLibrarysParametersAndScaler_AndReproducesItsValidationLoss()
    {
        var network = Networks.Load<float>(Fixture("iris.dph"), seed: 0);
        var saved = Checkpoint.Load(network, run.File("checkpoint.json"));

        Assert.Equal(run.Library.Network.Parameters.ToArray(), network.Parameters.ToArray());
        Assert.Equal(run.Library.Scaler.Center, saved.Scaler!.Center);
        Assert.Equal(run.Library.Scaler.Scale, saved.Scaler.Scale);
        Assert.Equal(run.Library.History.ValidationLoss[^1], network.Evaluate(run.Library.Validation).Loss);
    }

    [Fact]
    public void Progress_IsOneLinePerEpoch_WithTheHistorysFigures()
    {
        var lines = run.Result.Output.Split(Environment.NewLine);
        var history = run.Library.History;

        Assert.Equal($"Iris: 403 parameters (Single), 114 training samples, 36 validation, adam lr 0.01", lines[0]);
        var epochs = lines.Where(line => line.StartsWith("epoch ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(IrisRun.Epochs, epochs.Length);
        for (int i = 0; i < epochs.Length; i++)
        {
            Assert.StartsWith(string.Create(CultureInfo.InvariantCulture,
                $"epoch {i + 1}/{IrisRun.Epochs}  loss {history.Loss[i]:F4}  acc {history.Accuracy[i]:F4}  val_loss {history.ValidationLoss[i]:F4}  val_acc {history.ValidationAccuracy[i]:F4}  "), epochs[i]);
        }

        Assert.Equal($"wrote {run.Folder.Path}: network.dph, checkpoint.json, history.json, history.csv, run.json, loss.png, roc.png", lines[^2]);
    }

    [Fact]
    public void Folder_HoldsTheNetworkTheSettingsAndThePlots()
    {
        Assert.Equal(System.IO.File.ReadAllBytes(Fixture("iris.dph")), System.IO.File.ReadAllBytes(run.File("network.dph")));
        using var settings = JsonDocument.Parse(System.IO.File.ReadAllText(run.File("run.json")));
        Assert.Equal("single", settings.RootElement.GetProperty("precision").GetString());
        Assert.Equal(["setosa", "versicolor", "virginica"], settings.RootElement.GetProperty("classes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(0.01, settings.RootElement.GetProperty("learningRate").GetDouble());
        Assert.Equal((800, 600), PngSize(run.File("loss.png")));
        Assert.Equal((800, 600), PngSize(run.File("roc.png")));
    }

    [Fact]
    public void EvaluateJson_IsTheLibrarysEvaluation()
    {
        var result = Succeeds("evaluate", run.Folder.Path, "--data", Fixture("iris.csv"), "--json");
        var expected = run.Library.Network.Evaluate(run.Library.Scaler.Transform(Dataset<float>.FromCsv(Fixture("iris.csv"), "species")));

        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.Equal(150, root.GetProperty("samples").GetInt32());
        Assert.Equal(expected.Loss, root.GetProperty("loss").GetDouble());
        Assert.Equal(expected.Accuracy, root.GetProperty("accuracy").GetDouble());
        Assert.Equal(expected.RocPerClass!.MacroAuc, root.GetProperty("macroAuc").GetDouble());
        Assert.False(root.TryGetProperty("auc", out _));
        Assert.Equal(Counts(expected.ConfusionMatrix!), Counts(root.GetProperty("confusionMatrix")));
    }

    [Fact]
    public void Evaluate_PrintsTheFiguresAndTheConfusionMatrix()
    {
        var result = Succeeds("evaluate", run.Folder.Path, "--data", Fixture("iris.csv"));
        var expected = run.Library.Network.Evaluate(run.Library.Scaler.Transform(Dataset<float>.FromCsv(Fixture("iris.csv"), "species")));

        var lines = result.Output.Split(Environment.NewLine);
        Assert.Equal($"{Fixture("iris.csv")}: 150 samples", lines[0]);
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"loss      {expected.Loss:F4}"), lines[1]);
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"accuracy  {expected.Accuracy:F4}"), lines[2]);
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"macro auc {expected.RocPerClass!.MacroAuc:F4}"), lines[3]);
        Assert.Equal("confusion matrix (rows true, columns predicted):", lines[4]);
        Assert.Equal($"setosa     {expected.ConfusionMatrix![0, 0],11}{expected.ConfusionMatrix[0, 1],11}{expected.ConfusionMatrix[0, 2],11}", lines[6]);
    }

    [Fact]
    public void Evaluate_AFileWithoutAClass_KeepsTheTrainingClasses()
    {
        using var folder = new TemporaryFolder();
        var rows = System.IO.File.ReadAllLines(Fixture("iris.csv"));
        string path = folder.File("no_versicolor.csv");
        System.IO.File.WriteAllLines(path, rows.Where(row => !row.EndsWith(",versicolor", StringComparison.Ordinal)));
        var full = run.Library.Scaler.Transform(Dataset<float>.FromCsv(Fixture("iris.csv"), "species"));
        int[] kept = Enumerable.Range(0, full.Count).Where(i => full.ClassLabels()[i] != 1).ToArray();

        var result = Succeeds("evaluate", run.Folder.Path, "--data", path, "--json");

        var expected = run.Library.Network.Evaluate(full.Subset(kept));
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(100, json.RootElement.GetProperty("samples").GetInt32());
        Assert.Equal(expected.Loss, json.RootElement.GetProperty("loss").GetDouble());
        Assert.Equal(["setosa", "versicolor", "virginica"], json.RootElement.GetProperty("classes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(Counts(expected.ConfusionMatrix!), Counts(json.RootElement.GetProperty("confusionMatrix")));
    }

    [Fact]
    public void Export_RunsInOnnxRuntime_AndImportsBack_AsTheTrainedNetworkPredicts()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("iris.onnx");
        var result = Succeeds("export", run.Folder.Path, "--onnx", path);
        Assert.Equal($"wrote {path}: ONNX opset 17; it takes the inputs scaled as in training (the scaler saved in the checkpoint){Environment.NewLine}", result.Output);

        var inputs = run.Library.Scaler.Transform(Dataset<float>.FromCsv(Fixture("iris.csv"), "species")).Features.ToArray();
        float[] expected = run.Library.Network.Predict(inputs);
        using var session = new InferenceSession(path);
        using var outputs = session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(inputs, [150, 4]))]);
        float[] onnx = outputs.Single().AsEnumerable<float>().ToArray();
        Assert.Equal(expected.Length, onnx.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], onnx[i], 1e-6f);

        var imported = Networks.Load<float>(Fixture("iris.dph"), seed: 0);
        OnnxModel.ImportWeights(imported, path);
        Assert.Equal(expected, imported.Predict(inputs));
    }

    [Fact]
    public void ACheckpointWithItsNetwork_EvaluatesAndExportsAsItsRunFolder()
    {
        using var folder = new TemporaryFolder();
        string checkpoint = run.File("checkpoint.json");
        string[] data = ["--data", Fixture("iris.csv"), "--json"];

        var fromFolder = Succeeds(["evaluate", run.Folder.Path, .. data]);
        var fromCheckpoint = Succeeds(["evaluate", checkpoint, "--network", Fixture("iris.dph"), "--target", "species", .. data]);
        Succeeds("export", run.Folder.Path, "--onnx", folder.File("folder.onnx"));
        Succeeds("export", checkpoint, "--network", Fixture("iris.dph"), "--onnx", folder.File("checkpoint.onnx"));

        Assert.Equal(fromFolder.Output, fromCheckpoint.Output);
        Assert.Equal(System.IO.File.ReadAllBytes(folder.File("folder.onnx")), System.IO.File.ReadAllBytes(folder.File("checkpoint.onnx")));
    }

    private static long[][] Counts(Metrics.ConfusionMatrix matrix) =>
        [.. Enumerable.Range(0, matrix.ClassCount).Select(actual => Enumerable.Range(0, matrix.ClassCount).Select(predicted => matrix[actual, predicted]).ToArray())];

    private static long[][] Counts(JsonElement rows) => [.. rows.EnumerateArray().Select(row => row.EnumerateArray().Select(count => count.GetInt64()).ToArray())];

    /// <summary>Width and height from a PNG's IHDR chunk, after checking the signature.</summary>
    internal static (int Width, int Height) PngSize(string path)
    {
        var bytes = System.IO.File.ReadAllBytes(path);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], bytes[..8]);
        Assert.Equal("IHDR"u8.ToArray(), bytes[12..16]);
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }
}
