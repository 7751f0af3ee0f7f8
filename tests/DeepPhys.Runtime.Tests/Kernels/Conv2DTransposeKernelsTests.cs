using System.Numerics;
using DeepPhys.Kernels;
using static DeepPhys.Runtime.Tests.Kernels.KernelTestKit;

namespace DeepPhys.Runtime.Tests.Kernels;

public class Conv2DTransposeKernelsTests
{
    [Fact]
    public void Forward_StampsTheKernelScaledByEachInput()
    {
        // A 1 × 2 input, a 2 × 2 kernel at stride 2: each input stamps the kernel times itself on its own 2 × 2 block.
        // Mirrored window: 1 output channel of 2 × 4, kernel 2, stride 2, no padding, input 1 × 2.
        var window = new ImageWindow(1, 2, 4, 2, 2, 2, 2, 0, 0, 1, 2);
        var y = new double[8];
        Conv2DTransposeKernels.Forward<double>([1, 2], [1, 2, 3, 4], [0.5], y, 1, 1, window);
        Assert.Equal([1.5, 2.5, 2.5, 4.5, 3.5, 4.5, 6.5, 8.5], y);
    }

    [Fact]
    public void SteadyState_AllocatesNothing()
    {
        // A decoder's upsampling step: 16 → 8 channels, 14 × 14 → 28 × 28 (kernel 2, stride 2), batch 8.
        const int batch = 8, inChannels = 16;
        var window = new ImageWindow(8, 28, 28, 2, 2, 2, 2, 0, 0, 14, 14);
        var x = Uniform<float>(1, batch * inChannels * window.OutputPlane);
        var weights = Uniform<float>(2, inChannels * window.Channels * window.KernelPlane);
        var bias = Uniform<float>(3, window.Channels);
        float[] y = new float[batch * window.InputSize], dWeights = new float[weights.Length], dBias = new float[bias.Length], dx = new float[x.Length];
        void Step()
        {
            Conv2DTransposeKernels.Forward<float>(x, weights, bias, y, batch, inChannels, window);
            Conv2DTransposeKernels.BackwardParameters<float>(x, y, dWeights, dBias, batch, inChannels, window);
            Conv2DTransposeKernels.BackwardInput<float>(y, weights, dx, batch, inChannels, window, accumulate: false);
            Conv2DTransposeKernels.BackwardInput<float>(y, weights, dx, batch, inChannels, window);
        }

        Step();
        Assert.Equal(0, SteadyState.AllocatedBytes(Step, rounds: 3));
    }
}
