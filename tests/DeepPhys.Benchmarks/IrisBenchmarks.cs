using BenchmarkDotNet.Attributes;
using DeepPhys.Data;
using DeepPhys.Optimizers;

namespace DeepPhys.Benchmarks;

/// <summary>
/// W1, the Iris MLP 4-16-16-16-3 with Adam (lr 1e-3), as the peer script measures it: (a) one training
/// step on the first 32 training rows, (b) one shuffled epoch of the 120 training rows at batch 32,
/// (c) one-sample inference, (d) inference on 1024 random rows.
/// </summary>
[MemoryDiagnoser]
public class IrisBenchmarks
{
    private readonly IrisMlp network = new(seed: 0);
    private readonly Adam adam = new(1e-3);
    private readonly float[] single = new float[IrisMlp.Layout.InputSize];
    private readonly float[] singleOutput = new float[IrisMlp.Layout.OutputSize];
    private readonly float[] large = WorkloadData.Normal(1024 * IrisMlp.Layout.InputSize, seed: 2);
    private readonly float[] largeOutput = new float[1024 * IrisMlp.Layout.OutputSize];
    private float[] batchInputs = [];
    private float[] batchTargets = [];
    private EpochRunner epoch = null!;

    [GlobalSetup]
    public void Setup()
    {
        Dataset<float> train = WorkloadData.IrisTrain();
        batchInputs = train.Features[..(32 * 4)].ToArray();
        batchTargets = train.Targets[..(32 * 3)].ToArray();
        train.FeatureRow(0).CopyTo(single);
        epoch = new EpochRunner(network, train, batchSize: 32);
    }

    /// <summary>W1a: forward, loss, backward and Adam's step on a batch of 32.</summary>
    [Benchmark]
    public float W1a_TrainStep()
    {
        float loss = network.TrainStep(batchInputs, batchTargets);
        adam.Step(network.Parameters, network.Gradients);
        return loss;
    }

    /// <summary>W1b: one shuffled epoch of 120 rows at batch 32 (four steps).</summary>
    [Benchmark]
    public float W1b_Epoch() => epoch.Run(adam);

    /// <summary>W1c: one sample's class probabilities.</summary>
    [Benchmark]
    public float W1c_PredictOne()
    {
        network.Predict(single, singleOutput);
        return singleOutput[0];
    }

    /// <summary>W1d: 1024 samples' class probabilities in one call.</summary>
    [Benchmark]
    public float W1d_Predict1024()
    {
        network.Predict(large, largeOutput);
        return largeOutput[0];
    }
}
