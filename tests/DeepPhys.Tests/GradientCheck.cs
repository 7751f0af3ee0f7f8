using DeepPhys;

namespace DeepPhys.Tests;

/// <summary>The bounds every gradient check holds analytic gradients to against central differences in double (<c>KernelTestKit.FiniteDifferences</c>).</summary>
internal static class GradientCheck
{
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

    /// <summary>Non-zero biases too, so every parameter moves the loss and dead ReLUs are unlikely.</summary>
    public static void ScatterParameters(Network<double> network, int seed)
    {
        var random = new RandomStream(seed);
        foreach (ref double p in network.Parameters) p += 0.3 * random.NextNormal();
    }

    private static double Norm(double[] values) => Math.Sqrt(values.Sum(v => v * v));
}
