using System.Text.Json;
using DeepPhys.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DeepPhys.Tests.Serialization;

/// <summary>Exports run in the real ONNX Runtime and agree with Predict; PyTorch's export imports into the declared network.</summary>
public class OnnxTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static TheoryData<string> ChainNetworks => [.. TestNetworkCatalog.All.Keys.Except(TestNetworkCatalog.Graphs)];

    [Theory]
    [MemberData(nameof(ChainNetworks))]
    public void Export_Double_RunsInOnnxRuntimeLikePredict(string name)
    {
        var network = TestNetworkCatalog.All[name](11);
        var inputs = Inputs<double>(network.InputSize, rows: 7, seed: 2);

        var actual = Run(OnnxModel.ToBytes(network), inputs, network.InputSize);

        AssertClose(network.Predict(inputs), actual, 1e-5);
    }

    [Fact]
    public void Export_Float_RunsInOnnxRuntimeLikePredict()
    {
        var network = SafeTensorsTests.Trained<TorchMlp, float>(seed => new TorchMlp(seed)).Network;
        var inputs = Inputs<float>(network.InputSize, rows: 9, seed: 3);

        var actual = Run(OnnxModel.ToBytes(network), inputs, network.InputSize);

        AssertClose(network.Predict(inputs), actual, 1e-5);
        var logistic = new FloatLogistic(seed: 4);
        var pairs = Inputs<float>(2, rows: 4, seed: 5);
        AssertClose(logistic.Predict(pairs), Run(OnnxModel.ToBytes(logistic), pairs, 2), 1e-5);
    }

    [Fact]
    public void Export_File_StatesOpset17AndImportsBack()
    {
        var network = new CceThreeLayers(seed: 6);
        string path = Path.Combine(Path.GetTempPath(), $"deepphys-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxModel.Export(network, path);
            using var session = new InferenceSession(path);
            Assert.Equal(["input"], session.InputMetadata.Keys);
            Assert.Equal(["output"], session.OutputMetadata.Keys);
            Assert.Equal(17, OnnxModel.Opset);
            Assert.Equal("DeepPhys", session.ModelMetadata.ProducerName);

            var copy = new CceThreeLayers(seed: 7);
            OnnxModel.ImportWeights(copy, path);
            Assert.Equal(network.Parameters.ToArray(), copy.Parameters.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Export_GraphNetwork_IsNotSupported_NamingWhy()
    {
        var error = Assert.Throws<NotSupportedException>(() => OnnxModel.ToBytes(new ResidualNet(seed: 1)));
        Assert.StartsWith("ResidualNet cannot be exported to or imported from ONNX: layer r is a Add.", error.Message);
        var twoHeads = Assert.Throws<NotSupportedException>(() => OnnxModel.ToBytes(new TwoHeadNet(seed: 1)));
        Assert.Contains("it has several outputs", twoHeads.Message);
    }

    [Fact]
    public void Import_PyTorchExport_PredictsLikePyTorch()
    {
        var network = new TorchMlp(seed: 0);
        OnnxModel.ImportWeights(network, Path.Combine(Fixtures, "torch_mlp.onnx"));
        var expected = JsonSerializer.Deserialize<SafeTensorsTests.TorchOutputs>(
            File.ReadAllText(Path.Combine(Fixtures, "torch_mlp_onnx_outputs.json")), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

        AssertClose(expected.Outputs, network.Predict(expected.Inputs), 1e-6);
    }

    [Fact]
    public void Import_Mismatches_AreClearErrors()
    {
        var model = File.ReadAllBytes(Path.Combine(Fixtures, "torch_mlp.onnx"));
        var error = Assert.Throws<FormatException>(() => OnnxModel.ImportWeights(new MseTanhOutput(seed: 1), model, "torch_mlp.onnx"));
        Assert.Equal("torch_mlp.onnx: the weight '0.weight' has the shape [8, 4]; MseTanhOutput.dense needs [6, 4].", error.Message);

        var operators = Assert.Throws<FormatException>(() => OnnxModel.ImportWeights(new WrongActivationMlp(seed: 1), model, "torch_mlp.onnx"));
        Assert.Equal("torch_mlp.onnx: node '/1/Tanh' (Tanh) is where WrongActivationMlp.dense expects Relu.", operators.Message);

        var slope = Assert.Throws<FormatException>(() => OnnxModel.ImportWeights(new WrongSlopeMlp(seed: 1), model, "torch_mlp.onnx"));
        Assert.StartsWith("torch_mlp.onnx: node '/3/LeakyRelu' (LeakyRelu) has alpha = 0.1; WrongSlopeMlp.dense_1 has the negative slope 0.2", slope.Message);

        var shorter = Assert.Throws<FormatException>(() => OnnxModel.ImportWeights(new ShortMlp(seed: 1), model, "torch_mlp.onnx"));
        Assert.Equal("torch_mlp.onnx: node '/2/Gemm' (Gemm) and the nodes after it have no counterpart in ShortMlp.", shorter.Message);

        var garbage = Assert.Throws<FormatException>(() => OnnxModel.ImportWeights(new TorchMlp(seed: 1), [0xff, 0xff, 0xff], "junk.onnx"));
        Assert.StartsWith("junk.onnx: not an ONNX model", garbage.Message);
    }

    private static T[] Inputs<T>(int features, int rows, int seed) where T : System.Numerics.IFloatingPoint<T>
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, rows * features).Select(_ => T.CreateTruncating(random.NextDouble() * 6 - 3))];
    }

    private static T[] Run<T>(byte[] model, T[] inputs, int features) where T : unmanaged
    {
        using var session = new InferenceSession(model);
        var tensor = new DenseTensor<T>(inputs, [inputs.Length / features, features]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", tensor)]);
        return [.. results.Single().AsEnumerable<T>()];
    }

    private static void AssertClose<T>(T[] expected, T[] actual, double tolerance) where T : System.Numerics.INumberBase<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double difference = Math.Abs(double.CreateTruncating(expected[i]) - double.CreateTruncating(actual[i]));
            Assert.True(difference <= tolerance, $"output {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
