using System.Numerics;
using DeepPhys.Kernels;
using static DeepPhys.Runtime.Tests.Kernels.KernelTestKit;

namespace DeepPhys.Runtime.Tests.Kernels;

public class ActivationKernelsTests
{
    private delegate void Forward<T>(Span<T> values);

    private delegate void Backward<T>(ReadOnlySpan<T> outputs, Span<T> gradient);

    private sealed record Activation<T>(Forward<T> Fast, Forward<T> Scalar, Backward<T> FastBackward, Backward<T> ScalarBackward);

    private static Activation<T> Get<T>(string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T slope = T.CreateChecked(0.1);
        return name switch
        {
            "Relu" => new(ActivationKernels.Relu<T>, ActivationKernels.Scalar.Relu<T>, ActivationKernels.ReluBackward<T>, ActivationKernels.Scalar.ReluBackward<T>),
            "LeakyRelu" => new(
                v => ActivationKernels.LeakyRelu(v, slope),
                v => ActivationKernels.Scalar.LeakyRelu(v, slope),
                (o, g) => ActivationKernels.LeakyReluBackward(o, g, slope),
                (o, g) => ActivationKernels.Scalar.LeakyReluBackward(o, g, slope)),
            "Sigmoid" => new(ActivationKernels.Sigmoid<T>, ActivationKernels.Scalar.Sigmoid<T>, ActivationKernels.SigmoidBackward<T>, ActivationKernels.Scalar.SigmoidBackward<T>),
            "Tanh" => new(ActivationKernels.Tanh<T>, ActivationKernels.Scalar.Tanh<T>, ActivationKernels.TanhBackward<T>, ActivationKernels.Scalar.TanhBackward<T>),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    [Theory]
    [InlineData("Relu")]
    [InlineData("LeakyRelu")]
    [InlineData("Sigmoid")]
    [InlineData("Tanh")]
    public void ElementwiseKernelsMatchScalarTwins(string name)
    {
        foreach (int length in (int[])[.. OddSizes, 300])
        {
            ElementwiseMatchScalar<float>(name, length);
            ElementwiseMatchScalar<double>(name, length);
        }
    }

    private static void ElementwiseMatchScalar<T>(string name, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var activation = Get<T>(name);
        var values = Uniform<T>(length, length, -4, 4);
        var fast = values.ToArray();
        var scalar = values.ToArray();
        activation.Fast(fast);
        activation.Scalar(scalar);
        Close<T>(scalar, fast, Tolerance<T>(), $"{name}, length {length}");

        var gradient = Uniform<T>(length + 1, length);
        var fastGradient = gradient.ToArray();
        activation.FastBackward(scalar, fastGradient);
        activation.ScalarBackward(scalar, gradient);
        Close<T>(gradient, fastGradient, Tolerance<T>(), $"{name} backward, length {length}");
    }

    /// <summary>A NaN pre-activation stays NaN through ReLU (PyTorch's relu does the same), on the vector kernel, its scalar twin and the fused small-layer kernel.</summary>
    [Fact]
    public void Relu_KeepsNaN_OnEveryKernel()
    {
        float[] fast = [float.NaN, -1, 2, -0f, float.NegativeInfinity], scalar = [.. fast];
        ActivationKernels.Relu<float>(fast);
        ActivationKernels.Scalar.Relu<float>(scalar);
        float[] expected = [float.NaN, 0, 2, 0, 0];
        Assert.Equal(expected, fast);
        Assert.Equal(expected, scalar);
        Assert.Equal(fast.Select(BitConverter.SingleToInt32Bits), scalar.Select(BitConverter.SingleToInt32Bits));

        // One input, weight 1, bias 0: the fused forward pass rectifies the same way.
        float[] fused = new float[fast.Length];
        SmallDenseKernels.ForwardRelu<float>([float.NaN, -1, 2, -0f, float.NegativeInfinity], [1f], [0f], fused, fused.Length, 1, 1);
        Assert.Equal(expected, fused);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void SoftmaxMatchesScalarTwin(int batch)
    {
        foreach (int width in OddSizes)
        {
            SoftmaxMatchScalar<float>(batch, width);
            SoftmaxMatchScalar<double>(batch, width);
        }
    }

    private static void SoftmaxMatchScalar<T>(int batch, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var logits = Uniform<T>(batch * 100 + width, batch * width, -10, 10);
        var fast = logits.ToArray();
        var scalar = logits.ToArray();
        ActivationKernels.Softmax<T>(fast, batch, width);
        ActivationKernels.Scalar.Softmax<T>(scalar, batch, width);
        Close<T>(scalar, fast, Tolerance<T>(), $"Softmax, batch {batch}, width {width}");

        // From the logits into another span: the in-place values exactly, the logits untouched.
        var probabilities = Garbage<T>(logits.Length);
        var kept = logits.ToArray();
        ActivationKernels.Softmax<T>(logits, probabilities, batch, width);
        Assert.Equal(fast, probabilities);
        Assert.Equal(kept, logits);

        var gradient = Uniform<T>(batch * 100 + width + 1, batch * width);
        var fastGradient = gradient.ToArray();
        ActivationKernels.SoftmaxBackward<T>(scalar, fastGradient, batch, width);
        ActivationKernels.Scalar.SoftmaxBackward<T>(scalar, gradient, batch, width);
        Close<T>(gradient, fastGradient, Tolerance<T>(), $"SoftmaxBackward, batch {batch}, width {width}");
    }

    [Theory]
    [InlineData("Relu")]
    [InlineData("LeakyRelu")]
    [InlineData("Sigmoid")]
    [InlineData("Tanh")]
    public void ElementwiseBackwardMatchesFiniteDifferences(string name)
    {
        var activation = Get<double>(name);
        // Kept at least 0.1 away from ReLU's kink so the central difference never straddles it.
        var x = Uniform<double>(7, 19, -2, 2).Select(v => v + 0.1 * Math.Sign(v)).ToArray();
        var seed = Uniform<double>(8, x.Length);
        var work = new double[x.Length];
        double Loss()
        {
            x.CopyTo(work, 0);
            activation.Fast(work);
            return Weighted(seed, work);
        }

        var outputs = x.ToArray();
        activation.Fast(outputs);
        var gradient = seed.ToArray();
        activation.FastBackward(outputs, gradient);
        Close<double>(FiniteDifferences(x, Loss), gradient, 1e-8, name);
    }

    [Fact]
    public void SoftmaxBackwardMatchesFiniteDifferences()
    {
        const int batch = 3, width = 6;
        var logits = Uniform<double>(9, batch * width, -3, 3);
        var seed = Uniform<double>(10, batch * width);
        var work = new double[logits.Length];
        double Loss()
        {
            logits.CopyTo(work, 0);
            ActivationKernels.Softmax<double>(work, batch, width);
            return Weighted(seed, work);
        }

        var outputs = logits.ToArray();
        ActivationKernels.Softmax<double>(outputs, batch, width);
        var gradient = seed.ToArray();
        ActivationKernels.SoftmaxBackward<double>(outputs, gradient, batch, width);
        Close<double>(FiniteDifferences(logits, Loss), gradient, 1e-8, "SoftmaxBackward");
    }

    [Fact]
    public void ScalarTwinsMatchHandComputedValues()
    {
        double[] relu = [-1, 0, 2];
        ActivationKernels.Scalar.Relu<double>(relu);
        Assert.Equal([0, 0, 2], relu);
        double[] reluGradient = [5, 5, 5];
        ActivationKernels.Scalar.ReluBackward<double>(relu, reluGradient);
        Assert.Equal([0, 0, 5], reluGradient);

        double[] leaky = [-1, 2];
        ActivationKernels.Scalar.LeakyRelu<double>(leaky, 0.1);
        Assert.Equal([-0.1, 2], leaky);
        double[] leakyGradient = [3, 3];
        ActivationKernels.Scalar.LeakyReluBackward<double>(leaky, leakyGradient, 0.1);
        Close<double>([0.3, 3], leakyGradient, 1e-15, "LeakyReluBackward");

        double[] sigmoid = [0, Math.Log(3), -Math.Log(3)];
        ActivationKernels.Scalar.Sigmoid<double>(sigmoid);
        Close<double>([0.5, 0.75, 0.25], sigmoid, 1e-15, "Sigmoid");
        double[] sigmoidGradient = [2, 2, 2];
        ActivationKernels.Scalar.SigmoidBackward<double>(sigmoid, sigmoidGradient);
        Close<double>([0.5, 0.375, 0.375], sigmoidGradient, 1e-15, "SigmoidBackward");

        double[] tanh = [0.5];
        ActivationKernels.Scalar.Tanh<double>(tanh);
        Close<double>([0.46211715726000974], tanh, 1e-15, "Tanh");
        double[] tanhGradient = [2];
        ActivationKernels.Scalar.TanhBackward<double>([0.5], tanhGradient);
        Close<double>([1.5], tanhGradient, 1e-15, "TanhBackward");

        double[] softmax = [1, 2, 3, 0, 0, 0];
        ActivationKernels.Scalar.Softmax<double>(softmax, 2, 3);
        Close<double>([0.0900306, 0.2447285, 0.6652410, 1.0 / 3, 1.0 / 3, 1.0 / 3], softmax, 5e-8, "Softmax");
        double[] softmaxGradient = [1, 0];
        ActivationKernels.Scalar.SoftmaxBackward<double>([0.5, 0.5], softmaxGradient, 1, 2);
        Close<double>([0.25, -0.25], softmaxGradient, 1e-15, "SoftmaxBackward");
    }

    [Fact]
    public void SigmoidAndSoftmaxStayFiniteForHugeInputs()
    {
        Huge<float>();
        Huge<double>();
    }

    private static void Huge<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T big = T.CreateChecked(1e4);
        T[] sigmoid = [big, -big, T.Zero];
        T[] scalarSigmoid = sigmoid.ToArray();
        ActivationKernels.Sigmoid<T>(sigmoid);
        ActivationKernels.Scalar.Sigmoid<T>(scalarSigmoid);
        Close<T>([T.One, T.Zero, T.CreateChecked(0.5)], sigmoid, 0, "Sigmoid(±1e4)");
        Close<T>([T.One, T.Zero, T.CreateChecked(0.5)], scalarSigmoid, 0, "Scalar.Sigmoid(±1e4)");

        T half = T.CreateChecked(0.5);
        T[] softmax = [big, -big, T.Zero, big, big, -big];
        T[] scalarSoftmax = softmax.ToArray();
        ActivationKernels.Softmax<T>(softmax, 2, 3);
        ActivationKernels.Scalar.Softmax<T>(scalarSoftmax, 2, 3);
        T[] expected = [T.One, T.Zero, T.Zero, half, half, T.Zero];
        Close<T>(expected, softmax, Tolerance<T>(), "Softmax(±1e4)");
        Close<T>(expected, scalarSoftmax, Tolerance<T>(), "Scalar.Softmax(±1e4)");
    }
}
