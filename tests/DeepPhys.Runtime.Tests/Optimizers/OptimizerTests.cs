using System.Text.Json;
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

    [Theory]
    // b₁ = g₁ = 0.5, θ = 1 − 0.1·0.5; b₂ = 0.9·0.5 − 1 = −0.55, θ = 0.95 + 0.055.
    [InlineData(0.0, false, 0.95, 1.005)]
    // b₂ = 0.9·0.5 + 0.5·(−1) = −0.05 (the first step is not dampened), θ = 0.95 + 0.005.
    [InlineData(0.5, false, 0.95, 0.955)]
    // Nesterov: d₁ = 0.5 + 0.9·0.5 = 0.95, θ = 0.905; d₂ = −1 + 0.9·(−0.55) = −1.495, θ = 0.905 + 0.1495.
    [InlineData(0.0, true, 0.905, 1.0545)]
    public void SgdMomentum_TwoSteps_MatchHandComputedValues(double dampening, bool nesterov, double first, double second)
    {
        double[] parameters = [1.0];
        var sgd = new Sgd(learningRate: 0.1, momentum: 0.9, dampening, nesterov);

        sgd.Step<double>(parameters, [0.5]);
        Assert.Equal(first, parameters[0], 1e-15);
        sgd.Step<double>(parameters, [-1.0]);
        Assert.Equal(second, parameters[0], 1e-15);
    }

    [Fact]
    public void AdaGrad_TwoSteps_MatchHandComputedValues()
    {
        double[] parameters = [1.0];
        var adagrad = new AdaGrad(learningRate: 0.1);

        adagrad.Step<double>(parameters, [0.5]);   // s = 0.25: θ = 1 − 0.1·0.5/(0.5 + 1e-10)
        Assert.Equal(0.90000000002, parameters[0], 1e-15);
        adagrad.Step<double>(parameters, [-1.0]);  // s = 1.25: θ += 0.1/(√1.25 + 1e-10)
        Assert.Equal(0.90000000002 + 0.1 / (Math.Sqrt(1.25) + 1e-10), parameters[0], 1e-15);
    }

    [Fact]
    public void RmsProp_OneStep_MatchesHandComputedValue()
    {
        // v = 0.01·0.25 = 0.0025, √v = 0.05: θ = 1 − 0.01·0.5/(0.05 + 1e-8), ten times the rate.
        double[] parameters = [1.0];

        new RmsProp(learningRate: 0.01).Step<double>(parameters, [0.5]);

        Assert.Equal(1 - 0.01 * 0.5 / (0.05 + 1e-8), parameters[0], 1e-15);
        Assert.Equal(0.9, parameters[0], 1e-6);
    }

    [Fact]
    public void RmsPropCenteredWithMomentum_TwoSteps_MatchHandComputedValues()
    {
        // Step 1: v = 0.0025, ḡ = 0.005, √(v − ḡ²) = √0.002475, b = 0.5/(√0.002475 + 1e-8), θ = 1 − 0.01·b.
        double[] parameters = [1.0];
        var rmsprop = new RmsProp(learningRate: 0.01, momentum: 0.9, centered: true);
        double velocity = 0.5 / (Math.Sqrt(0.002475) + 1e-8);

        rmsprop.Step<double>(parameters, [0.5]);
        Assert.Equal(1 - 0.01 * velocity, parameters[0], 1e-15);

        // Step 2 with g = −1: v = 0.99·0.0025 + 0.01 = 0.012475, ḡ = 0.99·0.005 − 0.01 = −0.00505.
        double v = 0.012475, mean = -0.00505;
        velocity = 0.9 * velocity + -1 / (Math.Sqrt(v - mean * mean) + 1e-8);
        rmsprop.Step<double>(parameters, [-1.0]);
        Assert.Equal(1 - 0.01 * (0.5 / (Math.Sqrt(0.002475) + 1e-8)) - 0.01 * velocity, parameters[0], 1e-14);
        Assert.Equal(0.8986667971361565, parameters[0], 1e-14);
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

    [Fact]
    public void AdamW_OneStep_DecaysThenTakesAdamsStep()
    {
        // θ·(1 − 0.1·0.1) = 0.99, then Adam's first step is η·sign(g) up to ε: 0.99 − 0.1·0.5/(0.5 + 1e-8).
        double[] parameters = [1.0, 0.0];

        new AdamW(learningRate: 0.1, weightDecay: 0.1).Step<double>(parameters, [0.5, 0.0]);

        Assert.Equal(0.99 - 0.1 * 0.5 / (0.5 + 1e-8), parameters[0], 1e-15);
        Assert.Equal(0.0, parameters[1]);
    }

    [Fact]
    public void NAdam_OneStep_MatchesHandComputedValue()
    {
        // μ₁ = 0.9(1 − ½·0.96^0.004), μ₂ = 0.9(1 − ½·0.96^0.008); Π₁ = μ₁, so (1 − μ₁)/(1 − Π₁) = 1.
        // m = 0.05, d = √(0.00025/0.001) + ε = 0.5 + ε: θ = 1 − 0.1·0.5/d − 0.1·μ₂/(1 − μ₁μ₂)·0.05/d.
        double mu = 0.9 * (1 - 0.5 * Math.Pow(0.96, 0.004)), muNext = 0.9 * (1 - 0.5 * Math.Pow(0.96, 0.008));
        double d = 0.5 + 1e-8;
        double[] parameters = [1.0];

        new NAdam(learningRate: 0.1).Step<double>(parameters, [0.5]);

        Assert.Equal(1 - 0.1 * 0.5 / d - 0.1 * muNext / (1 - mu * muNext) * 0.05 / d, parameters[0], 1e-15);
        Assert.Equal(0.8943548242773646, parameters[0], 1e-15);
    }

    [Theory]
    [MemberData(nameof(OptimizerCatalog.Names), MemberType = typeof(OptimizerCatalog))]
    public void TwentySteps_ReproducePyTorch(string name)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "optimizers_torch.json")));
        var root = json.RootElement;
        var fixture = root.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        var optimizer = OptimizerCatalog.FromOptions(fixture.GetProperty("options"));
        double[] parameters = Doubles(root.GetProperty("initial"));
        double[][] gradients = root.GetProperty("gradients").EnumerateArray().Select(Doubles).ToArray();
        double[][] expected = fixture.GetProperty("parameters").EnumerateArray().Select(Doubles).ToArray();
        Assert.Equal(20, gradients.Length);

        for (int step = 0; step < gradients.Length; step++)
        {
            optimizer.Step<double>(parameters, gradients[step]);
            for (int i = 0; i < parameters.Length; i++)
            {
                Assert.True(
                    Math.Abs(expected[step][i] - parameters[i]) <= 1e-12,
                    $"{name}, step {step + 1}, parameter {i}: PyTorch {expected[step][i]:R}, DeepPhys {parameters[i]:R}");
            }
        }
    }

    public static TheoryData<string, int> NamesAndLengths()
    {
        var data = new TheoryData<string, int>();
        foreach (string name in OptimizerCatalog.All.Keys)
        {
            foreach (int length in new[] { 1, 7, 37, 130 }) data.Add(name, length);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(NamesAndLengths))]
    public void VectorisedUpdate_MatchesScalarTwinOver20Steps(string name, int length)
    {
        var random = new RandomStream(length);
        float[] vectorised = Normal(random, length), reference = (float[])vectorised.Clone();
        var optimizer = OptimizerCatalog.All[name]();
        var twin = OptimizerCatalog.All[name]();

        for (int step = 1; step <= 20; step++)
        {
            float[] gradients = Normal(random, length);
            optimizer.Step<float>(vectorised, gradients);
            twin.ScalarStep<float>(reference, gradients);
        }

        for (int i = 0; i < length; i++) Assert.Equal(reference[i], vectorised[i], 2e-6f);
        Assert.NotEqual(Normal(new RandomStream(length), length), vectorised);
    }

    [Theory]
    [MemberData(nameof(OptimizerCatalog.Names), MemberType = typeof(OptimizerCatalog))]
    public void ExportedState_ResumesBitIdentically(string name)
    {
        var random = new RandomStream(5);
        double[][] gradients = Enumerable.Range(0, 20).Select(_ => Normal(random, 9).Select(x => (double)x).ToArray()).ToArray();
        double[] straight = new double[9], resumed = new double[9];
        var uninterrupted = OptimizerCatalog.All[name]();
        var first = OptimizerCatalog.All[name]();
        for (int step = 0; step < 10; step++)
        {
            uninterrupted.Step<double>(straight, gradients[step]);
            first.Step<double>(resumed, gradients[step]);
        }

        var snapshot = first.ExportState();
        var second = OptimizerCatalog.All[name]();
        second.ImportState(snapshot);   // before the first step: kept until the optimizer binds
        for (int step = 10; step < 20; step++)
        {
            uninterrupted.Step<double>(straight, gradients[step]);
            second.Step<double>(resumed, gradients[step]);
        }

        Assert.Equal(10, snapshot.Steps);
        Assert.Equal(20, second.Steps);
        Assert.Equal(straight, resumed);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(double.PositiveInfinity)]
    public void ImportState_WithABadLearningRate_ChangesNothing(double learningRate)
    {
        var source = new Adam(0.01);
        source.Step<double>(new double[3], [0.5, -1, 2]);
        var target = new Adam(0.02);
        double[] parameters = [1, 2, 3];
        target.Step<double>(parameters, [1, 1, 1]);
        var before = target.ExportState();

        Assert.Throws<ArgumentException>(() => target.ImportState(source.ExportState() with { LearningRate = learningRate }));

        var after = target.ExportState();
        Assert.Equal(before.Steps, after.Steps);
        Assert.Equal(0.02, target.LearningRate);
        Assert.Equal(before.Buffers, after.Buffers);
    }

    [Fact]
    public void ImportState_IntoABoundOptimizer_OverwritesItsMoments()
    {
        double[] parameters = [1.0, 2.0];
        var adam = new Adam(0.1);
        adam.Step<double>(parameters, [0.5, -0.5]);
        var snapshot = adam.ExportState();
        double[] afterOneMore = (double[])parameters.Clone();
        adam.Step<double>(afterOneMore, [1.0, 1.0]);

        adam.ImportState(snapshot);
        adam.Step<double>(parameters, [1.0, 1.0]);

        Assert.Equal(afterOneMore, parameters);
        Assert.Equal(0.05, snapshot.Buffers[0][0], 1e-15);   // m = (1 − β₁)·g after one step
        Assert.Equal(-0.05, snapshot.Buffers[0][1], 1e-15);
    }

    [Fact]
    public void ImportState_FromAnotherOptimizer_NamesBoth()
    {
        var adam = new Adam();
        adam.Step<double>(new double[3], [1, 2, 3]);

        var error = Assert.Throws<ArgumentException>(() => new NAdam().ImportState(adam.ExportState()));

        Assert.Contains("holds the state of Adam; this optimizer is NAdam", error.Message);
    }

    [Fact]
    public void ImportState_WithOtherOptions_OrOtherLength_IsRejected()
    {
        var momentum = new Sgd(0.1, momentum: 0.9);
        momentum.Step<double>(new double[3], [1, 2, 3]);
        var snapshot = momentum.ExportState();

        var options = Assert.Throws<ArgumentException>(() => new Sgd(0.1).ImportState(snapshot));
        Assert.Contains("has 1 buffers and 0 scalars; this configuration keeps 0 and 0", options.Message);

        var other = new Sgd(0.1, momentum: 0.9);
        other.ImportState(snapshot);
        var length = Assert.Throws<ArgumentException>(() => other.Step<double>(new double[4], new double[4]));
        Assert.Contains("holds state for 3 parameters; the optimizer trains 4", length.Message);
    }

    [Fact]
    public void Nesterov_WithoutMomentumOrWithDampening_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => new Sgd(0.1, nesterov: true));
        Assert.Throws<ArgumentException>(() => new Sgd(0.1, momentum: 0.9, dampening: 0.1, nesterov: true));
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

    private static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    private static float[] Normal(RandomStream random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float)random.NextNormal();
        return values;
    }
}
