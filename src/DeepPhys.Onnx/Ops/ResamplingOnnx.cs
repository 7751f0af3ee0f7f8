namespace DeepPhys.Onnx.Ops;

/// <summary>Nearest upsampling's ONNX mapping.</summary>
internal static class ResamplingOnnx
{
    public static readonly IReadOnlyDictionary<NodeKind, OnnxOp> All = new Dictionary<NodeKind, OnnxOp>
    {
        [NodeKind.UpSampling2D] = new UpSampling(),
        [NodeKind.UpSampling1D] = new UpSampling(),
    };

    /// <summary>
    /// Nearest upsampling as a <c>Resize</c> by constant scales <c>[1, 1, …factors]</c> whose rule picks input <c>⌊out / factor⌋</c>:
    /// <c>asymmetric</c> coordinates with <c>floor</c> (PyTorch's export and DeepPhys's), or ONNX's defaults (<c>half_pixel</c>,
    /// <c>round_prefer_floor</c>), which pick the same inputs for whole factors.
    /// </summary>
    private sealed class UpSampling : OnnxOp
    {
        /// <summary>The scales are FLOAT in any graph, as Resize takes them.</summary>
        public override string Export(OnnxGraphWriter writer, NodeDefinition node, string[] x) =>
            writer.Add("Resize", node.Name, [x[0], "", writer.Initializer(node.Name + ".scales", [node.Shape.Count + 1], OnnxModel.ResizeScales(writer.Definition, node), F.DataTypeFloat)],
                String("mode", "nearest"), String("coordinate_transformation_mode", "asymmetric"), String("nearest_mode", "floor"));

        public override string Import(OnnxGraphReader reader, NodeDefinition node, string[] x, double[] parameters, double[] state)
        {
            string where = reader.Where(node);
            var resize = reader.Take([x[0]], where, "Resize");
            string Text(string name, string fallback) => Attribute(resize, name)?.String(F.AttributeString) is { Length: > 0 } value ? value : fallback;
            string mode = Text("mode", "nearest"), coordinates = Text("coordinate_transformation_mode", "half_pixel"), rounding = Text("nearest_mode", "round_prefer_floor");
            if (mode != "nearest") throw reader.Error($"{Describe(resize)} interpolates with mode = {mode}; {where} repeats the nearest value");
            if ((coordinates, rounding) is not (("asymmetric", "floor") or ("half_pixel", "round_prefer_floor")))
            {
                throw reader.Error($"{Describe(resize)} maps coordinates by {coordinates} with {rounding}; {where} needs asymmetric with floor (or half_pixel with round_prefer_floor)");
            }

            var inputs = resize.Strings(F.NodeInput).ToList();
            string scales = inputs.ElementAtOrDefault(2) ?? "";
            if (scales.Length == 0) throw reader.Error($"{Describe(resize)} gives output sizes, not scales; {where} needs constant scales");
            var expected = OnnxModel.ResizeScales(reader.Definition, node);
            var actual = reader.Values(scales, [expected.Length], where, "scales");
            if (!actual.SequenceEqual(expected)) throw reader.Error($"{Describe(resize)} has scales [{string.Join(", ", actual)}]; {where} needs [{string.Join(", ", expected)}]");
            return Output(resize);
        }
    }
}
