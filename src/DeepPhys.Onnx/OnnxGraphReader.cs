using System.Buffers.Binary;
using System.Globalization;
using DeepPhys.Onnx.Ops;

namespace DeepPhys.Onnx;

/// <summary>
/// Matches an ONNX graph against a declared network node by node (<see cref="NetworkDefinition.Nodes"/>), each node by its
/// kind's <see cref="OnnxOp"/> (<see cref="OnnxOps"/>) then its activation, and collects its weights and batch norm statistics. Each declared node takes the ONNX node that consumes its inputs' tensors with
/// the expected operator, so branches and merges match whatever order the exporter wrote them in.
/// </summary>
internal sealed class OnnxGraphReader
{
    private readonly string source;
    private readonly List<ProtoMessage> nodes;
    private readonly bool[] used;
    private readonly Dictionary<string, ProtoMessage> constants = [];
    private readonly Dictionary<string, List<int>> consumers = [];
    private readonly Dictionary<string, int> producers = [];

    private readonly ProtoMessage graph;

    /// <summary>A recurrent layer's result (batch first) mapped to the same steps time first, which a stacked cell may read directly.</summary>
    public Dictionary<string, string> TimeFirstOf { get; } = [];

    public OnnxGraphReader(ProtoMessage model, string source, NetworkDefinition definition)
    {
        this.source = source;
        Definition = definition;
        graph = model.Message(F.ModelGraph) ?? throw Error("the model has no graph");
        CheckOpset(model);
        nodes = [.. graph.Messages(F.GraphNode)];
        used = new bool[nodes.Count];
        foreach (var tensor in graph.Messages(F.GraphInitializer)) constants[tensor.String(F.TensorName)] = tensor;
        for (int k = 0; k < nodes.Count; k++)
        {
            var node = nodes[k];
            if (node.String(F.NodeDomain) is not ("" or "ai.onnx")) throw Error($"{Describe(node)} is from the domain '{node.String(F.NodeDomain)}'");
            if (node.String(F.NodeOpType) == "Constant" && Attribute(node, "value")?.Message(F.AttributeTensor) is { } value)
            {
                constants[node.Strings(F.NodeOutput).First()] = value;
                used[k] = true;
                continue;
            }

            foreach (var input in node.Strings(F.NodeInput)) (consumers.TryGetValue(input, out var list) ? list : consumers[input] = []).Add(k);
            foreach (var output in node.Strings(F.NodeOutput)) producers[output] = k;
        }
    }

    /// <summary>The declared network the graph is matched against.</summary>
    public NetworkDefinition Definition { get; }

    /// <summary>The oldest ONNX opset read: from 13 on, Squeeze takes its axes as an input, as the recurrent layers' import reads them.</summary>
    public const int OldestOpset = 13;

    /// <summary>
    /// The default domain's opset must be one whose operators read as this reader reads them: from <see cref="OldestOpset"/>
    /// to <see cref="OnnxModel.Opset"/> (in opset 18 ReduceMean takes its axes as an input too).
    /// </summary>
    private void CheckOpset(ProtoMessage model)
    {
        var imports = model.Messages(F.ModelOpsetImport).Where(import => import.String(F.OpsetDomain) is "" or "ai.onnx").ToList();
        if (imports.Count == 0) throw Error("the model declares no opset for the default ONNX domain");
        long version = imports.Max(import => import.Int64(F.OpsetVersion));
        if (version < OldestOpset || version > OnnxModel.Opset)
        {
            throw Error($"the model uses ONNX opset {version}; DeepPhys reads opsets {OldestOpset} to {OnnxModel.Opset} (export with opset_version={OnnxModel.Opset})");
        }
    }

    /// <summary>Fills <paramref name="parameters"/> and <paramref name="state"/> from the graph, node by node.</summary>
    public void Read(double[] parameters, double[] state)
    {
        var graphInputs = graph.Messages(F.GraphInput).Where(i => !constants.ContainsKey(i.String(F.ValueInfoName))).ToList();
        var inputs = graphInputs.Select(i => i.String(F.ValueInfoName)).ToList();
        var declared = Definition.Inputs.ToList();
        if (inputs.Count != declared.Count) throw Error($"the graph has {inputs.Count} inputs; {Definition.Name} has {declared.Count}");
        for (int k = 0; k < declared.Count; k++) CheckInputShape(graphInputs[k], declared[k]);
        var tensors = new string[Definition.Nodes.Count];
        int next = 0;
        for (int i = 0; i < Definition.Nodes.Count; i++)
        {
            var node = Definition.Nodes[i];
            if (node.Kind == NodeKind.Input)
            {
                tensors[i] = inputs[next++];
                continue;
            }

            var x = node.Inputs.Select(j => tensors[j]).ToArray();
            tensors[i] = Activation(node, Operation(node, x, parameters, state));
        }

        int leftover = Array.IndexOf(used, false);
        if (leftover >= 0) throw Error($"{Describe(nodes[leftover])} has no counterpart in {Definition.Name}");
    }

    /// <summary>The node as the error messages name it, <c>network.node</c>.</summary>
    public string Where(NodeDefinition node) => $"{Definition.Name}.{node.Name}";

    /// <summary>A graph input of fixed sizes must be <c>[batch, …shape]</c> of the declared input; symbolic sizes pass.</summary>
    private void CheckInputShape(ProtoMessage input, NodeDefinition node)
    {
        var dims = input.Message(F.ValueInfoType)?.Message(F.TypeTensor)?.Message(F.TensorTypeShape)?.Messages(F.ShapeDim).ToList();
        if (dims is null) return;
        bool matches = dims.Count == node.Shape.Count + 1
            && dims.Skip(1).Select((dim, d) => !dim.Has(F.DimValue) || dim.Int64(F.DimValue) == node.Shape[d]).All(ok => ok);
        if (!matches)
        {
            string shape = string.Join(", ", dims.Select(dim => dim.Has(F.DimValue) ? dim.Int64(F.DimValue).ToString(CultureInfo.InvariantCulture) : dim.String(F.DimParam)));
            throw Error($"the input '{input.String(F.ValueInfoName)}' is [{shape}]; {Where(node)} is [batch, {string.Join(", ", node.Shape)}]");
        }
    }

    /// <summary>The node's operation by its kind's mapping, which reads its parameters and state; returns the tensor holding its result before the activation.</summary>
    private string Operation(NodeDefinition node, string[] x, double[] parameters, double[] state) => OnnxOps.ByKind.TryGetValue(node.Kind, out var op)
        ? op.Import(this, node, x, parameters, state)
        : throw new NotSupportedException($"{Where(node)} is a {node.Kind} node, which ONNX import does not support yet.");

    public void CheckInts(ProtoMessage onnx, string name, long[] expected, string where)
    {
        var actual = Attribute(onnx, name)?.Int64s(F.AttributeInts).ToArray() ?? [];
        if (!actual.SequenceEqual(expected)) throw Error($"{Describe(onnx)} has {name} [{string.Join(", ", actual)}]; {where} needs [{string.Join(", ", expected)}]");
    }

    /// <summary>A flatten to <c>[batch, size]</c>: <c>Flatten(axis = 1)</c> or a <c>Reshape</c> to that shape.</summary>
    public string TakeFlatten(NodeDefinition node, string x)
    {
        var flatten = Take([x], Where(node), "Flatten", "Reshape");
        if (flatten.String(F.NodeOpType) == "Reshape") CheckReshape(flatten, node);
        else if ((Attribute(flatten, "axis")?.Int64(F.AttributeInt) ?? 1) != 1) throw Error($"{Describe(flatten)} does not flatten from axis 1; {Where(node)} keeps the batch axis only");
        return Output(flatten);
    }

    private string Activation(NodeDefinition node, string x)
    {
        if (node.Activation == DeepPhys.Activation.Linear) return x;
        string where = Where(node), op = OnnxModel.OperatorOf(node.Activation);
        // A softmax over a whole image is a Flatten, the Softmax, and a Reshape back.
        bool image = node.Activation == DeepPhys.Activation.Softmax && node.Shape.Count > 1;
        if (image) x = Output(Take([x], where, "Flatten"));
        var applied = Take([x], where, op);
        if (node.Activation == DeepPhys.Activation.LeakyReLU)
        {
            float alpha = Attribute(applied, "alpha")?.Float(F.AttributeFloat) ?? 0.01f;
            if (Math.Abs(alpha - node.NegativeSlope) > 1e-6) throw Error($"{Describe(applied)} has alpha = {alpha}; {where} has the negative slope {node.NegativeSlope}");
        }

        if (node.Activation == DeepPhys.Activation.Softmax && Attribute(applied, "axis")?.Int64(F.AttributeInt) is { } axis && axis is not (-1 or 1))
        {
            throw Error($"{Describe(applied)} normalises axis {axis}; {where} normalises the features (axis -1)");
        }

        if (!image) return Output(applied);
        var reshape = Take([Output(applied)], where, "Reshape");
        CheckReshape(reshape, node);
        return Output(reshape);
    }

    public void CheckWindow(ProtoMessage onnx, NodeDefinition node)
    {
        if (Attribute(onnx, "auto_pad") is { } autoPad && autoPad.String(F.AttributeString) is not ("" or "NOTSET"))
        {
            throw Error($"{Describe(onnx)} pads with auto_pad = {autoPad.String(F.AttributeString)}; {Where(node)} needs explicit pads");
        }

        var zeros = node.Kernel.Select(_ => 0).ToArray();
        Check("kernel_shape", node.Kernel, []);
        Check("strides", node.Strides, [.. node.Kernel.Select(_ => 1)]);
        Check("pads", node.Pads, [.. zeros, .. zeros]);

        void Check(string name, IReadOnlyList<int> expected, int[] fallback)
        {
            var actual = Attribute(onnx, name)?.Int64s(F.AttributeInts).Select(v => (int)v).ToArray() ?? fallback;
            if (!actual.SequenceEqual(expected)) throw Error($"{Describe(onnx)} has {name} [{string.Join(", ", actual)}]; {Where(node)} has [{string.Join(", ", expected)}]");
        }
    }

    public void CheckReshape(ProtoMessage reshape, NodeDefinition node)
    {
        string shapeName = reshape.Strings(F.NodeInput).ElementAtOrDefault(1) ?? "";
        if (!constants.TryGetValue(shapeName, out var tensor)) throw Error($"{Describe(reshape)} takes its shape from '{shapeName}', which is not a constant");
        var target = Int64Values(tensor);
        bool matches = target.Length == node.Shape.Count + 1 && target[0] is -1 or 0
            && target.Skip(1).Select((d, k) => d == node.Shape[k] || (d == -1 && node.Shape.Count == 1)).All(ok => ok);
        if (!matches) throw Error($"{Describe(reshape)} reshapes to [{string.Join(", ", target)}]; {Where(node)} needs [batch, {string.Join(", ", node.Shape)}]");
    }

    public static long[] Int64Values(ProtoMessage tensor)
    {
        var raw = tensor.Bytes(F.TensorRawData);
        if (raw is null) return [.. tensor.Int64s(F.TensorInt64Data)];
        var values = new long[raw.Length / 8];
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadInt64LittleEndian(raw.Span[(i * 8)..]);
        return values;
    }

    /// <summary>The first unused node (in graph order) of one of the <paramref name="ops"/> taking exactly the tensors <paramref name="x"/> (besides constants).</summary>
    public ProtoMessage Take(string[] x, string where, params string[] ops) => Take(x, where, string.Join(" or ", ops), ops, commutative: false);

    public ProtoMessage Take(string[] x, string where, string op, bool commutative) => Take(x, where, op, [op], commutative);

    public ProtoMessage Take(string[] x, string where, string expected, string[] ops, bool commutative) =>
        Take(x, where, expected, ops, inputs => inputs.SequenceEqual(x) || (commutative && inputs.Order().SequenceEqual(x.Order())));

    /// <summary>The first unused node of one of the <paramref name="ops"/> reading <c>x[0]</c> whose inputs (constants and omitted ones aside) match.</summary>
    public ProtoMessage Take(string[] x, string where, string expected, string[] ops, Func<string[], bool> sameInputs)
    {
        var candidates = consumers.TryGetValue(x[0], out var list) ? list.Where(k => !used[k]).ToList() : [];
        if (candidates.Count == 0) throw Error($"nothing in the graph takes '{x[0]}' where {where} expects {expected}");
        foreach (int k in candidates)
        {
            var node = nodes[k];
            var inputs = node.Strings(F.NodeInput).Where(name => name.Length > 0 && !constants.ContainsKey(name)).ToArray();
            if (ops.Contains(node.String(F.NodeOpType)) && sameInputs(inputs))
            {
                used[k] = true;
                return node;
            }
        }

        // A Shape reads only the size (for a recurrent cell's initial state): name the node that carries the values on.
        int named = candidates.FirstOrDefault(k => nodes[k].String(F.NodeOpType) != "Shape", candidates[0]);
        throw Error($"{Describe(nodes[named])} is where {where} expects {expected}");
    }

    /// <summary>The first unused Transpose reading <paramref name="x"/> with the permutation <paramref name="perm"/>, if there is one.</summary>
    public ProtoMessage? TakeTranspose(string x, long[] perm)
    {
        if (!consumers.TryGetValue(x, out var list)) return null;
        foreach (int k in list.Where(k => !used[k] && nodes[k].String(F.NodeOpType) == "Transpose"))
        {
            if ((Attribute(nodes[k], "perm")?.Int64s(F.AttributeInts) ?? []).SequenceEqual(perm))
            {
                used[k] = true;
                return nodes[k];
            }
        }

        return null;
    }

    public ProtoMessage? TakeOptional(string x, params string[] ops)
    {
        if (!consumers.TryGetValue(x, out var list)) return null;
        foreach (int k in list.Where(k => !used[k] && ops.Contains(nodes[k].String(F.NodeOpType))))
        {
            used[k] = true;
            return nodes[k];
        }

        return null;
    }

    /// <summary>Whether an unused node of one of the <paramref name="ops"/> reads <paramref name="tensor"/>.</summary>
    public bool Feeds(string tensor, params string[] ops) =>
        consumers.TryGetValue(tensor, out var list) && list.Any(k => !used[k] && ops.Contains(nodes[k].String(F.NodeOpType)));

    /// <summary>The node writing <paramref name="tensor"/>, if a node does (a constant's is taken already).</summary>
    public ProtoMessage? ProducerOf(string tensor) => producers.TryGetValue(tensor, out int k) ? nodes[k] : null;

    /// <summary>Marks a node as matched, so it is not taken again nor left over.</summary>
    public void Use(ProtoMessage node) => used[nodes.IndexOf(node)] = true;

    /// <summary>The initializer or Constant named <paramref name="name"/>, if there is one.</summary>
    public ProtoMessage? Constant(string name) => constants.GetValueOrDefault(name);

    public static string Output(ProtoMessage node) => node.Strings(F.NodeOutput).First();

    public double[] Values(string name, int[] shape, string where, string what)
    {
        if (!constants.TryGetValue(name, out var tensor)) throw Error($"the {what} of {where} ('{name}') is not an initializer");
        var dims = tensor.Int64s(F.TensorDims).ToArray();
        bool matches = dims.SequenceEqual(shape.Select(d => (long)d)) || (what == "bias" && dims.SequenceEqual([1L, shape[0]]));
        if (!matches) throw Error($"the {what} '{name}' has the shape [{string.Join(", ", dims)}]; {where} needs [{string.Join(", ", shape)}]");
        return Decode(tensor, shape.Aggregate(1, (a, b) => a * b), name, what);
    }

    /// <summary>The <paramref name="count"/> FLOAT or DOUBLE values of a tensor held in the model.</summary>
    public double[] Decode(ProtoMessage tensor, int count, string name, string what)
    {
        if (tensor.Int64(F.TensorDataLocation) != 0) throw Error($"the {what} '{name}' is stored outside the model (external data)");
        long type = tensor.Int64(F.TensorDataType);
        var rawBytes = tensor.Bytes(F.TensorRawData);
        var raw = rawBytes is null ? ReadOnlySpan<byte>.Empty : rawBytes.Span;
        // Allocated only once the file is seen to hold the values, whatever size the tensor claims.
        double[] values;
        if (type == F.DataTypeFloat && raw.Length == (long)count * 4)
        {
            values = new double[count];
            for (int i = 0; i < count; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(i * 4)..]);
        }
        else if (type == F.DataTypeDouble && raw.Length == (long)count * 8)
        {
            values = new double[count];
            for (int i = 0; i < count; i++) values[i] = BinaryPrimitives.ReadDoubleLittleEndian(raw[(i * 8)..]);
        }
        else if (raw.Length == 0 && (type == F.DataTypeFloat ? Packed(tensor.Bytes(F.TensorFloatData), 4) : Packed(tensor.Bytes(F.TensorDoubleData), 8)) is { } packed && packed.Length == count)
        {
            values = packed;
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

    public static ProtoMessage? Attribute(ProtoMessage node, string name) =>
        node.Messages(F.NodeAttribute).LastOrDefault(a => a.String(F.AttributeName) == name);

    public static string Describe(ProtoMessage node) => $"node '{node.String(F.NodeName)}' ({node.String(F.NodeOpType)})";

    public FormatException Error(string message) => new($"{source}: {message}.");
}
