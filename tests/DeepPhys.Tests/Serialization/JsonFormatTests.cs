using DeepPhys.Data;
using DeepPhys.Optimizers;
using DeepPhys.Serialization;
using DeepPhys.Training;

namespace DeepPhys.Tests.Serialization;

/// <summary>
/// The JSON the runtime writes did not change when it moved from reflection to source-generated serialisers (Native AOT):
/// Fixtures/formats was written by the reflection serialiser (commit 1ca5c7a) — an MseTanhHidden(7) trained two Adam epochs
/// with a standard scaler and a fitted Titanic-like preprocessor, a min-max scaler, and a history with a NaN, infinite and
/// missing figures. Each file loads, and saving what was loaded (the history: what it was written from) writes the same bytes again.
/// </summary>
public sealed class JsonFormatTests : IDisposable
{
    private static readonly string Formats = Path.Combine(AppContext.BaseDirectory, "Fixtures", "formats");
    private readonly string folder = Directory.CreateTempSubdirectory("deepphys-formats-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static string Fixture(string name) => Path.Combine(Formats, name);

    [Fact]
    public void Checkpoint_OfTheReflectionSerialiser_LoadsAndSavesToTheSameBytes()
    {
        var network = new MseTanhHidden(1);
        var adam = new Adam(0.5);
        var saved = Checkpoint.Load(network, Fixture("checkpoint.json"), adam);

        Assert.Equal(0.38071021118961845, network.Parameters[0]);
        Assert.Equal(4, adam.Steps);   // 2 batches × 2 epochs
        Assert.Equal(3, saved.Scaler!.FeatureCount);
        Assert.Equal(["pclass", "sex=female", "sex=male", "age", "embarked=C", "embarked=S"], saved.Preprocessor!.FeatureNames);
        string path = Path.Combine(folder, "checkpoint.json");
        Checkpoint.Save(network, path, adam, saved.Scaler, saved.Preprocessor);
        Assert.Equal(File.ReadAllBytes(Fixture("checkpoint.json")), File.ReadAllBytes(path));
    }

    [Fact]
    public void SafeTensors_WithOptimizerScalerAndPreprocessor_LoadsAndSavesToTheSameBytes()
    {
        var network = new MseTanhHidden(1);
        var adam = new Adam(0.5);
        var saved = SafeTensors.Load(network, Fixture("checkpoint.safetensors"), adam, rejectNonFinite: true);

        Assert.Equal(0.38071021118961845, network.Parameters[0]);
        Assert.Equal(4, adam.Steps);
        Assert.Equal(File.ReadAllBytes(Fixture("checkpoint.safetensors")), SafeTensors.ToBytes(network, adam, saved.Scaler, saved.Preprocessor));
    }

    [Fact]
    public void Scaler_RoundTripsToTheSameText()
    {
        string json = File.ReadAllText(Fixture("scaler.json"));
        var scaler = FeatureScaler.FromJson(json);

        Assert.Equal([-1, -2, -0.3], scaler.Center);
        Assert.Equal([3.2, 3.1, 4.3], scaler.Scale);
        Assert.Equal(json, scaler.ToJson());
    }

    [Fact]
    public void Preprocessor_RoundTripsToTheSameText()
    {
        string json = File.ReadAllText(Fixture("preprocessor.json"));
        var preprocessor = Preprocessor.FromJson(json);

        Assert.Equal(["pclass", "sex=female", "sex=male", "age", "embarked=C", "embarked=S"], preprocessor.FeatureNames);
        Assert.Equal(50.166666666666664, preprocessor.Fills["age"]);   // (20 + 40.5 + 90) / 3
        Assert.Equal(json, preprocessor.ToJson());
    }

    [Fact]
    public void History_WithNonFiniteAndMissingFigures_IsWrittenAsBefore_AndLoads()
    {
        // The history the fixture was written from; its 1/7 s is below LoadJson's millisecond resolution, so it is built, not loaded.
        var history = new History(3);
        history.Add(new EpochResult(1, 0.75, 0.5, new Evaluation(0.8125, 0.25, null), TimeSpan.FromSeconds(0.125)) { LearningRate = 0.01 });
        history.Add(new EpochResult(2, double.NaN, null, null, TimeSpan.FromSeconds(0.25)));
        history.Add(new EpochResult(3, double.PositiveInfinity, 1.0 / 3, new Evaluation(double.NegativeInfinity, null, null), TimeSpan.FromSeconds(1.0 / 7)) { LearningRate = 1e-5 });
        history.StopReason = "the loss is not finite";
        string path = Path.Combine(folder, "history.json");
        history.SaveJson(path);

        Assert.Equal(File.ReadAllBytes(Fixture("history.json")), File.ReadAllBytes(path));
        var loaded = History.LoadJson(Fixture("history.json"));
        Assert.Equal([0.75, double.NaN, double.PositiveInfinity], loaded.Loss);
        Assert.Equal([0.8125, double.NaN, double.NegativeInfinity], loaded.ValidationLoss);
        Assert.Equal("the loss is not finite", loaded.StopReason);
    }
}
