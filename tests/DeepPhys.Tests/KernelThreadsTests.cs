using DeepPhys;
using DeepPhys.Kernels;
using DeepPhys.Optimizers;

namespace DeepPhys.Tests;

/// <summary>W3's network with a hidden dense layer large enough for the GEMM: every threaded kernel in one training step.</summary>
[Network(Loss = Loss.CategoricalCrossEntropy)]
[Input(1, 28, 28)]
[Conv2D(16, 3, Activation.ReLU, Padding = Padding.Same)]
[MaxPool2D(2)]
[Conv2D(32, 3, Activation.ReLU, Padding = Padding.Same)]
[MaxPool2D(2)]
[Flatten]
[Dense(64, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class ThreadedCnn;

/// <summary>
/// Tests that change <see cref="KernelThreads.Count"/> run alone, after the parallel ones: no other test's allocation count
/// sees the workers start, and the two-thread allocation check can read the workers' counts with a job of its own.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KernelThreadsCollection
{
    public const string Name = "Kernel threads";
}

[Collection(KernelThreadsCollection.Name)]
public class KernelThreadsTests
{
    private const int Batch = 16;

    [Fact]
    public void TwoThreads_TrainBitIdenticallyToOne()
    {
        var (oneLosses, oneParameters) = Train(threads: 1);
        var (twoLosses, twoParameters) = Train(threads: 2);

        Assert.Equal(oneLosses, twoLosses);
        Assert.Equal(oneParameters, twoParameters);
        Assert.True(oneLosses[^1] < oneLosses[0], "the run should learn something, or the comparison proves little");
    }

    /// <summary>Issue 20, item 15: 64 threads on 2 cores made a step 14 times slower, 512 took 3.8 s to set.</summary>
    [Fact]
    public void Count_AboveFourTimesTheCores_ThrowsNamingTheValueAndTheCap()
    {
        int cap = 4 * Environment.ProcessorCount;

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => KernelThreads.Count = cap + 1);

        Assert.Equal(cap, KernelThreads.MaxCount);
        Assert.Equal(1, KernelThreads.Count);
        Assert.Equal(cap + 1, error.ActualValue);
        Assert.StartsWith(
            $"KernelThreads.Count is {cap + 1}; at most {cap} (KernelThreads.MaxCount, 4 × the {Environment.ProcessorCount} cores): more threads than that only wait for each other.",
            error.Message);
    }

    [Fact]
    public void TwoThreads_TrainStepAndPredict_AfterWarmUp_AllocateNothing()
    {
        var network = new ThreadedCnn(seed: 1);
        var adam = new Adam();
        var (inputs, targets) = Batch16(network);
        var outputs = new float[Batch * network.OutputSize];
        KernelThreads.Count = 2;
        try
        {
            network.TrainStep(inputs, targets);
            adam.Step(network.Parameters, network.Gradients);
            network.Predict(inputs, outputs);

            Assert.Equal(0, DeepPhys.Runtime.Tests.Kernels.SteadyState.AllocatedBytesWithKernelWorkers(
                () =>
                {
                    network.TrainStep(inputs, targets);
                    adam.Step(network.Parameters, network.Gradients);
                    network.Predict(inputs, outputs);
                },
                rounds: 5));
        }
        finally
        {
            KernelThreads.Count = 1;
        }
    }

    /// <summary>Eight Adam steps on one batch from seed 1; the losses and the final parameters.</summary>
    private static (float[] Losses, float[] Parameters) Train(int threads)
    {
        var network = new ThreadedCnn(seed: 1);
        var adam = new Adam();
        var (inputs, targets) = Batch16(network);
        var losses = new float[8];
        KernelThreads.Count = threads;
        try
        {
            for (int step = 0; step < losses.Length; step++)
            {
                losses[step] = network.TrainStep(inputs, targets);
                adam.Step(network.Parameters, network.Gradients);
            }
        }
        finally
        {
            KernelThreads.Count = 1;
        }

        return (losses, network.Parameters.ToArray());
    }

    /// <summary>Uniform images in [0, 1) with classes cycling through the ten.</summary>
    private static (float[] Inputs, float[] Targets) Batch16(ThreadedCnn network)
    {
        var random = new RandomStream(5);
        var inputs = new float[Batch * network.InputSize];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = (float)random.NextDouble();
        var targets = new float[Batch * network.OutputSize];
        for (int row = 0; row < Batch; row++) targets[row * network.OutputSize + row % 10] = 1;
        return (inputs, targets);
    }
}
