namespace DeepPhys.Onnx.Ops;

/// <summary>The convolutions' ONNX mappings: <c>Conv</c> and <c>ConvTranspose</c>, with the weights in the runtime's layout (ONNX's).</summary>
internal static class ConvolutionOnnx
{
    public static readonly IReadOnlyDictionary<NodeKind, OnnxOp> All = new Dictionary<NodeKind, OnnxOp>
    {
        [NodeKind.Conv2D] = new Convolution(transposed: false),
        [NodeKind.Conv1D] = new Convolution(transposed: false),
        [NodeKind.Conv2DTranspose] = new Convolution(transposed: true),
    };

    /// <summary>A convolution of the node's window, not grouped nor dilated; a transposed one also of its <c>output_padding</c>.</summary>
    private sealed class Convolution(bool transposed) : OnnxOp
    {
        private string Op => transposed ? "ConvTranspose" : "Conv";

        public override string Export(OnnxGraphWriter writer, NodeDefinition node, string[] x)
        {
            string weights = writer.Tensor(node, "weight");
            string[] inputs = node.HasBias ? [x[0], weights, writer.Tensor(node, "bias")] : [x[0], weights];
            return writer.Add(Op, node.Name, inputs, [.. Window(node), .. OutputPadding(writer.Definition, node)]);
        }

        public override string Import(OnnxGraphReader reader, NodeDefinition node, string[] x, double[] parameters, double[] state)
        {
            string where = reader.Where(node);
            var conv = reader.Take(x, where, Op);
            reader.CheckWindow(conv, node);
            if (transposed) CheckOutputPadding(reader, conv, node);
            if (Attribute(conv, "group")?.Int64(F.AttributeInt) is { } group && group != 1) throw reader.Error($"{Describe(conv)} has group = {group}; {where} needs 1");

            if (Attribute(conv, "dilations") is { } dilations && dilations.Int64s(F.AttributeInts).Any(d => d != 1)) throw reader.Error($"{Describe(conv)} is dilated; {where} is not");
            var inputs = conv.Strings(F.NodeInput).ToList();
            if ((inputs.Count == 3) != node.HasBias) throw reader.Error($"{Describe(conv)} {(node.HasBias ? "has no bias" : "has a bias")}; {where} {(node.HasBias ? "has one" : "has none")}");
            reader.Values(inputs[1], [.. OnnxModel.Tensor(reader.Definition, node, "weight").Shape], where, "weight").CopyTo(parameters, node.ParameterOffset);
            if (node.HasBias) reader.Values(inputs[2], [node.Units], where, "bias").CopyTo(parameters, node.BiasOffset);
            return Output(conv);
        }

        /// <summary>A transposed convolution's <c>output_padding</c>, written only where it is not zero.</summary>
        private ProtoWriter[] OutputPadding(NetworkDefinition definition, NodeDefinition node)
        {
            var padding = transposed ? OnnxModel.OutputPadding(definition, node) : [];
            return padding.Any(rows => rows != 0) ? [Ints("output_padding", padding)] : [];
        }

        /// <summary>A ConvTranspose's output size follows from its pads and <c>output_padding</c>, not from an <c>output_shape</c>.</summary>
        private static void CheckOutputPadding(OnnxGraphReader reader, ProtoMessage onnx, NodeDefinition node)
        {
            if (Attribute(onnx, "output_shape") is not null) throw reader.Error($"{Describe(onnx)} sets output_shape; {reader.Where(node)} needs explicit pads and output_padding");
            var expected = OnnxModel.OutputPadding(reader.Definition, node);
            var actual = Attribute(onnx, "output_padding")?.Int64s(F.AttributeInts).Select(v => (int)v).ToArray() ?? [.. expected.Select(_ => 0)];
            if (!actual.SequenceEqual(expected)) throw reader.Error($"{Describe(onnx)} has output_padding [{string.Join(", ", actual)}]; {reader.Where(node)} has [{string.Join(", ", expected)}]");
        }
    }
}
