namespace DeepPhys.Onnx.Ops;

/// <summary>The graph ops' ONNX mappings: merges, concatenation, flatten, reshape, transpose, dropout and the standalone activation.</summary>
internal static class GraphOnnx
{
    public static readonly IReadOnlyDictionary<NodeKind, OnnxOp> All = new Dictionary<NodeKind, OnnxOp>
    {
        [NodeKind.Activation] = new StandaloneActivation(),
        [NodeKind.Add] = new Elementwise("Add", commutative: true),
        [NodeKind.Subtract] = new Elementwise("Sub", commutative: false),
        [NodeKind.Multiply] = new Elementwise("Mul", commutative: true),
        [NodeKind.Concatenate] = new Concatenate(),
        [NodeKind.Flatten] = new Flatten(),
        [NodeKind.Reshape] = new Reshape(),
        [NodeKind.Transpose] = new Transpose(),
        [NodeKind.Dropout] = new Dropout(),
    };

    /// <summary>The identity: the node's activation, which the writer and the reader add after every node, is all of it.</summary>
    private sealed class StandaloneActivation : OnnxOp
    {
        public override string Export(OnnxGraphWriter writer, NodeDefinition node, string[] x) => x[0];

        public override string Import(OnnxGraphReader reader, NodeDefinition node, string[] x, double[] parameters, double[] state) => x[0];
    }

    /// <summary>An element-wise merge of two inputs; a commutative one matches its inputs in either order.</summary>
    private sealed class Elementwise(string op, bool commutative) : OnnxOp
    {
        public override string Export(OnnxGraphWriter writer, NodeDefinition node, string[] x) => writer.Add(op, node.Name, x);

        public override string Import(OnnxGraphReader reader, NodeDefinition node, string[] x, double[] parameters, double[] state) =>
            Output(reader.Take(x, reader.Where(node), op, commutative));
    }

    /// <summary>A <c>Concat</c> on the node's axis, counted with the batch.</summary>
    private sealed class Concatenate : OnnxOp
    {
        public override string Export(OnnxGraphWriter writer, NodeDefinition node, string[] x) => writer.Add("Concat", node.Name, x, Int("axis", node.Axis + 1));

        public override string Import(OnnxGraphReader reader, NodeDefinition node, string[] x, double[] parameters, double[] state)
        {
            string where = reader.Where(node);
            var concat = reader.Take(x, where, "Concat");
            long axis = Attribute(concat, "axis")?.Int64(F.AttributeInt) ?? 0;
            int rank = node.Shape.Count + 1;
            if ((axis < 0 ? axis + rank : axis) != node.Axis + 1) throw reader.Error($"{Describe(concat)} joins axis {axis}; {where} joins axis {node.Axis + 1} (with the batch)");
            return Output(concat);
        }
    }

    private sealed class Flatten : OnnxOp
    {
        public override string Export(OnnxGraphWriter writer, NodeDefinition node, string[] x) => writer.Add("Flatten", node.Name, [x[0]], Int("axis", 1));

        public override string Import(OnnxGraphReader reader, NodeDefinition node, string[] x, double[] parameters, double[] state) => reader.TakeFlatten(node, x[0]);
    }

    private sealed class Reshape : OnnxOp
    {
        public override string Export(OnnxGraphWriter writer, NodeDefinition node, string[] x) => writer.Reshape(node.Name, x[0], node.Shape);

        public override string Import(OnnxGraphReader reader, NodeDefinition node, string[] x, double[] parameters, double[] state)
        {
            var reshape = reader.Take(x, reader.Where(node), "Reshape");
            reader.CheckReshape(reshape, node);
            return Output(reshape);
        }
    }

    /// <summary>The two axes of a sample swapped: a <c>Transpose</c> with <c>perm = [0, 2, 1]</c>.</summary>
    private sealed class Transpose : OnnxOp
    {
        public override string Export(OnnxGraphWriter writer, NodeDefinition node, string[] x) => writer.Add("Transpose", node.Name, [x[0]], Ints("perm", [0, 2, 1]));

        public override string Import(OnnxGraphReader reader, NodeDefinition node, string[] x, double[] parameters, double[] state)
        {
            string where = reader.Where(node);
            var transpose = reader.TakeTranspose(x[0], [0, 2, 1]) ?? reader.Take(x, where, "Transpose");
            reader.CheckInts(transpose, "perm", [0, 2, 1], where);
            // PyTorch folds x.transpose(1, 2) into the time-first Transpose of a recurrent cell after it ([2, 0, 1] of the
            // same input), keeping [0, 2, 1] only for the size of the cell's initial state.
            if (reader.TakeTranspose(x[0], [2, 0, 1]) is { } timeFirst) reader.TimeFirstOf[Output(transpose)] = Output(timeFirst);
            return Output(transpose);
        }
    }

    /// <summary>The identity in inference: an <c>Identity</c>.</summary>
    private sealed class Dropout : OnnxOp
    {
        public override string Export(OnnxGraphWriter writer, NodeDefinition node, string[] x) => writer.Add("Identity", node.Name, [x[0]]);

        /// <summary>Exporters in inference mode often drop it; an Identity or Dropout left in the graph is taken.</summary>
        public override string Import(OnnxGraphReader reader, NodeDefinition node, string[] x, double[] parameters, double[] state) =>
            reader.TakeOptional(x[0], "Dropout", "Identity") is { } dropout ? Output(dropout) : x[0];
    }
}
