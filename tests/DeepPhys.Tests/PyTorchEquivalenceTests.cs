using System.Text.Json;
using DeepPhys.Data;
using DeepPhys.Optimizers;

namespace DeepPhys.Tests;

/// <summary>
/// Golden values from an independent implementation: PyTorch trained the Iris network from the
/// initial weights in the fixture (written by Fixtures/make_iris_adam_torch.py, run by hand).
/// The generated forward and backward passes, the fused softmax cross-entropy, Adam and the
/// batching must reproduce its losses and weights to double rounding, after 190 steps.
/// </summary>
public class PyTorchEquivalenceTests
{
    private sealed record Fixture(
        int Epochs, int BatchSize, double LearningRate, double[] Features, int[] Labels,
        double[] InitialParameters, double[] EpochLosses, double[] FinalParameters);

    [Fact]
    public void IrisTraining_ReproducesPyTorchLossesAndWeights()
    {
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "iris_adam_torch.json"));
        var fixture = JsonSerializer.Deserialize<Fixture>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        var data = Dataset<double>.FromClassLabels(fixture.Features, 4, fixture.Labels, classCount: 3);
        var network = new IrisDouble(seed: 1);
        fixture.InitialParameters.CopyTo(network.Parameters);

        var history = network.Fit(
            data, new Adam(fixture.LearningRate), fixture.Epochs, fixture.BatchSize, shuffle: false);

        for (int epoch = 0; epoch < fixture.Epochs; epoch++)
        {
            Assert.Equal(fixture.EpochLosses[epoch], history[epoch].Loss, 1e-12);
        }

        Assert.Equal(fixture.FinalParameters.Length, network.ParameterCount);
        for (int i = 0; i < network.ParameterCount; i++)
        {
            Assert.True(
                Math.Abs(fixture.FinalParameters[i] - network.Parameters[i]) <= 1e-10,
                $"parameter {i}: PyTorch {fixture.FinalParameters[i]:R}, DeepPhys {network.Parameters[i]:R}");
        }
    }
}
