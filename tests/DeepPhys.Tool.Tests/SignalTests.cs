using System.Globalization;
using System.Text.Json;
using DeepPhys.Data;
using DeepPhys.Training;
using Parquet;
using Parquet.Schema;
using static DeepPhys.Tool.Tests.ToolHarness;

namespace DeepPhys.Tool.Tests;

/// <summary>A binary classifier from a CSV and from a Parquet file holding the same events.</summary>
public sealed class SignalTests : IDisposable
{
    private const int Events = 240;
    private readonly TemporaryFolder folder = new();
    private readonly string csv, parquet;

    public SignalTests()
    {
        // Features on a grid of 1/64 so float and double hold them exactly and both files give the same inputs.
        var random = new Random(5);
        var x0 = Enumerable.Range(0, Events).Select(_ => random.Next(-128, 129) / 64.0).ToArray();
        var x1 = Enumerable.Range(0, Events).Select(_ => random.Next(-128, 129) / 64.0).ToArray();
        var label = x0.Zip(x1, (a, b) => a - 0.5 * b + random.Next(-32, 33) / 64.0 > 0 ? 1 : 0).ToArray();
        csv = folder.File("events.csv");
        File.WriteAllLines(csv, ["x0,x1,label", .. Enumerable.Range(0, Events).Select(i => string.Create(CultureInfo.InvariantCulture, $"{x0[i]},{x1[i]},{label[i]}"))]);
        parquet = folder.File("events.parquet");
        WriteParquet(parquet, x0, x1, label);
    }

    public void Dispose() => folder.Dispose();

    [Fact]
    public void CsvAndParquet_TrainTheSameNetwork_AsTheLibrary_AndDrawItsRoc()
    {
        string[] options = ["--target", "label", "--epochs", "12", "--seed", "3", "--lr", "0.02"];
        Succeeds(["train", Fixture("signal.dph"), "--data", csv, "--out", folder.File("csv"), .. options]);
        Succeeds(["train", Fixture("signal.dph"), "--data", parquet, "--out", folder.File("parquet"), .. options]);
        var library = Train<float>(Fixture("signal.dph"), csv, "label", TargetEncoding.Numeric, seed: 3, epochs: 12, batchSize: 32, learningRate: 0.02, validationSplit: 0.2);

        Assert.Equal(library.History.Loss, History.LoadJson(folder.File("csv/history.json")).Loss);
        Assert.Equal(library.History.ValidationLoss, History.LoadJson(folder.File("parquet/history.json")).ValidationLoss);
        Assert.Equal((800, 600), IrisRunTests.PngSize(folder.File("csv/roc.png")));
    }

    [Fact]
    public void EvaluateJson_GivesTheLibrarysBinaryFigures()
    {
        Succeeds("train", Fixture("signal.dph"), "--data", csv, "--target", "label", "--out", folder.File("run"), "--epochs", "5", "--scale", "minmax");
        var network = Networks.Load<float>(Fixture("signal.dph"));
        var scaler = Checkpoint.Load(network, folder.File("run/checkpoint.json")).Scaler;
        var expected = network.Evaluate(scaler!.Transform(Dataset<float>.FromCsv(csv, "label", TargetEncoding.Numeric)));

        var result = Succeeds("evaluate", folder.File("run"), "--data", parquet, "--json");

        Assert.IsType<MinMaxScaler>(scaler);
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.Equal(expected.Loss, root.GetProperty("loss").GetDouble());
        Assert.Equal(expected.Accuracy, root.GetProperty("accuracy").GetDouble());
        Assert.Equal(expected.Roc!.Auc, root.GetProperty("auc").GetDouble());
        Assert.Equal(expected.Binary!.Precision, root.GetProperty("precision").GetDouble());
        Assert.Equal(expected.Binary.Recall, root.GetProperty("recall").GetDouble());
        Assert.Equal(expected.Binary.F1, root.GetProperty("f1").GetDouble());
    }

    [Fact]
    public void DoublePrecision_FromTheDphFile_TrainsAsTheLibrarysDoubleNetwork()
    {
        Succeeds("train", Fixture("iris_double.dph"), "--data", Fixture("iris.csv"), "--target", "species", "--out", folder.File("double"), "--epochs", "4", "--lr", "0.05");
        var library = Train<double>(Fixture("iris_double.dph"), Fixture("iris.csv"), "species", TargetEncoding.OneHot, seed: 0, epochs: 4, batchSize: 32, learningRate: 0.05, validationSplit: 0.2);

        Assert.Equal(library.History.Loss, History.LoadJson(folder.File("double/history.json")).Loss);
        var network = Networks.Load<double>(Fixture("iris_double.dph"));
        Checkpoint.Load(network, folder.File("double/checkpoint.json"));
        Assert.Equal(library.Network.Parameters.ToArray(), network.Parameters.ToArray());
        var evaluation = Succeeds("evaluate", folder.File("double"), "--data", Fixture("iris.csv"), "--json");
        using var json = JsonDocument.Parse(evaluation.Output);
        Assert.Equal(library.Network.Evaluate(library.Scaler.Transform(Dataset<double>.FromCsv(Fixture("iris.csv"), "species"))).Loss, json.RootElement.GetProperty("loss").GetDouble());
    }

    private static void WriteParquet(string path, double[] x0, double[] x1, int[] label)
    {
        var fields = (X0: new DataField<double>("x0"), X1: new DataField<double>("x1"), Label: new DataField<int>("label"));
        using var stream = File.Create(path);
        var writer = ParquetWriter.CreateAsync(new ParquetSchema(fields.X0, fields.X1, fields.Label), stream).GetAwaiter().GetResult();
        using (var group = writer.CreateRowGroup())
        {
            group.WriteAsync<double>(fields.X0, x0).GetAwaiter().GetResult();
            group.WriteAsync<double>(fields.X1, x1).GetAwaiter().GetResult();
            group.WriteAsync<int>(fields.Label, label).GetAwaiter().GetResult();
        }

        writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
