using DeepPhys.Kernels;
using DeepPhys.Optimizers;
using DeepPhys.Runtime.Tests.Kernels;

namespace DeepPhys.Runtime.Tests.Optimizers;

/// <summary>The optimizers' update shared over several threads: the same values, bit for bit, as on one, and nothing allocated.</summary>
[Collection(KernelSettingsCollection.Name)]
public class ThreadedUpdateTests
{
    /// <summary>Past the threading threshold, not a multiple of any vector width or of the chunk unit, so the last chunk ends in a scalar tail.</summary>
    private const int Length = KernelJob.ParallelElements + (3 * KernelJob.ElementChunk) + 37;

    [Theory]
    [MemberData(nameof(OptimizerCatalog.Names), MemberType = typeof(OptimizerCatalog))]
    public void TwoAndThreeThreads_GiveBitIdenticalParametersAndState(string name)
    {
        var (oneParameters, oneState) = Train(name, threads: 1);
        foreach (int threads in new[] { 2, 3 })
        {
            var (parameters, state) = Train(name, threads);
            Assert.Equal(oneParameters, parameters);
            Assert.Equal(oneState.Scalars, state.Scalars);
            Assert.Equal(oneState.Buffers.Count, state.Buffers.Count);
            for (int b = 0; b < oneState.Buffers.Count; b++) Assert.Equal(oneState.Buffers[b], state.Buffers[b]);
        }
    }

    [Fact]
    public void SteadyStateSteps_AllocateNothing_OnTwoThreads()
    {
        float[] parameters = Normal(new RandomStream(1), Length), gradients = Normal(new RandomStream(2), Length);
        Optimizer[] optimizers = [new Sgd(0.01, momentum: 0.9), new Adam(), new NAdam(), new RmsProp(momentum: 0.5, centered: true), new AdaGrad()];
        KernelThreads.Count = 2;
        try
        {
            foreach (var optimizer in optimizers) optimizer.Step<float>(parameters, gradients);
            Assert.Equal(0, SteadyState.AllocatedBytesWithKernelWorkers(() => { foreach (var optimizer in optimizers) optimizer.Step<float>(parameters, gradients); }, rounds: 5));
        }
        finally
        {
            KernelThreads.Count = 1;
        }
    }

    /// <summary>Six steps of optimizer <paramref name="name"/> on fresh gradients from seed 3; the parameters and the exported state.</summary>
    private static (float[] Parameters, OptimizerSnapshot State) Train(string name, int threads)
    {
        var random = new RandomStream(3);
        float[] parameters = Normal(random, Length);
        var optimizer = OptimizerCatalog.All[name]();
        KernelThreads.Count = threads;
        try
        {
            for (int step = 0; step < 6; step++) optimizer.Step<float>(parameters, Normal(random, Length));
        }
        finally
        {
            KernelThreads.Count = 1;
        }

        Assert.NotEqual(Normal(new RandomStream(3), Length), parameters);
        return (parameters, optimizer.ExportState());
    }

    private static float[] Normal(RandomStream random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float)random.NextNormal();
        return values;
    }
}
