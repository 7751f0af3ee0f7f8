using System.Text;
using DeepPhys.Onnx;
using DeepPhys.Serialization;
using Google.Protobuf;

namespace DeepPhys.Tests.Serialization;

/// <summary>
/// Every <see cref="NodeKind"/> is exported to ONNX and, with parameters, stored under tensor names: a kind added
/// without them fails here, naming the kind (no test network has it) or the node (the writer or the tensor names refuse it).
/// </summary>
public class NodeKindCoverageTests
{
    public static TheoryData<NodeKind> Kinds => [.. Enum.GetValues<NodeKind>()];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Export_EveryNodeKind_WritesItsOnnxOperator(NodeKind kind)
    {
        var (definition, node, export) = FirstNodeOf(kind);

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
        var (definition, node, _) = FirstNodeOf(kind);

        var tensors = ParameterTensor.Of(definition).Where(tensor => tensor.Name.StartsWith(node.Name + ".", StringComparison.Ordinal)).ToList();

        Assert.Equal(node.ParameterCount, tensors.Sum(tensor => tensor.Count));
        int offset = node.ParameterOffset;
        foreach (var tensor in tensors)
        {
            Assert.Equal(offset, tensor.Offset);
            offset += tensor.Count;
        }
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
        _ => $"(no ONNX operator listed for {node.Kind} in {nameof(NodeKindCoverageTests)}.{nameof(Operator)})",
    };

    /// <summary>The first node of the kind in the test networks, the catalog's then <see cref="EveryOpNet"/> (the ops the catalog leaves out), and its network's export.</summary>
    private static (NetworkDefinition Definition, NodeDefinition Node, Func<byte[]> Export) FirstNodeOf(NodeKind kind)
    {
        var every = new EveryOpNet(seed: 1);
        var networks = TestNetworkCatalog.All.Values.Select(create => create(1))
            .Select(network => (network.Definition, Export: (Func<byte[]>)(() => OnnxModel.ToBytes(network))))
            .Append((every.Definition, () => OnnxModel.ToBytes(every)));
        foreach (var (definition, export) in networks)
        {
            if (definition.Nodes.FirstOrDefault(node => node.Kind == kind) is { } node) return (definition, node, export);
        }

        Assert.Fail($"No test network has a {kind} node: add one to {nameof(TestNetworkCatalog)} so its export and storage are tested.");
        return default;
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
