using DeepPhys.Generators.Emission;
using DeepPhys.Generators.Model;

namespace DeepPhys.Generators.Tests;

/// <summary>The generated source of representative networks, checked against approved files in Snapshots/.</summary>
public class SnapshotTests
{
    [Fact]
    public void Iris() => VerifyGenerated(TestSources.Iris, "Samples.Iris.IrisClassifier.g.cs");

    [Fact]
    public void DoublePrecisionRegression() => VerifyGenerated(TestSources.Regression, "Samples.Pendulum.PendulumRegressor.g.cs");

    [Fact]
    public void BinaryClassifier() => VerifyGenerated(TestSources.BinaryClassifier, "Samples.Moons.MoonsClassifier.g.cs");

    [Fact]
    public void NestedNetwork() => VerifyGenerated(TestSources.Nested, "Physics.Models.Experiments.Detector.Calibration.g.cs");

    /// <summary>Recurrent layers: an LSTM returning its sequence into a GRU (PyTorch layout, forget bias 1, BPTT as two calls per layer).</summary>
    [Fact]
    public void RecurrentNetwork() => VerifyGenerated(TestSources.Recurrent, "Samples.Oscillator.TraceClassifier.g.cs");

    /// <summary>Convolutions, max pooling and a skip connection: overwriting image kernels, an accumulated branch gradient.</summary>
    [Fact]
    public void ConvolutionalNetwork() => VerifyGenerated(TestSources.Convolutional, "Samples.Calo.ShowerClassifier.g.cs");

    /// <summary>A VAE: the sample layer's training and inference branches, the KL term beside the reconstruction loss, the loss parts.</summary>
    [Fact]
    public void VariationalAutoencoder() => VerifyGenerated(TestSources.Vae, "Samples.Showers.ShowerVae.g.cs");

    /// <summary>The emitter alone, from a spec built by hand: global namespace, LeakyReLU with a float slope, linear output.</summary>
    [Fact]
    public void EmitterFromHandBuiltSpec()
    {
        var spec = TestSpecs.Chain(
            null,
            "Tiny",
            PrecisionKind.Single,
            LossKind.MeanSquaredError,
            inputSize: 3,
            ("hidden", 5, ActivationKind.LeakyReLU, 0.3),
            ("dense_1", 2, ActivationKind.Linear, 0.01));

        Snapshot.Verify(NetworkEmitter.Emit(spec));
    }

    private static void VerifyGenerated(string source, string hintName, [System.Runtime.CompilerServices.CallerMemberName] string testName = "")
    {
        var result = GeneratorHarness.Run(source);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.OutputErrors());
        Assert.Equal(hintName, Assert.Single(result.Sources).Key);
        Snapshot.Verify(result.SingleSource, testName: testName);
    }
}
