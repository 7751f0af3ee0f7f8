using BenchmarkDotNet.Attributes;
using DeepPhys.Kernels;

namespace DeepPhys.Benchmarks;

/// <summary>
/// One training pass of a recurrent layer's kernels (forward, parameter gradients, input gradient) on a
/// detector-signal shape: 20 time steps of 8 features, 32 units, the last state out; batch 32, and one
/// sample (where the per-step products are smallest).
/// </summary>
[MemoryDiagnoser]
public class RecurrentBenchmarks
{
    private RecurrentLayer layer;
    private float[] x = [], weights = [], biases = [], y = [], workspace = [], dy = [], dWeights = [], dBiases = [], dx = [];

    [Params(RecurrentCell.Lstm, RecurrentCell.Gru)]
    public RecurrentCell Cell { get; set; }

    [Params(1, 32)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        layer = new RecurrentLayer(Cell, Time: 20, Features: 8, Units: 32, ReturnSequences: false);
        x = WorkloadData.Normal(Batch * layer.InputSize, seed: 1);
        weights = WorkloadData.Normal(layer.WeightCount, seed: 2);
        for (int i = 0; i < weights.Length; i++) weights[i] *= 0.2f;
        biases = WorkloadData.Normal(layer.BiasCount, seed: 3);
        y = new float[Batch * layer.OutputSize];
        workspace = new float[Batch * layer.WorkspaceSize];
        dy = WorkloadData.Normal(Batch * layer.OutputSize, seed: 4);
        dWeights = new float[layer.WeightCount];
        dBiases = new float[layer.BiasCount];
        dx = new float[Batch * layer.InputSize];
    }

    [Benchmark(Description = "forward + backward, 20 × 8 → 32")]
    public void TrainingPass()
    {
        RecurrentKernels.Forward<float>(x, weights, biases, y, workspace, Batch, layer);
        RecurrentKernels.BackwardParameters<float>(x, weights, dy, workspace, dWeights, dBiases, Batch, layer);
        dx.AsSpan().Clear();
        RecurrentKernels.BackwardInput<float>(workspace, weights, dx, Batch, layer);
    }
}
