using DeepPhys;
using DeepPhys.Runtime.Tests.Kernels;

namespace DeepPhys.Tests;

/// <summary>A linear autoencoder 2 → 1 → 2 whose weights the test sets: the code is x₁ + x₂, the reconstruction its half in each feature.</summary>
[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(2)] [Dense(1)] [Dense(2)]
public partial class TinyAutoencoder;

/// <summary>The anomaly score of an autoencoder against hand-computed reconstruction errors, its allocations and its argument checks.</summary>
public class ReconstructionErrorTests
{
    // x = (1, 3): x̂ = (2.1, 2); x = (2, 2): x̂ = (2.1, 2); x = (0, 1): x̂ = (0.6, 0.5).
    private static readonly double[] Inputs = [1, 3, 2, 2, 0, 1];

    [Fact]
    public void PerFeatureErrors_AreTheSquaredDifferencesOfTheReconstruction()
    {
        var perFeature = new double[6];
        KnownAutoencoder().ReconstructionErrors(Inputs, perFeature);

        double[] expected = [1.1 * 1.1, 1, 0.1 * 0.1, 0, 0.6 * 0.6, 0.5 * 0.5];
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], perFeature[i], 12);
    }

    [Fact]
    public void Scores_AreEachSamplesMeanSquaredError()
    {
        var scores = new double[3];
        KnownAutoencoder().ReconstructionError(Inputs, scores);

        Assert.Equal((1.21 + 1) / 2, scores[0], 12);
        Assert.Equal(0.01 / 2, scores[1], 12);
        Assert.Equal((0.36 + 0.25) / 2, scores[2], 12);
    }

    [Fact]
    public void ABatchLargerThanAPredictionChunk_ScoresEverySampleAsAlone()
    {
        const int batch = 2500;   // more than two chunks of 1024 rows
        var network = KnownAutoencoder();
        var inputs = new double[batch * 2];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = (i % 7) - (i % 3 * 0.5);
        var scores = new double[batch];
        network.ReconstructionError(inputs, scores);

        var alone = new double[1];
        foreach (int sample in new[] { 0, 1023, 1024, 2047, 2048, 2499 })
        {
            network.ReconstructionError(inputs.AsSpan(sample * 2, 2), alone);
            Assert.Equal(alone[0], scores[sample]);
        }
    }

    [Fact]
    public void Scoring_AfterWarmUp_AllocatesNothing()
    {
        var network = KnownAutoencoder();
        double[] scores = new double[3], perFeature = new double[6];
        network.ReconstructionError(Inputs, scores);

        Assert.Equal(0, SteadyState.AllocatedBytes(
            () =>
            {
                network.ReconstructionError(Inputs, scores);
                network.ReconstructionErrors(Inputs, perFeature);
            },
            rounds: 50));
    }

    [Fact]
    public void ANetworkWhoseOutputIsNotItsInputsSize_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new LinearReadout(seed: 1).ReconstructionError(new double[5], new double[1]));
        Assert.Equal("inputs", error.ParamName);
        Assert.Contains("2 outputs and 5 inputs", error.Message);
    }

    [Fact]
    public void SpansOfTheWrongLength_AreRefusedNamingTheSpanAndTheExpectedLength()
    {
        var network = KnownAutoencoder();
        var scores = Assert.Throws<ArgumentException>(() => network.ReconstructionError(Inputs, new double[2]));
        Assert.Equal("scores", scores.ParamName);
        Assert.Contains("expected 3", scores.Message);

        var perFeature = Assert.Throws<ArgumentException>(() => network.ReconstructionErrors(Inputs, new double[3]));
        Assert.Equal("perFeature", perFeature.ParamName);
        Assert.Contains("expected 6", perFeature.Message);

        var inputs = Assert.Throws<ArgumentException>(() => network.ReconstructionError(new double[5], new double[3]));
        Assert.Equal("inputs", inputs.ParamName);
    }

    /// <summary>W₁ = (1, 1), b₁ = 0; W₂ = (0.5, 0.5), b₂ = (0.1, 0): x̂ = ((x₁ + x₂)/2 + 0.1, (x₁ + x₂)/2).</summary>
    private static TinyAutoencoder KnownAutoencoder()
    {
        var network = new TinyAutoencoder(seed: 1);
        double[] parameters = [1, 1, 0, 0.5, 0.5, 0.1, 0];
        Assert.Equal(parameters.Length, network.ParameterCount);
        parameters.CopyTo(network.Parameters);
        return network;
    }
}
