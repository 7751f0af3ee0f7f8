using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using DeepPhys.Optimizers;

namespace DeepPhys.Benchmarks;

/// <summary>
/// W4, the tabular classifier 28-64-64-1 with sigmoid + binary cross-entropy and Adam (lr 1e-3) on the
/// peer's synthetic 100,000-row table: one step at batch 512 on its first rows.
/// </summary>
[MemoryDiagnoser]
public class TabularBenchmarks : ThreadedBenchmark
{
    private const int Batch = 512;
    private readonly TabularMlp network = new(seed: 0);
    private readonly Adam adam = new(1e-3);
    private float[] inputs = [];
    private float[] targets = [];

    public override void Setup()
    {
        base.Setup();
        var data = WorkloadData.Tabular(Batch, seed: 1);
        inputs = data.Features.ToArray();
        targets = data.Targets.ToArray();
    }

    /// <summary>W4: forward, loss, backward and Adam's step on 512 rows.</summary>
    [Benchmark]
    public float W4_TrainStep()
    {
        float loss = network.TrainStep(inputs, targets);
        adam.Step(network.Parameters, network.Gradients);
        return loss;
    }
}

/// <summary>
/// W4 over whole epochs: one shuffled epoch at batch 512 over 10³ … 10⁶ rows, whose time should grow
/// linearly with the rows. Few iterations, as one operation takes up to half a second; the throughput
/// strategy still repeats the short epochs within an iteration, so 10³ rows are timed in optimised code
/// (one invocation per iteration timed the first calls' unoptimised code: 6 µs per row against 0.44 µs).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 3, iterationCount: 5)]
public class TabularEpochBenchmarks
{
    private readonly TabularMlp network = new(seed: 0);
    private readonly Adam adam = new(1e-3);
    private EpochRunner epoch = null!;

    [Params(1_000, 10_000, 100_000, 1_000_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup() => epoch = new EpochRunner(network, WorkloadData.Tabular(Rows, seed: 1), batchSize: 512);

    /// <summary>One shuffled epoch over <see cref="Rows"/> rows.</summary>
    [Benchmark]
    public float W4_Epoch() => epoch.Run(adam);
}

/// <summary>W4: 10 shuffled epochs over 100,000 rows at batch 512 from a fresh network and optimizer, as the peer times it.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class TabularTrainingBenchmarks
{
    private readonly TabularMlp network = new(seed: 0);
    private EpochRunner epoch = null!;

    [GlobalSetup]
    public void Setup() => epoch = new EpochRunner(network, WorkloadData.Tabular(100_000, seed: 1), batchSize: 512);

    /// <summary>Re-initialises the parameters, then trains 10 epochs with a new Adam (its moments are the only allocation).</summary>
    [Benchmark]
    public float W4_TenEpochs()
    {
        network.Reset(seed: 0);
        var adam = new Adam(1e-3);
        float loss = 0;
        for (int i = 0; i < 10; i++) loss = epoch.Run(adam);
        return loss;
    }
}
