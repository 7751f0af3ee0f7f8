using DeepPhys.Optimizers;
using DeepPhys.Samples.Iris;

namespace DeepPhys.Tests;

/// <summary>Steady-state training and inference allocate nothing: the workspace and optimizer state exist after the first step.</summary>
public class AllocationTests
{
    [Fact]
    public void TrainStepAndAdamStep_AfterWarmUp_AllocateNothing()
    {
        var network = new IrisClassifier(seed: 1);
        var adam = new Adam();
        var inputs = new float[32 * 4];
        var targets = new float[32 * 3];
        for (int row = 0; row < 32; row++) targets[row * 3 + row % 3] = 1;
        network.TrainStep(inputs, targets);
        adam.Step(network.Parameters, network.Gradients);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            network.TrainStep(inputs, targets);
            adam.Step(network.Parameters, network.Gradients);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void PredictIntoABuffer_AfterWarmUp_AllocatesNothing()
    {
        var network = new IrisClassifier(seed: 1);
        float[] sample = [0.1f, -0.2f, 0.3f, 0.4f], probabilities = new float[3];
        network.Predict(sample, probabilities);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) network.Predict(sample, probabilities);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
