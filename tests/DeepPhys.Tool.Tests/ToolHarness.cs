using System.Numerics;
using DeepPhys.Data;
using DeepPhys.Optimizers;
using DeepPhys.Training;

namespace DeepPhys.Tool.Tests;

/// <summary>What one in-process run of the tool printed and returned.</summary>
public sealed record ToolResult(int ExitCode, string Output, string Error);

/// <summary>Runs <see cref="Cli.Run"/> in process, and the same training through the library's API for comparison.</summary>
internal static class ToolHarness
{
    public static ToolResult Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = Cli.Run(args, output, error);
        return new ToolResult(code, output.ToString(), error.ToString());
    }

    /// <summary>A file of the Fixtures folder (copied beside the tests).</summary>
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    /// <summary>Asserts the run succeeded without a word on standard error.</summary>
    public static ToolResult Succeeds(params string[] args)
    {
        var result = Run(args);
        Assert.True(result.ExitCode == 0, $"exit code {result.ExitCode}: {result.Error}");
        Assert.Equal("", result.Error);
        return result;
    }

    /// <summary>
    /// What docs/tool.md says <c>deepphys train</c> does, through the library's API: the network from the .dph with the seed,
    /// a stratified split of <paramref name="validationSplit"/> drawn with the seed, a standard scaler fitted on the training
    /// part, Adam with <paramref name="learningRate"/>.
    /// </summary>
    public static LibraryRun<T> Train<T>(
        string dph, string csv, string target, TargetEncoding encoding, int seed, int epochs, int batchSize, double learningRate, double validationSplit)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var network = Networks.Load<T>(dph, seed);
        var (train, validation, _) = Dataset<T>.FromCsv(csv, target, encoding).Split(1 - validationSplit, validationSplit, 0, seed);
        var scaler = StandardScaler.Fit(train);
        var history = network.Fit(scaler.Transform(train), new Adam(learningRate), new FitOptions<T>
        {
            Epochs = epochs, BatchSize = batchSize, Validation = scaler.Transform(validation),
        });
        return new LibraryRun<T>(network, scaler, history, scaler.Transform(validation));
    }
}

/// <summary>A network trained through the library's API, with its scaler, history and scaled validation part.</summary>
public sealed record LibraryRun<T>(Network<T> Network, StandardScaler Scaler, History History, Dataset<T> Validation)
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>A fresh folder under the temporary path, deleted afterwards.</summary>
public sealed class TemporaryFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("deepphys-tool-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
