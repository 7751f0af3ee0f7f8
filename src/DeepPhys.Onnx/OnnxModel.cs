using System.Buffers.Binary;
using System.Numerics;
using Google.Protobuf;
using DeepPhys.IO;
using DeepPhys.Serialization;
using F = DeepPhys.Onnx.OnnxField;

namespace DeepPhys.Onnx;

/// <summary>
/// ONNX export of a chain network (opset <see cref="Opset"/>, IR version <see cref="IrVersion"/>) and
/// import of the weights of an ONNX model whose graph is the same chain, such as a PyTorch
/// <c>nn.Sequential</c> of <c>nn.Linear</c> and activations exported with <c>torch.onnx.export</c>.
/// </summary>
/// <remarks>
/// The exported graph has one input <c>input</c> <c>[batch, InputSize]</c> and one output <c>output</c>
/// <c>[batch, OutputSize]</c> holding what <see cref="Network{T}.Predict(ReadOnlySpan{T})"/> returns (probabilities
/// for a softmax or sigmoid head). Each Dense layer is a <c>Gemm</c> with <c>transB = 1</c> whose
/// initializers are <c>&lt;layer&gt;.weight</c> <c>[units, inputs]</c> and <c>&lt;layer&gt;.bias</c>, as
/// PyTorch exports <c>nn.Linear</c>; activations are <c>Relu</c>, <c>LeakyRelu(alpha)</c>, <c>Sigmoid</c>,
/// <c>Tanh</c> and <c>Softmax(axis = -1)</c>. Float networks export <c>FLOAT</c> tensors, double ones <c>DOUBLE</c>.
/// Graph networks written in the DSL (merges, several inputs or outputs) are not supported: their
/// <see cref="NetworkDefinition.Layers"/> does not record which node feeds which.
/// </remarks>
public static class OnnxModel
{
    /// <summary>The ONNX operator set the export targets.</summary>
    public const int Opset = 17;

    /// <summary>The ONNX IR version written (8 goes with opset 17).</summary>
    public const int IrVersion = 8;

    /// <summary>Writes the network as an ONNX model to <paramref name="path"/> atomically.</summary>
    /// <param name="network">A chain network.</param>
    /// <param name="path">The file; written aside, flushed and renamed over it.</param>
    /// <exception cref="NotSupportedException">The network is a graph network, not a chain of Dense layers.</exception>
    public static void Export<T>(Network<T> network, string path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var bytes = ToBytes(network);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>The ONNX model <see cref="Export{T}"/> writes, in memory.</summary>
    /// <param name="network">A chain network.</param>
    /// <exception cref="NotSupportedException">The network is a graph network, not a chain of Dense layers.</exception>
    public static byte[] ToBytes<T>(Network<T> network) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        var chain = Chain(network.Definition);
        bool single = typeof(T) == typeof(float);
        int elementType = single ? F.DataTypeFloat : F.DataTypeDouble;
        var parameters = new double[network.ParameterCount];
        for (int i = 0; i < parameters.Length; i++) parameters[i] = double.CreateTruncating(network.Parameters[i]);

        var graph = new ProtoWriter().String(F.GraphName, network.Definition.Name);
        string current = "input";
        for (int k = 0; k < chain.Count; k++)
        {
            var (layer, weight, bias) = chain[k];
            bool last = k == chain.Count - 1;
            string gemmOutput = layer.Activation == Activation.Linear && last ? "output" : layer.Name + (layer.Activation == Activation.Linear ? "" : ".gemm");
            graph.Message(F.GraphInitializer, Initializer(weight, parameters, elementType));
            graph.Message(F.GraphInitializer, Initializer(bias, parameters, elementType));
            graph.Message(F.GraphNode, Node("Gemm", layer.Name + ".Gemm", [current, weight.Name, bias.Name], gemmOutput)
                .Message(F.NodeAttribute, new ProtoWriter().String(F.AttributeName, "transB").Int64(F.AttributeInt, 1).Int64(F.AttributeType, F.AttributeTypeInt)));
            current = gemmOutput;
            if (layer.Activation == Activation.Linear) continue;
            string activationOutput = last ? "output" : layer.Name;
            var node = Node(OperatorOf(layer.Activation), $"{layer.Name}.{OperatorOf(layer.Activation)}", [current], activationOutput);
            if (layer.Activation == Activation.LeakyReLU) node.Message(F.NodeAttribute, FloatAttribute("alpha", (float)layer.NegativeSlope));
            if (layer.Activation == Activation.Softmax)
            {
                node.Message(F.NodeAttribute, new ProtoWriter().String(F.AttributeName, "axis").Int64(F.AttributeInt, -1).Int64(F.AttributeType, F.AttributeTypeInt));
            }

            graph.Message(F.GraphNode, node);
            current = activationOutput;
        }

        graph.Message(F.GraphInput, ValueInfo("input", elementType, network.InputSize));
        graph.Message(F.GraphOutput, ValueInfo("output", elementType, network.OutputSize));
        return new ProtoWriter()
            .Int64(F.ModelIrVersion, IrVersion)
            .String(F.ModelProducerName, "DeepPhys")
            .String(F.ModelProducerVersion, typeof(OnnxModel).Assembly.GetName().Version?.ToString() ?? "")
            .Message(F.ModelGraph, graph)
            .Message(F.ModelOpsetImport, new ProtoWriter().String(F.OpsetDomain, "").Int64(F.OpsetVersion, Opset))
            .ToArray();
    }

    /// <summary>
    /// Reads the weights of an ONNX model whose graph is the network's chain: per Dense layer a
    /// <c>Gemm</c> (<c>transB</c> 0 or 1, <c>alpha = beta = 1</c>) or a <c>MatMul</c> then <c>Add</c>, followed
    /// by the layer's activation operator (none for a linear layer). Nothing changes unless the whole graph matches.
    /// </summary>
    /// <param name="network">The declared network.</param>
    /// <param name="path">The ONNX file.</param>
    /// <exception cref="FormatException">The file is not an ONNX model, or an operator, attribute or shape differs from the declaration; the message names the file, node and layer.</exception>
    /// <exception cref="NotSupportedException">The network is a graph network.</exception>
    public static void ImportWeights<T>(Network<T> network, string path) where T : unmanaged, IFloatingPointIeee754<T> =>
        ImportWeights(network, File.ReadAllBytes(path), path);

    /// <summary>Reads the weights of an ONNX model held in memory, as <see cref="ImportWeights{T}(Network{T}, string)"/> reads a file.</summary>
    /// <param name="network">The declared network.</param>
    /// <param name="model">The ONNX model's bytes.</param>
    /// <param name="source">Names the model in error messages.</param>
    /// <exception cref="FormatException">The bytes are not an ONNX model, or the graph differs from the declaration.</exception>
    /// <exception cref="NotSupportedException">The network is a graph network.</exception>
    public static void ImportWeights<T>(Network<T> network, byte[] model, string source) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(model);
        var chain = Chain(network.Definition);
        var parameters = new double[network.ParameterCount];
        try
        {
            new OnnxChainReader(new ProtoMessage(ByteString.CopyFrom(model)), source, network.Definition.Name).Read(chain, parameters);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new FormatException($"{source}: not an ONNX model (protobuf: {e.Message}).", e);
        }

        for (int i = 0; i < parameters.Length; i++) network.Parameters[i] = T.CreateTruncating(parameters[i]);
    }

    /// <summary>The ONNX operator of an activation.</summary>
    internal static string OperatorOf(Activation activation) => activation switch
    {
        Activation.ReLU => "Relu",
        Activation.LeakyReLU => "LeakyRelu",
        Activation.Sigmoid => "Sigmoid",
        Activation.Tanh => "Tanh",
        Activation.Softmax => "Softmax",
        _ => throw new NotSupportedException($"The activation {activation} has no ONNX operator here."),
    };

    /// <summary>The Dense layers of a chain network with their weight and bias tensors.</summary>
    internal static IReadOnlyList<(LayerDefinition Layer, ParameterTensor Weight, ParameterTensor Bias)> Chain(NetworkDefinition definition)
    {
        string Unsupported(string why) =>
            $"{definition.Name} cannot be exported to or imported from ONNX: {why}. Only chains of Dense layers are supported, "
            + "since NetworkDefinition.Layers does not record a graph network's wiring.";

        if (definition.Loss == Loss.None) throw new NotSupportedException(Unsupported("it has several outputs"));
        var other = definition.Layers.FirstOrDefault(l => l.Kind != "Dense");
        if (other is not null) throw new NotSupportedException(Unsupported($"layer {other.Name} is a {other.Kind}"));
        var tensors = ParameterTensor.Of(definition);
        var chain = definition.Layers.Select((layer, k) => (layer, tensors[2 * k], tensors[2 * k + 1])).ToList();
        int inputs = definition.InputSize;
        foreach (var (layer, weight, _) in chain)
        {
            if (weight.Shape[1] != inputs) throw new NotSupportedException(Unsupported($"layer {layer.Name} takes {weight.Shape[1]} inputs, not the {inputs} before it"));
            inputs = layer.OutputSize;
        }

        return chain;
    }

    private static ProtoWriter Node(string op, string name, string[] inputs, string output)
    {
        var node = new ProtoWriter();
        foreach (var input in inputs) node.String(F.NodeInput, input);
        return node.String(F.NodeOutput, output).String(F.NodeName, name).String(F.NodeOpType, op);
    }

    private static ProtoWriter FloatAttribute(string name, float value) =>
        new ProtoWriter().String(F.AttributeName, name).Float(F.AttributeFloat, value).Int64(F.AttributeType, F.AttributeTypeFloat);

    private static ProtoWriter Initializer(ParameterTensor tensor, double[] parameters, int elementType)
    {
        var stored = new double[tensor.Count];
        tensor.Gather<double>(parameters, stored);
        int size = elementType == F.DataTypeFloat ? 4 : 8;
        var raw = new byte[stored.Length * size];
        for (int i = 0; i < stored.Length; i++)
        {
            if (size == 4) BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * 4), (float)stored[i]);
            else BinaryPrimitives.WriteDoubleLittleEndian(raw.AsSpan(i * 8), stored[i]);
        }

        var writer = new ProtoWriter();
        foreach (int dimension in tensor.Shape) writer.Int64(F.TensorDims, dimension);
        return writer.Int64(F.TensorDataType, elementType).String(F.TensorName, tensor.Name).Bytes(F.TensorRawData, raw);
    }

    private static ProtoWriter ValueInfo(string name, int elementType, int features)
    {
        var shape = new ProtoWriter()
            .Message(F.ShapeDim, new ProtoWriter().String(F.DimParam, "batch"))
            .Message(F.ShapeDim, new ProtoWriter().Int64(F.DimValue, features));
        var tensorType = new ProtoWriter().Int64(F.TensorTypeElemType, elementType).Message(F.TensorTypeShape, shape);
        return new ProtoWriter().String(F.ValueInfoName, name).Message(F.ValueInfoType, new ProtoWriter().Message(F.TypeTensor, tensorType));
    }
}
