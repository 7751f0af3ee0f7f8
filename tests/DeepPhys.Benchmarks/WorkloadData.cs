using BenchmarkDotNet.Attributes;
using System.Globalization;
using DeepPhys.Data;
using DeepPhys.Optimizers;

namespace DeepPhys.Benchmarks;

/// <summary>The data of the workloads, shaped as the peer script (peers/torch_bench.py) shapes it; random data is seeded.</summary>
internal static class WorkloadData
{
    /// <summary>Rows of <c>iris_std_perm.csv</c> that the peer trains on; the other 30 are its test rows.</summary>
    public const int IrisTrainRows = 120;

    /// <summary>
    /// The standardised, permuted Iris set of the peer script (4 features, then the class 0–2), classes one-hot.
    /// Only the 120 training rows: W1 never touches the test rows.
    /// </summary>
    public static Dataset<float> IrisTrain()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "iris_std_perm.csv");
        var rows = File.ReadLines(path).Take(IrisTrainRows).Select(line => line.Split(',')).ToArray();
        var features = rows.SelectMany(row => row.Take(4).Select(value => float.Parse(value, CultureInfo.InvariantCulture))).ToArray();
        var labels = rows.Select(row => int.Parse(row[4], CultureInfo.InvariantCulture)).ToArray();
        return Dataset<float>.FromClassLabels(features, 4, labels, 3);
    }

    /// <summary>Standard normal values from a seeded stream.</summary>
    public static float[] Normal(int count, int seed)
    {
        var random = new RandomStream(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)random.NextNormal();
        return values;
    }

    /// <summary>One-hot rows of uniformly random classes.</summary>
    public static float[] OneHot(int rows, int classes, int seed)
    {
        var random = new RandomStream(seed);
        var targets = new float[rows * classes];
        for (int i = 0; i < rows; i++) targets[i * classes + random.NextInt(classes)] = 1;
        return targets;
    }

    /// <summary>
    /// W4's synthetic physics-like table, with the peer's label rule: 28 normal features and the label
    /// <c>x·w·0.3 + x₀x₁ − ½Σ₂..₅ x² + 2 + ½·noise &gt; 0</c>.
    /// </summary>
    public static Dataset<float> Tabular(int rows, int seed)
    {
        const int Features = 28;
        var random = new RandomStream(seed);
        var weights = new double[Features];
        for (int j = 0; j < Features; j++) weights[j] = random.NextNormal();
        var features = new float[rows * Features];
        var labels = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            var x = features.AsSpan(i * Features, Features);
            double logit = 2.0;
            for (int j = 0; j < Features; j++)
            {
                x[j] = (float)random.NextNormal();
                logit += 0.3 * weights[j] * x[j];
            }

            logit += x[0] * x[1];
            for (int j = 2; j < 6; j++) logit -= 0.5 * x[j] * x[j];
            labels[i] = logit + 0.5 * random.NextNormal() > 0 ? 1 : 0;
        }

        return new Dataset<float>(features, Features, labels, 1);
    }
}

/// <summary>
/// One shuffled epoch as <c>Fit</c> runs it (shuffle with the network's stream, gather, step, optimizer),
/// with every buffer allocated up front, so an epoch allocates nothing; the last batch may be smaller.
/// </summary>
internal sealed class EpochRunner
{
    private readonly Network<float> network;
    private readonly Dataset<float> data;
    private readonly int batchSize;
    private readonly int[] order;
    private readonly float[] inputs;
    private readonly float[] targets;

    public EpochRunner(Network<float> network, Dataset<float> data, int batchSize)
    {
        this.network = network;
        this.data = data;
        this.batchSize = batchSize;
        order = Enumerable.Range(0, data.Count).ToArray();
        inputs = new float[batchSize * data.FeatureCount];
        targets = new float[batchSize * data.TargetCount];
    }

    /// <summary>Trains one epoch; returns the last batch's loss.</summary>
    public float Run(Optimizer optimizer)
    {
        float loss = 0;
        network.Random.Shuffle(order.AsSpan());
        for (int start = 0; start < order.Length; start += batchSize)
        {
            int batch = Math.Min(batchSize, order.Length - start);
            var x = inputs.AsSpan(0, batch * data.FeatureCount);
            var y = targets.AsSpan(0, batch * data.TargetCount);
            data.Gather(order.AsSpan(start, batch), x, y);
            loss = network.TrainStep(x, y);
            optimizer.Step(network.Parameters, network.Gradients);
        }

        return loss;
    }
}

/// <summary>The one place that sets the runtime's thread count (<see cref="Kernels.KernelThreads.Count"/>) for a benchmark.</summary>
public static class BenchmarkThreads
{
    /// <summary>The thread counts the multi-threaded workloads (W2, W3, W4's step) are measured at.</summary>
    public static IEnumerable<int> Counts => [1, 2];

    /// <summary>Sets the runtime's thread count.</summary>
    public static void Apply(int threads) => Kernels.KernelThreads.Count = threads;
}

/// <summary>A workload measured at every thread count of <see cref="BenchmarkThreads.Counts"/>.</summary>
public abstract class ThreadedBenchmark
{
    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; } = 1;

    public static IEnumerable<int> ThreadCounts => BenchmarkThreads.Counts;

    [GlobalSetup]
    public virtual void Setup() => BenchmarkThreads.Apply(Threads);
}
