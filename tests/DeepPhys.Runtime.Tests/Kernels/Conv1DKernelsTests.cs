using System.Numerics;
using DeepPhys.Kernels;
using static DeepPhys.Runtime.Tests.Kernels.KernelTestKit;

namespace DeepPhys.Runtime.Tests.Kernels;

public class Conv1DKernelsTests
{
    /// <summary>Odd lengths, stride 2 and 3, explicit padding, and 'same' with odd and even kernels (the odd pad at the end, as Keras and PyTorch).</summary>
    public static TheoryData<SignalWindow, int> Geometries => new()
    {
        { new SignalWindow(1, 5, 3, 1, 0, 3), 1 },
        { new SignalWindow(3, 17, 3, 1, 1, 17), 2 },      // 'same', kernel 3
        { new SignalWindow(2, 33, 5, 2, 0, 15), 3 },
        { new SignalWindow(2, 16, 4, 2, 1, 8), 4 },       // 'same', kernel 4, stride 2: 1 before, 2 after
        { new SignalWindow(3, 7, 2, 1, 0, 7), 2 },        // 'same', kernel 2: 0 before, 1 after
        { new SignalWindow(1, 65, 7, 3, 2, 21), 5 },
        { new SignalWindow(1, 3, 5, 1, 2, 3), 1 },        // 'same' with a kernel longer than the signal
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void KernelsMatchScalarTwins(SignalWindow window, int filters)
    {
        MatchScalar<float>(window, filters, withBias: true);
        MatchScalar<double>(window, filters, withBias: true);
        MatchScalar<double>(window, filters, withBias: false);
    }

    [Fact]
    public void Forward_ComputesTheCrossCorrelation()
    {
        // x = 1..5, W = [1, 0, −1]: y[i] = x[i] − x[i + 2] = −2, plus bias 0.5; two channels add.
        double[] x = [1, 2, 3, 4, 5, 1, 1, 1, 1, 1];
        double[] weights = [1, 0, -1, 0, 2, 0];
        var y = new double[3];
        Conv1DKernels.Forward<double>(x, weights, [0.5], y, 1, 1, new SignalWindow(2, 5, 3, 1, 0, 3));
        Assert.Equal([0.5, 0.5, 0.5], y);

        // Padding 1, stride 2, one channel: outputs at −1, 1, 3 read (0, 1, 2), (2, 3, 4), (4, 5, 0).
        var padded = new double[3];
        Conv1DKernels.Forward<double>(x.AsSpan(0, 5), weights.AsSpan(0, 3), default, padded, 1, 1, new SignalWindow(1, 5, 3, 2, 1, 3));
        Assert.Equal([0 - 2, 2 - 4, 4 - 0], padded);
    }

    [Fact]
    public void Backward_MatchesFiniteDifferences()
    {
        var window = new SignalWindow(2, 11, 4, 2, 1, 6);
        const int batch = 2, filters = 3;
        var x = Uniform<double>(1, batch * window.InputSize);
        var weights = Uniform<double>(2, filters * window.Channels * window.Size);
        var bias = Uniform<double>(3, filters);
        var seed = Uniform<double>(4, batch * filters * window.OutLength);
        var y = new double[seed.Length];
        double Loss()
        {
            Conv1DKernels.Forward<double>(x, weights, bias, y, batch, filters, window);
            return Weighted(seed, y);
        }

        var dWeights = new double[weights.Length];
        var dBias = new double[filters];
        var dx = new double[x.Length];
        Conv1DKernels.BackwardParameters<double>(x, seed, dWeights, dBias, batch, filters, window);
        Conv1DKernels.BackwardInput<double>(seed, weights, dx, batch, filters, window);
        Close<double>(FiniteDifferences(weights, Loss), dWeights, 1e-7, "dW");
        Close<double>(FiniteDifferences(bias, Loss), dBias, 1e-7, "db");
        Close<double>(FiniteDifferences(x, Loss), dx, 1e-7, "dx");
    }

    [Fact]
    public void BackwardInput_AddsToTheGradient()
    {
        var dx = new double[4];
        dx.AsSpan().Fill(10);
        Conv1DKernels.BackwardInput<double>([1, 1, 1], [1, -1], dx, 1, 1, new SignalWindow(1, 4, 2, 1, 0, 3));
        Assert.Equal([11, 10, 10, 9], dx);
    }

    private static void MatchScalar<T>(SignalWindow window, int filters, bool withBias)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int batch = 3;
        string shape = $"{window}, filters {filters}, bias {withBias}";
        int seed = window.GetHashCode() & 0xFFFF;
        var x = Uniform<T>(seed, batch * window.InputSize);
        var weights = Uniform<T>(seed + 1, filters * window.Channels * window.Size);
        var bias = withBias ? Uniform<T>(seed + 2, filters) : [];
        var dy = Uniform<T>(seed + 3, batch * filters * window.OutLength);

        var y = Garbage<T>(dy.Length);
        var expectedY = new T[dy.Length];
        Conv1DKernels.Forward<T>(x, weights, bias, y, batch, filters, window);
        Conv1DKernels.Scalar.Forward<T>(x, weights, bias, expectedY, batch, filters, window);
        Close<T>(expectedY, y, Tolerance<T>(), $"Forward, {shape}");

        var dWeights = Garbage<T>(weights.Length);
        var dBias = Garbage<T>(bias.Length);
        var expectedDWeights = new T[weights.Length];
        var expectedDBias = new T[bias.Length];
        Conv1DKernels.BackwardParameters<T>(x, dy, dWeights, dBias, batch, filters, window);
        Conv1DKernels.Scalar.BackwardParameters<T>(x, dy, expectedDWeights, expectedDBias, batch, filters, window);
        Close<T>(expectedDWeights, dWeights, Tolerance<T>(), $"BackwardParameters dW, {shape}");
        Close<T>(expectedDBias, dBias, Tolerance<T>(), $"BackwardParameters db, {shape}");

        var dx = Uniform<T>(seed + 4, x.Length);
        var expectedDx = dx.ToArray();
        Conv1DKernels.BackwardInput<T>(dy, weights, dx, batch, filters, window);
        Conv1DKernels.Scalar.BackwardInput<T>(dy, weights, expectedDx, batch, filters, window);
        Close<T>(expectedDx, dx, Tolerance<T>(), $"BackwardInput, {shape}");
    }
}
