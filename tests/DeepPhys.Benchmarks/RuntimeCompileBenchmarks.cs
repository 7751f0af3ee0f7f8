using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using DeepPhys.Data;
using DeepPhys.Optimizers;

namespace DeepPhys.Benchmarks;

/// <summary>
/// W1a's training step (Iris MLP 4-16-16-16-3, Adam, batch 32) of the generated <see cref="IrisMlp"/> against the same
/// network compiled at run time by <see cref="Networks.Compile{T}"/>: the same source, so the ratio should be 1.
/// </summary>
[MemoryDiagnoser]
public class RuntimeCompileBenchmarks
{
    private const string IrisDsl = """
        input x[4]
        dense = dense(x, 16) -> relu
        dense_1 = dense(dense, 16) -> relu
        dense_2 = dense(dense_1, 16) -> relu
        dense_3 = dense(dense_2, 3) -> softmax
        loss categorical_crossentropy(dense_3)
        """;

    private readonly Network<float> generated = new IrisMlp(seed: 0);
    private readonly Network<float> compiled = Networks.Compile<float>(IrisDsl, seed: 0, name: nameof(IrisMlp));
    private readonly Adam generatedAdam = new(1e-3);
    private readonly Adam compiledAdam = new(1e-3);
    private float[] inputs = [];
    private float[] targets = [];

    [GlobalSetup]
    public void Setup()
    {
        Dataset<float> train = WorkloadData.IrisTrain();
        inputs = train.Features[..(32 * 4)].ToArray();
        targets = train.Targets[..(32 * 3)].ToArray();
    }

    [Benchmark(Baseline = true)]
    public float BuildTime_TrainStep() => Step(generated, generatedAdam);

    [Benchmark]
    public float RunTime_TrainStep() => Step(compiled, compiledAdam);

    private float Step(Network<float> network, Adam adam)
    {
        float loss = network.TrainStep(inputs, targets);
        adam.Step(network.Parameters, network.Gradients);
        return loss;
    }

    /// <summary>
    /// <c>dotnet run -c Release --project tests/DeepPhys.Benchmarks -- compile-latency</c>: the first compile of a
    /// 10-layer network in this fresh process (Roslyn loaded and jitted), then warm compiles of new widths (never cached).
    /// </summary>
    public static void MeasureCompileLatency()
    {
        var clock = Stopwatch.StartNew();
        Networks.Compile<float>(TenLayers(64));
        // The processor time too: on a shared machine the wall clock also counts other processes' work.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first call: {clock.Elapsed.TotalMilliseconds:F0} ms (process CPU time so far {Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds:F0} ms)"));
        var warm = new List<double>();
        for (int width = 65; width < 75; width++)
        {
            clock.Restart();
            Networks.Compile<float>(TenLayers(width));
            warm.Add(clock.Elapsed.TotalMilliseconds);
        }

        warm.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warm ({warm.Count} widths): median {warm[warm.Count / 2]:F0} ms, min {warm[0]:F0} ms, max {warm[^1]:F0} ms"));
        clock.Restart();
        Networks.Compile<float>(TenLayers(64));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cached (same text again): {clock.Elapsed.TotalMilliseconds:F1} ms"));
    }

    /// <summary>32 inputs, nine hidden ReLU layers of <paramref name="width"/>, a softmax of 10: ten dense layers.</summary>
    private static string TenLayers(int width) =>
        "input x[32]\nh1 = dense(x, " + width + ") -> relu\n"
        + string.Concat(Enumerable.Range(2, 8).Select(i => $"h{i} = dense(h{i - 1}, {width}) -> relu\n"))
        + "out = dense(h9, 10) -> softmax\nloss categorical_crossentropy(out)\n";
}
