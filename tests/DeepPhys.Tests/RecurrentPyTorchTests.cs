using System.Text.Json;
using DeepPhys.Kernels;

namespace DeepPhys.Tests;

/// <summary>
/// Golden values from PyTorch (Fixtures/make_recurrent_fixtures.py, run by hand): nn.RNN (tanh and ReLU), nn.LSTM and
/// nn.GRU in both return modes, and the generated <see cref="StackedRecurrentNet"/> as LSTM → GRU → Linear. PyTorch's
/// state-dict tensors are DeepPhys's parameters in order, so the fixture's vectors are used as they are; outputs and
/// every gradient agree within 1e-6 relative in double.
/// </summary>
public class RecurrentPyTorchTests
{
    private const double Tolerance = 1e-6;

    private static readonly Fixture Golden = JsonSerializer.Deserialize<Fixture>(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "recurrent_torch.json")),
        new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    public static TheoryData<string> Layers => [.. Golden.Layers.Select(layer => layer.Name)];

    [Theory]
    [MemberData(nameof(Layers))]
    public void Kernels_MatchPyTorch(string name)
    {
        var c = Golden.Layers.Single(layer => layer.Name == name);
        var layer = new RecurrentLayer(Enum.Parse<RecurrentCell>(c.Cell), c.Time, c.Features, c.Units, c.ReturnSequences, Enum.Parse<Activation>(c.Activation));
        var y = new double[c.Y.Length];
        var workspace = new double[c.Batch * layer.WorkspaceSize];
        var dWeights = new double[layer.WeightCount];
        var dBiases = new double[layer.BiasCount];
        var dx = new double[c.X.Length];
        RecurrentKernels.Forward<double>(c.X, c.Weights, c.Biases, y, workspace, c.Batch, layer);
        RecurrentKernels.BackwardParameters<double>(c.X, c.Weights, c.Seed, workspace, dWeights, dBiases, c.Batch, layer);
        RecurrentKernels.BackwardInput<double>(workspace, c.Weights, dx, c.Batch, layer);

        AssertClose(c.Y, y, name + " y");
        AssertClose(c.DWeights, dWeights, name + " dW");
        AssertClose(c.DBiases, dBiases, name + " db");
        AssertClose(c.Dx, dx, name + " dx");
    }

    [Fact]
    public void GeneratedStackedNetwork_MatchesPyTorchsLossOutputsAndGradients()
    {
        var n = Golden.Network;
        var network = new StackedRecurrentNet(seed: 1);
        Assert.Equal(n.Parameters.Length, network.ParameterCount);
        n.Parameters.CopyTo(network.Parameters);

        AssertClose(n.Outputs, network.Predict(n.Inputs), "outputs");
        Assert.Equal(n.Loss, network.TrainStep(n.Inputs, n.Targets), Tolerance * n.Loss);
        AssertClose(n.Gradients, network.Gradients.ToArray(), "gradients");
    }

    private static void AssertClose(double[] expected, double[] actual, string context)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double bound = Tolerance * Math.Max(Math.Abs(expected[i]), 1e-3);
            Assert.True(Math.Abs(expected[i] - actual[i]) <= bound, $"{context}[{i}]: PyTorch {expected[i]:R}, DeepPhys {actual[i]:R}");
        }
    }

    private sealed record LayerCase(
        string Name, string Cell, string Activation, bool ReturnSequences, int Batch, int Time, int Features, int Units,
        double[] X, double[] Weights, double[] Biases, double[] Seed, double[] Y, double[] Dx, double[] DWeights, double[] DBiases);

    private sealed record NetworkCase(double[] Inputs, double[] Targets, double[] Parameters, double Loss, double[] Outputs, double[] Gradients);

    private sealed record Fixture(LayerCase[] Layers, NetworkCase Network);
}
