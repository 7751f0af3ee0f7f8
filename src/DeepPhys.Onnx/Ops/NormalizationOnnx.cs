using System.Globalization;

namespace DeepPhys.Onnx.Ops;

/// <summary>Batch norm's ONNX mapping.</summary>
internal static class NormalizationOnnx
{
    public static readonly IReadOnlyDictionary<NodeKind, OnnxOp> All = new Dictionary<NodeKind, OnnxOp> { [NodeKind.BatchNorm] = new BatchNorm() };

    /// <summary>A <c>BatchNormalization</c> in inference mode: scale, bias, and the running statistics from the network's state.</summary>
    private sealed class BatchNorm : OnnxOp
    {
        public override string Export(OnnxGraphWriter writer, NodeDefinition node, string[] x) =>
            writer.Add("BatchNormalization", node.Name, [x[0], writer.Tensor(node, "weight"), writer.Tensor(node, "bias"), writer.Tensor(node, "running_mean", writer.State), writer.Tensor(node, "running_var", writer.State)],
                Float("epsilon", node.Epsilon), Float("momentum", node.Momentum));

        public override string Import(OnnxGraphReader reader, NodeDefinition node, string[] x, double[] parameters, double[] state)
        {
            string where = reader.Where(node);
            var norm = reader.Take(x, where, "BatchNormalization");
            if (Attribute(norm, "training_mode")?.Int64(F.AttributeInt) is { } training && training != 0) throw reader.Error($"{Describe(norm)} normalises with batch statistics (training_mode = 1); export the model in inference mode");
            float epsilon = Attribute(norm, "epsilon")?.Float(F.AttributeFloat) ?? 1e-5f;
            if (Math.Abs(epsilon - node.Epsilon) > 1e-6 * Math.Max(1, node.Epsilon) + 1e-9)
            {
                throw reader.Error($"{Describe(norm)} has epsilon = {epsilon.ToString(CultureInfo.InvariantCulture)}; {where} has {node.Epsilon.ToString(CultureInfo.InvariantCulture)}");
            }

            var inputs = norm.Strings(F.NodeInput).ToList();
            if (inputs.Count != 5) throw reader.Error($"{Describe(norm)} has {inputs.Count} inputs; {where} expects scale, bias, mean and variance");
            reader.Values(inputs[1], [node.Units], where, "scale").CopyTo(parameters, node.ParameterOffset);
            reader.Values(inputs[2], [node.Units], where, "bias").CopyTo(parameters, node.BiasOffset);
            reader.Values(inputs[3], [node.Units], where, "running mean").CopyTo(state, node.StateOffset);
            reader.Values(inputs[4], [node.Units], where, "running variance").CopyTo(state, node.StateOffset + node.Units);
            return Output(norm);
        }
    }
}
