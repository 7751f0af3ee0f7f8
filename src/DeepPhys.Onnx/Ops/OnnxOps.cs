namespace DeepPhys.Onnx.Ops;

/// <summary>
/// Every op's ONNX mapping by its kind, gathered from the families (one file each, as the generator's descriptors are): a new op
/// of a family is listed in its family's <c>All</c>, a new family here. <see cref="NodeKind.Input"/>, a graph input, has none.
/// </summary>
internal static class OnnxOps
{
    public static readonly IReadOnlyDictionary<NodeKind, OnnxOp> ByKind = new[]
    {
        GraphOnnx.All,
        DenseOnnx.All,
        ConvolutionOnnx.All,
        PoolingOnnx.All,
        NormalizationOnnx.All,
        RecurrentOnnx.All,
        ResamplingOnnx.All,
        GenerativeOnnx.All,
    }.SelectMany(family => family).ToDictionary(mapping => mapping.Key, mapping => mapping.Value);
}
