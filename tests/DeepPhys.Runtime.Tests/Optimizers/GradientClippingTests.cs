using DeepPhys.Regularization;

namespace DeepPhys.Runtime.Tests.Optimizers;

public class GradientClippingTests
{
    [Fact]
    public void ByGlobalNorm_RescalesAGradientAboveTheLimit()
    {
        double[] gradient = [3, -4, 0];   // norm 5

        GradientClipping.ByGlobalNorm(1).Apply<double>(gradient);

        double scale = 1 / (5 + 1e-6);
        Assert.Equal([3 * scale, -4 * scale, 0], gradient);
    }

    [Fact]
    public void ByGlobalNorm_LeavesAGradientBelowTheLimit()
    {
        float[] gradient = [0.3f, -0.4f];

        GradientClipping.ByGlobalNorm(1).Apply<float>(gradient);

        Assert.Equal([0.3f, -0.4f], gradient);
    }

    [Fact]
    public void ByValue_ClampsEachComponent()
    {
        double[] gradient = [3, -4, 0.25, -0.5, 0.5];

        GradientClipping.ByValue(0.5).Apply<double>(gradient);

        Assert.Equal([0.5, -0.5, 0.25, -0.5, 0.5], gradient);
    }

    [Fact]
    public void Limit_MustBePositive() => Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ByValue(0));
}
