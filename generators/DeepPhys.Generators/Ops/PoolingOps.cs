using System.Collections.Generic;
using DeepPhys.Generators.Model;
using static System.FormattableString;

namespace DeepPhys.Generators.Ops
{
    /// <summary>The family's descriptors, which <see cref="OpRegistry.All"/> gathers: a new op of the family is listed here only.</summary>
    internal static class PoolingOps
    {
        public static readonly IReadOnlyList<OpDescriptor> All = new OpDescriptor[] { PoolOp.MaxPool2D, PoolOp.AvgPool2D, PoolOp.MaxPool1D, PoolOp.AvgPool1D, GlobalPoolOp.Average2D, GlobalPoolOp.Average1D, GlobalPoolOp.Max2D, GlobalPoolOp.Max1D };
    }

    /// <summary>
    /// Max and average pooling of images (<c>[MaxPool2D]</c>, <c>[AvgPool2D]</c>, DSL <c>maxpool2d</c>, <c>avgpool2d</c>) and signals
    /// (<c>[MaxPool1D]</c>, <c>[AvgPool1D]</c>, DSL <c>maxpool1d</c>, <c>avgpool1d</c>): a window (2 unless set) moved by its stride (the window unless set), no padding;
    /// an image's window and stride may differ per axis (DSL <c>window: [1, 4]</c>, attribute <c>[MaxPool2D(1, 4)]</c>, <c>StrideWidth</c>).
    /// </summary>
    internal sealed class PoolOp : OpDescriptor
    {
        public static readonly PoolOp MaxPool2D = new(OpKind.MaxPool2D, "maxpool2d", new("DeepPhys.MaxPool2DAttribute", "max_pooling2d"), 2, max: true);
        public static readonly PoolOp AvgPool2D = new(OpKind.AvgPool2D, "avgpool2d", new("DeepPhys.AvgPool2DAttribute", "average_pooling2d"), 2, max: false);
        public static readonly PoolOp MaxPool1D = new(OpKind.MaxPool1D, "maxpool1d", new("DeepPhys.MaxPool1DAttribute", "max_pooling1d"), 1, max: true);
        public static readonly PoolOp AvgPool1D = new(OpKind.AvgPool1D, "avgpool1d", new("DeepPhys.AvgPool1DAttribute", "average_pooling1d"), 1, max: false);

        private static readonly Parameter[] Arguments =
        {
            new("window", ParameterType.PerAxis, 2, "window"),
            new("stride", ParameterType.PerAxis, AttributeName: "Stride", AttributeUnset: 0),
        };

        /// <summary>A 2-D pool's attribute also takes a rectangular window (<c>[MaxPool2D(1, 4)]</c>) and a stride per axis.</summary>
        private static readonly Parameter[] Arguments2D =
        {
            Arguments[0],
            Arguments[1],
            Parameter.AxisOfArgument("window", 0, "windowHeight"),
            Parameter.AxisOfArgument("window", 1, "windowWidth"),
            Parameter.AxisOfArgument("stride", 0, "StrideHeight", 0),
            Parameter.AxisOfArgument("stride", 1, "StrideWidth", 0),
        };

        private readonly int spatialAxes;
        private readonly bool max;

        private PoolOp(OpKind kind, string dslName, LayerAttribute attribute, int spatialAxes, bool max)
            : base(kind, dslName)
        {
            Attribute = attribute;
            this.spatialAxes = spatialAxes;
            this.max = max;
        }

        public override LayerAttribute Attribute { get; }

        public override IReadOnlyList<Parameter> Parameters => spatialAxes == 2 ? Arguments2D : Arguments;

        public override OpArguments Bind(ArgumentReader reader)
        {
            var window = reader.PerAxis("window", spatialAxes);
            return new PoolArguments(window, reader.PerAxis("stride", spatialAxes, fallback: window));
        }

        public override ShapeCheck Shape(OpArguments arguments, IReadOnlyList<EquatableArray<int>> inputs)
        {
            var a = (PoolArguments)arguments;
            return WindowGeometry.Output(inputs[0], a.Window, a.Stride, ZeroPadding.None, inputs[0][0]);
        }

        public override IEnumerable<string> DefinitionEntries(NodeSpec node)
        {
            var a = (PoolArguments)node.Arguments;
            return WindowGeometry.DefinitionEntries(node.InputShape, a.Window, a.Stride, ZeroPadding.None);
        }

        public override void Forward(IOpWriter w, OpSite s) => w.Line($"{Pool}{(max ? "MaxForward" : "AverageForward")}({s.Inputs[0]}, {s.Output}, batch, {Window(s.Node)});");

        /// <summary>2-D max pooling's threaded kernel overwrites as it goes (tiling windows need no clear); the others add.</summary>
        public override void Backward(IOpWriter w, OpSite s, int input, string target, bool accumulate)
        {
            if (max && spatialAxes == 2) OverwritingKernel(w, $"{Pool}MaxBackward", $"{s.Inputs[0]}, {s.Delta}, {target}, batch, {Window(s.Node)}", accumulate);
            else if (max) AddingKernel(w, target, accumulate, $"{Pool}MaxBackward({s.Inputs[0]}, {s.Delta}, {target}, batch, {Window(s.Node)});");
            else AddingKernel(w, target, accumulate, $"{Pool}AverageBackward({s.Delta}, {target}, batch, {Window(s.Node)});");
        }

        private const string Pool = Kernels + "PoolingKernels.";

        private string Window(NodeSpec node)
        {
            var a = (PoolArguments)node.Arguments;
            return WindowGeometry.Literal(node.InputShape, a.Window, a.Stride, ZeroPadding.None);
        }
    }

    /// <summary>
    /// The average or the maximum of each channel: <c>[GlobalAveragePooling2D]</c> (DSL <c>globalavgpool2d</c>),
    /// <c>[GlobalAveragePooling1D]</c> (<c>globalavgpool1d</c>), <c>[GlobalMaxPooling2D]</c> (<c>globalmaxpool2d</c>) and
    /// <c>[GlobalMaxPooling1D]</c> (<c>globalmaxpool1d</c>); the maximum's gradient goes to the channel's first maximum.
    /// </summary>
    internal sealed class GlobalPoolOp : OpDescriptor
    {
        public static readonly GlobalPoolOp Average2D = new(OpKind.GlobalAvgPool2D, "globalavgpool2d", new("DeepPhys.GlobalAveragePooling2DAttribute", "global_average_pooling2d"), 2, max: false);
        public static readonly GlobalPoolOp Average1D = new(OpKind.GlobalAvgPool1D, "globalavgpool1d", new("DeepPhys.GlobalAveragePooling1DAttribute", "global_average_pooling1d"), 1, max: false);
        public static readonly GlobalPoolOp Max2D = new(OpKind.GlobalMaxPool2D, "globalmaxpool2d", new("DeepPhys.GlobalMaxPooling2DAttribute", "global_max_pooling2d"), 2, max: true);
        public static readonly GlobalPoolOp Max1D = new(OpKind.GlobalMaxPool1D, "globalmaxpool1d", new("DeepPhys.GlobalMaxPooling1DAttribute", "global_max_pooling1d"), 1, max: true);

        private readonly int spatialAxes;
        private readonly bool max;

        private GlobalPoolOp(OpKind kind, string dslName, LayerAttribute attribute, int spatialAxes, bool max)
            : base(kind, dslName)
        {
            Attribute = attribute;
            this.spatialAxes = spatialAxes;
            this.max = max;
        }

        public override LayerAttribute Attribute { get; }

        public override ShapeCheck Shape(OpArguments arguments, IReadOnlyList<EquatableArray<int>> inputs) =>
            WindowGeometry.WrongRank(inputs[0], spatialAxes) ?? ShapeCheck.Ok(inputs[0][0]);

        public override void Forward(IOpWriter w, OpSite s) =>
            w.Line(Invariant($"{Kernels}PoolingKernels.{(max ? "GlobalMaxForward" : "GlobalAverageForward")}({s.Inputs[0]}, {s.Output}, plane: {InputPlane(s.Node)});"));

        /// <summary>The maximum's kernel clears each channel as it reaches it; the average's adds.</summary>
        public override void Backward(IOpWriter w, OpSite s, int input, string target, bool accumulate)
        {
            if (max) OverwritingKernel(w, $"{Kernels}PoolingKernels.GlobalMaxBackward", Invariant($"{s.Inputs[0]}, {s.Delta}, {target}, plane: {InputPlane(s.Node)}"), accumulate);
            else AddingKernel(w, target, accumulate, Invariant($"{Kernels}PoolingKernels.GlobalAverageBackward({s.Delta}, {target}, plane: {InputPlane(s.Node)});"));
        }

        /// <summary>Values per channel of the input.</summary>
        private static int InputPlane(NodeSpec node) => Size(node.InputShape) / node.InputShape[0];
    }
}
