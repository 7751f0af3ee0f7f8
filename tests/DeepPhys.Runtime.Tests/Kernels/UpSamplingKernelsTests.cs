using System.Numerics;
using DeepPhys.Kernels;
using static DeepPhys.Runtime.Tests.Kernels.KernelTestKit;

namespace DeepPhys.Runtime.Tests.Kernels;

public class UpSamplingKernelsTests
{
    [Fact]
    public void Forward_RepeatsEachValueOverItsBlock_AndBackwardSumsTheBlock()
    {
        // One 2 × 2 image, scales (2, 3): each value fills a 2 × 3 block of the 4 × 6 output.
        double[] x = [1, 2, 3, 4];
        var y = new double[24];
        UpSamplingKernels.Forward<double>(x, y, 1, 1, 2, 2, 2, 3);
        Assert.Equal(
            [
                1, 1, 1, 2, 2, 2,
                1, 1, 1, 2, 2, 2,
                3, 3, 3, 4, 4, 4,
                3, 3, 3, 4, 4, 4,
            ],
            y);

        // dy = 0, 1, …, 23: dx[0, 0] = 0 + 1 + 2 + 6 + 7 + 8, and so on; added to 100, then overwriting.
        double[] dy = Enumerable.Range(0, 24).Select(i => (double)i).ToArray();
        double[] dx = [100, 100, 100, 100];
        UpSamplingKernels.Backward<double>(dy, dx, 1, 1, 2, 2, 2, 3);
        Assert.Equal([124, 142, 196, 214], dx);
        UpSamplingKernels.Backward<double>(dy, dx, 1, 1, 2, 2, 2, 3, accumulate: false);
        Assert.Equal([24, 42, 96, 114], dx);
    }

    [Fact]
    public void Signals_RepeatEachStep()
    {
        // Keras's UpSampling1D(size=2) on two channels of three steps, channels first: height 1, scales (1, 2).
        double[] x = [1, 2, 3, 4, 5, 6];
        var y = new double[12];
        UpSamplingKernels.Forward<double>(x, y, 1, 2, 1, 3, 1, 2);
        Assert.Equal([1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6], y);
        var dx = new double[6];
        UpSamplingKernels.Backward<double>([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], dx, 1, 2, 1, 3, 1, 2);
        Assert.Equal([3, 7, 11, 15, 19, 23], dx);
    }

    /// <summary>Odd sizes and scales, including 1 along either axis.</summary>
    public static TheoryData<int, int, int, int, int> Shapes => new()
    {
        { 1, 1, 1, 1, 1 },
        { 3, 5, 7, 2, 2 },
        { 2, 3, 17, 3, 1 },
        { 3, 1, 33, 1, 3 },
        { 1, 7, 65, 2, 5 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void KernelsMatchScalarTwins(int channels, int height, int width, int scaleHeight, int scaleWidth)
    {
        MatchScalar<float>(channels, height, width, scaleHeight, scaleWidth);
        MatchScalar<double>(channels, height, width, scaleHeight, scaleWidth);
    }

    private static void MatchScalar<T>(int channels, int height, int width, int scaleHeight, int scaleWidth)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int batch = 3;
        string shape = $"{channels}×{height}×{width}, scales ({scaleHeight}, {scaleWidth})";
        int inputs = batch * channels * height * width, outputs = inputs * scaleHeight * scaleWidth;
        var x = Uniform<T>(width, inputs);
        var dy = Uniform<T>(width + 1, outputs);
        T[] y = Garbage<T>(outputs), expectedY = new T[outputs];
        UpSamplingKernels.Forward<T>(x, y, batch, channels, height, width, scaleHeight, scaleWidth);
        UpSamplingKernels.Scalar.Forward<T>(x, expectedY, batch, channels, height, width, scaleHeight, scaleWidth);
        Assert.Equal(expectedY, y);

        var dx = Uniform<T>(width + 2, inputs);
        var expectedDx = dx.ToArray();
        UpSamplingKernels.Backward<T>(dy, dx, batch, channels, height, width, scaleHeight, scaleWidth);
        UpSamplingKernels.Scalar.Backward<T>(dy, expectedDx, batch, channels, height, width, scaleHeight, scaleWidth);
        Close<T>(expectedDx, dx, Tolerance<T>(), $"backward, {shape}");
    }

    [Fact]
    public void SteadyState_AllocatesNothing()
    {
        const int batch = 16, channels = 8, height = 14, width = 14;
        var x = Uniform<float>(1, batch * channels * height * width);
        float[] y = new float[x.Length * 4], dx = new float[x.Length];
        Assert.Equal(0, SteadyState.AllocatedBytes(
            () =>
            {
                UpSamplingKernels.Forward<float>(x, y, batch, channels, height, width, 2, 2);
                UpSamplingKernels.Backward<float>(y, dx, batch, channels, height, width, 2, 2, accumulate: false);
            },
            rounds: 5));
    }
}
