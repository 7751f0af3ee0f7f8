using System.Buffers.Binary;
using F = DeepPhys.Onnx.OnnxField;

namespace DeepPhys.Onnx;

/// <summary>
/// Writes a network's graph (<see cref="NetworkDefinition.Nodes"/>) as ONNX nodes, one case per node kind; each
/// node's activation follows it. The last ONNX node of a network output writes the graph output's name.
/// </summary>
internal sealed class OnnxGraphWriter
{
    private readonly NetworkDefinition definition;
    private readonly double[] parameters;
    private readonly double[] state;
    private readonly int elementType;
    /// <summary>The ONNX nodes in order; a node's result is its last output (a recurrent node may leave its first one unnamed).</summary>
    private readonly List<(string Op, string Name, string[] Inputs, string[] Outputs, List<ProtoWriter> Attributes)> onnxNodes = [];
    private readonly List<ProtoWriter> initializers = [];

    public OnnxGraphWriter(NetworkDefinition definition, double[] parameters, double[] state, int elementType)
    {
        this.definition = definition;
        this.parameters = parameters;
        this.state = state;
        this.elementType = elementType;
    }

    /// <summary>The graph input of each input node: <c>input</c> for a single input, the node names otherwise.</summary>
    public static IReadOnlyList<string> InputNames(NetworkDefinition definition) =>
        definition.Inputs.Count() == 1 ? ["input"] : [.. definition.Inputs.Select(node => node.Name)];

    /// <summary>The graph output of each trained output: <c>output</c> for a single output, the node names otherwise.</summary>
    public static IReadOnlyList<string> OutputNames(NetworkDefinition definition) =>
        definition.Outputs.Count == 1 ? ["output"] : [.. definition.Outputs.Select(output => definition.Nodes[output.Node].Name)];

    /// <summary>The graph message: nodes, initializers, inputs <c>[batch, …shape]</c> and outputs.</summary>
    public ProtoWriter Write()
    {
        var nodes = definition.Nodes;
        var tensors = new string[nodes.Count];
        var inputNames = InputNames(definition);
        var outputNames = OutputNames(definition);
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
            int head = definition.Outputs.ToList().FindIndex(output => output.Node == i);
            if (head >= 0)
            {
                // Name the last ONNX node's output after the graph output; a node that wrote none (a dropout) copies.
                if (onnxNodes.Count == written || onnxNodes[^1].Outputs[^1] != result) Add("Identity", node.Name, [result]);
                onnxNodes[^1] = onnxNodes[^1] with { Outputs = [.. onnxNodes[^1].Outputs[..^1], outputNames[head]] };
                result = outputNames[head];
            }

            tensors[i] = result;
        }

        var graph = new ProtoWriter().String(F.GraphName, definition.Name);
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
        foreach (var node in definition.Inputs) graph.Message(F.GraphInput, ValueInfo(inputNames[input++], node.Shape));
        for (int k = 0; k < definition.Outputs.Count; k++) graph.Message(F.GraphOutput, ValueInfo(outputNames[k], nodes[definition.Outputs[k].Node].Shape));
        return graph;
    }

    /// <summary>The node's operation before its activation; returns the tensor holding it.</summary>
    private string Operation(NodeDefinition node, string[] x) => node.Kind switch
    {
        NodeKind.Dense => Add("Gemm", node.Name, [x[0], Tensor(node, "weight"), Tensor(node, "bias")], Int("transB", 1)),
        NodeKind.Conv2D or NodeKind.Conv1D => Add("Conv", node.Name, ConvolutionInputs(node, x[0]), Window(node)),
        NodeKind.Conv2DTranspose => Add("ConvTranspose", node.Name, ConvolutionInputs(node, x[0]), [.. Window(node), .. OutputPadding(node)]),
        NodeKind.MaxPool2D or NodeKind.MaxPool1D => Add("MaxPool", node.Name, [x[0]], Window(node)),
        NodeKind.AvgPool2D or NodeKind.AvgPool1D => Add("AveragePool", node.Name, [x[0]], [.. Window(node), Int("count_include_pad", 0)]),
        NodeKind.GlobalAvgPool2D or NodeKind.GlobalAvgPool1D => Add("Flatten", node.Name, [Add("GlobalAveragePool", node.Name, [x[0]])], Int("axis", 1)),
        NodeKind.GlobalMaxPool2D or NodeKind.GlobalMaxPool1D => Add("Flatten", node.Name, [Add("GlobalMaxPool", node.Name, [x[0]])], Int("axis", 1)),
        NodeKind.UpSampling2D or NodeKind.UpSampling1D => Add("Resize", node.Name, [x[0], "", Initializer(node.Name + ".scales", [node.Shape.Count + 1], OnnxModel.ResizeScales(definition, node), F.DataTypeFloat)],
            String("mode", "nearest"), String("coordinate_transformation_mode", "asymmetric"), String("nearest_mode", "floor")),
        NodeKind.Flatten => Add("Flatten", node.Name, [x[0]], Int("axis", 1)),
        NodeKind.Reshape => Reshape(node.Name, x[0], node.Shape),
        NodeKind.Transpose => Add("Transpose", node.Name, [x[0]], Ints("perm", [0, 2, 1])),
        NodeKind.Dropout => Add("Identity", node.Name, [x[0]]),
        NodeKind.BatchNorm => Add("BatchNormalization", node.Name, [x[0], Tensor(node, "weight"), Tensor(node, "bias"), Tensor(node, "running_mean", state), Tensor(node, "running_var", state)],
            Float("epsilon", node.Epsilon), Float("momentum", node.Momentum)),
        NodeKind.Activation => x[0],
        NodeKind.Add => Add("Add", node.Name, x),
        NodeKind.Subtract => Add("Sub", node.Name, x),
        NodeKind.Multiply => Add("Mul", node.Name, x),
        NodeKind.Concatenate => Add("Concat", node.Name, x, Int("axis", node.Axis + 1)),
        NodeKind.SimpleRnn or NodeKind.Lstm or NodeKind.Gru => Recurrent(node, x[0]),
        _ => throw new NotSupportedException($"{definition.Name}.{node.Name} is a {node.Kind} node, which has no ONNX export yet."),
    };

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

    private string Reshape(string name, string x, IReadOnlyList<int> shape) =>
        Add("Reshape", name, [x, Int64Initializer(name + ".shape", [-1, .. shape.Select(d => (long)d)])]);

    /// <summary>
    /// A recurrent layer as ONNX's RNN, LSTM or GRU (time first, forward, one direction): the batch-first input transposed to
    /// <c>[time, batch, features]</c>, and the output squeezed to the runtime's <c>[batch, time, units]</c> (every step, Y)
    /// or <c>[batch, units]</c> (the last state, Y_h). ONNX Runtime implements only <c>layout = 0</c>.
    /// </summary>
    private string Recurrent(NodeDefinition node, string x)
    {
        string op = node.Gates switch { 4 => "LSTM", 3 => "GRU", _ => "RNN" };
        int rows = node.Gates * node.Units, features = (node.WeightCount / rows) - node.Units;
        var order = OnnxModel.OnnxGateOrder(node.Gates);
        var inputWeights = OnnxModel.PermuteGates(parameters.AsSpan(node.ParameterOffset, rows * features), order);
        var hiddenWeights = OnnxModel.PermuteGates(parameters.AsSpan(node.ParameterOffset + (rows * features), rows * node.Units), order);
        var biases = parameters.AsSpan(node.BiasOffset, 2 * rows);
        double[] bias = [.. OnnxModel.PermuteGates(biases[..rows], order), .. OnnxModel.PermuteGates(biases[rows..], order)];
        var attributes = new List<ProtoWriter> { Int("hidden_size", node.Units) };
        if (op == "RNN") attributes.AddRange(CellActivation(node.CellActivation));
        if (op == "GRU") attributes.Add(Int("linear_before_reset", 1));

        string timeFirst = Add("Transpose", node.Name + ".time_first", [x], Ints("perm", [1, 0, 2]));
        string[] inputs = [timeFirst, Initializer(node.Name + ".W", [1, rows, features], inputWeights), Initializer(node.Name + ".R", [1, rows, node.Units], hiddenWeights), Initializer(node.Name + ".B", [1, 2 * rows], bias)];
        if (node.ReturnSequences)
        {
            string sequence = Add(op, node.Name, inputs, [.. attributes]);
            string squeezed = Add("Squeeze", node.Name, [sequence, Int64Initializer(node.Name + ".axes", [1])]);
            return Add("Transpose", node.Name, [squeezed], Ints("perm", [1, 0, 2]));
        }

        // Y is left out (an empty name); Y_h [1, batch, units] is the result.
        string state = $"{node.Name}.{op}";
        onnxNodes.Add((op, state, inputs, ["", state], attributes));
        return Add("Squeeze", node.Name, [state, Int64Initializer(node.Name + ".axes", [0])]);
    }

    /// <summary>A simple RNN's activation: ONNX's name, and Affine(x) = 1·x + 0 for a linear cell.</summary>
    private static ProtoWriter[] CellActivation(Activation activation) => activation == DeepPhys.Activation.Linear
        ? [Strings("activations", ["Affine"]), Floats("activation_alpha", [1]), Floats("activation_beta", [0])]
        : [Strings("activations", [OnnxModel.OperatorOf(activation)])];

    /// <summary>Adds an ONNX node named <c>&lt;node&gt;.&lt;op&gt;</c> writing a tensor of the same name; returns that name.</summary>
    private string Add(string op, string node, string[] inputs, params ProtoWriter[] attributes)
    {
        string name = $"{node}.{op}";
        onnxNodes.Add((op, name, inputs, [name], [.. attributes]));
        return name;
    }

    private string Int64Initializer(string name, long[] values)
    {
        var raw = new byte[8 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(8 * i), values[i]);
        initializers.Add(new ProtoWriter().Int64(F.TensorDims, values.Length).Int64(F.TensorDataType, F.DataTypeInt64).String(F.TensorName, name).Bytes(F.TensorRawData, raw));
        return name;
    }

    /// <summary>The input, the weights in the runtime's layout (ONNX's) and the bias unless the node has none.</summary>
    private string[] ConvolutionInputs(NodeDefinition node, string x)
    {
        string weights = Tensor(node, "weight");
        return node.HasBias ? [x, weights, Tensor(node, "bias")] : [x, weights];
    }

    /// <summary>A transposed convolution's <c>output_padding</c>, written only where it is not zero.</summary>
    private ProtoWriter[] OutputPadding(NodeDefinition node)
    {
        var padding = OnnxModel.OutputPadding(definition, node);
        return padding.Any(rows => rows != 0) ? [Ints("output_padding", padding)] : [];
    }

    private ProtoWriter[] Window(NodeDefinition node) =>
        [Ints("kernel_shape", node.Kernel), Ints("strides", node.Strides), Ints("pads", node.Pads)];

    /// <summary>
    /// The node's tensor of that name, in the order and shape its definition names (PyTorch's, which ONNX's Gemm with
    /// <c>transB</c>, Conv, ConvTranspose and BatchNormalization take), from the parameters or, given, the state.
    /// </summary>
    private string Tensor(NodeDefinition node, string suffix, double[]? from = null)
    {
        var tensor = OnnxModel.Tensor(definition, node, suffix);
        var values = new double[tensor.Count];
        tensor.Gather<double>(from ?? parameters, values);
        return Initializer(tensor.Name, [.. tensor.Shape], values);
    }

    /// <summary>A tensor of the graph's element type, or of <paramref name="type"/> (Resize's scales are FLOAT in any graph).</summary>
    private string Initializer(string name, int[] shape, double[] values, int? type = null)
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

    private static ProtoWriter Int(string name, long value) =>
        new ProtoWriter().String(F.AttributeName, name).Int64(F.AttributeInt, value).Int64(F.AttributeType, F.AttributeTypeInt);

    private static ProtoWriter String(string name, string value) =>
        new ProtoWriter().String(F.AttributeName, name).String(F.AttributeString, value).Int64(F.AttributeType, F.AttributeTypeString);

    private static ProtoWriter Ints(string name, IReadOnlyList<int> values)
    {
        var attribute = new ProtoWriter().String(F.AttributeName, name);
        foreach (int value in values) attribute.Int64(F.AttributeInts, value);
        return attribute.Int64(F.AttributeType, F.AttributeTypeInts);
    }

    private static ProtoWriter Strings(string name, string[] values)
    {
        var attribute = new ProtoWriter().String(F.AttributeName, name);
        foreach (string value in values) attribute.String(F.AttributeStrings, value);
        return attribute.Int64(F.AttributeType, F.AttributeTypeStrings);
    }

    private static ProtoWriter Floats(string name, float[] values)
    {
        var attribute = new ProtoWriter().String(F.AttributeName, name);
        foreach (float value in values) attribute.Float(F.AttributeFloats, value);
        return attribute.Int64(F.AttributeType, F.AttributeTypeFloats);
    }

    private static ProtoWriter Float(string name, double value) =>
        new ProtoWriter().String(F.AttributeName, name).Float(F.AttributeFloat, (float)value).Int64(F.AttributeType, F.AttributeTypeFloat);
}
