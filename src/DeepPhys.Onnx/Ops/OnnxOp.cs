namespace DeepPhys.Onnx.Ops;

/// <summary>
/// One op's ONNX mapping: what export writes for its node and what import matches, side by side, so the two stay each
/// other's inverse. Both cover the operation only; the writer and the reader add the node's activation after it.
/// </summary>
internal abstract class OnnxOp
{
    /// <summary>Writes the node's operation on the tensors <paramref name="x"/>; returns the tensor holding its result.</summary>
    public abstract string Export(OnnxGraphWriter writer, NodeDefinition node, string[] x);

    /// <summary>
    /// Takes the ONNX nodes computing the node's operation on the tensors <paramref name="x"/>, reading its weights into
    /// <paramref name="parameters"/> and its statistics into <paramref name="state"/>; returns the tensor holding its result.
    /// </summary>
    public abstract string Import(OnnxGraphReader reader, NodeDefinition node, string[] x, double[] parameters, double[] state);
}
