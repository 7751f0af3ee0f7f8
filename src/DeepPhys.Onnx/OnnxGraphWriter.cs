using System.Buffers.Binary;
using DeepPhys.Onnx.Ops;

namespace DeepPhys.Onnx;

/// <summary>
/// Writes a network's graph (<see cref="NetworkDefinition.Nodes"/>) as ONNX nodes, each node's by its kind's <see cref="OnnxOp"/>
/// (<see cref="OnnxOps"/>), then its activation. The last ONNX node of a network output writes the graph output's name.
/// </summary>
internal sealed class OnnxGraphWriter
{
    private readonly int elementType;
    /// <summary>The ONNX nodes in order; a node's result is its last output (a recurrent node may leave its first one unnamed).</summary>
    private readonly List<(string Op, string Name, string[] Inputs, string[] Outputs, List<ProtoWriter> Attributes)> onnxNodes = [];
    private readonly List<ProtoWriter> initializers = [];

    public OnnxGraphWriter(NetworkDefinition definition, double[] parameters, double[] state, int elementType)
    {
        Definition = definition;
        Parameters = parameters;
        State = state;
        this.elementType = elementType;
    }

    /// <summary>The network whose graph is written.</summary>
    public NetworkDefinition Definition { get; }

    /// <summary>The network's parameters, in double whatever its precision.</summary>
    public double[] Parameters { get; }

    /// <summary>The network's state (batch norm's running statistics), in double.</summary>
    public double[] State { get; }

    /// <summary>The graph input of each input node: <c>input</c> for a single input, the node names otherwise.</summary>
    public static IReadOnlyList<string> InputNames(NetworkDefinition definition) =>
        definition.Inputs.Count() == 1 ? ["input"] : [.. definition.Inputs.Select(node => node.Name)];

    /// <summary>The graph output of each trained output: <c>output</c> for a single output, the node names otherwise.</summary>
    public static IReadOnlyList<string> OutputNames(NetworkDefinition definition) =>
        definition.Outputs.Count == 1 ? ["output"] : [.. definition.Outputs.Select(output => definition.Nodes[output.Node].Name)];

    /// <summary>The graph message: nodes, initializers, inputs <c>[batch, …shape]</c> and outputs.</summary>
    public ProtoWriter Write()
    {
        var nodes = Definition.Nodes;
        var tensors = new string[nodes.Count];
        var inputNames = InputNames(Definition);
        var outputNames = OutputNames(Definition);
        int input = 0;
        for (int i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            if (node.Kind == NodeKind.Input)
            {
                tensors[i] = inputNames[input++];
                continue;
            }

            int written = onnxNodes.Count;
            string result = Activation(node, Operation(node, [.. node.Inputs.Select(j => tensors[j])]));
            int head = Definition.Outputs.ToList().FindIndex(output => output.Node == i);
            if (head >= 0)
            {
                // Name the last ONNX node's output after the graph output; a node that wrote none (a dropout) copies.
                if (onnxNodes.Count == written || onnxNodes[^1].Outputs[^1] != result) Add("Identity", node.Name, [result]);
                onnxNodes[^1] = onnxNodes[^1] with { Outputs = [.. onnxNodes[^1].Outputs[..^1], outputNames[head]] };
                result = outputNames[head];
            }

            tensors[i] = result;
        }

        var graph = new ProtoWriter().String(F.GraphName, Definition.Name);
        foreach (var (op, name, inputs, outputs, attributes) in onnxNodes)
        {
            var message = new ProtoWriter();
            foreach (var name2 in inputs) message.String(F.NodeInput, name2);
            foreach (var output in outputs) message.String(F.NodeOutput, output);
            message.String(F.NodeName, name).String(F.NodeOpType, op);
            foreach (var attribute in attributes) message.Message(F.NodeAttribute, attribute);
            graph.Message(F.GraphNode, message);
        }

        foreach (var initializer in initializers) graph.Message(F.GraphInitializer, initializer);
        input = 0;
        foreach (var node in Definition.Inputs) graph.Message(F.GraphInput, ValueInfo(inputNames[input++], node.Shape));
        for (int k = 0; k < Definition.Outputs.Count; k++) graph.Message(F.GraphOutput, ValueInfo(outputNames[k], nodes[Definition.Outputs[k].Node].Shape));
        return graph;
    }

    /// <summary>The node's operation before its activation, by its kind's mapping; returns the tensor holding it.</summary>
    private string Operation(NodeDefinition node, string[] x) => OnnxOps.ByKind.TryGetValue(node.Kind, out var op)
        ? op.Export(this, node, x)
        : throw new NotSupportedException($"{Definition.Name}.{node.Name} is a {node.Kind} node, which has no ONNX export yet.");

    /// <summary>The activation after a node; softmax normalises a sample's values, so an image is flattened for it and reshaped back.</summary>
    private string Activation(NodeDefinition node, string x)
    {
        if (node.Activation == DeepPhys.Activation.Linear) return x;
        string op = OnnxModel.OperatorOf(node.Activation);
        if (node.Activation == DeepPhys.Activation.LeakyReLU) return Add(op, node.Name, [x], Float("alpha", node.NegativeSlope));
        if (node.Activation != DeepPhys.Activation.Softmax) return Add(op, node.Name, [x]);
        if (node.Shape.Count == 1) return Add(op, node.Name, [x], Int("axis", -1));
        string flat = Add("Flatten", node.Name + ".softmax", [x], Int("axis", 1));
        return Reshape(node.Name + ".softmax", Add(op, node.Name, [flat], Int("axis", -1)), node.Shape);
    }

    /// <summary>A Reshape to <c>[batch, …shape]</c>.</summary>
    public string Reshape(string name, string x, IReadOnlyList<int> shape) =>
        Add("Reshape", name, [x, Int64Initializer(name + ".shape", [-1, .. shape.Select(d => (long)d)])]);

    /// <summary>Adds an ONNX node named <c>&lt;node&gt;.&lt;op&gt;</c> writing a tensor of the same name; returns that name.</summary>
    public string Add(string op, string node, string[] inputs, params ProtoWriter[] attributes)
    {
        string name = $"{node}.{op}";
        AddNode(op, name, inputs, [name], attributes);
        return name;
    }

    /// <summary>Adds an ONNX node with its own outputs, the last of which is its result.</summary>
    public void AddNode(string op, string name, string[] inputs, string[] outputs, ProtoWriter[] attributes) =>
        onnxNodes.Add((op, name, inputs, outputs, [.. attributes]));

    /// <summary>An INT64 tensor (shapes and axes).</summary>
    public string Int64Initializer(string name, long[] values)
    {
        var raw = new byte[8 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(8 * i), values[i]);
        initializers.Add(new ProtoWriter().Int64(F.TensorDims, values.Length).Int64(F.TensorDataType, F.DataTypeInt64).String(F.TensorName, name).Bytes(F.TensorRawData, raw));
        return name;
    }

    /// <summary>A convolution's or pool's window: <c>kernel_shape</c>, <c>strides</c> and <c>pads</c>.</summary>
    public static ProtoWriter[] Window(NodeDefinition node) =>
        [Ints("kernel_shape", node.Kernel), Ints("strides", node.Strides), Ints("pads", node.Pads)];

    /// <summary>
    /// The node's tensor of that name, in the order and shape its definition names (PyTorch's, which ONNX's Gemm with
    /// <c>transB</c>, Conv, ConvTranspose and BatchNormalization take), from the parameters or, given, the state.
    /// </summary>
    public string Tensor(NodeDefinition node, string suffix, double[]? from = null)
    {
        var tensor = OnnxModel.Tensor(Definition, node, suffix);
        var values = new double[tensor.Count];
        tensor.Gather<double>(from ?? Parameters, values);
        return Initializer(tensor.Name, [.. tensor.Shape], values);
    }

    /// <summary>A tensor of the graph's element type, or of <paramref name="type"/> (Resize's scales are FLOAT in any graph).</summary>
    public string Initializer(string name, int[] shape, double[] values, int? type = null)
    {
        int tensorType = type ?? elementType;
        int size = tensorType == F.DataTypeFloat ? 4 : 8;
        var raw = new byte[values.Length * size];
        for (int i = 0; i < values.Length; i++)
        {
            if (size == 4) BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * 4), (float)values[i]);
            else BinaryPrimitives.WriteDoubleLittleEndian(raw.AsSpan(i * 8), values[i]);
        }

        var writer = new ProtoWriter();
        foreach (int dimension in shape) writer.Int64(F.TensorDims, dimension);
        initializers.Add(writer.Int64(F.TensorDataType, tensorType).String(F.TensorName, name).Bytes(F.TensorRawData, raw));
        return name;
    }

    private ProtoWriter ValueInfo(string name, IReadOnlyList<int> shape)
    {
        var dims = new ProtoWriter().Message(F.ShapeDim, new ProtoWriter().String(F.DimParam, "batch"));
        foreach (int dimension in shape) dims.Message(F.ShapeDim, new ProtoWriter().Int64(F.DimValue, dimension));
        var tensorType = new ProtoWriter().Int64(F.TensorTypeElemType, elementType).Message(F.TensorTypeShape, dims);
        return new ProtoWriter().String(F.ValueInfoName, name).Message(F.ValueInfoType, new ProtoWriter().Message(F.TypeTensor, tensorType));
    }

    public static ProtoWriter Int(string name, long value) =>
        new ProtoWriter().String(F.AttributeName, name).Int64(F.AttributeInt, value).Int64(F.AttributeType, F.AttributeTypeInt);

    public static ProtoWriter String(string name, string value) =>
        new ProtoWriter().String(F.AttributeName, name).String(F.AttributeString, value).Int64(F.AttributeType, F.AttributeTypeString);

    public static ProtoWriter Ints(string name, IReadOnlyList<int> values)
    {
        var attribute = new ProtoWriter().String(F.AttributeName, name);
        foreach (int value in values) attribute.Int64(F.AttributeInts, value);
        return attribute.Int64(F.AttributeType, F.AttributeTypeInts);
    }

    public static ProtoWriter Strings(string name, string[] values)
    {
        var attribute = new ProtoWriter().String(F.AttributeName, name);
        foreach (string value in values) attribute.String(F.AttributeStrings, value);
        return attribute.Int64(F.AttributeType, F.AttributeTypeStrings);
    }

    public static ProtoWriter Floats(string name, float[] values)
    {
        var attribute = new ProtoWriter().String(F.AttributeName, name);
        foreach (float value in values) attribute.Float(F.AttributeFloats, value);
        return attribute.Int64(F.AttributeType, F.AttributeTypeFloats);
    }

    public static ProtoWriter Float(string name, double value) =>
        new ProtoWriter().String(F.AttributeName, name).Float(F.AttributeFloat, (float)value).Int64(F.AttributeType, F.AttributeTypeFloat);
}
