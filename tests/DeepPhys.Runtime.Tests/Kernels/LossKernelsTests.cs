using System.Numerics;
using DeepPhys.Kernels;
using static DeepPhys.Runtime.Tests.Kernels.KernelTestKit;

namespace DeepPhys.Runtime.Tests.Kernels;

public class LossKernelsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void SoftmaxCrossEntropyMatchesScalarTwin(int batch)
    {
        // 300 classes exceed the stack scratch and take the pooled-array path.
        foreach (int classes in (int[])[.. OddSizes, 300])
        {
            SoftmaxCrossEntropyMatchScalar<float>(batch, classes, oneHot: true);
            SoftmaxCrossEntropyMatchScalar<double>(batch, classes, oneHot: true);
            SoftmaxCrossEntropyMatchScalar<float>(batch, classes, oneHot: false);
            SoftmaxCrossEntropyMatchScalar<double>(batch, classes, oneHot: false);
        }
    }

    private static void SoftmaxCrossEntropyMatchScalar<T>(int batch, int classes, bool oneHot)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string shape = $"batch {batch}, classes {classes}, {(oneHot ? "one-hot" : "soft")} targets";
        int seed = batch * 1000 + classes;
        var logits = Uniform<T>(seed, batch * classes, -8, 8);
        var targets = oneHot ? OneHot<T>(seed + 1, batch, classes) : Uniform<T>(seed + 1, batch * classes, 0, 1);
        var gradient = Garbage<T>(logits.Length);
        var expectedGradient = new T[logits.Length];

        T expected = LossKernels.Scalar.SoftmaxCrossEntropy<T>(logits, targets, batch, classes);
        Close(expected, LossKernels.SoftmaxCrossEntropy<T>(logits, targets, batch, classes), Tolerance<T>(), $"SoftmaxCrossEntropy, {shape}");
        Close(expected, LossKernels.Scalar.SoftmaxCrossEntropyWithGradient<T>(logits, targets, expectedGradient, batch, classes), Tolerance<T>(), $"Scalar.SoftmaxCrossEntropyWithGradient loss, {shape}");
        Close(expected, LossKernels.SoftmaxCrossEntropyWithGradient<T>(logits, targets, gradient, batch, classes), Tolerance<T>(), $"SoftmaxCrossEntropyWithGradient loss, {shape}");
        Close<T>(expectedGradient, gradient, Tolerance<T>(), $"SoftmaxCrossEntropyWithGradient gradient, {shape}");
    }

    [Fact]
    public void ElementwiseLossesMatchScalarTwins()
    {
        // 300 and 1000 cross the binary cross-entropy's chunk boundary.
        foreach (int length in (int[])[.. OddSizes, 300, 1000])
        {
            ElementwiseMatchScalar<float>(length);
            ElementwiseMatchScalar<double>(length);
        }
    }

    private static void ElementwiseMatchScalar<T>(int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var logits = Uniform<T>(length, length, -8, 8);
        var targets = Uniform<T>(length + 1, length, 0, 1);
        var gradient = Garbage<T>(length);
        var expectedGradient = new T[length];

        T expected = LossKernels.Scalar.SigmoidBinaryCrossEntropy<T>(logits, targets);
        Close(expected, LossKernels.SigmoidBinaryCrossEntropy<T>(logits, targets), Tolerance<T>(), $"SigmoidBinaryCrossEntropy, length {length}");
        Close(expected, LossKernels.Scalar.SigmoidBinaryCrossEntropyWithGradient<T>(logits, targets, expectedGradient), Tolerance<T>(), $"Scalar.SigmoidBinaryCrossEntropyWithGradient loss, length {length}");
        Close(expected, LossKernels.SigmoidBinaryCrossEntropyWithGradient<T>(logits, targets, gradient), Tolerance<T>(), $"SigmoidBinaryCrossEntropyWithGradient loss, length {length}");
        Close<T>(expectedGradient, gradient, Tolerance<T>(), $"SigmoidBinaryCrossEntropyWithGradient gradient, length {length}");

        gradient = Garbage<T>(length);
        expected = LossKernels.Scalar.MeanSquaredError<T>(logits, targets);
        Close(expected, LossKernels.MeanSquaredError<T>(logits, targets), Tolerance<T>(), $"MeanSquaredError, length {length}");
        Close(expected, LossKernels.Scalar.MeanSquaredErrorWithGradient<T>(logits, targets, expectedGradient), Tolerance<T>(), $"Scalar.MeanSquaredErrorWithGradient loss, length {length}");
        Close(expected, LossKernels.MeanSquaredErrorWithGradient<T>(logits, targets, gradient), Tolerance<T>(), $"MeanSquaredErrorWithGradient loss, length {length}");
        Close<T>(expectedGradient, gradient, Tolerance<T>(), $"MeanSquaredErrorWithGradient gradient, length {length}");
    }

    [Fact]
    public void ScalarTwinsMatchHandComputedValues()
    {
        // softmax([1, 2, 3]) = [0.0900306, 0.2447285, 0.6652410]; the second row is uniform over 3 classes.
        double[] logits = [1, 2, 3, 0, 0, 0];
        double[] targets = [0, 0, 1, 1, 0, 0];
        var gradient = new double[6];
        double loss = LossKernels.Scalar.SoftmaxCrossEntropyWithGradient<double>(logits, targets, gradient, 2, 3);
        Close((0.40760596444438013 + Math.Log(3)) / 2, loss, 1e-14, "SoftmaxCrossEntropy");
        Close<double>([0.0900306 / 2, 0.2447285 / 2, (0.6652410 - 1) / 2, (1.0 / 3 - 1) / 2, 1.0 / 6, 1.0 / 6], gradient, 5e-8, "SoftmaxCrossEntropy gradient");

        var bceGradient = new double[1];
        Close(Math.Log(2), LossKernels.Scalar.SigmoidBinaryCrossEntropyWithGradient<double>([0], [1], bceGradient), 1e-15, "BCE(z = 0, t = 1)");
        Close(-0.5, bceGradient[0], 1e-15, "BCE gradient");
        // z = ln 3, t = 0: −log(1 − σ) = log 4; gradient σ = 0.75.
        Close(Math.Log(4), LossKernels.Scalar.SigmoidBinaryCrossEntropyWithGradient<double>([Math.Log(3)], [0], bceGradient), 1e-15, "BCE(z = ln 3, t = 0)");
        Close(0.75, bceGradient[0], 1e-15, "BCE gradient");

        var mseGradient = new double[2];
        Close(2.5, LossKernels.Scalar.MeanSquaredErrorWithGradient<double>([1, 2], [0, 4], mseGradient), 1e-15, "MSE");
        Close<double>([1, -2], mseGradient, 1e-15, "MSE gradient");
    }

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        const int batch = 3, classes = 5;
        var logits = Uniform<double>(11, batch * classes, -3, 3);
        var gradient = new double[logits.Length];

        // Soft targets with row sums other than 1 exercise the Σt factor of the softmax gradient.
        var soft = Uniform<double>(12, logits.Length, 0, 1);
        LossKernels.SoftmaxCrossEntropyWithGradient<double>(logits, soft, gradient, batch, classes);
        Close<double>(FiniteDifferences(logits, () => LossKernels.SoftmaxCrossEntropy<double>(logits, soft, batch, classes)), gradient, 1e-8, "SoftmaxCrossEntropy");

        var probabilities = Uniform<double>(13, logits.Length, 0, 1);
        LossKernels.SigmoidBinaryCrossEntropyWithGradient<double>(logits, probabilities, gradient);
        Close<double>(FiniteDifferences(logits, () => LossKernels.SigmoidBinaryCrossEntropy<double>(logits, probabilities)), gradient, 1e-8, "SigmoidBinaryCrossEntropy");

        var targets = Uniform<double>(14, logits.Length, -2, 2);
        LossKernels.MeanSquaredErrorWithGradient<double>(logits, targets, gradient);
        Close<double>(FiniteDifferences(logits, () => LossKernels.MeanSquaredError<double>(logits, targets)), gradient, 1e-8, "MeanSquaredError");
    }

    /// <summary>A weighted loss kernel as a delegate: logits, targets, weights, gradient in; loss out.</summary>
    private delegate T WeightedLoss<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> targets, ReadOnlySpan<T> sampleWeights, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>The three weighted kernels, vectorised and scalar, on rows of <paramref name="width"/> values.</summary>
    private static IEnumerable<(string Name, WeightedLoss<T> Kernel, WeightedLoss<T> Scalar, bool OneHot)> WeightedKernels<T>(int batch, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        yield return ("SoftmaxCrossEntropy",
            (z, t, w, g) => LossKernels.SoftmaxCrossEntropyWithGradient(z, t, w, g, batch, width),
            (z, t, w, g) => LossKernels.Scalar.SoftmaxCrossEntropyWithGradient(z, t, w, g, batch, width),
            true);
        yield return ("SigmoidBinaryCrossEntropy", LossKernels.SigmoidBinaryCrossEntropyWithGradient, LossKernels.Scalar.SigmoidBinaryCrossEntropyWithGradient, false);
        yield return ("MeanSquaredError", LossKernels.MeanSquaredErrorWithGradient, LossKernels.Scalar.MeanSquaredErrorWithGradient, false);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    public void WeightedLossesMatchScalarTwins(int batch)
    {
        // Rows of 300 exceed the stack scratch; rows of 100 split across the binary cross-entropy's chunks.
        foreach (int width in (int[])[.. OddSizes, 100, 300])
        {
            WeightedMatchScalar<float>(batch, width);
            WeightedMatchScalar<double>(batch, width);
        }
    }

    private static void WeightedMatchScalar<T>(int batch, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int seed = batch * 1000 + width;
        var logits = Uniform<T>(seed, batch * width, -8, 8);
        var weights = Uniform<T>(seed + 2, batch, 0, 3);
        foreach (var (name, kernel, scalar, oneHot) in WeightedKernels<T>(batch, width))
        {
            string shape = $"{name}, batch {batch}, width {width}";
            var targets = oneHot ? OneHot<T>(seed + 1, batch, width) : Uniform<T>(seed + 1, batch * width, 0, 1);
            var gradient = Garbage<T>(logits.Length);
            var expectedGradient = Garbage<T>(logits.Length);
            T expected = scalar(logits, targets, weights, expectedGradient);
            Close(expected, kernel(logits, targets, weights, gradient), Tolerance<T>(), $"{shape} loss");
            Close<T>(expectedGradient, gradient, Tolerance<T>(), $"{shape} gradient");

            // Empty weights are the unweighted kernel, bit for bit.
            var unweighted = Garbage<T>(logits.Length);
            T plain = kernel(logits, targets, [], unweighted);
            var ones = new T[batch];
            ones.AsSpan().Fill(T.One);
            Close(plain, kernel(logits, targets, ones, gradient), Tolerance<T>(), $"{shape}, weights 1 against none");
            Close<T>(unweighted, gradient, Tolerance<T>(), $"{shape}, weights 1 against none, gradient");
        }
    }

    [Fact]
    public void WeightedLossesMatchHandComputedValues()
    {
        // Row losses as in ScalarTwinsMatchHandComputedValues, weighted 3 and 0.5: (3 ℓ₁ + 0.5 ℓ₂) / 2.
        double[] logits = [1, 2, 3, 0, 0, 0];
        double[] targets = [0, 0, 1, 1, 0, 0];
        double[] weights = [3, 0.5];
        var gradient = new double[6];
        double loss = LossKernels.SoftmaxCrossEntropyWithGradient<double>(logits, targets, weights, gradient, 2, 3);
        Close((3 * 0.40760596444438013 + 0.5 * Math.Log(3)) / 2, loss, 1e-14, "weighted SoftmaxCrossEntropy");
        Close<double>([3 * 0.0900306 / 2, 3 * 0.2447285 / 2, 3 * (0.6652410 - 1) / 2, 0.5 * (1.0 / 3 - 1) / 2, 0.5 / 6, 0.5 / 6], gradient, 5e-7, "weighted SoftmaxCrossEntropy gradient");

        // BCE(0, 1) = ln 2 weighted 2, BCE(ln 3, 0) = ln 4 weighted 0.25: (2 ln 2 + 0.25 ln 4) / 2; gradients w (σ − t) / 2.
        var bceGradient = new double[2];
        Close((2 * Math.Log(2) + 0.25 * Math.Log(4)) / 2, LossKernels.SigmoidBinaryCrossEntropyWithGradient<double>([0, Math.Log(3)], [1, 0], [2, 0.25], bceGradient), 1e-15, "weighted BCE");
        Close<double>([2 * -0.5 / 2, 0.25 * 0.75 / 2], bceGradient, 1e-15, "weighted BCE gradient");

        // Rows (1, 2)→(0, 4) and (3, 3)→(3, 1), weights 2 and 0: (2 · (1 + 4) + 0 · 4) / 4 = 2.5.
        var mseGradient = new double[4];
        Close(2.5, LossKernels.MeanSquaredErrorWithGradient<double>([1, 2, 3, 3], [0, 4, 3, 1], [2, 0], mseGradient), 1e-15, "weighted MSE");
        Close<double>([2 * 2 * 1 / 4.0, 2 * 2 * -2 / 4.0, 0, 0], mseGradient, 1e-15, "weighted MSE gradient");
    }

    [Fact]
    public void WeightedGradientsMatchFiniteDifferences()
    {
        const int batch = 3, width = 5;
        var logits = Uniform<double>(21, batch * width, -3, 3);
        double[] weights = [0.2, 1.7, 3];
        var scratch = new double[logits.Length];
        foreach (var (name, kernel, _, oneHot) in WeightedKernels<double>(batch, width))
        {
            var targets = oneHot ? OneHot<double>(22, batch, width) : Uniform<double>(23, logits.Length, 0, 1);
            var gradient = new double[logits.Length];
            kernel(logits, targets, weights, gradient);
            Close<double>(FiniteDifferences(logits, () => kernel(logits, targets, weights, scratch)), gradient, 1e-8, $"weighted {name}");
        }
    }

    [Fact]
    public void CrossEntropiesStayFiniteForHugeLogits()
    {
        HugeLogits<float>();
        HugeLogits<double>();
    }

    private static void HugeLogits<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T big = T.CreateChecked(1e4), half = T.CreateChecked(0.5), zero = T.Zero, one = T.One;

        // Row 1: right class at 1e4 → 0. Row 2: wrong class at 1e4, right at −1e4 → 2e4. Row 3: a tie at 1e4 → ln 2.
        T[] logits = [big, -big, zero, big, -big, zero, big, big, -big];
        T[] targets = [one, zero, zero, zero, one, zero, one, zero, zero];
        T expectedLoss = T.CreateChecked((0 + 2e4 + Math.Log(2)) / 3);
        T third = one / T.CreateChecked(3);
        T[] expectedGradient = [zero, zero, zero, third, -third, zero, -half * third, half * third, zero];
        foreach (var (name, loss, gradient) in SoftmaxCrossEntropyBoth(logits, targets))
        {
            Close(expectedLoss, loss, Tolerance<T>(), $"{name} loss");
            if (gradient is not null) Close<T>(expectedGradient, gradient, Tolerance<T>(), $"{name} gradient");
        }

        // The mean of 0, 1e4, 1e4 and 0 is 5000.
        T[] bceLogits = [big, big, -big, -big];
        T[] bceTargets = [one, zero, one, zero];
        T quarter = T.CreateChecked(0.25);
        T[] bceExpectedGradient = [zero, quarter, -quarter, zero];
        foreach (var (name, loss, gradient) in SigmoidBinaryCrossEntropyBoth(bceLogits, bceTargets))
        {
            Close(T.CreateChecked(5000), loss, Tolerance<T>(), $"{name} loss");
            if (gradient is not null) Close<T>(bceExpectedGradient, gradient, Tolerance<T>(), $"{name} gradient");
        }
    }

    private static IEnumerable<(string Name, T Loss, T[]? Gradient)> SoftmaxCrossEntropyBoth<T>(T[] logits, T[] targets)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var gradient = new T[logits.Length];
        yield return ($"{typeof(T).Name} SoftmaxCrossEntropy", LossKernels.SoftmaxCrossEntropy<T>(logits, targets, 3, 3), null);
        yield return ($"{typeof(T).Name} SoftmaxCrossEntropyWithGradient", LossKernels.SoftmaxCrossEntropyWithGradient<T>(logits, targets, gradient, 3, 3), gradient);
        var scalarGradient = new T[logits.Length];
        yield return ($"{typeof(T).Name} Scalar.SoftmaxCrossEntropy", LossKernels.Scalar.SoftmaxCrossEntropy<T>(logits, targets, 3, 3), null);
        yield return ($"{typeof(T).Name} Scalar.SoftmaxCrossEntropyWithGradient", LossKernels.Scalar.SoftmaxCrossEntropyWithGradient<T>(logits, targets, scalarGradient, 3, 3), scalarGradient);
    }

    private static IEnumerable<(string Name, T Loss, T[]? Gradient)> SigmoidBinaryCrossEntropyBoth<T>(T[] logits, T[] targets)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var gradient = new T[logits.Length];
        yield return ($"{typeof(T).Name} SigmoidBinaryCrossEntropy", LossKernels.SigmoidBinaryCrossEntropy<T>(logits, targets), null);
        yield return ($"{typeof(T).Name} SigmoidBinaryCrossEntropyWithGradient", LossKernels.SigmoidBinaryCrossEntropyWithGradient<T>(logits, targets, gradient), gradient);
        var scalarGradient = new T[logits.Length];
        yield return ($"{typeof(T).Name} Scalar.SigmoidBinaryCrossEntropy", LossKernels.Scalar.SigmoidBinaryCrossEntropy<T>(logits, targets), null);
        yield return ($"{typeof(T).Name} Scalar.SigmoidBinaryCrossEntropyWithGradient", LossKernels.Scalar.SigmoidBinaryCrossEntropyWithGradient<T>(logits, targets, scalarGradient), scalarGradient);
    }
}
