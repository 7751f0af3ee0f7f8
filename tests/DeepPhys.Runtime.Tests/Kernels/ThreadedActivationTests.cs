using DeepPhys.Kernels;
using static DeepPhys.Runtime.Tests.Kernels.KernelTestKit;

namespace DeepPhys.Runtime.Tests.Kernels;

/// <summary>ReLU forward and backward shared over several threads: the scalar twin's values, and nothing allocated.</summary>
[Collection(KernelSettingsCollection.Name)]
public class ThreadedActivationTests
{
    /// <summary>Past the threading threshold and not a multiple of any vector width, so the last chunk ends in a scalar tail.</summary>
    private const int Length = KernelJob.ParallelElements + (5 * KernelJob.ElementChunk) + 13;

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Relu_OnSeveralThreads_MatchesTheScalarTwin(int threads)
    {
        float[] values = Uniform<float>(1, Length), gradient = Uniform<float>(2, Length);
        float[] expectedValues = (float[])values.Clone(), expectedGradient = (float[])gradient.Clone();
        ActivationKernels.Scalar.Relu<float>(expectedValues);
        ActivationKernels.Scalar.ReluBackward<float>(expectedValues, expectedGradient);
        KernelThreads.Count = threads;
        try
        {
            ActivationKernels.Relu<float>(values);
            ActivationKernels.ReluBackward<float>(values, gradient);
        }
        finally
        {
            KernelThreads.Count = 1;
        }

        Assert.Equal(expectedValues, values);
        Assert.Equal(expectedGradient, gradient);
        Assert.Contains(0f, gradient);
    }

    [Fact]
    public void SteadyStateRelu_AllocatesNothing_OnTwoThreads()
    {
        float[] values = Uniform<float>(1, Length), gradient = Uniform<float>(2, Length);
        KernelThreads.Count = 2;
        try
        {
            ActivationKernels.Relu<float>(values);
            ActivationKernels.ReluBackward<float>(values, gradient);
            Assert.Equal(0, SteadyState.AllocatedBytesWithKernelWorkers(
                () =>
                {
                    ActivationKernels.Relu<float>(values);
                    ActivationKernels.ReluBackward<float>(values, gradient);
                },
                rounds: 5));
        }
        finally
        {
            KernelThreads.Count = 1;
        }
    }
}
