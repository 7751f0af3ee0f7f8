using System.Buffers.Binary;
using DeepPhys.Serialization;
using F = DeepPhys.Onnx.OnnxField;

namespace DeepPhys.Onnx;

/// <summary>Walks an ONNX graph node by node against a declared chain and collects its weights.</summary>
internal sealed class OnnxChainReader
{
    private readonly string source;
    private readonly string network;
    private readonly List<ProtoMessage> nodes;
    private readonly Dictionary<string, ProtoMessage> initializers = [];
    private readonly ProtoMessage graph;
    private int next;

    public OnnxChainReader(ProtoMessage model, string source, string network)
    {
        this.source = source;
        this.network = network;
        graph = model.Message(F.ModelGraph) ?? throw Error("the model has no graph");
        nodes = graph.Messages(F.GraphNode).ToList();
        foreach (var tensor in graph.Messages(F.GraphInitializer)) initializers[tensor.String(F.TensorName)] = tensor;
    }

    /// <summary>Fills <paramref name="parameters"/> from the graph, layer by layer.</summary>
    public void Read(IReadOnlyList<(LayerDefinition Layer, ParameterTensor Weight, ParameterTensor Bias)> chain, double[] parameters)
    {
        var input = graph.Messages(F.GraphInput).Select(i => i.String(F.ValueInfoName)).FirstOrDefault(n => !initializers.ContainsKey(n))
            ?? throw Error("the graph has no input");
        string current = input;
        foreach (var (layer, weight, bias) in chain)
        {
            string where = $"{network}.{layer.Name}";
            var node = Next(current, where, "Gemm or MatMul");
            var inputs = node.Strings(F.NodeInput).ToList();
            string op = node.String(F.NodeOpType);
            bool transposed;
            string biasName;
            if (op == "Gemm")
            {
                if (Attribute(node, "transA")?.Int64(F.AttributeInt) is not (null or 0)) throw Error($"{Describe(node)} transposes its input; {where} cannot");
                foreach (var factor in new[] { "alpha", "beta" })
                {
                    if (Attribute(node, factor) is { } scale && scale.Float(F.AttributeFloat) != 1f) throw Error($"{Describe(node)} has {factor} = {scale.Float(F.AttributeFloat)}; {where} needs 1");
                }

                if (inputs.Count != 3) throw Error($"{Describe(node)} has no bias input; {where} has a bias");
                transposed = Attribute(node, "transB")?.Int64(F.AttributeInt) == 1;
                biasName = inputs[2];
                current = node.Strings(F.NodeOutput).First();
            }
            else if (op == "MatMul")
            {
                transposed = false;
                var add = Next(node.Strings(F.NodeOutput).First(), where, "Add (the bias after MatMul)");
                if (add.String(F.NodeOpType) != "Add") throw Error($"{Describe(add)} follows MatMul; {where} expects Add for its bias");
                biasName = add.Strings(F.NodeInput).First(n => n != node.Strings(F.NodeOutput).First());
                current = add.Strings(F.NodeOutput).First();
            }
            else
            {
                throw Error($"{Describe(node)} is where {where} expects Gemm or MatMul");
            }

            int units = weight.Shape[0], fanIn = weight.Shape[1];
            long[] expected = transposed ? [units, fanIn] : [fanIn, units];
            var weights = Values(inputs[1], expected, where, "weight");
            var biases = Values(biasName, [units], where, "bias");
            if (transposed) weight.Scatter<double>(weights, parameters);
            else weights.CopyTo(parameters, weight.Offset);
            bias.Scatter<double>(biases, parameters);

            if (layer.Activation == Activation.Linear) continue;
            string activation = OnnxModel.OperatorOf(layer.Activation);
            var applied = Next(current, where, activation);
            if (applied.String(F.NodeOpType) != activation) throw Error($"{Describe(applied)} is where {where} expects {activation}");
            if (layer.Activation == Activation.LeakyReLU)
            {
                float alpha = Attribute(applied, "alpha")?.Float(F.AttributeFloat) ?? 0.01f;
                if (Math.Abs(alpha - layer.NegativeSlope) > 1e-6) throw Error($"{Describe(applied)} has alpha = {alpha}; {where} has the negative slope {layer.NegativeSlope}");
            }

            if (layer.Activation == Activation.Softmax && Attribute(applied, "axis")?.Int64(F.AttributeInt) is { } axis && axis is not (-1 or 1))
            {
                throw Error($"{Describe(applied)} normalises axis {axis}; {where} normalises the features (axis -1)");
            }

            current = applied.Strings(F.NodeOutput).First();
        }

        if (next < nodes.Count) throw Error($"{Describe(nodes[next])} and the nodes after it have no counterpart in {network}");
    }

    private ProtoMessage Next(string consumes, string where, string expected)
    {
        if (next >= nodes.Count) throw Error($"the graph ends where {where} expects {expected}");
        var node = nodes[next++];
        if (!node.Strings(F.NodeInput).Contains(consumes)) throw Error($"{Describe(node)} does not take '{consumes}'; {where} expects a chain");
        if (node.String(F.NodeDomain) is not ("" or "ai.onnx")) throw Error($"{Describe(node)} is from the domain '{node.String(F.NodeDomain)}'");
        return node;
    }

    private double[] Values(string name, long[] shape, string where, string what)
    {
        if (!initializers.TryGetValue(name, out var tensor)) throw Error($"the {what} of {where} ('{name}') is not an initializer");
        var dims = tensor.Int64s(F.TensorDims).ToArray();
        bool matches = dims.SequenceEqual(shape) || (what == "bias" && dims.SequenceEqual([1, shape[0]]));
        if (!matches) throw Error($"the {what} '{name}' has the shape [{string.Join(", ", dims)}]; {where} needs [{string.Join(", ", shape)}]");
        if (tensor.Int64(F.TensorDataLocation) != 0) throw Error($"the {what} '{name}' is stored outside the model (external data)");
        int count = (int)shape.Aggregate(1L, (a, b) => a * b);
        long type = tensor.Int64(F.TensorDataType);
        var rawBytes = tensor.Bytes(F.TensorRawData);
        var raw = rawBytes is null ? ReadOnlySpan<byte>.Empty : rawBytes.Span;
        var values = new double[count];
        if (type == F.DataTypeFloat && raw.Length == count * 4)
        {
            for (int i = 0; i < count; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(i * 4)..]);
        }
        else if (type == F.DataTypeDouble && raw.Length == count * 8)
        {
            for (int i = 0; i < count; i++) values[i] = BinaryPrimitives.ReadDoubleLittleEndian(raw[(i * 8)..]);
        }
        else if (raw.Length == 0 && (type == F.DataTypeFloat ? Packed(tensor.Bytes(F.TensorFloatData), 4) : Packed(tensor.Bytes(F.TensorDoubleData), 8)) is { } packed && packed.Length == count)
        {
            packed.CopyTo(values, 0);
        }
        else
        {
            throw Error($"the {what} '{name}' holds data type {type} with {raw.Length} raw bytes; expected {count} FLOAT (1) or DOUBLE (11) values");
        }

        return values;
    }

    private static double[]? Packed(Google.Protobuf.ByteString? bytes, int size)
    {
        if (bytes is null || bytes.Length % size != 0) return null;
        var span = bytes.Span;
        var values = new double[span.Length / size];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = size == 4 ? BinaryPrimitives.ReadSingleLittleEndian(span[(i * 4)..]) : BinaryPrimitives.ReadDoubleLittleEndian(span[(i * 8)..]);
        }

        return values;
    }

    private static ProtoMessage? Attribute(ProtoMessage node, string name) =>
        node.Messages(F.NodeAttribute).LastOrDefault(a => a.String(F.AttributeName) == name);

    private static string Describe(ProtoMessage node) => $"node '{node.String(F.NodeName)}' ({node.String(F.NodeOpType)})";

    private FormatException Error(string message) => new($"{source}: {message}.");
}
