namespace DeepPhys.Onnx.Ops;

/// <summary>The generative family's mappings (the generator's <c>GenerativeOps</c>).</summary>
internal static class GenerativeOnnx
{
    public static readonly IReadOnlyDictionary<NodeKind, OnnxOp> All = new Dictionary<NodeKind, OnnxOp>
    {
        [NodeKind.Sample] = new Sample(),
    };

    /// <summary>
    /// An exported graph is the inference pass, where a sample is its μ: an <c>Identity</c> of the μ node (ONNX's
    /// <c>RandomNormalLike</c> would make the exported prediction random where <c>Predict</c> is not). The one-input form, μ and
    /// logvar halves of one vector, would need a <c>Split</c> the reader does not match: its export names the layer and stops.
    /// </summary>
    private sealed class Sample : OnnxOp
    {
        public override string Export(OnnxGraphWriter writer, NodeDefinition node, string[] x) => node.Inputs.Count == 2
            ? writer.Add("Identity", node.Name, [x[0]])
            : throw new NotSupportedException(
                $"{writer.Definition.Name}.{node.Name} is a Sample node reading μ and logvar as the halves of one vector ([Sample] or sample(h)), which has no ONNX export; write sample(mu, logvar) with two nodes, exported as an Identity of μ (prediction's output).");

        public override string Import(OnnxGraphReader reader, NodeDefinition node, string[] x, double[] parameters, double[] state) =>
            reader.TakeOptional(x[0], "Identity") is { } identity ? OnnxGraphReader.Output(identity) : x[0];
    }
}
