using System.Text.Json;
using DeepPhys.Data;
using DeepPhys.Kernels;
using DeepPhys.Onnx;
using DeepPhys.Optimizers;
using DeepPhys.Serialization;

namespace DeepPhys.Tests;

/// <summary>
/// The sample layer and the KL term against PyTorch (Fixtures/make_vae_fixtures.py → vae_torch.json, in float64): the
/// sample for a given ε and its gradients, the KL term and its gradients, and the <see cref="Vae"/> network's composite loss,
/// parts, gradient, SGD step and prediction; then what prediction, determinism, storage and export do with a VAE.
/// </summary>
public class VaeTests
{
    private static readonly Lazy<JsonElement> Fixture = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "vae_torch.json"))).RootElement);

    [Fact]
    public void Sample_GivenEpsilon_MatchesPyTorch_ValuesAndGradients()
    {
        var f = Fixture.Value.GetProperty("sample");
        double[] mu = Values(f, "mu"), logVariance = Values(f, "logvar"), epsilon = Values(f, "eps"), upstream = Values(f, "upstream");
        var z = new double[6];
        double[] muGradient = new double[6], logVarianceGradient = new double[6];

        SampleKernels.Reparameterize<double>(mu, logVariance, epsilon, z, batch: 3, latent: 2, stride: 2);
        SampleKernels.MeanBackward<double>(upstream, muGradient, batch: 3, latent: 2, stride: 2, accumulate: false);
        SampleKernels.LogVarianceBackward<double>(upstream, logVariance, epsilon, logVarianceGradient, batch: 3, latent: 2, stride: 2, accumulate: false);

        AssertClose(Values(f, "z"), z);
        AssertClose(Values(f, "mu_grad"), muGradient);
        AssertClose(Values(f, "logvar_grad"), logVarianceGradient);
    }

    /// <summary>The one-input form reads μ and logvar as the halves of each row and writes their gradients there, adding when asked.</summary>
    [Fact]
    public void Sample_FromHalvesOfOneVector_MatchesPyTorch_AndAccumulates()
    {
        var f = Fixture.Value.GetProperty("sample");
        double[] mu = Values(f, "mu"), logVariance = Values(f, "logvar"), epsilon = Values(f, "eps"), upstream = Values(f, "upstream");
        var rows = new double[12];
        for (int row = 0; row < 3; row++)
        {
            mu.AsSpan(row * 2, 2).CopyTo(rows.AsSpan(row * 4));
            logVariance.AsSpan(row * 2, 2).CopyTo(rows.AsSpan(row * 4 + 2));
        }

        var z = new double[6];
        var gradient = Enumerable.Repeat(1.0, 12).ToArray();
        SampleKernels.Reparameterize<double>(rows, rows.AsSpan(2), epsilon, z, batch: 3, latent: 2, stride: 4);
        SampleKernels.MeanBackward<double>(upstream, gradient, batch: 3, latent: 2, stride: 4, accumulate: true);
        SampleKernels.LogVarianceBackward<double>(upstream, rows.AsSpan(2), epsilon, gradient.AsSpan(2), batch: 3, latent: 2, stride: 4, accumulate: true);

        AssertClose(Values(f, "z"), z);
        double[] muGradient = Values(f, "mu_grad"), logVarianceGradient = Values(f, "logvar_grad");
        for (int row = 0; row < 3; row++)
        {
            AssertClose(muGradient.AsSpan(row * 2, 2).ToArray().Select(g => g + 1).ToArray(), gradient.AsSpan(row * 4, 2).ToArray());
            AssertClose(logVarianceGradient.AsSpan(row * 2, 2).ToArray().Select(g => g + 1).ToArray(), gradient.AsSpan(row * 4 + 2, 2).ToArray());
        }
    }

    [Fact]
    public void KlTerm_MatchesPyTorch_AndItsWeightScalesTheGradientOnly()
    {
        var f = Fixture.Value.GetProperty("kl");
        double[] mu = Values(f, "mu"), logVariance = Values(f, "logvar");
        double[] muGradient = new double[6], logVarianceGradient = new double[6];

        double kl = LossKernels.KullbackLeiblerWithGradient<double>(mu, logVariance, [], muGradient, logVarianceGradient, batch: 3, scale: 0.5);

        AssertClose([f.GetProperty("kl").GetDouble()], [kl]);
        AssertClose([f.GetProperty("kl").GetDouble()], [LossKernels.KullbackLeibler<double>(mu, logVariance, batch: 3)]);
        AssertClose(Values(f, "mu_grad").Select(g => 0.5 * g).ToArray(), muGradient);
        AssertClose(Values(f, "logvar_grad").Select(g => 0.5 * g).ToArray(), logVarianceGradient);
    }

    /// <summary>Keras's weighting: Σ w_b KL_b / batch, so a row of weight 2 counts as the row twice and a row of weight 0 not at all.</summary>
    [Fact]
    public void KlTerm_SampleWeights_CountRowsAsRepeated()
    {
        double[] mu = [0.3, -1.2, 2.0, 0.1], logVariance = [-0.5, 0.8, 0.0, -2.0];
        double[] muGradient = new double[4], logVarianceGradient = new double[4];
        double first = LossKernels.KullbackLeibler<double>(mu.AsSpan(0, 2), logVariance.AsSpan(0, 2), batch: 1);

        double weighted = LossKernels.KullbackLeiblerWithGradient<double>(mu, logVariance, [2, 0], muGradient, logVarianceGradient, batch: 2, scale: 1);

        Assert.Equal(2 * first / 2, weighted, 1e-14);
        Assert.Equal([0.3, -1.2, 0, 0], muGradient.Select(g => Math.Round(g, 14)));
    }

    /// <summary>
    /// One training step of the VAE as PyTorch takes it, ε being the network's random stream after <c>Reseed</c>: the composite
    /// loss, its parts, every parameter's gradient, the parameters after an SGD step and the prediction, which uses z = μ.
    /// </summary>
    [Fact]
    public void VaeTrainingStep_MatchesPyTorch_LossPartsGradientStepAndPrediction()
    {
        var f = Fixture.Value.GetProperty("vae");
        var network = new Vae(seed: 1);
        Values(f, "initial").CopyTo(network.Parameters);
        double[] inputs = Values(f, "inputs"), targets = Values(f, "targets");
        network.Reseed(f.GetProperty("eps_seed").GetInt32());

        double loss = network.TrainStep(inputs, targets);

        AssertClose([f.GetProperty("loss").GetDouble()], [loss]);
        Assert.Equal(["loss_mse", "loss_kl"], network.Definition.LossParts);
        AssertClose([f.GetProperty("loss_mse").GetDouble(), f.GetProperty("loss_kl").GetDouble()], network.LastLossParts.ToArray());
        AssertClose(Values(f, "gradient"), network.Gradients.ToArray());
        new Sgd(f.GetProperty("learning_rate").GetDouble()).Step<double>(network.Parameters, network.Gradients);
        AssertClose(Values(f, "after_step"), network.Parameters.ToArray());
        var prediction = new double[inputs.Length];
        network.Predict(inputs, prediction);
        AssertClose(Values(f, "prediction_after_step"), prediction);
    }

    /// <summary>Prediction outputs the decoded μ: the same every call, and it draws nothing from the stream training samples ε from.</summary>
    [Fact]
    public void Predict_IsDeterministic_AndLeavesTheRandomStreamAlone()
    {
        var (inputs, targets) = GradientCheck.RandomBatch(new Vae(seed: 3), 4, seed: 9);
        var network = new Vae(seed: 3);
        network.Reseed(21);
        double first = network.TrainStep(inputs, targets);
        network.Reseed(21);
        var a = new double[inputs.Length];
        var b = new double[inputs.Length];

        network.Predict(inputs, a);
        network.Predict(inputs, b);
        double second = network.TrainStep(inputs, targets);

        Assert.Equal(a, b);
        Assert.Equal(first, second);
    }

    /// <summary>The same seed trains bit for bit the same, and each epoch's loss is its parts' weighted sum: loss_mse + 0.5 · loss_kl.</summary>
    [Fact]
    public void Fit_SameSeed_IsBitIdentical_AndReportsTheLossParts()
    {
        var (inputs, targets) = GradientCheck.RandomBatch(new Vae(seed: 0), 40, seed: 4);
        var data = new Dataset<double>(inputs, 5, targets, 5);
        (double[] Parameters, Training.History History) Train()
        {
            var network = new Vae(seed: 8);
            var history = network.Fit(data, new Adam(1e-2), epochs: 3, batchSize: 8);
            return (network.Parameters.ToArray(), history);
        }

        var (parameters, history) = Train();
        var (again, _) = Train();

        Assert.Equal(parameters, again);
        foreach (var epoch in history)
        {
            Assert.Equal(["loss_mse", "loss_kl"], epoch.LossParts.Keys);
            Assert.Equal(epoch.Loss, epoch.LossParts["loss_mse"] + 0.5 * epoch.LossParts["loss_kl"], 1e-12);
            Assert.Equal(epoch.LossParts["loss_kl"], epoch.Quantity("loss_kl"));
            Assert.Contains("loss_kl ", epoch.ToString(), StringComparison.Ordinal);
        }

        Assert.True(history.Series("loss_kl").All(double.IsFinite));
    }

    /// <summary>A steady-state training step of the VAE (ε drawn into the workspace, the KL term, the parts) allocates nothing.</summary>
    [Fact]
    public void TrainStep_AllocatesNothing()
    {
        var network = new Vae(seed: 2);
        var (inputs, targets) = GradientCheck.RandomBatch(network, 8, seed: 5);
        network.TrainStep(inputs, targets);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++) network.TrainStep(inputs, targets);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>safetensors names: PyTorch's module names of the dense layers; the sample layer has no parameters, so no tensor.</summary>
    [Fact]
    public void ParameterTensors_AreTheDenseLayers_TheSampleHasNone()
    {
        var names = ParameterTensor.Of(new Vae(seed: 0).Definition).Select(tensor => tensor.Name);

        Assert.Equal(["h.weight", "h.bias", "mu.weight", "mu.bias", "logvar.weight", "logvar.bias", "d.weight", "d.bias", "out.weight", "out.bias"], names);
    }

    /// <summary>sample(mu, logvar) exports as an Identity of μ (prediction's z); the attribute form, halves of one vector, names the layer and stops.</summary>
    [Fact]
    public void OnnxExport_TwoNodeSampleIsIdentityOfMu_HalvesOfOneVectorNameTheLayer()
    {
        var model = System.Text.Encoding.Latin1.GetString(OnnxModel.ToBytes(new Vae(seed: 0)));

        var error = Assert.Throws<NotSupportedException>(() => OnnxModel.ToBytes(new AttributeSampleNet(seed: 0)));

        Assert.Contains("z.Identity", model, StringComparison.Ordinal);
        Assert.StartsWith("AttributeSampleNet.sample is a Sample node reading μ and logvar as the halves of one vector", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The encoder and decoder declared apart take the VAE's weights by name: decoding μ of the encoder is the VAE's prediction.</summary>
    [Fact]
    public void CopyParametersFrom_EncoderAndDecoderOfTheVae_PredictAsTheVae()
    {
        var vae = new Vae(seed: 3);
        GradientCheck.ScatterParameters(vae, seed: 6);
        var (inputs, _) = GradientCheck.RandomBatch(vae, 4, seed: 2);
        var encoder = new VaeEncoder(seed: 0);
        var decoder = new VaeDecoder(seed: 0);

        encoder.CopyParametersFrom(vae);
        decoder.CopyParametersFrom(vae);

        var mu = new double[8];
        var decoded = new double[20];
        var predicted = new double[20];
        encoder.Predict(inputs, mu);
        decoder.Predict(mu, decoded);
        vae.Predict(inputs, predicted);
        AssertClose(predicted, decoded);
    }

    /// <summary>A missing or differently shaped tensor is named, and the parameters stay as they were.</summary>
    [Fact]
    public void CopyParametersFrom_MissingOrOtherShape_NamesTheTensor_AndChangesNothing()
    {
        var wide = new WideVaeDecoder(seed: 0);
        var sampleNet = new AttributeSampleNet(seed: 0);
        double[] before = wide.Parameters.ToArray();

        var shape = Assert.Throws<ArgumentException>(() => wide.CopyParametersFrom(new Vae(seed: 1)));
        var missing = Assert.Throws<ArgumentException>(() => sampleNet.CopyParametersFrom(new Vae(seed: 1)));

        Assert.StartsWith("Vae's 'd.weight' is [6, 2], but WideVaeDecoder's is [7, 2].", shape.Message, StringComparison.Ordinal);
        Assert.StartsWith("Vae has no tensor 'dense.weight' for AttributeSampleNet; it has h.weight, h.bias, mu.weight,", missing.Message, StringComparison.Ordinal);
        Assert.Equal(before, wide.Parameters.ToArray());
    }

    private static double[] Values(JsonElement element, string name) => element.GetProperty(name).EnumerateArray().Select(value => value.GetDouble()).ToArray();

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12 * Math.Max(1, Math.Abs(expected[i])), $"value {i}: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }
}
