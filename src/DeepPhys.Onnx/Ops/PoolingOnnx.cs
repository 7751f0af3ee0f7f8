namespace DeepPhys.Onnx.Ops;

/// <summary>The pools' ONNX mappings: window pools and global pools.</summary>
internal static class PoolingOnnx
{
    public static readonly IReadOnlyDictionary<NodeKind, OnnxOp> All = new Dictionary<NodeKind, OnnxOp>
    {
        [NodeKind.MaxPool2D] = new Pool(max: true),
        [NodeKind.AvgPool2D] = new Pool(max: false),
        [NodeKind.MaxPool1D] = new Pool(max: true),
        [NodeKind.AvgPool1D] = new Pool(max: false),
        [NodeKind.GlobalAvgPool2D] = new GlobalPool(max: false),
        [NodeKind.GlobalAvgPool1D] = new GlobalPool(max: false),
        [NodeKind.GlobalMaxPool2D] = new GlobalPool(max: true),
        [NodeKind.GlobalMaxPool1D] = new GlobalPool(max: true),
    };

    /// <summary>A <c>MaxPool</c> or an <c>AveragePool</c> (not counting padding) of the node's window, rounding its output size down.</summary>
    private sealed class Pool(bool max) : OnnxOp
    {
        public override string Export(OnnxGraphWriter writer, NodeDefinition node, string[] x) => max
            ? writer.Add("MaxPool", node.Name, [x[0]], Window(node))
            : writer.Add("AveragePool", node.Name, [x[0]], [.. Window(node), Int("count_include_pad", 0)]);

        public override string Import(OnnxGraphReader reader, NodeDefinition node, string[] x, double[] parameters, double[] state)
        {
            string where = reader.Where(node);
            var pool = reader.Take(x, where, max ? "MaxPool" : "AveragePool");
            reader.CheckWindow(pool, node);
            if (Attribute(pool, "ceil_mode")?.Int64(F.AttributeInt) is { } ceil && ceil != 0) throw reader.Error($"{Describe(pool)} rounds its output size up (ceil_mode); {where} rounds down");
            return Output(pool);
        }
    }

    /// <summary>
    /// A global average or maximum per channel: <c>GlobalAveragePool</c> or <c>GlobalMaxPool</c> then a flatten, <c>ReduceMean</c> or
    /// <c>ReduceMax</c> over the spatial axes without keepdims, or, for the maximum, a <c>MaxPool</c> whose window is the whole
    /// plane then a flatten (PyTorch's export of <c>AdaptiveMaxPool2d(1)</c>). Export writes the first.
    /// </summary>
    private sealed class GlobalPool(bool max) : OnnxOp
    {
        public override string Export(OnnxGraphWriter writer, NodeDefinition node, string[] x) =>
            writer.Add("Flatten", node.Name, [writer.Add(max ? "GlobalMaxPool" : "GlobalAveragePool", node.Name, [x[0]])], Int("axis", 1));

        public override string Import(OnnxGraphReader reader, NodeDefinition node, string[] x, double[] parameters, double[] state)
        {
            string where = reader.Where(node);
            var input = reader.Definition.Nodes[node.Inputs[0]].Shape;
            var pool = max ? reader.Take([x[0]], where, "GlobalMaxPool", "ReduceMax", "MaxPool") : reader.Take([x[0]], where, "GlobalAveragePool", "ReduceMean");
            switch (pool.String(F.NodeOpType))
            {
                case "ReduceMean" or "ReduceMax":
                    int rank = input.Count + 1;
                    var axes = Attribute(pool, "axes")?.Int64s(F.AttributeInts).Select(a => a < 0 ? a + rank : a).Order().ToArray() ?? [];
                    if (!axes.SequenceEqual(Enumerable.Range(2, rank - 2).Select(a => (long)a)) || Attribute(pool, "keepdims")?.Int64(F.AttributeInt) != 0)
                    {
                        throw reader.Error($"{Describe(pool)} is not a {(max ? "maximum" : "mean")} over the spatial axes to [batch, channels]; {where} is");
                    }

                    return Output(pool);
                case "MaxPool":
                    var window = Attribute(pool, "kernel_shape")?.Int64s(F.AttributeInts).ToArray() ?? [];
                    bool padded = Attribute(pool, "pads")?.Int64s(F.AttributeInts).Any(pad => pad != 0) == true
                        || Attribute(pool, "auto_pad")?.String(F.AttributeString) is { Length: > 0 } and not "NOTSET"
                        || Attribute(pool, "dilations")?.Int64s(F.AttributeInts).Any(dilation => dilation != 1) == true;
                    if (padded || !window.SequenceEqual(input.Skip(1).Select(size => (long)size)))
                    {
                        throw reader.Error($"{Describe(pool)} has the window [{string.Join(", ", window)}]{(padded ? " padded or dilated" : "")}; {where} takes the maximum of the whole [{string.Join(", ", input.Skip(1))}]");
                    }

                    break;
            }

            return reader.TakeFlatten(node, Output(pool));
        }
    }
}
