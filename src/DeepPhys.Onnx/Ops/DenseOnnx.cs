namespace DeepPhys.Onnx.Ops;

/// <summary>The dense layer's ONNX mapping.</summary>
internal static class DenseOnnx
{
    public static readonly IReadOnlyDictionary<NodeKind, OnnxOp> All = new Dictionary<NodeKind, OnnxOp> { [NodeKind.Dense] = new Dense() };

    /// <summary>A <c>Gemm</c> with PyTorch's <c>[units, inputs]</c> weight (<c>transB = 1</c>); read back also from <c>transB = 0</c>, or a <c>MatMul</c> then an <c>Add</c>.</summary>
    private sealed class Dense : OnnxOp
    {
        public override string Export(OnnxGraphWriter writer, NodeDefinition node, string[] x) =>
            writer.Add("Gemm", node.Name, [x[0], writer.Tensor(node, "weight"), writer.Tensor(node, "bias")], Int("transB", 1));

        public override string Import(OnnxGraphReader reader, NodeDefinition node, string[] x, double[] parameters, double[] state)
        {
            string where = reader.Where(node);
            var gemm = reader.Take([x[0]], where, "Gemm", "MatMul");
            var inputs = gemm.Strings(F.NodeInput).ToList();
            bool transposed;
            string biasName, result;
            if (gemm.String(F.NodeOpType) == "Gemm")
            {
                if (Attribute(gemm, "transA")?.Int64(F.AttributeInt) is not (null or 0)) throw reader.Error($"{Describe(gemm)} transposes its input; {where} cannot");
                foreach (var factor in new[] { "alpha", "beta" })
                {
                    if (Attribute(gemm, factor) is { } scale && scale.Float(F.AttributeFloat) != 1f) throw reader.Error($"{Describe(gemm)} has {factor} = {scale.Float(F.AttributeFloat)}; {where} needs 1");
                }

                if (inputs.Count != 3) throw reader.Error($"{Describe(gemm)} has no bias input; {where} has a bias");
                transposed = Attribute(gemm, "transB")?.Int64(F.AttributeInt) == 1;
                biasName = inputs[2];
                result = Output(gemm);
            }
            else
            {
                transposed = false;
                var add = reader.Take([Output(gemm)], where, "Add");
                biasName = add.Strings(F.NodeInput).First(n => n != Output(gemm));
                result = Output(add);
            }

            int units = node.Units, fanIn = node.WeightCount / units;
            var weights = reader.Values(inputs[1], transposed ? [units, fanIn] : [fanIn, units], where, "weight");
            if (transposed)
            {
                for (int u = 0; u < units; u++)
                {
                    for (int i = 0; i < fanIn; i++) parameters[node.ParameterOffset + (i * units) + u] = weights[(u * fanIn) + i];
                }
            }
            else
            {
                weights.CopyTo(parameters, node.ParameterOffset);
            }

            reader.Values(biasName, [units], where, "bias").CopyTo(parameters, node.BiasOffset);
            return result;
        }
    }
}
