using System.Collections.Generic;
using DeepPhys.Generators.Model;
using static System.FormattableString;

namespace DeepPhys.Generators.Ops
{
    /// <summary>The family's descriptors, which <see cref="OpRegistry.All"/> gathers: a new op of the family is listed here only.</summary>
    internal static class ResamplingOps
    {
        public static readonly IReadOnlyList<OpDescriptor> All = new OpDescriptor[] { UpSamplingOp.UpSampling2D, UpSamplingOp.UpSampling1D };
    }

    /// <summary>An upsampling's whole factors: rows and columns of an image; a signal's steps are its columns (its rows factor is 1).</summary>
    internal sealed record UpSamplingArguments(int ScaleHeight, int ScaleWidth) : OpArguments;

    /// <summary>
    /// Nearest-neighbour upsampling by whole factors, each value repeated over a block: images <c>[C, H, W]</c> to
    /// <c>[C, H·sh, W·sw]</c> (<c>[UpSampling2D(size)]</c> or <c>[UpSampling2D(height, width)]</c>, DSL <c>upsampling2d(x, size: 2)</c>
    /// or <c>size: [2, 3]</c>) and signals <c>[C, L]</c> to <c>[C, L·s]</c> (<c>[UpSampling1D(size)]</c>, <c>upsampling1d</c>); factor 2 unless set.
    /// Each input's gradient is the sum of its block's.
    /// </summary>
    internal sealed class UpSamplingOp : OpDescriptor
    {
        public static readonly UpSamplingOp UpSampling2D = new(OpKind.UpSampling2D, "upsampling2d", new("DeepPhys.UpSampling2DAttribute", "up_sampling2d"), spatialAxes: 2);
        public static readonly UpSamplingOp UpSampling1D = new(OpKind.UpSampling1D, "upsampling1d", new("DeepPhys.UpSampling1DAttribute", "up_sampling1d"), spatialAxes: 1);

        private static readonly Parameter Factor = new("size", ParameterType.PerAxis, 2, "size");

        /// <summary>The factor for every axis, or (2-D) one per axis: a list in the DSL, the attribute's <c>(height, width)</c> constructor.</summary>
        private static readonly Parameter[] ImageArguments =
        {
            Factor,
            Parameter.AxisOfArgument("size", 0, "height"),
            Parameter.AxisOfArgument("size", 1, "width"),
        };

        private static readonly Parameter[] SignalArguments = { Factor };

        private readonly int spatialAxes;

        private UpSamplingOp(OpKind kind, string dslName, LayerAttribute attribute, int spatialAxes)
            : base(kind, dslName)
        {
            Attribute = attribute;
            this.spatialAxes = spatialAxes;
        }

        public override LayerAttribute Attribute { get; }

        public override IReadOnlyList<Parameter> Parameters => spatialAxes == 2 ? ImageArguments : SignalArguments;

        public override OpArguments Bind(ArgumentReader reader)
        {
            var factors = reader.PerAxis("size", spatialAxes);
            return spatialAxes == 2 ? new UpSamplingArguments(factors[0], factors[1]) : new UpSamplingArguments(1, factors[0]);
        }

        /// <summary>The input's shape with its spatial sizes multiplied (capped at int.MaxValue, which the size check, DPH0111, then reports).</summary>
        public override ShapeCheck Shape(OpArguments arguments, IReadOnlyList<EquatableArray<int>> inputs)
        {
            var input = inputs[0];
            if (WindowGeometry.WrongRank(input, spatialAxes) is { } wrong) return wrong;

            var a = (UpSamplingArguments)arguments;
            return spatialAxes == 2
                ? ShapeCheck.Ok(input[0], Times(input[1], a.ScaleHeight), Times(input[2], a.ScaleWidth))
                : ShapeCheck.Ok(input[0], Times(input[1], a.ScaleWidth));
        }

        /// <summary>Moving values only.</summary>
        public override long Flops(NodeSpec node) => 0;

        public override void Forward(IOpWriter w, OpSite s) => w.Line($"{Kernels}UpSamplingKernels.Forward({s.Inputs[0]}, {s.Output}, batch, {Geometry(s.Node)});");

        /// <summary>The kernel clears each input row just before it sums the row's blocks into it.</summary>
        public override void Backward(IOpWriter w, OpSite s, int input, string target, bool accumulate) =>
            OverwritingKernel(w, $"{Kernels}UpSamplingKernels.Backward", $"{s.Delta}, {target}, batch, {Geometry(s.Node)}", accumulate);

        private static int Times(int size, int factor) => (int)System.Math.Min((long)size * factor, int.MaxValue);

        /// <summary>The kernels' <c>channels, height, width, scaleHeight, scaleWidth</c>; a signal is an image of height 1.</summary>
        private static string Geometry(NodeSpec node)
        {
            var input = node.InputShape;
            var a = (UpSamplingArguments)node.Arguments;
            int height = input.Count == 3 ? input[1] : 1;
            return Invariant($"channels: {input[0]}, height: {height}, width: {input[input.Count - 1]}, scaleHeight: {a.ScaleHeight}, scaleWidth: {a.ScaleWidth}");
        }
    }
}
