using System.Numerics;
using System.Numerics.Tensors;
using Google.Protobuf;
using DeepPhys.IO;

namespace DeepPhys.Onnx;

/// <summary>
/// ONNX export of a network (opset <see cref="Opset"/>, IR version <see cref="IrVersion"/>) and import of the weights
/// of an ONNX model whose graph is the declared one, such as a PyTorch model exported with <c>torch.onnx.export</c>.
/// </summary>
/// <remarks>
/// The exported graph follows <see cref="NetworkDefinition.Nodes"/>: one graph input per network input
/// (<c>input</c> when there is one, the input nodes' names otherwise) shaped <c>[batch, …shape]</c>, one graph output per
/// trained output (<c>output</c>, or the nodes' names) holding what <see cref="Network{T}.Predict(ReadOnlySpan{T})"/> returns
/// in its columns (probabilities for softmax and sigmoid heads). Dense layers are <c>Gemm</c> (<c>transB = 1</c>, PyTorch's
/// <c>[units, inputs]</c> weight), convolutions <c>Conv</c>, pools <c>MaxPool</c>/<c>AveragePool</c>/<c>GlobalAveragePool</c>/<c>GlobalMaxPool</c>,
/// nearest upsampling <c>Resize</c>,
/// batch norm <c>BatchNormalization</c> with the running statistics of <see cref="Network{T}.State"/>, dropout
/// <c>Identity</c>; initializers are named <c>&lt;node&gt;.weight</c>, <c>.bias</c>, <c>.running_mean</c>, <c>.running_var</c>.
/// Float networks export <c>FLOAT</c> tensors, double ones <c>DOUBLE</c>. docs/interop.md has the whole table.
/// </remarks>
public static class OnnxModel
{
    /// <summary>The ONNX operator set the export targets.</summary>
    public const int Opset = 17;

    /// <summary>The ONNX IR version written (8 goes with opset 17).</summary>
    public const int IrVersion = 8;

    /// <summary>Writes the network as an ONNX model to <paramref name="path"/> atomically.</summary>
    /// <param name="network">The network.</param>
    /// <param name="path">The file; written aside, flushed and renamed over it.</param>
    /// <param name="precision">
    /// The ONNX element type, <c>FLOAT</c> or <c>DOUBLE</c>; by default the network's own. ONNX Runtime's CPU provider implements
    /// <c>Conv</c> and the pools for <c>FLOAT</c> only, so a double CNN meant for it is exported as <see cref="Precision.Single"/>.
    /// </param>
    /// <exception cref="NotSupportedException">The definition carries no graph, or a node's kind has no ONNX export; the message names the node.</exception>
    public static void Export<T>(Network<T> network, string path, Precision? precision = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var bytes = ToBytes(network, precision);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>The ONNX model <see cref="Export{T}"/> writes, in memory.</summary>
    /// <param name="network">The network.</param>
    /// <param name="precision">The ONNX element type; by default the network's own (see <see cref="Export{T}"/>).</param>
    /// <exception cref="NotSupportedException">The definition carries no graph, or a node's kind has no ONNX export; the message names the node.</exception>
    public static byte[] ToBytes<T>(Network<T> network, Precision? precision = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        var definition = GraphOf(network.Definition);
        var parameters = new double[network.ParameterCount];
        TensorPrimitives.ConvertTruncating<T, double>(network.Parameters, parameters);
        var state = new double[definition.StateCount];
        TensorPrimitives.ConvertTruncating<T, double>(network.State, state);
        bool single = (precision ?? (typeof(T) == typeof(float) ? Precision.Single : Precision.Double)) == Precision.Single;
        int elementType = single ? F.DataTypeFloat : F.DataTypeDouble;
        var graph = new OnnxGraphWriter(definition, parameters, state, elementType).Write();
        return new ProtoWriter()
            .Int64(F.ModelIrVersion, IrVersion)
            .String(F.ModelProducerName, "DeepPhys")
            .String(F.ModelProducerVersion, typeof(OnnxModel).Assembly.GetName().Version?.ToString() ?? "")
            .Message(F.ModelGraph, graph)
            .Message(F.ModelOpsetImport, new ProtoWriter().String(F.OpsetDomain, "").Int64(F.OpsetVersion, Opset))
            .ToArray();
    }

    /// <summary>
    /// Reads the weights (and batch norm's running statistics) of an ONNX model whose graph is the network's: each node
    /// matches the ONNX operator(s) that consume its inputs (a dense layer a <c>Gemm</c> with <c>alpha = beta = 1</c> and
    /// <c>transB</c> 0 or 1, or <c>MatMul</c> then <c>Add</c>; a convolution a <c>Conv</c> of the same kernel, strides and
    /// pads; …), followed by its activation's operator. Nothing changes unless the whole graph matches.
    /// </summary>
    /// <param name="network">The declared network.</param>
    /// <param name="path">The ONNX file.</param>
    /// <exception cref="FormatException">The file is not an ONNX model, or an operator, attribute or shape differs from the declaration; the message names the file, node and layer.</exception>
    /// <exception cref="NotSupportedException">The definition carries no graph, or a node's kind has no ONNX import.</exception>
    public static void ImportWeights<T>(Network<T> network, string path) where T : unmanaged, IFloatingPointIeee754<T> =>
        ImportWeights(network, File.ReadAllBytes(path), path);

    /// <summary>Reads the weights of an ONNX model held in memory, as <see cref="ImportWeights{T}(Network{T}, string)"/> reads a file.</summary>
    /// <param name="network">The declared network.</param>
    /// <param name="model">The ONNX model's bytes.</param>
    /// <param name="source">Names the model in error messages.</param>
    /// <exception cref="FormatException">The bytes are not an ONNX model, or the graph differs from the declaration.</exception>
    /// <exception cref="NotSupportedException">The definition carries no graph, or a node's kind has no ONNX import.</exception>
    public static void ImportWeights<T>(Network<T> network, byte[] model, string source) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(model);
        var definition = GraphOf(network.Definition);
        var parameters = new double[network.ParameterCount];
        var state = new double[definition.StateCount];
        try
        {
            new OnnxGraphReader(new ProtoMessage(ByteString.CopyFrom(model)), source, definition).Read(parameters, state);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new FormatException($"{source}: not an ONNX model (protobuf: {e.Message}).", e);
        }

        TensorPrimitives.ConvertTruncating<double, T>(parameters, network.Parameters);
        TensorPrimitives.ConvertTruncating<double, T>(state, network.State);
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

    /// <summary>An upsampling's <c>Resize</c> scales, <c>[1, 1, …factors]</c> (batch, channels, then each spatial axis): its output sizes over its input's.</summary>
    internal static double[] ResizeScales(NetworkDefinition definition, NodeDefinition node)
    {
        var input = definition.Nodes[node.Inputs[0]].Shape;
        return [1, 1, .. node.Shape.Skip(1).Select((size, axis) => (double)(size / input[axis + 1]))];
    }

    /// <summary>
    /// ONNX's gate blocks as PyTorch's: block k of an ONNX weight or bias is PyTorch's block <c>order[k]</c>. LSTM is
    /// i, o, f, c in ONNX against PyTorch's i, f, g, o; GRU is z, r, h against r, z, n; a simple RNN has one block.
    /// </summary>
    internal static int[] OnnxGateOrder(int gates) => gates switch { 4 => [0, 3, 1, 2], 3 => [1, 0, 2], _ => [0] };

    /// <summary>PyTorch's gate blocks in ONNX's order (<see cref="OnnxGateOrder"/>).</summary>
    internal static double[] PermuteGates(ReadOnlySpan<double> torch, int[] order)
    {
        int block = torch.Length / order.Length;
        var onnx = new double[torch.Length];
        for (int k = 0; k < order.Length; k++) torch.Slice(order[k] * block, block).CopyTo(onnx.AsSpan(k * block));
        return onnx;
    }

    /// <summary>ONNX's gate blocks back in PyTorch's order: the inverse of <see cref="PermuteGates"/>.</summary>
    internal static void RestoreGates(ReadOnlySpan<double> onnx, int[] order, Span<double> torch)
    {
        int block = onnx.Length / order.Length;
        for (int k = 0; k < order.Length; k++) onnx.Slice(k * block, block).CopyTo(torch.Slice(order[k] * block, block));
    }

    /// <summary>
    /// The node's parameter or state tensor named <c>node.suffix</c>, as the generator named it from the op's descriptor
    /// (<see cref="NodeDefinition.Tensors"/>): a convolution's weight is Conv's <c>[filters, channels, kernel…]</c>,
    /// ConvTranspose's <c>[channels, filters, kh, kw]</c>.
    /// </summary>
    internal static Serialization.ParameterTensor Tensor(NetworkDefinition definition, NodeDefinition node, string suffix) =>
        node.Tensors.Concat(node.StateTensors).FirstOrDefault(tensor => tensor.Name == node.Name + "." + suffix)
        ?? throw new NotSupportedException($"{definition.Name}.{node.Name} names no '{suffix}' tensor, so ONNX cannot carry its parameters.");

    /// <summary>
    /// A transposed convolution's <c>output_padding</c> per axis: its output beyond the full output <c>(in − 1)·stride + kernel</c>
    /// cropped by the pads; only Keras's 'same' with a kernel below the stride has some (zeros and the bias at the bottom and right).
    /// </summary>
    internal static int[] OutputPadding(NetworkDefinition definition, NodeDefinition node)
    {
        var input = definition.Nodes[node.Inputs[0]].Shape;
        int axes = node.Kernel.Count;
        return [.. Enumerable.Range(0, axes).Select(a => node.Shape[a + 1] - (((input[a + 1] - 1) * node.Strides[a]) + node.Kernel[a] - node.Pads[a] - node.Pads[a + axes]))];
    }

    /// <summary>The definition, when it carries the graph (every generated network's does).</summary>
    private static NetworkDefinition GraphOf(NetworkDefinition definition) => definition.Nodes.Count > 0 && definition.Outputs.Count > 0
        ? definition
        : throw new NotSupportedException($"{definition.Name}'s definition carries no graph (NetworkDefinition.Nodes), so it cannot be exported to or imported from ONNX.");
}
