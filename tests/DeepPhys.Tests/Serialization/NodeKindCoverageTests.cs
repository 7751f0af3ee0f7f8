using System.Numerics;
using System.Text;
using DeepPhys.Onnx;
using DeepPhys.Onnx.Ops;
using DeepPhys.Serialization;
using Google.Protobuf;

namespace DeepPhys.Tests.Serialization;

/// <summary>
/// Every <see cref="NodeKind"/> has an ONNX mapping, is exported to ONNX and imported back, and, with parameters, is stored
/// under tensor names: a kind added without them fails here, naming the kind (no mapping, or no test network has it) or the
/// node (the writer, the reader or the tensor names refuse it).
/// </summary>
public class NodeKindCoverageTests
{
    public static TheoryData<NodeKind> Kinds => [.. Enum.GetValues<NodeKind>()];

    /// <summary>The registry maps exactly the kinds that are operations: every one but the input, which is a graph input.</summary>
    [Fact]
    public void OnnxOps_MapEveryNodeKindButInput()
    {
        var operations = Enum.GetValues<NodeKind>().Where(kind => kind != NodeKind.Input);

        Assert.Equal(operations, OnnxOps.ByKind.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Export_EveryNodeKind_WritesItsOnnxOperator(NodeKind kind)
    {
        var (definition, node, export, _) = FirstNodeOf(kind);

        var graph = Fields(export(), 7).Single();

        if (kind == NodeKind.Input)
        {
            var inputs = Fields(graph, 11).Select(input => Text(Fields(input, 1).Single()));
            Assert.Equal(definition.Inputs.Count() == 1 ? ["input"] : definition.Inputs.Select(input => input.Name), inputs);
            return;
        }

        var operators = Fields(graph, 1).Select(onnx => (Name: Text(Fields(onnx, 3).Single()), Op: Text(Fields(onnx, 4).Single())));
        Assert.Contains((node.Name + "." + Operator(node), Operator(node)), operators);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ParameterTensors_EveryNodeKind_CoverItsParametersInOrder(NodeKind kind)
    {
        var (definition, node, _, _) = FirstNodeOf(kind);

        var tensors = ParameterTensor.Of(definition).Where(tensor => tensor.Name.StartsWith(node.Name + ".", StringComparison.Ordinal)).ToList();

        Assert.Equal(node.ParameterCount, tensors.Sum(tensor => tensor.Count));
        int offset = node.ParameterOffset;
        foreach (var tensor in tensors)
        {
            Assert.Equal(offset, tensor.Offset);
            offset += tensor.Count;
        }
    }

    /// <summary>A network with a node of the kind, exported and imported into a network of other weights, predicts as the original does.</summary>
    [Theory]
    [MemberData(nameof(Kinds))]
    public void ExportThenImport_EveryNodeKind_PredictsTheSame(NodeKind kind)
    {
        var (_, _, _, roundTrip) = FirstNodeOf(kind);

        roundTrip();
    }

    [Fact]
    public void ParameterTensors_UnmappedNodeKindWithParameters_NamesTheNode()
    {
        var network = new OnnxUnsupportedTests.HandBuilt(
            [new("x", NodeKind.Input, [], [3]), new("memory", OnnxUnsupportedTests.Unmapped, [0], [4]) { Units = 4, ParameterOffset = 0, ParameterCount = 16, HasBias = true }]);

        var error = Assert.Throws<NotSupportedException>(() => ParameterTensor.Of(network.Definition));

        Assert.Equal("HandBuilt.memory is a 99 node with parameters, which cannot be stored yet.", error.Message);
    }

    /// <summary>The ONNX operator written under a node's name, <c>&lt;node&gt;.&lt;op&gt;</c> (docs/interop.md's table); a standalone activation writes its activation's.</summary>
    private static string Operator(NodeDefinition node) => node.Kind switch
    {
        NodeKind.Dense => "Gemm",
        NodeKind.Activation => node.Activation switch
        {
            Activation.ReLU => "Relu",
            Activation.LeakyReLU => "LeakyRelu",
            _ => node.Activation.ToString(),
        },
        NodeKind.Add => "Add",
        NodeKind.Subtract => "Sub",
        NodeKind.Multiply => "Mul",
        NodeKind.Concatenate => "Concat",
        NodeKind.Flatten => "Flatten",
        NodeKind.Reshape => "Reshape",
        NodeKind.Conv2D or NodeKind.Conv1D => "Conv",
        NodeKind.MaxPool2D or NodeKind.MaxPool1D => "MaxPool",
        NodeKind.AvgPool2D or NodeKind.AvgPool1D => "AveragePool",
        NodeKind.GlobalAvgPool2D or NodeKind.GlobalAvgPool1D => "GlobalAveragePool",
        NodeKind.Dropout => "Identity",
        NodeKind.BatchNorm => "BatchNormalization",
        NodeKind.SimpleRnn => "RNN",
        NodeKind.Lstm => "LSTM",
        NodeKind.Gru => "GRU",
        NodeKind.Transpose => "Transpose",
        NodeKind.GlobalMaxPool2D or NodeKind.GlobalMaxPool1D => "GlobalMaxPool",
        NodeKind.UpSampling2D or NodeKind.UpSampling1D => "Resize",
        NodeKind.Conv2DTranspose => "ConvTranspose",
        NodeKind.Sample => "Identity",
        _ => $"(no ONNX operator listed for {node.Kind} in {nameof(NodeKindCoverageTests)}.{nameof(Operator)})",
    };

    /// <summary>
    /// The first node of the kind in the test networks, the catalog's then <see cref="EveryOpNet"/> (the ops the catalog leaves out),
    /// its network's export, and its round trip (<see cref="AssertRoundTrip"/>).
    /// </summary>
    private static (NetworkDefinition Definition, NodeDefinition Node, Func<byte[]> Export, Action RoundTrip) FirstNodeOf(NodeKind kind)
    {
        var networks = TestNetworkCatalog.All.Values.Select(Sample).Append(Sample(seed => new EveryOpNet(seed)));
        foreach (var (definition, export, roundTrip) in networks)
        {
            if (definition.Nodes.FirstOrDefault(node => node.Kind == kind) is { } node) return (definition, node, export, roundTrip);
        }

        Assert.Fail($"No test network has a {kind} node: add one to {nameof(TestNetworkCatalog)} so its export and storage are tested.");
        return default;
    }

    private static (NetworkDefinition Definition, Func<byte[]> Export, Action RoundTrip) Sample<T>(Func<int, Network<T>> create) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var network = create(1);
        return (network.Definition, () => OnnxModel.ToBytes(network), () => AssertRoundTrip(network, create(2)));
    }

    /// <summary>A copy of other weights predicts otherwise, then, given the network's export, exactly as the network does.</summary>
    private static void AssertRoundTrip<T>(Network<T> network, Network<T> copy) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(3);
        var inputs = Enumerable.Range(0, 4 * network.InputSize).Select(_ => T.CreateTruncating(random.NextDouble() * 6 - 3)).ToArray();
        Assert.NotEqual(network.Predict(inputs), copy.Predict(inputs));

        OnnxModel.ImportWeights(copy, OnnxModel.ToBytes(network), network.Definition.Name + ".onnx");

        Assert.Equal(network.Predict(inputs), copy.Predict(inputs));
    }

    /// <summary>The length-delimited fields numbered <paramref name="field"/> of a protobuf message (ModelProto's graph 7; GraphProto's node 1 and input 11; NodeProto's name 3 and op_type 4; ValueInfoProto's name 1).</summary>
    private static List<byte[]> Fields(byte[] message, int field)
    {
        var input = new CodedInputStream(message);
        var values = new List<byte[]>();
        for (uint tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            if (WireFormat.GetTagFieldNumber(tag) == field && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited) values.Add(input.ReadBytes().ToByteArray());
            else input.SkipLastField();
        }

        return values;
    }

    private static string Text(byte[] utf8) => Encoding.UTF8.GetString(utf8);
}
