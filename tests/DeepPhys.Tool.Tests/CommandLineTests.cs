using static DeepPhys.Tool.Tests.ToolHarness;

namespace DeepPhys.Tool.Tests;

/// <summary>What the command line prints: every bad argument or file one line on standard error and exit code 2 (nothing on standard output), an unexpected failure one line and exit code 1, the progress, the summary.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly TemporaryFolder folder = new();
    private readonly string iris = Fixture("iris.csv"), dph = Fixture("iris.dph");

    public void Dispose() => folder.Dispose();

    private static void AssertUsageError(string expected, params string[] args)
    {
        var result = Run(args);
        Assert.Equal(expected + Environment.NewLine, result.Error);
        Assert.Equal("", result.Output);
        Assert.Equal(Cli.UsageError, result.ExitCode);
    }

    private string[] Train(params string[] more) => ["train", dph, "--data", iris, "--target", "species", "--out", folder.File("run"), .. more];

    [Fact]
    public void NoCommand() => AssertUsageError("deepphys: Required command was not provided.");

    [Fact]
    public void UnknownOption() => AssertUsageError("deepphys: Unrecognized command or argument '--foo'.", Train("--foo"));

    [Fact]
    public void MissingRequiredOption() =>
        AssertUsageError("deepphys: Option '--target' is required.", "train", dph, "--data", iris, "--out", folder.Path);

    [Fact]
    public void UnknownOptimizer() => AssertUsageError(
        "deepphys: Argument 'adamx' not recognized. Must be one of: 'adam', 'adamw', 'nadam', 'sgd', 'rmsprop', 'adagrad'", Train("--optimizer", "adamx"));

    [Fact]
    public void UnknownScale() => AssertUsageError(
        "deepphys: Argument 'robust' not recognized. Must be one of: 'standard', 'minmax', 'none'", Train("--scale", "robust"));

    [Fact]
    public void NotANumber() =>
        AssertUsageError("deepphys: Cannot parse argument 'ten' for option '--epochs' as expected type 'System.Int32'.", Train("--epochs", "ten"));

    [Theory]
    [InlineData("--epochs", "0", "--epochs must be at least 1, not 0.")]
    [InlineData("--batch-size", "-4", "--batch-size must be at least 1, not -4.")]
    [InlineData("--lr", "0", "--lr must be a positive number, not 0.")]
    [InlineData("--validation-split", "1", "--validation-split must be at least 0 and below 1, not 1.")]
    public void OutOfRange(string option, string value, string message) => AssertUsageError($"deepphys: {message}", Train(option, value));

    [Fact]
    public void MissingNetworkFile()
    {
        string missing = folder.File("missing.dph");
        AssertUsageError($"deepphys: {missing}: no such network file.", "summary", missing);
    }

    [Fact]
    public void MissingDataFile()
    {
        string missing = folder.File("missing.csv");
        AssertUsageError($"deepphys: {missing}: no such data file.", "train", dph, "--data", missing, "--target", "species", "--out", folder.Path);
    }

    [Fact]
    public void DataOfAnotherFormat()
    {
        string text = folder.File("events.txt");
        File.WriteAllText(text, "x,label\n1,0\n");
        AssertUsageError($"deepphys: {text}: expected a .csv or .parquet file.", "train", dph, "--data", text, "--target", "label", "--out", folder.Path);
    }

    [Fact]
    public void DphErrors_AreTheCompilersLines()
    {
        string misspelled = Fixture("misspelled.dph");
        AssertUsageError($"{misspelled}:3:5: error DPH0302: Unknown layer 'dens'; did you mean 'dense'?", "summary", misspelled);
        AssertUsageError($"{misspelled}:3:5: error DPH0302: Unknown layer 'dens'; did you mean 'dense'?", "train", misspelled, "--data", iris, "--target", "species", "--out", folder.Path);
    }

    [Fact]
    public void DoubleNetworkAskedForInSingle() => AssertUsageError(
        $"deepphys: {Fixture("iris_double.dph")} says 'precision double'; train it with --precision double (or without --precision).",
        "train", Fixture("iris_double.dph"), "--data", iris, "--target", "species", "--out", folder.Path, "--precision", "single");

    [Fact]
    public void DataWithoutTheTargetColumn() => AssertUsageError(
        $"deepphys: {iris}(1): no column 'label'; columns are: sepal_length_cm, sepal_width_cm, petal_length_cm, petal_width_cm, species",
        "train", dph, "--data", iris, "--target", "label", "--out", folder.Path);

    [Fact]
    public void MoreFeaturesThanInputs() => AssertUsageError(
        $"deepphys: {iris} has 4 feature columns besides 'species'; {Fixture("three_inputs.dph")} takes 3 inputs.",
        "train", Fixture("three_inputs.dph"), "--data", iris, "--target", "species", "--out", folder.Path);

    [Fact]
    public void MoreClassesThanOutputs() => AssertUsageError(
        $"deepphys: {iris}'s target 'species' has 3 classes (setosa, versicolor, virginica); {Fixture("two_classes.dph")} has 2 outputs.",
        "train", Fixture("two_classes.dph"), "--data", iris, "--target", "species", "--out", folder.Path);

    [Fact]
    public void ACheckpointWithoutItsNetworkOrTarget()
    {
        Succeeds(Train("--epochs", "1"));
        string checkpoint = folder.File("run/checkpoint.json");
        AssertUsageError($"deepphys: {checkpoint} is a file: give a run folder, or the checkpoint's network with --network net.dph.", "export", checkpoint, "--onnx", folder.File("m.onnx"));
        AssertUsageError("deepphys: --target is required with a checkpoint file: name the target column.", "evaluate", checkpoint, "--network", dph, "--data", iris);
        AssertUsageError($"deepphys: --network is for a checkpoint file; the run folder {folder.File("run")} has its own network.dph.", "evaluate", folder.File("run"), "--network", dph, "--data", iris);
        AssertUsageError($"deepphys: {iris} is not a DeepPhys checkpoint: it has no Precision Single or Double.", "export", iris, "--network", dph, "--onnx", folder.File("m.onnx"));
    }

    [Fact]
    public void EvaluateOfNothing()
    {
        string missing = folder.File("missing");
        AssertUsageError($"deepphys: {missing}: no such run folder or checkpoint file.", "evaluate", missing, "--data", iris);
    }

    [Fact]
    public void EvaluateOfAFolderThatIsNoRun() =>
        AssertUsageError($"deepphys: {folder.Path}: no run.json; give the folder 'deepphys train --out' wrote.", "evaluate", folder.Path, "--data", iris);

    [Theory]
    [InlineData("petal_length_cm,petal_width_cm,sepal_length_cm,sepal_width_cm,species", "1.4,0.2,5.1,3.5,setosa",
        "has the feature columns (petal_length_cm, petal_width_cm, sepal_length_cm, sepal_width_cm); the network was trained on (sepal_length_cm, sepal_width_cm, petal_length_cm, petal_width_cm).")]
    [InlineData("sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm,species", "5.1,3.5,1.4,0.2,tulip",
        "has the class 'tulip', which the network was not trained on; it knows (setosa, versicolor, virginica).")]
    public void EvaluateOfDataUnlikeTheTrainingData(string header, string row, string message)
    {
        Succeeds(Train("--epochs", "1"));
        string other = folder.File("other.csv");
        File.WriteAllLines(other, [header, row]);
        AssertUsageError($"deepphys: {other} {message}", "evaluate", folder.File("run"), "--data", other);
    }

    [Fact]
    public void ExportIntoAMissingFolder()
    {
        Succeeds(Train("--epochs", "1"));
        string target = Path.Combine(folder.Path, "nowhere", "model.onnx");
        AssertUsageError($"deepphys: --onnx {target}: no folder {Path.GetDirectoryName(target)}.", "export", folder.File("run"), "--onnx", target);
    }

    [Fact]
    public void Unexpected_IsExitCode1_AndOneLine()
    {
        using var error = new StringWriter();

        int code = Cli.Run(["summary", dph], new BrokenWriter(), error);

        Assert.Equal(Cli.Failure, code);
        Assert.Equal($"deepphys: unexpected IOException: Broken pipe{Environment.NewLine}", error.ToString());
    }

    [Fact]
    public void DivergedTraining_IsExitCode1_AndOneLine()
    {
        // A learning rate of 1e30 diverges in the first step; the checkpoint refuses NaN parameters.
        var result = Run(Train("--lr", "1e30", "--epochs", "1"));

        Assert.Equal(Cli.Failure, result.ExitCode);
        Assert.Equal(
            $"deepphys: unexpected ArgumentException: {folder.File("run")}/checkpoint.json was not written: parameter 0 of Iris (layer h1), NaN, is not finite, and a diverged network is not a checkpoint. (Parameter 'network'){Environment.NewLine}",
            result.Error);
    }

    [Fact]
    public void Progress_OnATerminal_RewritesOneLine()
    {
        using var output = new StringWriter();

        int code = Cli.Run(Train("--epochs", "3"), output, TextWriter.Null, interactive: true);

        Assert.Equal(0, code);
        var history = DeepPhys.Training.History.LoadJson(folder.File("run/history.json"));
        string[] epochs = output.ToString().Split(Environment.NewLine)[1].Split('\r', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, epochs.Length);
        Assert.All(epochs.Zip(history), pair =>
            Assert.StartsWith(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"epoch {pair.Second.Epoch}/3  loss {pair.Second.Loss:F4}  acc "), pair.First));
    }

    [Fact]
    public void Summary_IsTheNetworksSummary()
    {
        var result = Succeeds("summary", dph);
        Assert.Equal(Networks.Load<float>(dph).Summary.TrimEnd() + Environment.NewLine, result.Output);
        Assert.Contains("Total params: 403", result.Output, StringComparison.Ordinal);
    }

    /// <summary>Standard output closed under the tool (a pipe whose reader exited).</summary>
    private sealed class BrokenWriter : StringWriter
    {
        public override void WriteLine(string? value) => throw new IOException("Broken pipe");
    }
}
