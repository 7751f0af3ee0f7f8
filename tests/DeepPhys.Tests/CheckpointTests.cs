using DeepPhys.Data;
using DeepPhys.Optimizers;
using DeepPhys.Schedules;
using DeepPhys.Training;

namespace DeepPhys.Tests;

public sealed class CheckpointTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("deepphys-checkpoints-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void ResumingFromACheckpoint_GivesBitIdenticalTrainingToAnUninterruptedRun()
    {
        var (train, _) = CallbackTests.NoisyRegression();
        var straight = new MseTanhHidden(4);
        straight.Fit(train, new Adam(0.01), epochs: 6, batchSize: 8, shuffle: false);

        var first = new MseTanhHidden(4);
        var adam = new Adam(0.01);
        var checkpoint = new ModelCheckpoint(Path.Combine(folder, "epoch-{epoch}.json"), every: 3);
        first.Fit(train, adam, new FitOptions<double> { Epochs = 3, BatchSize = 8, Shuffle = false, Callbacks = [checkpoint] });
        var resumed = new MseTanhHidden(99);
        var resumedAdam = new Adam(0.01);
        Checkpoint.Load(resumed, Path.Combine(folder, "epoch-3.json"), resumedAdam);
        resumed.Fit(train, resumedAdam, epochs: 3, batchSize: 8, shuffle: false);

        Assert.Equal(3, checkpoint.LastSavedEpoch);
        Assert.Equal(30, resumedAdam.Steps);   // 15 restored (5 batches × 3 epochs), then 15 more
        Assert.Equal(straight.Parameters.ToArray(), resumed.Parameters.ToArray());
    }

    [Fact]
    public void SaveBestOnly_WritesOnlyWhenTheMonitoredQuantityImproves()
    {
        var (train, validation) = CallbackTests.NoisyRegression();
        string path = Path.Combine(folder, "best.json");
        var best = new ModelCheckpoint(path, saveBestOnly: true);
        var network = new MseTanhHidden(5);

        var history = network.Fit(train, new Sgd(0.3), new FitOptions<double> { Epochs = 30, BatchSize = 4, Validation = validation, Callbacks = [best] });

        double[] losses = history.ValidationLoss;
        Assert.Equal(Array.IndexOf(losses, losses.Min()) + 1, best.LastSavedEpoch);
        var restored = new MseTanhHidden(1);
        Checkpoint.Load(restored, path);
        Assert.Equal(losses.Min(), restored.Evaluate(validation).Loss, 1e-12);
    }

    [Fact]
    public void AFailedSave_LeavesTheLastGoodFileAndNoTemporary()
    {
        string path = Path.Combine(folder, "model.json");
        var network = new MseTanhHidden(6);
        Checkpoint.Save(network, path);
        double[] good = network.Parameters.ToArray();

        network.Parameters[0] = double.NaN;   // JSON has no NaN: the writer throws halfway through the file
        Assert.ThrowsAny<ArgumentException>(() => Checkpoint.Save(network, path));

        Assert.Equal([path], Directory.GetFiles(folder));
        var loaded = new MseTanhHidden(1);
        Checkpoint.Load(loaded, path);
        Assert.Equal(good, loaded.Parameters.ToArray());
    }

    [Fact]
    public void Load_OfAnotherNetwork_OrGarbage_OrAMissingOptimizer_SaysWhat()
    {
        string path = Path.Combine(folder, "other.json"), garbage = Path.Combine(folder, "garbage.json");
        Checkpoint.Save(new MseReluHidden(1), path);
        File.WriteAllText(garbage, "{ not json");

        var other = Assert.Throws<FormatException>(() => Checkpoint.Load(new CceThreeLayers(1), path));
        Assert.Equal($"{path} holds 32 parameters of MseReluHidden; CceThreeLayers has 83.", other.Message);
        Assert.StartsWith($"{garbage} is not a DeepPhys checkpoint", Assert.Throws<FormatException>(() => Checkpoint.Load(new MseReluHidden(1), garbage)).Message);
        Assert.Equal($"{path} was saved without an optimizer state.", Assert.Throws<FormatException>(() => Checkpoint.Load(new MseReluHidden(1), path, new Adam())).Message);
    }

    /// <summary>The precision is checked with the rest of the file, before anything changes (issue 20, item 11).</summary>
    [Fact]
    public void Load_WithAnUnknownPrecision_IsAFormatExceptionNamingIt()
    {
        string path = Path.Combine(folder, "banana.json");
        Checkpoint.Save(new MseReluHidden(1), path);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"Precision\":\"Double\"", "\"Precision\":\"Banana\"", StringComparison.Ordinal));
        var network = new MseReluHidden(2);
        var before = network.Parameters.ToArray();

        var error = Assert.Throws<FormatException>(() => Checkpoint.Load(network, path));

        Assert.Equal($"{path} has the precision 'Banana'; expected Single or Double.", error.Message);
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Fact]
    public void BatchNormsRunningStatistics_AreSavedAndLoadedWithTheParameters()
    {
        var trained = new NormalizedCnn(seed: 3);
        var (inputs, targets) = GradientCheck.RandomBatch(trained, 6, seed: 8);
        for (int i = 0; i < 3; i++) trained.TrainStep(inputs, targets);
        string path = Path.Combine(folder, "bn.json");
        Checkpoint.Save(trained, path);

        var loaded = new NormalizedCnn(seed: 4);
        Checkpoint.Load(loaded, path);

        Assert.Equal(trained.State.ToArray(), loaded.State.ToArray());
        Assert.NotEqual(0, loaded.State[0]);
        Assert.Equal(trained.Predict(inputs), loaded.Predict(inputs));
        var error = Assert.Throws<FormatException>(() => Checkpoint.Load(new SmallCnn(seed: 1), path));
        Assert.Contains("NormalizedCnn", error.Message);
    }

    [Fact]
    public void History_RoundTripsThroughCsvAndJson_AndTheCsvLoggerWritesTheSameRows()
    {
        var (train, validation) = CallbackTests.NoisyRegression();
        string logged = Path.Combine(folder, "log.csv"), csv = Path.Combine(folder, "history.csv"), json = Path.Combine(folder, "history.json");
        var history = new CceReluHidden(1).Fit(
            Classes(train), new Sgd(0.1), new FitOptions<double>
            {
                Epochs = 4, Validation = Classes(validation), Schedule = new ExponentialDecay(0.5), Callbacks = [new CsvLogger(logged)],
            });

        history.SaveCsv(csv);
        history.SaveJson(json);

        Assert.Equal(File.ReadAllText(csv), File.ReadAllText(logged));
        foreach (var loaded in new[] { History.LoadCsv(csv), History.LoadJson(json) })
        {
            Assert.Equal(history.Loss, loaded.Loss);
            Assert.Equal(history.Accuracy, loaded.Accuracy);
            Assert.Equal(history.ValidationLoss, loaded.ValidationLoss);
            Assert.Equal(history.ValidationAccuracy, loaded.ValidationAccuracy);
            Assert.Equal([0.1, 0.05, 0.025, 0.0125], loaded.Series("lr"));
        }
    }

    /// <summary>Issue 20, item 13: JSON has no NaN or infinity, and the writer threw on a diverged run's history.</summary>
    [Fact]
    public void History_WithNaNAndInfinities_RoundTripsThroughJsonAsNamedStrings()
    {
        string csv = Path.Combine(folder, "diverged.csv"), json = Path.Combine(folder, "diverged.json");
        File.WriteAllLines(csv, ["epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds", "1,0.5,,Infinity,,0.1,0.2", "2,NaN,,-Infinity,,0.1,0.4"]);
        var history = History.LoadCsv(csv);

        history.SaveJson(json);
        var loaded = History.LoadJson(json);

        Assert.Equal([0.5, double.NaN], loaded.Loss);
        Assert.Equal([double.PositiveInfinity, double.NegativeInfinity], loaded.ValidationLoss);
        Assert.Equal([double.NaN, double.NaN], loaded.Accuracy);   // missing, written as null
        string text = File.ReadAllText(json);
        Assert.Contains("\"loss\": \"NaN\"", text);
        Assert.Contains("\"val_loss\": \"Infinity\"", text);
        Assert.Contains("\"val_loss\": \"-Infinity\"", text);
        Assert.Contains("\"accuracy\": null", text);
        history.SaveCsv(csv);
        Assert.Equal(history.ValidationLoss, History.LoadCsv(csv).ValidationLoss);
    }

    /// <summary>Issue 20, item 13: a diverged network cannot be saved, and the checkpoint callback threw out of Fit.</summary>
    [Fact]
    public void ModelCheckpoint_InADivergedRun_KeepsTheLastFiniteFileAndStopsTraining()
    {
        var (train, _) = CallbackTests.NoisyRegression();
        string path = Path.Combine(folder, "last.json");
        var checkpoint = new ModelCheckpoint(path, monitor: "loss");
        var network = new MseReluHidden(2);
        var diverge = new LambdaCallback { EpochBegin = context => network.Parameters[3] = context.Epoch == 4 ? double.NaN : network.Parameters[3] };

        var history = network.Fit(train, new Sgd(0.1), new FitOptions<double> { Epochs = 10, BatchSize = 4, Callbacks = [diverge, checkpoint] });

        Assert.Equal(4, history.Count);
        Assert.Equal(3, checkpoint.LastSavedEpoch);
        Assert.Equal($"ModelCheckpoint: after epoch 4 parameter 0 of MseReluHidden (layer dense), NaN, is not finite, so {path} keeps epoch 3.", history.StopReason);
        var restored = new MseReluHidden(1);
        Checkpoint.Load(restored, path);
        Assert.All(restored.Parameters.ToArray(), value => Assert.True(double.IsFinite(value)));
    }

    /// <summary>Issue 20, item 14: numbers that parse but fit no epoch or duration threw OverflowException or ArgumentException, without the file.</summary>
    [Theory]
    [InlineData("bad.csv", "1,0.5,,,,0.1,1e300", "line 2, column 7: '1e300' is not a duration in seconds.")]
    [InlineData("bad.csv", "1,0.5,,,,0.1,NaN", "line 2, column 7: 'NaN' is not a duration in seconds.")]
    [InlineData("bad.csv", "1,0.5,,,,0.1,-2", "line 2, column 7: '-2' is not a duration in seconds.")]
    [InlineData("bad.json", "{\"epochs\": [{\"epoch\": 1, \"loss\": 0.5, \"seconds\": 1e300}]}", "not a history written by History.SaveJson ('seconds' is 1E+300, not a duration in seconds).")]
    [InlineData("bad.json", "{\"epochs\": [{\"epoch\": 1e10, \"loss\": 0.5}]}", "not a history written by History.SaveJson ('epoch' is 1e10, not an epoch number).")]
    [InlineData("bad.json", "{\"epochs\": [{\"epoch\": 1, \"loss\": \"big\"}]}", "not a history written by History.SaveJson ('loss' is \"big\": a number, \"NaN\", \"Infinity\" or \"-Infinity\" expected).")]
    public void LoadingAHistoryWithAnImpossibleValue_IsAFormatExceptionNamingTheFile(string name, string content, string message)
    {
        string path = Path.Combine(folder, name);
        File.WriteAllText(path, name.EndsWith(".csv", StringComparison.Ordinal) ? $"epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds\n{content}\n" : content);

        var error = Assert.Throws<FormatException>(() => name.EndsWith(".csv", StringComparison.Ordinal) ? History.LoadCsv(path) : History.LoadJson(path));

        Assert.Equal($"{path}: {message}", error.Message);
    }

    /// <summary>Issue 20, item 14: a cancelled Fit never reached OnTrainEnd, so the logger kept its file open.</summary>
    [Fact]
    public void CsvLogger_AfterACancelledFit_HasClosedItsFile()
    {
        var (train, _) = CallbackTests.NoisyRegression();
        string path = Path.Combine(folder, "log.csv");
        using var cancel = new CancellationTokenSource();
        var cancelInEpoch2 = new LambdaCallback { EpochBegin = context => { if (context.Epoch == 2) cancel.Cancel(); } };

        Assert.Throws<OperationCanceledException>(() => new MseTanhHidden(1).Fit(
            train, new Sgd(0.1), new FitOptions<double> { Epochs = 5, Callbacks = [new CsvLogger(path), cancelInEpoch2] }, cancel.Token));

        using var exclusive = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        using var reader = new StreamReader(exclusive);
        var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("1,", lines[1]);
    }

    [Fact]
    public void LoadCsv_WithABadNumber_NamesLineAndColumn()
    {
        string path = Path.Combine(folder, "bad.csv");
        File.WriteAllLines(path, ["epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds", "1,0.5,,,,0.1,0.2", "2,abc,,,,0.1,0.4"]);

        var error = Assert.Throws<FormatException>(() => History.LoadCsv(path));

        Assert.Equal($"{path}: line 3, column 2: 'abc' is not a number.", error.Message);
    }

    /// <summary>The regression set's inputs with three one-hot classes from the sign pattern of its targets.</summary>
    private static Data.Dataset<double> Classes(Data.Dataset<double> data)
    {
        var labels = new int[data.Count];
        for (int i = 0; i < data.Count; i++) labels[i] = data.Targets[2 * i] > 0 ? (data.Targets[2 * i + 1] > 0 ? 0 : 1) : 2;
        return Data.Dataset<double>.FromClassLabels(data.Features.ToArray(), 3, labels, 3);
    }

    [Fact]
    public void TheScalerSavedWithTheModel_ComesBackAndTransformsTheSame()
    {
        string path = Path.Combine(folder, "model.json");
        var (train, _) = CallbackTests.NoisyRegression();
        var scaler = StandardScaler.Fit(train);
        var network = new MseTanhHidden(3);
        network.Fit(scaler.Transform(train), new Sgd(0.1), epochs: 2, batchSize: 8);
        Checkpoint.Save(network, path, scaler: scaler);

        var loaded = new MseTanhHidden(1);
        var saved = Checkpoint.Load(loaded, path);

        Assert.Null(saved.Preprocessor);
        Assert.Equal(scaler.Center, saved.Scaler!.Center);
        Assert.Equal(scaler.Scale, saved.Scaler.Scale);
        double[] raw = train.FeatureRow(0).ToArray(), expected = new double[raw.Length], actual = new double[raw.Length];
        scaler.Transform<double>(raw, expected);
        saved.Scaler.Transform<double>(raw, actual);
        Assert.Equal(network.Predict(expected), loaded.Predict(actual));
    }

    [Fact]
    public void ACorruptSavedScaler_IsRejectedAndLeavesTheNetworkUnchanged()
    {
        string path = Path.Combine(folder, "model.json");
        var (train, _) = CallbackTests.NoisyRegression();
        var saved = new MseTanhHidden(3);
        var savedAdam = new Adam(0.01);
        for (int i = 0; i < 3; i++) savedAdam.Step(saved.Parameters, new double[saved.ParameterCount]);
        Checkpoint.Save(saved, path, savedAdam, scaler: StandardScaler.Fit(train));
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"scale\":[", "\"scale\":[0,"));
        var network = new MseTanhHidden(1);
        double[] before = network.Parameters.ToArray();

        var adam = new Adam(0.05);
        adam.Step(network.Parameters, new double[network.ParameterCount]);

        var error = Assert.Throws<FormatException>(() => Checkpoint.Load(network, path, adam));

        Assert.Contains("the saved scaler is not valid", error.Message);
        Assert.Equal(before, network.Parameters.ToArray());
        Assert.Equal(1, adam.Steps);   // the optimizer is untouched too
        Assert.Equal(0.05, adam.LearningRate);
    }
}
