using System.Text.Json;
using DeepPhys.Onnx;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DeepPhys.Tests.Serialization;

/// <summary>Exports run in the real ONNX Runtime and agree with Predict; PyTorch's export imports into the declared network.</summary>
public class OnnxTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures");

    /// <summary>
    /// The catalog's networks but the one whose export is refused by design: a sample layer reading μ and logvar from the halves of
    /// one vector (VaeTests checks the NotSupportedException naming it; sample(mu, logvar), the Vae's, is exported here).
    /// </summary>
    public static TheoryData<string> Networks => [.. TestNetworkCatalog.All.Keys.Where(name => name != nameof(AttributeSampleNet))];

    /// <summary>Every test network (chains, merges, several inputs and outputs, convolutions, pools, batch norm, dropout), trained a few steps so batch norm's running statistics are not 0 and 1.</summary>
    [Theory]
    [MemberData(nameof(Networks))]
    public void Export_Double_RunsInOnnxRuntimeLikePredict(string name)
    {
        var network = Trained(name);
        var inputs = Inputs<double>(network.InputSize, rows: 7, seed: 2);

        var actual = Run(network, OnnxModel.ToBytes(network, RunnablePrecision(network)), inputs);

        AssertClose(network.Predict(inputs), actual, 1e-5);
    }

    [Fact]
    public void Export_DoubleCnnAsDouble_IsDoubleThroughout()
    {
        var network = new SmallCnn(seed: 1);
        var model = OnnxModel.ToBytes(network);

        // ONNX Runtime's CPU provider has no double Conv, so the session fails on exactly that node.
        var error = Assert.Throws<OnnxRuntimeException>(() => new InferenceSession(model));
        Assert.Contains("Conv(11) node with name 'c1.Conv'", error.Message);
        Assert.NotEqual(model, OnnxModel.ToBytes(network, Precision.Single));
    }

    /// <summary>An export imports back into a fresh network of the same class: the same parameters and running statistics, bit for bit.</summary>
    [Theory]
    [MemberData(nameof(Networks))]
    public void Export_ImportsBackIntoTheDeclaredNetwork(string name)
    {
        var network = Trained(name);
        var copy = TestNetworkCatalog.All[name](99);

        OnnxModel.ImportWeights(copy, OnnxModel.ToBytes(network), name + ".onnx");

        Assert.Equal(network.Parameters.ToArray(), copy.Parameters.ToArray());
        Assert.Equal(network.State.ToArray(), copy.State.ToArray());
    }

    [Fact]
    public void Export_TrainedBatchNorm_CarriesTheRunningStatistics()
    {
        var network = Trained(nameof(NormalizedCnn));
        var state = network.State.ToArray();
        Assert.DoesNotContain(state, value => value is 0.0 or 1.0);

        var inputs = Inputs<double>(network.InputSize, rows: 5, seed: 8);
        AssertClose(network.Predict(inputs), Run(network, OnnxModel.ToBytes(network, Precision.Single), inputs), 1e-5);
    }

    [Fact]
    public void Export_EveryOtherOp_Float_RunsInOnnxRuntimeLikePredict()
    {
        var network = new EveryOpNet(seed: 3);
        var (inputs, targets) = FloatBatch(network, rows: 16, seed: 4);
        for (int step = 0; step < 3; step++) network.TrainStep(inputs, targets);
        Assert.DoesNotContain(network.State.ToArray(), value => value is 0f or 1f);

        AssertClose(network.Predict(inputs), Run(network, OnnxModel.ToBytes(network), inputs), 1e-5);
        var copy = new EveryOpNet(seed: 5);
        OnnxModel.ImportWeights(copy, OnnxModel.ToBytes(network), "every-op.onnx");
        Assert.Equal(network.Parameters.ToArray(), copy.Parameters.ToArray());
        Assert.Equal(network.State.ToArray(), copy.State.ToArray());
    }

    [Fact]
    public void Export_SeveralInputsAndOutputs_NamesThemAfterTheNodes()
    {
        using var session = new InferenceSession(OnnxModel.ToBytes(new TwoHeadNet(seed: 1)));

        Assert.Equal(["p", "q"], session.InputMetadata.Keys);
        Assert.Equal(["energy", "label"], session.OutputMetadata.Keys);
        Assert.Equal([-1, 3], session.InputMetadata["p"].Dimensions);
        using var image = new InferenceSession(OnnxModel.ToBytes(new SmallCnn(seed: 1), Precision.Single));
        Assert.Equal([-1, 2, 7, 7], image.InputMetadata["input"].Dimensions);
    }

    [Fact]
    public void Export_Float_RunsInOnnxRuntimeLikePredict()
    {
        var network = SafeTensorsTests.Trained<TorchMlp, float>(seed => new TorchMlp(seed)).Network;
        var inputs = Inputs<float>(network.InputSize, rows: 9, seed: 3);

        var actual = Run(network, OnnxModel.ToBytes(network), inputs);

        AssertClose(network.Predict(inputs), actual, 1e-5);
        var logistic = new FloatLogistic(seed: 4);
        var pairs = Inputs<float>(2, rows: 4, seed: 5);
        AssertClose(logistic.Predict(pairs), Run(logistic, OnnxModel.ToBytes(logistic), pairs), 1e-5);
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
    public void Import_PyTorchExport_PredictsLikePyTorch()
    {
        var network = new TorchMlp(seed: 0);
        var expected = ImportFixture(network, "torch_mlp.onnx", "torch_mlp_onnx_outputs.json");

        AssertClose(expected.Outputs, network.Predict(expected.Inputs), 1e-6);
    }

    /// <summary>A PyTorch CNN with 2-D and 1-D batch norm, trained a few steps and exported: the import predicts as PyTorch did, and its export runs in ONNX Runtime alike.</summary>
    [Fact]
    public void Import_PyTorchCnnWithBatchNorm_PredictsLikePyTorch()
    {
        var network = new TorchCnn(seed: 0);

        AssertPredictsLikePyTorch(network, "torch_cnn", "torch_cnn");

        Assert.DoesNotContain(network.State.ToArray(), value => value is 0f or 1f);
    }

    /// <summary>PyTorch's own export of a rectangular nn.Conv2d and nn.MaxPool2d and of nn.ConvTranspose2d with padding 1 and with a rectangular kernel.</summary>
    [Fact]
    public void Import_PyTorchConvTranspose_PredictsLikePyTorch() =>
        AssertPredictsLikePyTorch(new TorchConvTranspose(seed: 0), "torch_conv_transpose", "torch_conv_transpose");

    /// <summary>
    /// PyTorch's own export of stacked nn.LSTM, nn.GRU and nn.RNN (zero initial states built in the graph, the next cell
    /// reading the previous one's Squeeze): with a dynamic batch (ConstantOfShape) and a fixed one (Expand, no Transpose pair),
    /// one nn.LSTM of two layers (each state a Slice of one ConstantOfShape), the fixed batch one with a zero initializer, and
    /// a Conv1d whose signal is transposed into an LSTM (PyTorch folds the transpose into the cell's time-first Transpose).
    /// </summary>
    [Theory]
    [InlineData(typeof(TorchStackedRecurrent), "torch_lstm_gru", "torch_lstm_gru")]
    [InlineData(typeof(TorchStackedRnn), "torch_rnn", "torch_rnn")]
    [InlineData(typeof(TorchStackedRnn), "torch_rnn_zero_initializer", "torch_rnn")]
    [InlineData(typeof(TorchTwoLayerLstm), "torch_lstm2", "torch_lstm2")]
    [InlineData(typeof(TorchConvLstm), "torch_conv_lstm", "torch_conv_lstm")]
    public void Import_PyTorchRecurrent_PredictsLikePyTorch(Type network, string model, string outputs) =>
        AssertPredictsLikePyTorch((Network<float>)Activator.CreateInstance(network, 0)!, model, outputs);

    /// <summary>
    /// PyTorch's export of nearest upsampling by (2, 3) (a Resize by constant scales, asymmetric coordinates, floor) and of
    /// AdaptiveMaxPool2d(1) (a MaxPool over the whole plane): the import predicts as PyTorch did. So does the same file with
    /// ONNX's default coordinates (half_pixel, round_prefer_floor), which ONNX Runtime also runs to PyTorch's outputs: for
    /// whole factors both rules pick the same inputs. The 1-D model upsamples a signal by 3 and takes its maximum with amax (ReduceMax).
    /// </summary>
    [Theory]
    [InlineData(typeof(TorchUpSamplingCnn), "torch_upsampling", "torch_upsampling")]
    [InlineData(typeof(TorchUpSamplingCnn), "torch_upsampling_half_pixel", "torch_upsampling")]
    [InlineData(typeof(TorchUpSamplingSignalCnn), "torch_upsampling_signal", "torch_upsampling_signal")]
    public void Import_PyTorchUpSamplingAndGlobalMax_PredictsLikePyTorch(Type type, string model, string outputs)
    {
        var network = (Network<float>)Activator.CreateInstance(type, 0)!;

        var expected = AssertPredictsLikePyTorch(network, model, outputs);

        AssertClose(expected.Outputs, Run(network, File.ReadAllBytes(Path.Combine(Fixtures, model + ".onnx")), expected.Inputs), 1e-5);
    }

    /// <summary>Imports <c>model.onnx</c>: Predict gives PyTorch's outputs recorded in <c>outputs_outputs.json</c>, and so does ONNX Runtime on the network's own export.</summary>
    private static SafeTensorsTests.TorchOutputs AssertPredictsLikePyTorch(Network<float> network, string model, string outputs)
    {
        var expected = ImportFixture(network, model + ".onnx", outputs + "_outputs.json");

        AssertClose(expected.Outputs, network.Predict(expected.Inputs), 1e-5);
        AssertClose(expected.Outputs, Run(network, OnnxModel.ToBytes(network), expected.Inputs), 1e-5);
        return expected;
    }

    /// <summary>Imports a fixture's weights into the network and returns PyTorch's inputs and outputs recorded beside it.</summary>
    private static SafeTensorsTests.TorchOutputs ImportFixture(Network<float> network, string model, string outputs)
    {
        OnnxModel.ImportWeights(network, Path.Combine(Fixtures, model));
        return JsonSerializer.Deserialize<SafeTensorsTests.TorchOutputs>(
            File.ReadAllText(Path.Combine(Fixtures, outputs)), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    /// <summary>A declared network that differs from the PyTorch export: the fixture, the network's type and the whole message (or its start).</summary>
    public static TheoryData<string, Type, string> Mismatches => new()
    {
        { "torch_cnn.onnx", typeof(ValidPaddedTorchCnn), "torch_cnn.onnx: node '/conv2d/Conv' (Conv) has pads [1, 1, 1, 1]; ValidPaddedTorchCnn.conv2d has [0, 0, 0, 0]." },
        { "torch_cnn.onnx", typeof(KerasEpsilonCnn), "torch_cnn.onnx: node '/bn/BatchNormalization' (BatchNormalization) has epsilon = 1E-05; KerasEpsilonCnn.bn has 0.001" },
        { "torch_cnn.onnx", typeof(AvgPoolTorchCnn), "torch_cnn.onnx: node '/MaxPool' (MaxPool) is where AvgPoolTorchCnn.average_pooling2d expects AveragePool." },
        { "torch_cnn.onnx", typeof(TorchMlp), "torch_cnn.onnx: the input 'input' is [batch, 1, 8, 8]; TorchMlp.input is [batch, 4]." },
        { "torch_mlp.onnx", typeof(MseTanhOutput), "torch_mlp.onnx: the weight '0.weight' has the shape [8, 4]; MseTanhOutput.dense needs [6, 4]." },
        { "torch_mlp.onnx", typeof(WrongActivationMlp), "torch_mlp.onnx: node '/1/Tanh' (Tanh) is where WrongActivationMlp.dense expects Relu." },
        { "torch_mlp.onnx", typeof(WrongSlopeMlp), "torch_mlp.onnx: node '/3/LeakyRelu' (LeakyRelu) has alpha = 0.1; WrongSlopeMlp.dense_1 has the negative slope 0.2" },
        { "torch_mlp.onnx", typeof(ShortMlp), "torch_mlp.onnx: node '/2/Gemm' (Gemm) has no counterpart in ShortMlp." },
        { "torch_lstm_gru.onnx", typeof(WideLstmTorchRecurrent), "torch_lstm_gru.onnx: node '/lstm/LSTM' (LSTM) has hidden_size 4; WideLstmTorchRecurrent.lstm has 5 units." },
        { "torch_lstm_gru.onnx", typeof(GruFirstTorchRecurrent), "torch_lstm_gru.onnx: node '/lstm/LSTM' (LSTM) is where GruFirstTorchRecurrent.gru expects GRU." },
        { "torch_rnn_h0.onnx", typeof(TorchStackedRnn), "torch_rnn_h0.onnx: node '/rnn/RNN' (RNN) starts from the initial state '/rnn/Constant_output_0', which is not zero; TorchStackedRnn.simple_rnn starts from zeros." },
        { "torch_rnn_lengths.onnx", typeof(TorchStackedRnn), "torch_rnn_lengths.onnx: node '/rnn/RNN' (RNN) takes sequence lengths 'lengths'; TorchStackedRnn.simple_rnn runs every sequence to its end." },
        { "torch_conv_transpose.onnx", typeof(ValidTorchConvTranspose), "torch_conv_transpose.onnx: node '/conv2d_transpose/ConvTranspose' (ConvTranspose) has pads [1, 1, 1, 1]; ValidTorchConvTranspose.conv2d_transpose has [0, 0, 0, 0]." },
        { "torch_cnn.onnx", typeof(SmallImageCnn), "torch_cnn.onnx: the input 'input' is [batch, 1, 8, 8]; SmallImageCnn.input is [batch, 1, 6, 6]." },
        { "torch_cnn.onnx", typeof(GlobalMaxTorchCnn), "torch_cnn.onnx: node '/MaxPool' (MaxPool) has the window [2, 2]; GlobalMaxTorchCnn.global_max_pooling2d takes the maximum of the whole [8, 8]." },
        { "torch_upsampling.onnx", typeof(SquareUpSamplingTorchCnn), "torch_upsampling.onnx: node '/up_sampling2d/Resize' (Resize) has scales [1, 1, 2, 3]; SquareUpSamplingTorchCnn.up_sampling2d needs [1, 1, 2, 2]." },
        { "torch_upsampling_linear.onnx", typeof(TorchUpSamplingCnn), "torch_upsampling_linear.onnx: node '/up_sampling2d/Resize' (Resize) interpolates with mode = linear; TorchUpSamplingCnn.up_sampling2d repeats the nearest value." },
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public void Import_Mismatches_AreClearErrorsNamingTheNode(string fixture, Type network, string message)
    {
        var model = File.ReadAllBytes(Path.Combine(Fixtures, fixture));
        switch (Activator.CreateInstance(network, 1))
        {
            case Network<float> single: AssertRejected(single, model, fixture, message); break;
            case Network<double> twice: AssertRejected(twice, model, fixture, message); break;
        }
    }

    /// <summary>The import fails with the message and leaves the parameters as they were.</summary>
    private static void AssertRejected<T>(Network<T> network, byte[] model, string source, string message) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var before = network.Parameters.ToArray();

        var error = Assert.Throws<FormatException>(() => OnnxModel.ImportWeights(network, model, source));

        Assert.StartsWith(message, error.Message);
        Assert.EndsWith(".", error.Message);
        Assert.Equal(before, network.Parameters.ToArray());
    }

    /// <summary>A recurrent export imported into a network whose cell differs: the message names the ONNX node and the declared layer.</summary>
    [Fact]
    public void Import_RecurrentMismatches_AreClearErrorsNamingTheNode()
    {
        AssertRejected(new TanhCellRnnNet(seed: 1), OnnxModel.ToBytes(new SimpleRnnNet(seed: 2)), "rnn.onnx",
            "rnn.onnx: node 'h.RNN' (RNN) has the activations [Sigmoid]; TanhCellRnnNet.h's cell is Tanh.");
        AssertRejected(new GruInsteadOfLstmNet(seed: 1), OnnxModel.ToBytes(new LstmNet(seed: 2)), "lstm.onnx",
            "lstm.onnx: node 'h.LSTM' (LSTM) is where GruInsteadOfLstmNet.h expects GRU.");
    }

    /// <summary>The graph carries what ONNX needs of a 1-D CNN and a recurrent layer: windows, 'same' padding split with the odd zero at the end, gates, modes.</summary>
    [Fact]
    public void Definition_CarriesConv1DWindowsAndRecurrentModes()
    {
        var signal = new AttributeSignalCnn(seed: 1).Definition.Nodes;
        var conv = signal.Single(node => node.Name == "conv1d");
        Assert.Equal([3], conv.Kernel);
        Assert.Equal([2], conv.Strides);
        Assert.Equal([1, 1], conv.Pads);
        Assert.Equal((4, 3 * 3 * 4), (conv.Units, conv.WeightCount));
        var even = new SignalCnn(seed: 1).Definition.Nodes.Single(node => node.Name == "c1");
        Assert.Equal([1, 2], even.Pads);
        Assert.Equal([1, 2, 1], new AxisConcatCnn(seed: 1).Definition.Nodes.Where(node => node.Kind == NodeKind.Concatenate).Take(3).Select(node => node.Axis));

        var stacked = new StackedSimpleRnnNet(seed: 1).Definition.Nodes;
        var encoder = stacked.Single(node => node.Name == "encoder");
        Assert.Equal((1, true, Activation.Tanh, 2 * 5), (encoder.Gates, encoder.ReturnSequences, encoder.CellActivation, encoder.BiasCount));
        var second = stacked.Single(node => node.Kind == NodeKind.SimpleRnn && node != encoder);
        Assert.Equal((false, Activation.ReLU, 4 * (5 + 4)), (second.ReturnSequences, second.CellActivation, second.WeightCount));
        var lstm = new LstmNet(seed: 1).Definition.Nodes.Single(node => node.Kind == NodeKind.Lstm);
        Assert.Equal((4, 4 * 4 * (3 + 4), 2 * 4 * 4), (lstm.Gates, lstm.WeightCount, lstm.BiasCount));
    }

    [Fact]
    public void Import_NotAModel_IsAClearError()
    {
        var error = Assert.Throws<FormatException>(() => OnnxModel.ImportWeights(new TorchMlp(seed: 1), [0xff, 0xff, 0xff], "junk.onnx"));
        Assert.StartsWith("junk.onnx: not an ONNX model", error.Message);
        var model = File.ReadAllBytes(Path.Combine(Fixtures, "torch_cnn.onnx"));
        Assert.Throws<FormatException>(() => OnnxModel.ImportWeights(new TorchCnn(seed: 1), model[..^40], "truncated.onnx"));
    }

    /// <summary>An opset whose operators read differently (Squeeze's axes before 13, ReduceMean's from 18) is refused before any node is read.</summary>
    [Theory]
    [InlineData(12)]
    [InlineData(18)]
    public void Import_OpsetOutsideTheReadRange_IsAClearError(long opset)
    {
        var model = OnnxModel.ToBytes(new TorchMlp(seed: 1));
        var withOpset = WithDefaultOpset(model, opset);
        var network = new TorchMlp(seed: 2);
        var before = network.Parameters.ToArray();

        var error = Assert.Throws<FormatException>(() => OnnxModel.ImportWeights(network, withOpset, "old.onnx"));

        Assert.Equal($"old.onnx: the model uses ONNX opset {opset}; DeepPhys reads opsets 13 to 17 (export with opset_version=17).", error.Message);
        Assert.Equal(before, network.Parameters.ToArray());
        OnnxModel.ImportWeights(network, WithDefaultOpset(model, 13), "opset13.onnx");
    }

    /// <summary><paramref name="model"/> with its opset_import (ModelProto field 8) replaced by the default domain at <paramref name="version"/>; every other field copied as it is.</summary>
    private static byte[] WithDefaultOpset(byte[] model, long version)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        var input = new CodedInputStream(model);
        for (uint tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            if (WireFormat.GetTagFieldNumber(tag) == 8)
            {
                input.ReadBytes();
                using var opset = new MemoryStream();
                var opsetOutput = new CodedOutputStream(opset);
                opsetOutput.WriteTag(1, WireFormat.WireType.LengthDelimited);
                opsetOutput.WriteString("");
                opsetOutput.WriteTag(2, WireFormat.WireType.Varint);
                opsetOutput.WriteInt64(version);
                opsetOutput.Flush();
                output.WriteTag(8, WireFormat.WireType.LengthDelimited);
                output.WriteBytes(ByteString.CopyFrom(opset.ToArray()));
                continue;
            }

            output.WriteTag(tag);
            if (WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint) output.WriteUInt64(input.ReadUInt64());
            else output.WriteBytes(input.ReadBytes());
        }

        output.Flush();
        return stream.ToArray();
    }

    private static T[] Inputs<T>(int features, int rows, int seed) where T : System.Numerics.IFloatingPoint<T>
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, rows * features).Select(_ => T.CreateTruncating(random.NextDouble() * 6 - 3))];
    }

    /// <summary>Double, unless the network has a convolution, pool or recurrent layer: ONNX Runtime's CPU provider implements those for float only.</summary>
    private static Precision RunnablePrecision(Network<double> network) =>
        network.Definition.Nodes.Any(node => node.Kind is NodeKind.Conv2D or NodeKind.MaxPool2D or NodeKind.AvgPool2D or NodeKind.GlobalAvgPool2D or NodeKind.Conv1D or NodeKind.MaxPool1D or NodeKind.AvgPool1D or NodeKind.GlobalAvgPool1D
            or NodeKind.GlobalMaxPool2D or NodeKind.GlobalMaxPool1D or NodeKind.UpSampling2D or NodeKind.UpSampling1D
            || node.Gates > 0) ? Precision.Single : Precision.Double;

    private static Network<double> Trained(string name)
    {
        var network = TestNetworkCatalog.All[name](11);
        var (inputs, targets) = GradientCheck.RandomBatch(network, batch: 8, seed: 12);
        for (int step = 0; step < 3; step++) network.TrainStep(inputs, targets);
        return network;
    }

    private static (float[] Inputs, float[] Targets) FloatBatch(Network<float> network, int rows, int seed)
    {
        var inputs = Inputs<float>(network.InputSize, rows, seed);
        var random = new Random(seed + 1);
        return (inputs, [.. Enumerable.Range(0, rows * network.OutputSize).Select(_ => (float)random.Next(2))]);
    }

    /// <summary>
    /// Runs the model in ONNX Runtime on Predict's packed rows: each network input gets its columns as
    /// <c>[rows, …shape]</c>, and the outputs are packed side by side again in loss order.
    /// </summary>
    internal static T[] Run<T>(Network<T> network, byte[] model, T[] inputs) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        using var session = new InferenceSession(model);
        if (typeof(T) == typeof(double) && session.InputMetadata.Values.First().ElementType == typeof(float))
        {
            // A double network exported as FLOAT: feed and read float, compare in double.
            var single = Run(network, session, inputs.Select(float.CreateTruncating).ToArray());
            return [.. single.Select(T.CreateTruncating)];
        }

        return Run(network, session, inputs);
    }

    private static TOnnx[] Run<T, TOnnx>(Network<T> network, InferenceSession session, TOnnx[] inputs)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        where TOnnx : unmanaged
    {
        var definition = network.Definition;
        int rows = inputs.Length / network.InputSize, column = 0;
        var feeds = new List<NamedOnnxValue>();
        foreach (var (input, name) in definition.Inputs.Zip(session.InputMetadata.Keys))
        {
            var values = new TOnnx[rows * input.Size];
            for (int row = 0; row < rows; row++) inputs.AsSpan(row * network.InputSize + column, input.Size).CopyTo(values.AsSpan(row * input.Size));
            feeds.Add(NamedOnnxValue.CreateFromTensor(name, new DenseTensor<TOnnx>(values, [rows, .. input.Shape])));
            column += input.Size;
        }

        using var results = session.Run(feeds);
        var outputs = new TOnnx[rows * network.OutputSize];
        column = 0;
        foreach (var (output, result) in definition.Outputs.Zip(results))
        {
            int size = definition.Nodes[output.Node].Size;
            var values = result.AsEnumerable<TOnnx>().ToArray();
            Assert.Equal(rows * size, values.Length);
            for (int row = 0; row < rows; row++) values.AsSpan(row * size, size).CopyTo(outputs.AsSpan(row * network.OutputSize + column));
            column += size;
        }

        return outputs;
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

/// <summary>Export and import refuse, naming the node, what they cannot map; and a definition without its graph.</summary>
public class OnnxUnsupportedTests
{
    /// <summary>A value that names no kind, standing for a kind added without a case in the writer, the reader and the tensor names.</summary>
    internal const NodeKind Unmapped = (NodeKind)99;

    /// <summary>A kind without a case fails at its node, not by a silent default.</summary>
    [Fact]
    public void Export_UnmappedNodeKind_NamesTheNode()
    {
        var network = new HandBuilt([new("x", NodeKind.Input, [], [3]), new("memory", Unmapped, [0], [4]) { Units = 4 }]);

        var export = Assert.Throws<NotSupportedException>(() => OnnxModel.ToBytes(network));
        Assert.Equal("HandBuilt.memory is a 99 node, which has no ONNX export yet.", export.Message);
        var import = Assert.Throws<NotSupportedException>(() => OnnxModel.ImportWeights(network, OnnxModel.ToBytes(new MseLinearHidden(seed: 1)), "any.onnx"));
        Assert.Equal("HandBuilt.memory is a 99 node, which ONNX import does not support yet.", import.Message);
    }

    [Fact]
    public void Export_DefinitionWithoutGraph_SaysSo()
    {
        var error = Assert.Throws<NotSupportedException>(() => OnnxModel.ToBytes(new HandBuilt([])));
        Assert.StartsWith("HandBuilt's definition carries no graph", error.Message);
    }

    /// <summary>A network whose definition is written by hand (no generator), which only needs to be exported.</summary>
    internal sealed class HandBuilt(NodeDefinition[] nodes) : Network<double>(
        new NetworkDefinition("HandBuilt", 3, 4, 0, 4, Loss.MeanSquaredError, Activation.Linear, [], "")
        {
            Nodes = nodes,
            Outputs = nodes.Length > 0 ? [new OutputDefinition(nodes.Length - 1, Loss.MeanSquaredError, 1)] : [],
        },
        seed: 0)
    {
        protected override void InitializeParameters(Span<double> parameters, RandomStream random)
        {
        }

        protected override double TrainBatch(ReadOnlySpan<double> inputs, ReadOnlySpan<double> targets, int batch) => throw new NotSupportedException();

        protected override void PredictBatch(ReadOnlySpan<double> inputs, Span<double> outputs, Span<double> a, int batch) => throw new NotSupportedException();

        protected override double EvaluateBatch(ReadOnlySpan<double> inputs, ReadOnlySpan<double> targets, Span<double> outputs, Span<double> a, int batch) => throw new NotSupportedException();
    }
}
