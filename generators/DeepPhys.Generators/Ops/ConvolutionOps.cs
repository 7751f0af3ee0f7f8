using System.Collections.Generic;
using System.Linq;
using DeepPhys.Generators.Model;
using static System.FormattableString;

namespace DeepPhys.Generators.Ops
{
    /// <summary>The family's descriptors, which <see cref="OpRegistry.All"/> gathers: a new op of the family is listed here only.</summary>
    internal static class ConvolutionOps
    {
        public static readonly IReadOnlyList<OpDescriptor> All = new OpDescriptor[] { ConvolutionOp.Conv2D, ConvolutionOp.Conv1D, TransposedConvolutionOp.Conv2DTranspose };
    }

    /// <summary>
    /// What convolutions and transposed convolutions share: their arguments (filters, a kernel and a stride per spatial axis,
    /// padding, bias; a 2-D attribute may set the kernel's and the stride's axes one by one), their filters and their weight counts.
    /// </summary>
    internal abstract class ConvolutionFamily : OpDescriptor
    {
        private static readonly Parameter[] Arguments =
        {
            new("filters", ParameterType.Integer, AttributeName: "filters"),
            new("kernel", ParameterType.PerAxis, 3, "kernel"),
            new("stride", ParameterType.PerAxis, 1, "Stride"),
            new("padding", ParameterType.Padding, AttributeName: "Padding"),
            Parameter.PostActivation,
            new("bias", ParameterType.Flag, true, "UseBias"),
            Parameter.Slope,
        };

        /// <summary>A 2-D layer's attribute also takes a rectangular kernel (<c>[Conv2D(16, 3, 5)]</c>) and a stride per axis.</summary>
        private static readonly Parameter[] Arguments2D = Arguments.Concat(new[]
        {
            Parameter.AxisOfArgument("kernel", 0, "kernelHeight"),
            Parameter.AxisOfArgument("kernel", 1, "kernelWidth"),
            Parameter.AxisOfArgument("stride", 0, "StrideHeight", 0),
            Parameter.AxisOfArgument("stride", 1, "StrideWidth", 0),
        }).ToArray();

        protected ConvolutionFamily(OpKind kind, string dslName, LayerAttribute attribute, int spatialAxes)
            : base(kind, dslName)
        {
            Attribute = attribute;
            SpatialAxes = spatialAxes;
        }

        public override LayerAttribute Attribute { get; }

        public override IReadOnlyList<Parameter> Parameters => SpatialAxes == 2 ? Arguments2D : Arguments;

        /// <summary>2 for images, 1 for signals.</summary>
        protected int SpatialAxes { get; }

        public override OpArguments Bind(ArgumentReader reader) =>
            new ConvolutionArguments(reader.Positive("filters"), reader.PerAxis("kernel", SpatialAxes), reader.PerAxis("stride", SpatialAxes), reader.Padding("padding"), reader.Flag("bias"));

        protected static ConvolutionArguments Of(NodeSpec node) => (ConvolutionArguments)node.Arguments;

        public override int Units(NodeSpec node) => Of(node).Filters;

        /// <summary>Taps per channel: the kernel's height × width, or its length.</summary>
        protected static int Taps(NodeSpec node) => Size(Of(node).Kernel);

        /// <summary>Filters × input channels × taps, whichever way round the layout has them.</summary>
        public override (long Weights, long Biases) ParameterCounts(OpArguments arguments, EquatableArray<int> input)
        {
            var a = (ConvolutionArguments)arguments;
            return (Capped((double)a.Filters * input[0] * CappedSize(a.Kernel)), a.Bias ? a.Filters : 0);
        }

        protected static string Dimensions(EquatableArray<int> kernel) => string.Join(", ", kernel);
    }

    /// <summary>
    /// A 2-D (<c>[Conv2D]</c>, DSL <c>conv2d</c>, images <c>[channels, height, width]</c>) or 1-D (<c>[Conv1D]</c>, DSL <c>conv1d</c>,
    /// signals <c>[channels, length]</c>) cross-correlation with weights <c>[filters, channels, kernel…]</c> (PyTorch's layout).
    /// </summary>
    internal sealed class ConvolutionOp : ConvolutionFamily
    {
        public static readonly ConvolutionOp Conv2D = new(OpKind.Conv2D, "conv2d", new("DeepPhys.Conv2DAttribute", "conv2d"), spatialAxes: 2);
        public static readonly ConvolutionOp Conv1D = new(OpKind.Conv1D, "conv1d", new("DeepPhys.Conv1DAttribute", "conv1d"), spatialAxes: 1);

        private ConvolutionOp(OpKind kind, string dslName, LayerAttribute attribute, int spatialAxes)
            : base(kind, dslName, attribute, spatialAxes)
        {
        }

        public override ShapeCheck Shape(OpArguments arguments, IReadOnlyList<EquatableArray<int>> inputs)
        {
            var a = (ConvolutionArguments)arguments;
            return WindowGeometry.Output(inputs[0], a.Kernel, a.Stride, a.Padding, a.Filters);
        }

        public override int FanIn(NodeSpec node) => node.InputShape[0] * Taps(node);

        public override int FanOut(NodeSpec node) => Of(node).Filters * Taps(node);

        public override long Flops(NodeSpec node) => ((2L * FanIn(node)) + 1) * node.Size;

        /// <summary>PyTorch's <c>nn.Conv2d</c>/<c>nn.Conv1d</c>: <c>weight [filters, channels, kernel…]</c>, then <c>bias</c>.</summary>
        public override IEnumerable<TensorSpec> Tensors(NodeSpec node) => WeightAndBias(node, new[] { Of(node).Filters, node.InputShape[0] }.Concat(Of(node).Kernel).ToArray());

        public override string WeightsDoc(NodeSpec node, int offset)
        {
            var a = Of(node);
            string taps = SpatialAxes == 2 ? "kernel rows × kernel columns" : "kernel";
            return Invariant($"weights [{a.Filters}, {node.InputShape[0]}, {Dimensions(a.Kernel)}], row-major (filters × channels × {taps}, PyTorch's layout)");
        }

        public override IEnumerable<string> DefinitionEntries(NodeSpec node)
        {
            var a = Of(node);
            yield return Invariant($"Units = {a.Filters}");
            foreach (string entry in WindowGeometry.DefinitionEntries(node.InputShape, a.Kernel, a.Stride, a.Padding)) yield return entry;
        }

        /// <summary>A 2-D convolution applies its ReLU per image while the image is in cache.</summary>
        public override bool FusesRelu => SpatialAxes == 2;

        public override void Forward(IOpWriter w, OpSite s) => Forward(w, s, relu: false);

        public override void ForwardRelu(IOpWriter w, OpSite s, bool smallDense) => Forward(w, s, relu: true);

        private void Forward(IOpWriter w, OpSite s, bool relu) =>
            w.Line(Invariant($"{KernelClass}Forward({s.Inputs[0]}, {w.Parameters(s.Node, false)}, {w.Parameters(s.Node, true)}, {s.Output}, batch, filters: {Units(s.Node)}, {Window(s.Node)}{(relu ? ", relu: true" : string.Empty)});"));

        public override void ParameterGradients(IOpWriter w, OpSite s) =>
            w.Line(Invariant($"{KernelClass}BackwardParameters({s.Inputs[0]}, {s.Delta}, {w.Gradients(s.Node, false)}, {w.Gradients(s.Node, true)}, batch, filters: {Units(s.Node)}, {Window(s.Node)});"));

        /// <summary>The threaded 2-D kernel clears each image as it reaches it; the 1-D kernel adds.</summary>
        public override void Backward(IOpWriter w, OpSite s, int input, string target, bool accumulate)
        {
            string arguments = Invariant($"{s.Delta}, {w.Parameters(s.Node, false)}, {target}, batch, filters: {Units(s.Node)}, {Window(s.Node)}");
            if (SpatialAxes == 2) OverwritingKernel(w, KernelClass + "BackwardInput", arguments, accumulate);
            else AddingKernel(w, target, accumulate, $"{KernelClass}BackwardInput({arguments});");
        }

        private string KernelClass => Kernels + (SpatialAxes == 2 ? "Conv2DKernels." : "Conv1DKernels.");

        private static string Window(NodeSpec node)
        {
            var a = Of(node);
            return WindowGeometry.Literal(node.InputShape, a.Kernel, a.Stride, a.Padding);
        }
    }

    /// <summary>
    /// A 2-D transposed convolution (<c>[Conv2DTranspose]</c>, DSL <c>conv2d_transpose</c>; PyTorch's <c>nn.ConvTranspose2d</c>, Keras's
    /// <c>Conv2DTranspose</c>): the input gradient of the convolution that maps its output back to its input, whose geometry
    /// (the mirrored window, see <c>Conv2DTransposeKernels</c>) is <see cref="WindowGeometry"/>'s on the output. Weights
    /// <c>[channels, filters, kh, kw]</c> (PyTorch's layout), then the bias. Per axis the output is <c>in · stride</c> for
    /// 'same' (Keras's), <c>(in − 1) · stride + kernel</c> for 'valid', and <c>(in − 1) · stride + kernel − 2 · padding</c>
    /// for explicit padding (PyTorch's <c>padding</c>, cropping the full output).
    /// </summary>
    internal sealed class TransposedConvolutionOp : ConvolutionFamily
    {
        public static readonly TransposedConvolutionOp Conv2DTranspose = new();

        private TransposedConvolutionOp()
            : base(OpKind.Conv2DTranspose, "conv2d_transpose", new("DeepPhys.Conv2DTransposeAttribute", "conv2d_transpose"), spatialAxes: 2)
        {
        }

        public override ShapeCheck Shape(OpArguments arguments, IReadOnlyList<EquatableArray<int>> inputs)
        {
            var a = (ConvolutionArguments)arguments;
            var input = inputs[0];
            if (WindowGeometry.WrongRank(input, 2) is { } wrong) return wrong;
            return ShapeCheck.Ok(a.Filters, WindowGeometry.Transposed(input[1], a.Kernel[0], a.Stride[0], a.Padding), WindowGeometry.Transposed(input[2], a.Kernel[1], a.Stride[1], a.Padding));
        }

        /// <summary>Keras's and PyTorch's fans of a transposed kernel: filters × taps in, channels × taps out.</summary>
        public override int FanIn(NodeSpec node) => Of(node).Filters * Taps(node);

        public override int FanOut(NodeSpec node) => node.InputShape[0] * Taps(node);

        /// <summary>Every input value times every weight of its channel (a multiply-add each), and a bias add per output.</summary>
        public override long Flops(NodeSpec node) => (2L * Size(node.InputShape) * Of(node).Filters * Taps(node)) + node.Size;

        /// <summary>PyTorch's <c>nn.ConvTranspose2d</c>: <c>weight [channels, filters, kh, kw]</c>, then <c>bias</c>.</summary>
        public override IEnumerable<TensorSpec> Tensors(NodeSpec node) => WeightAndBias(node, new[] { node.InputShape[0], Of(node).Filters }.Concat(Of(node).Kernel).ToArray());

        public override string WeightsDoc(NodeSpec node, int offset)
        {
            var a = Of(node);
            return Invariant($"weights [{node.InputShape[0]}, {a.Filters}, {Dimensions(a.Kernel)}], row-major (channels × filters × kernel rows × kernel columns, PyTorch's ConvTranspose2d layout)");
        }

        /// <summary>Kernel and strides as written; the pads are the mirrored window's, ONNX ConvTranspose's crop of the full output.</summary>
        public override IEnumerable<string> DefinitionEntries(NodeSpec node)
        {
            var a = Of(node);
            yield return Invariant($"Units = {a.Filters}");
            foreach (string entry in WindowGeometry.DefinitionEntries(node.Shape, a.Kernel, a.Stride, a.Padding)) yield return entry;
        }

        public override void Forward(IOpWriter w, OpSite s) =>
            w.Line(Invariant($"{KernelClass}Forward({s.Inputs[0]}, {w.Parameters(s.Node, false)}, {w.Parameters(s.Node, true)}, {s.Output}, batch, inChannels: {s.Node.InputShape[0]}, {Window(s.Node)});"));

        public override void ParameterGradients(IOpWriter w, OpSite s) =>
            w.Line(Invariant($"{KernelClass}BackwardParameters({s.Inputs[0]}, {s.Delta}, {w.Gradients(s.Node, false)}, {w.Gradients(s.Node, true)}, batch, inChannels: {s.Node.InputShape[0]}, {Window(s.Node)});"));

        public override void Backward(IOpWriter w, OpSite s, int input, string target, bool accumulate) =>
            OverwritingKernel(w, KernelClass + "BackwardInput", Invariant($"{s.Delta}, {w.Parameters(s.Node, false)}, {target}, batch, inChannels: {s.Node.InputShape[0]}, {Window(s.Node)}"), accumulate);

        private const string KernelClass = Kernels + "Conv2DTransposeKernels.";

        /// <summary>The mirrored window: the convolution from this node's output back to its input.</summary>
        private static string Window(NodeSpec node)
        {
            var a = Of(node);
            return WindowGeometry.Literal(node.Shape, a.Kernel, a.Stride, a.Padding);
        }
    }

    /// <summary>
    /// Where a window slides over an image <c>[channels, height, width]</c> or a signal <c>[channels, length]</c>, with a size
    /// and a stride per spatial axis: explicit padding on every side, or Keras's (and PyTorch's) 'same' per axis:
    /// <c>⌈size / stride⌉</c> outputs, the padding <c>max((out − 1)·stride + window − size, 0)</c> split with the odd one
    /// after (bottom, right, end).
    /// </summary>
    internal static class WindowGeometry
    {
        /// <summary>DPH0406 naming the input's shape when it is not what a layer with <paramref name="spatialAxes"/> spatial axes reads (an image, a signal); <c>null</c> when it is.</summary>
        public static ShapeCheck? WrongRank(EquatableArray<int> input, int spatialAxes) =>
            input.Count == spatialAxes + 1
                ? null
                : ShapeCheck.Fail(DiagnosticDescriptors.WindowTooLarge, Shape(input), spatialAxes == 2 ? "an image [channels, height, width]" : "a signal [channels, length]");

        /// <summary>The output shape, <c>[channels, …]</c>, or why the input does not fit.</summary>
        public static ShapeCheck Output(EquatableArray<int> input, EquatableArray<int> window, EquatableArray<int> stride, ZeroPadding padding, int channels)
        {
            int spatialAxes = window.Count;
            if (WrongRank(input, spatialAxes) is { } wrong) return wrong;
            var padded = input.Skip(1).Select(size => (long)size + (2L * padding.Size)).ToList();
            if (!padding.Same && window.Where((size, axis) => size > padded[axis]).Any())
            {
                return ShapeCheck.Fail(DiagnosticDescriptors.WindowTooLarge, Shape(input), $"a window of at most {string.Join(" × ", padded)} (it is {string.Join(" × ", window)})");
            }

            var shape = new int[spatialAxes + 1];
            shape[0] = channels;
            for (int axis = 1; axis <= spatialAxes; axis++) shape[axis] = Along(input[axis], window[axis - 1], stride[axis - 1], padding).Outputs;
            return ShapeCheck.Ok(shape);
        }

        /// <summary>Along one axis: the zeros before the first value, the zeros after the last, and the outputs.</summary>
        public static (int Before, int After, int Outputs) Along(int size, int window, int stride, ZeroPadding padding)
        {
            if (!padding.Same) return (padding.Size, padding.Size, ((size + (2 * padding.Size) - window) / stride) + 1);
            int outputs = (size + stride - 1) / stride;
            int total = System.Math.Max(((outputs - 1) * stride) + window - size, 0);
            return (total / 2, total - (total / 2), outputs);
        }

        /// <summary>
        /// A transposed convolution's output along one axis, whose 'same' or explicit padding <see cref="Along"/> gives back
        /// <paramref name="size"/> outputs; in long arithmetic, capped at <see cref="int.MaxValue"/> (a too-large network is DPH0111).
        /// </summary>
        public static int Transposed(int size, int window, int stride, ZeroPadding padding)
        {
            long outputs = padding.Same ? (long)size * stride : ((long)(size - 1) * stride) + window - (2L * padding.Size);
            return (int)System.Math.Max(System.Math.Min(outputs, int.MaxValue), int.MinValue);
        }

        /// <summary>The kernels' <c>ImageWindow</c> or <c>SignalWindow</c> for an input shape, as a constructor call of named literals.</summary>
        public static string Literal(EquatableArray<int> input, EquatableArray<int> window, EquatableArray<int> stride, ZeroPadding padding)
        {
            if (window.Count == 1)
            {
                var g = Along(input[1], window[0], stride[0], padding);
                return Invariant($"new global::DeepPhys.Kernels.SignalWindow(Channels: {input[0]}, Length: {input[1]}, Size: {window[0]}, Stride: {stride[0]}, PadLeft: {g.Before}, OutLength: {g.Outputs})");
            }

            var rows = Along(input[1], window[0], stride[0], padding);
            var columns = Along(input[2], window[1], stride[1], padding);
            return Invariant($"new global::DeepPhys.Kernels.ImageWindow(Channels: {input[0]}, Height: {input[1]}, Width: {input[2]}, KernelHeight: {window[0]}, KernelWidth: {window[1]}, StrideHeight: {stride[0]}, StrideWidth: {stride[1]}, PadTop: {rows.Before}, PadLeft: {columns.Before}, OutHeight: {rows.Outputs}, OutWidth: {columns.Outputs})");
        }

        /// <summary>
        /// The window as the runtime definition records it: kernel and strides per spatial axis, and the zero padding in ONNX's
        /// order (the starts, then the ends: top, left, bottom, right).
        /// </summary>
        public static IEnumerable<string> DefinitionEntries(EquatableArray<int> input, EquatableArray<int> window, EquatableArray<int> stride, ZeroPadding padding)
        {
            var starts = new List<int>();
            var ends = new List<int>();
            for (int axis = 1; axis < input.Count; axis++)
            {
                var g = Along(input[axis], window[axis - 1], stride[axis - 1], padding);
                starts.Add(g.Before);
                ends.Add(g.After);
            }

            starts.AddRange(ends);
            yield return "Kernel = " + Ints(window);
            yield return "Strides = " + Ints(stride);
            yield return "Pads = " + Ints(starts);
        }

        private static string Shape(EquatableArray<int> input) => "[" + string.Join(", ", input) + "]";

        private static string Ints(IEnumerable<int> values) => "new int[] { " + string.Join(", ", values) + " }";
    }
}
