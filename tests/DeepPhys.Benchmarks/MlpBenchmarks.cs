using BenchmarkDotNet.Attributes;
using DeepPhys.Optimizers;

namespace DeepPhys.Benchmarks;

/// <summary>W2: one training step of the MLP 784-512-512-10 at batch 256, SGD (lr 0.01, momentum 0.9), random data.</summary>
[MemoryDiagnoser]
public class MlpBenchmarks : ThreadedBenchmark
{
    private const int Batch = 256;
    private readonly WideMlp network = new(seed: 0);
    private readonly Sgd sgd = new(0.01, momentum: 0.9);
    private readonly float[] inputs = WorkloadData.Normal(Batch * WideMlp.Layout.InputSize, seed: 3);
    private readonly float[] targets = WorkloadData.OneHot(Batch, WideMlp.Layout.OutputSize, seed: 4);

    /// <summary>W2: forward, loss, backward and the momentum step.</summary>
    [Benchmark]
    public float W2_TrainStep()
    {
        float loss = network.TrainStep(inputs, targets);
        sgd.Step(network.Parameters, network.Gradients);
        return loss;
    }
}

/// <summary>W3: one training step of the small CNN on 1×28×28 images at batch 64, Adam (lr 1e-3), random data.</summary>
[MemoryDiagnoser]
public class CnnBenchmarks : ThreadedBenchmark
{
    private const int Batch = 64;
    private readonly SmallCnn network = new(seed: 0);
    private readonly Adam adam = new(1e-3);
    private readonly float[] inputs = WorkloadData.Normal(Batch * SmallCnn.Layout.InputSize, seed: 5);
    private readonly float[] targets = WorkloadData.OneHot(Batch, SmallCnn.Layout.OutputSize, seed: 6);

    /// <summary>W3: forward, loss, backward and Adam's step.</summary>
    [Benchmark]
    public float W3_TrainStep()
    {
        float loss = network.TrainStep(inputs, targets);
        adam.Step(network.Parameters, network.Gradients);
        return loss;
    }
}
