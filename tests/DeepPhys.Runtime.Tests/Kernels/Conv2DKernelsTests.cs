using System.Numerics;
using DeepPhys.Kernels;
using static DeepPhys.Runtime.Tests.Kernels.KernelTestKit;

namespace DeepPhys.Runtime.Tests.Kernels;

public class Conv2DKernelsTests
{
    /// <summary>
    /// Odd sizes, stride 2, explicit padding, 'same' with odd and even kernels (pads as Keras and PyTorch place them: the odd one
    /// bottom/right), and rectangular kernels with a stride per axis.
    /// </summary>
    public static TheoryData<ImageWindow, int> Geometries => new()
    {
        { new ImageWindow(1, 5, 5, 3, 3, 1, 1, 0, 0, 3, 3), 1 },
        { new ImageWindow(3, 7, 5, 3, 3, 1, 1, 1, 1, 7, 5), 2 },
        { new ImageWindow(2, 9, 7, 3, 3, 2, 2, 0, 0, 4, 3), 3 },
        { new ImageWindow(2, 7, 7, 3, 3, 2, 2, 1, 1, 4, 4), 2 },       // 'same', odd kernel, stride 2: pad 1 each side
        { new ImageWindow(3, 6, 5, 2, 2, 1, 1, 0, 0, 6, 5), 4 },       // 'same', kernel 2: pad 0 top/left, 1 bottom/right
        { new ImageWindow(1, 8, 7, 4, 4, 2, 2, 1, 1, 4, 4), 2 },       // 'same', kernel 4, stride 2: rows 1 + 1, columns 1 + 2
        { new ImageWindow(2, 17, 33, 5, 5, 3, 3, 2, 2, 6, 11), 3 },
        { new ImageWindow(1, 3, 3, 5, 5, 1, 1, 2, 2, 3, 3), 1 },       // 'same' with a kernel larger than the image
        { new ImageWindow(2, 6, 4, 5, 5, 1, 1, 2, 2, 6, 4), 3 },       // 'same', stride 1: each tap one shifted run of the channel
        { new ImageWindow(2, 7, 11, 3, 5, 1, 2, 1, 2, 7, 6), 3 },  // kernel (3, 5), stride (1, 2), padding (1, 2)
        { new ImageWindow(3, 11, 6, 4, 2, 3, 1, 0, 0, 3, 5), 2 },  // kernel (4, 2), stride (3, 1)
        { new ImageWindow(2, 6, 7, 3, 5, 1, 1, 1, 2, 6, 7), 3 },   // 'same' (3, 5) at stride 1: the shifted runs
        { new ImageWindow(1, 5, 9, 1, 3, 2, 1, 0, 1, 3, 9), 2 },   // one row tall, stride (2, 1)
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void KernelsMatchScalarTwins(ImageWindow window, int filters)
    {
        MatchScalar<float>(window, filters, withBias: true);
        MatchScalar<double>(window, filters, withBias: true);
        MatchScalar<double>(window, filters, withBias: false);
    }

    [Fact]
    public void Forward_ComputesTheCrossCorrelation()
    {
        // x = 1..9 as a 3×3 image, W = [[1, 0], [0, −1]]: y[i, j] = x[i, j] − x[i + 1, j + 1] = −4, plus bias 0.5.
        double[] x = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        double[] weights = [1, 0, 0, -1];
        var y = new double[4];
        Conv2DKernels.Forward<double>(x, weights, [0.5], y, 1, 1, new ImageWindow(1, 3, 3, 2, 2, 1, 1, 0, 0, 2, 2));
        Assert.Equal([-3.5, -3.5, -3.5, -3.5], y);

        // Padding 1, stride 2 on the same image: outputs at (−1, −1), (−1, 1), (1, −1), (1, 1) see only x[i + 1, j + 1] (times −1) and x[i, j].
        var padded = new double[4];
        Conv2DKernels.Forward<double>(x, weights, default, padded, 1, 1, new ImageWindow(1, 3, 3, 2, 2, 2, 2, 1, 1, 2, 2));
        Assert.Equal([-1, -3, -7, 5 - 9], padded);
    }

    /// <summary>Stride 2 with uneven padding, 'same' at stride 1 (the shifted-run im2col), and one channel (a weight gradient by dot products).</summary>
    public static TheoryData<ImageWindow> DifferenceGeometries => new()
    {
        new ImageWindow(2, 6, 5, 4, 4, 2, 2, 1, 1, 3, 3),
        new ImageWindow(2, 5, 6, 3, 3, 1, 1, 1, 1, 5, 6),
        new ImageWindow(1, 6, 5, 3, 3, 1, 1, 1, 1, 6, 5),
        new ImageWindow(2, 6, 7, 2, 3, 2, 1, 1, 1, 3, 7),
    };

    [Theory]
    [MemberData(nameof(DifferenceGeometries))]
    public void Backward_MatchesFiniteDifferences(ImageWindow window)
    {
        const int batch = 2, filters = 3;
        var x = Uniform<double>(1, batch * window.InputSize);
        var weights = Uniform<double>(2, filters * window.Channels * window.KernelPlane);
        var bias = Uniform<double>(3, filters);
        var seed = Uniform<double>(4, batch * filters * window.OutputPlane);
        var y = new double[seed.Length];
        double Loss()
        {
            Conv2DKernels.Forward<double>(x, weights, bias, y, batch, filters, window);
            return Weighted(seed, y);
        }

        var dWeights = new double[weights.Length];
        var dBias = new double[filters];
        var dx = new double[x.Length];
        Conv2DKernels.BackwardParameters<double>(x, seed, dWeights, dBias, batch, filters, window);
        Conv2DKernels.BackwardInput<double>(seed, weights, dx, batch, filters, window);
        Close<double>(FiniteDifferences(weights, Loss), dWeights, 1e-7, "dW");
        Close<double>(FiniteDifferences(bias, Loss), dBias, 1e-7, "db");
        Close<double>(FiniteDifferences(x, Loss), dx, 1e-7, "dx");
    }

    [Fact]
    public void ChannelBias_AddsPerChannel_AndItsGradientSumsEachChannel()
    {
        // Two samples of two channels of three values: channel 0 gets +1, channel 1 gets −2.
        double[] y = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
        Conv2DKernels.AddChannelBias<double>(y, [1, -2], 2, 2, 3);
        Assert.Equal([2, 3, 4, 2, 3, 4, 8, 9, 10, 8, 9, 10], y);

        // db[0] = (1 + 2 + 3) + (7 + 8 + 9), db[1] = (4 + 5 + 6) + (10 + 11 + 12), overwriting what was there.
        double[] dBias = [100, 100];
        Conv2DKernels.ChannelBiasGradient<double>([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], dBias, 2, 2, 3);
        Assert.Equal([30, 48], dBias);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 5, 7)]
    [InlineData(2, 3, 33)]
    [InlineData(3, 2, 65)]
    public void ChannelBias_MatchesScalarTwins(int batch, int channels, int plane)
    {
        MatchChannelBias<float>(batch, channels, plane);
        MatchChannelBias<double>(batch, channels, plane);
    }

    private static void MatchChannelBias<T>(int batch, int channels, int plane)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = Uniform<T>(plane, batch * channels * plane);
        var expected = y.ToArray();
        var bias = Uniform<T>(plane + 1, channels);
        Conv2DKernels.AddChannelBias<T>(y, bias, batch, channels, plane);
        Conv2DKernels.Scalar.AddChannelBias<T>(expected, bias, batch, channels, plane);
        Close<T>(expected, y, Tolerance<T>(), $"AddChannelBias {batch}×{channels}×{plane}");

        var dBias = Garbage<T>(channels);
        var expectedDBias = new T[channels];
        Conv2DKernels.ChannelBiasGradient<T>(y, dBias, batch, channels, plane);
        Conv2DKernels.Scalar.ChannelBiasGradient<T>(y, expectedDBias, batch, channels, plane);
        Close<T>(expectedDBias, dBias, Tolerance<T>() * Math.Max(1, Math.Sqrt(batch * plane / 16.0)), $"ChannelBiasGradient {batch}×{channels}×{plane}");
    }

    [Fact]
    public void BackwardInput_AddsToTheGradient()
    {
        var window = new ImageWindow(1, 3, 3, 2, 2, 1, 1, 0, 0, 2, 2);
        var dx = new double[9];
        dx.AsSpan().Fill(10);
        Conv2DKernels.BackwardInput<double>([1, 1, 1, 1], [1, 0, 0, -1], dx, 1, 1, window);
        Assert.Equal([11, 11, 10, 11, 10, 9, 10, 9, 9], dx);
    }

    /// <summary>Every kernel against its scalar twin on <paramref name="batch"/> random images (also run by <see cref="GemmTests"/> on each forced GEMM path).</summary>
    internal static void MatchScalar<T>(ImageWindow window, int filters, bool withBias, int batch = 3)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string shape = $"{window}, filters {filters}, bias {withBias}, batch {batch}";
        // The scalar twin sums the weight gradient's batch · plane products one by one: its own rounding grows with their count.
        double tolerance = Tolerance<T>() * Math.Max(1, Math.Sqrt(batch * window.OutputPlane / 256.0));
        int seed = window.GetHashCode() & 0xFFFF;
        var x = Uniform<T>(seed, batch * window.InputSize);
        var weights = Uniform<T>(seed + 1, filters * window.Channels * window.KernelPlane);
        var bias = withBias ? Uniform<T>(seed + 2, filters) : [];
        var dy = Uniform<T>(seed + 3, batch * filters * window.OutputPlane);

        var y = Garbage<T>(dy.Length);
        var expectedY = new T[dy.Length];
        Conv2DKernels.Forward<T>(x, weights, bias, y, batch, filters, window);
        Conv2DKernels.Scalar.Forward<T>(x, weights, bias, expectedY, batch, filters, window);
        Close<T>(expectedY, y, tolerance, $"Forward, {shape}");

        // With the ReLU fused: exactly the forward pass followed by the activation kernel.
        var rectified = Garbage<T>(dy.Length);
        Conv2DKernels.Forward<T>(x, weights, bias, rectified, batch, filters, window, relu: true);
        ActivationKernels.Relu<T>(y);
        Assert.Equal(y, rectified);

        var dWeights = Garbage<T>(weights.Length);
        var dBias = Garbage<T>(bias.Length);
        var expectedDWeights = new T[weights.Length];
        var expectedDBias = new T[bias.Length];
        Conv2DKernels.BackwardParameters<T>(x, dy, dWeights, dBias, batch, filters, window);
        Conv2DKernels.Scalar.BackwardParameters<T>(x, dy, expectedDWeights, expectedDBias, batch, filters, window);
        Close<T>(expectedDWeights, dWeights, tolerance, $"BackwardParameters dW, {shape}");
        Close<T>(expectedDBias, dBias, tolerance, $"BackwardParameters db, {shape}");

        var dx = Uniform<T>(seed + 4, x.Length);
        var expectedDx = dx.ToArray();
        Conv2DKernels.BackwardInput<T>(dy, weights, dx, batch, filters, window);
        Conv2DKernels.Scalar.BackwardInput<T>(dy, weights, expectedDx, batch, filters, window);
        Close<T>(expectedDx, dx, tolerance, $"BackwardInput, {shape}");

        // Overwriting: whatever dx held before is gone, as if it had been cleared.
        dx = Garbage<T>(x.Length);
        Array.Clear(expectedDx);
        Conv2DKernels.BackwardInput<T>(dy, weights, dx, batch, filters, window, accumulate: false);
        Conv2DKernels.Scalar.BackwardInput<T>(dy, weights, expectedDx, batch, filters, window);
        Close<T>(expectedDx, dx, tolerance, $"BackwardInput overwriting, {shape}");
    }
}
