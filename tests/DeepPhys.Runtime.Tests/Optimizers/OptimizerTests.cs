using DeepPhys.Optimizers;

namespace DeepPhys.Runtime.Tests.Optimizers;

public class OptimizerTests
{
    [Fact]
    public void Sgd_OneStep_MovesAgainstTheGradient()
    {
        double[] parameters = [1.0, -2.0, 0.5];

        new Sgd(learningRate: 0.1).Step<double>(parameters, [0.5, -3.0, 0.0]);

        Assert.Equal([0.95, -1.7, 0.5], parameters);
    }

    [Fact]
    public void Adam_TwoSteps_MatchHandComputedValues()
    {
        // Expected values from PyTorch's formula evaluated in plain Python (see the class comment of Adam).
        double[] parameters = [1.0, -2.0];
        var adam = new Adam(learningRate: 0.1);

        adam.Step<double>(parameters, [0.5, -3.0]);
        Assert.Equal(0.900000002, parameters[0], 1e-15);
        Assert.Equal(-1.9000000003333333, parameters[1], 1e-15);

        adam.Step<double>(parameters, [-0.25, 1.0]);
        Assert.Equal(0.8733662987078463, parameters[0], 1e-14);
        Assert.Equal(-1.8599781433169098, parameters[1], 1e-14);
        Assert.Equal(2, adam.Steps);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(37)]
    [InlineData(130)]
    public void Adam_VectorisedUpdate_MatchesScalarTwinOver20Steps(int length)
    {
        var random = new RandomStream(length);
        float[] vectorised = Normal(random, length), reference = (float[])vectorised.Clone();
        float[] m = new float[length], v = new float[length];
        var adam = new Adam(learningRate: 0.01);
        var twin = new Adam(learningRate: 0.01);

        for (int step = 1; step <= 20; step++)
        {
            float[] gradients = Normal(random, length);
            adam.Step<float>(vectorised, gradients);
            twin.ScalarUpdate<float>(reference, gradients, m, v, step);
        }

        for (int i = 0; i < length; i++) Assert.Equal(reference[i], vectorised[i], 1e-6f);
    }

    [Fact]
    public void Sgd_VectorisedUpdate_MatchesScalarTwin()
    {
        var random = new RandomStream(3);
        double[] vectorised = Normal(random, 33).Select(x => (double)x).ToArray(), reference = (double[])vectorised.Clone();
        double[] gradients = Normal(random, 33).Select(x => (double)x).ToArray();

        new Sgd(0.3).Step<double>(vectorised, gradients);
        Sgd.ScalarUpdate<double>(reference, gradients, 0.3);

        Assert.Equal(reference, vectorised);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1e-3)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void LearningRate_MustBePositiveAndFinite(double learningRate) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(learningRate));

    [Fact]
    public void Step_WithMismatchedLengths_NamesBoth()
    {
        var error = Assert.Throws<ArgumentException>(() => new Sgd().Step<float>(new float[3], new float[2]));

        Assert.Contains("gradients has 2 values but parameters has 3", error.Message);
    }

    [Fact]
    public void Step_OnAnotherElementType_IsRejected()
    {
        var adam = new Adam();
        adam.Step<float>(new float[4], new float[4]);

        Assert.Throws<InvalidOperationException>(() => adam.Step<double>(new double[4], new double[4]));
    }

    private static float[] Normal(RandomStream random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float)random.NextNormal();
        return values;
    }
}
