using System.Text.Json;
using DeepPhys.Optimizers;
using DeepPhys.Runtime.Tests.Kernels;
using DeepPhys.Samples.ShowerGan;

namespace DeepPhys.Tests;

[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(2)] [Dense(3, Activation.LeakyReLU, NegativeSlope = 0.2)] [Dense(4)]
public partial class TinyGenerator;
[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(4)] [Dense(3, Activation.LeakyReLU, NegativeSlope = 0.2)] [Dense(1)]
public partial class TinyDiscriminator;

/// <summary>
/// samples/ShowerGan's alternating step (<see cref="GanStep{T}"/>): three steps against PyTorch's DCGAN loop on the same tiny
/// networks (Fixtures/make_gan_step_torch.py, run by hand), no allocation in steady state, and sizes that do not fit.
/// </summary>
public class GanStepTests
{
    private sealed record Fixture(
        int Batch, double LearningRate, double[] InitialGenerator, double[] InitialDiscriminator, double[][] Reals, double[][] Noises,
        double[] DiscriminatorLosses, double[] GeneratorLosses, double[] FinalGenerator, double[] FinalDiscriminator);

    [Fact]
    public void ThreeSteps_ReproducePyTorchsLossesAndParameters()
    {
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "gan_step_torch.json"));
        var fixture = JsonSerializer.Deserialize<Fixture>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        var (generator, discriminator) = (new TinyGenerator(), new TinyDiscriminator());
        fixture.InitialGenerator.CopyTo(generator.Parameters);
        fixture.InitialDiscriminator.CopyTo(discriminator.Parameters);
        var step = new GanStep<double>(generator, discriminator, new Adam(fixture.LearningRate, beta1: 0.5), new Adam(fixture.LearningRate, beta1: 0.5), fixture.Batch);

        for (int s = 0; s < fixture.Reals.Length; s++)
        {
            var (d, g) = step.Run(fixture.Reals[s], fixture.Noises[s]);
            Assert.Equal(fixture.DiscriminatorLosses[s], d, 1e-14);
            Assert.Equal(fixture.GeneratorLosses[s], g, 1e-14);
        }

        AssertClose(fixture.FinalGenerator, generator.Parameters.ToArray());
        AssertClose(fixture.FinalDiscriminator, discriminator.Parameters.ToArray());
        Assert.NotEqual(fixture.InitialGenerator, generator.Parameters.ToArray());
    }

    [Fact]
    public void AlternatingSteps_AfterTheFirst_AllocateNothing()
    {
        var (generator, discriminator) = (new TinyGenerator(seed: 1), new TinyDiscriminator(seed: 2));
        var step = new GanStep<double>(generator, discriminator, new Adam(), new Adam(), batch: 8);
        double[] real = KernelTestKit.Uniform<double>(3, 8 * 4), noise = KernelTestKit.Uniform<double>(4, 8 * 2);
        step.Run(real, noise);

        Assert.Equal(0, SteadyState.AllocatedBytes(() => step.Run(real, noise), rounds: 20));
    }

    [Fact]
    public void SizesThatDoNotFit_AreRefusedNamingWhatWasExpected()
    {
        var (generator, discriminator) = (new TinyGenerator(), new TinyDiscriminator());
        var step = new GanStep<double>(generator, discriminator, new Adam(), new Adam(), batch: 2);

        Assert.Contains("expected 2 × 4", Assert.Throws<ArgumentException>(() => step.Run(new double[7], new double[4])).Message);
        Assert.Contains("expected 2 × 2", Assert.Throws<ArgumentException>(() => step.Run(new double[8], new double[3])).Message);
        Assert.Contains("the discriminator reads 4", Assert.Throws<ArgumentException>(() => new GanStep<double>(new TinyDiscriminator(), discriminator, new Adam(), new Adam(), 2)).Message);
        Assert.Contains("expected one logit", Assert.Throws<ArgumentException>(() => new GanStep<double>(new TanhEncoder(), new LinearReadout(), new Adam(), new Adam(), 2)).Message);
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12, $"parameter {i}: PyTorch {expected[i]:R}, DeepPhys {actual[i]:R}");
    }
}
