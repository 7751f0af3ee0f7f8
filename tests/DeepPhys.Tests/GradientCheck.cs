using DeepPhys;
using DeepPhys.Runtime.Tests.Kernels;

namespace DeepPhys.Tests;

/// <summary>
/// Analytic gradients against central finite differences in double (relative error below 1e-6), and batches that fit a
/// network's loss. Shared with DeepPhys.Compiler.Tests (linked there, with KernelTestKit), which checks run-time networks.
/// </summary>
internal static class GradientCheck
{
    private const int Batch = 4;

    /// <summary>
    /// Checks TrainStep's derivative for every parameter, unweighted or with per-sample weights (which reach every loss kernel
    /// through the generated TrainBatch). Each step re-seeds the random stream, so a dropout draws the same mask in every step.
    /// </summary>
    public static void AssertMatchesCentralDifferences(Network<double> network, string name, bool weighted)
    {
        var (inputs, targets) = RandomBatch(network, Batch, seed: 11);
        ScatterParameters(network, seed: 3);
        double[] weights = [0.3, 2.5, 0, 1.2];
        double Step()
        {
            network.Reseed(17);
            return weighted ? network.TrainStep(inputs, targets, weights) : network.TrainStep(inputs, targets);
        }

        Step();
        double[] analytic = network.Gradients.ToArray();

        AssertMatches(name, analytic, KernelTestKit.FiniteDifferences(network.Parameters, Step));
    }

    /// <summary>A non-zero gradient within 1e-6 relative error of the numeric one, as a whole and value by value (or 1e-8 absolute).</summary>
    public static void AssertMatches(string what, double[] analytic, double[] numeric)
    {
        Assert.True(Norm(analytic) > 1e-3, $"{what}: the gradient is (nearly) zero, so the check would prove nothing");
        double relative = Norm(analytic.Zip(numeric, (a, n) => a - n).ToArray()) / Math.Max(Norm(analytic), Norm(numeric));
        Assert.True(relative < 1e-6, $"{what}: relative error {relative:E2} between analytic and numeric gradients");
        for (int i = 0; i < analytic.Length; i++)
        {
            double bound = 1e-6 * Math.Max(Math.Abs(analytic[i]), Math.Abs(numeric[i])) + 1e-8;
            Assert.True(Math.Abs(analytic[i] - numeric[i]) <= bound, $"{what}: value {i}: analytic {analytic[i]:R}, numeric {numeric[i]:R}");
        }
    }

    /// <summary>Normal inputs; targets normal (MSE), 0/1 (binary CE) or one-hot (categorical CE).</summary>
    public static (double[] Inputs, double[] Targets) RandomBatch(Network<double> network, int batch, int seed)
    {
        var random = new RandomStream(seed);
        var inputs = new double[batch * network.InputSize];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = random.NextNormal();
        var targets = new double[batch * network.OutputSize];
        for (int row = 0; row < batch; row++)
        {
            var target = targets.AsSpan(row * network.OutputSize, network.OutputSize);
            switch (network.Definition.Loss)
            {
                case Loss.CategoricalCrossEntropy:
                    target[random.NextInt(target.Length)] = 1;
                    break;
                case Loss.BinaryCrossEntropy:
                    for (int j = 0; j < target.Length; j++) target[j] = random.NextInt(2);
                    break;
                default:
                    for (int j = 0; j < target.Length; j++) target[j] = random.NextNormal();
                    break;
            }
        }

        return (inputs, targets);
    }

    /// <summary>Non-zero biases too, so every parameter moves the loss and dead ReLUs are unlikely.</summary>
    public static void ScatterParameters(Network<double> network, int seed)
    {
        var random = new RandomStream(seed);
        foreach (ref double p in network.Parameters) p += 0.3 * random.NextNormal();
    }

    private static double Norm(double[] values) => Math.Sqrt(values.Sum(v => v * v));
}
