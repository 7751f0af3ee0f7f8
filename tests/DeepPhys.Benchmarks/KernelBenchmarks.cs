using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using DeepPhys.Kernels;

namespace DeepPhys.Benchmarks;

/// <summary>
/// The GEMM behind the dense kernels on W2's shapes (784 → 512 at batch 256): the forward product
/// <c>x · W</c>, the weight gradient <c>xᵀ · dy</c> and the input gradient <c>dy · Wᵀ</c>, on 1 and 2
/// <see cref="KernelThreads"/>. Each is 2 · 256 · 784 · 512 FLOPs; the GFLOP/s column divides by the mean.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(GflopsConfig))]
public class KernelBenchmarks
{
    private const int Batch = 256, Inputs = 784, Units = 512;

    /// <summary>FLOPs of each benchmarked product.</summary>
    public const double Flops = 2.0 * Batch * Inputs * Units;

    private readonly float[] x = Filled(Batch * Inputs, 1), weights = Filled(Inputs * Units, 2), bias = Filled(Units, 3), dy = Filled(Batch * Units, 4);
    private readonly float[] y = new float[Batch * Units], dWeights = new float[Inputs * Units], dBias = new float[Units], dx = new float[Batch * Inputs];

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup() => KernelThreads.Count = Threads;

    [GlobalCleanup]
    public void Cleanup() => KernelThreads.Count = 1;

    [Benchmark(Description = "W2 forward x·W")]
    public void Forward() => DenseKernels.Forward<float>(x, weights, bias, y, Batch, Inputs, Units);

    [Benchmark(Description = "W2 weight gradient xᵀ·dy")]
    public void WeightGradient() => DenseKernels.BackwardParameters<float>(x, dy, dWeights, dBias, Batch, Inputs, Units);

    [Benchmark(Description = "W2 input gradient dy·Wᵀ")]
    public void InputGradient() => DenseKernels.BackwardInput<float>(dy, weights, dx, Batch, Inputs, Units);

    /// <summary>Values in [-1, 1) from a fixed seed.</summary>
    private static float[] Filled(int count, int seed)
    {
        var random = new RandomStream(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }

    private sealed class GflopsConfig : ManualConfig
    {
        public GflopsConfig() => AddColumn(new GflopsColumn());
    }

    /// <summary>Billions of floating-point operations per second at the mean time.</summary>
    private sealed class GflopsColumn : IColumn
    {
        public string Id => nameof(GflopsColumn);

        public string ColumnName => "GFLOP/s";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "2·256·784·512 FLOPs divided by the mean time";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
            summary[benchmarkCase]?.ResultStatistics is { } statistics ? (Flops / statistics.Mean).ToString("F1", System.Globalization.CultureInfo.InvariantCulture) : "-";

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}
