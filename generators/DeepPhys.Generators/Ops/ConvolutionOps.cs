using System.Collections.Generic;
using DeepPhys.Generators.Model;
using static System.FormattableString;

namespace DeepPhys.Generators.Ops
{
    /// <summary>
    /// A 2-D (<c>[Conv2D]</c>, DSL <c>conv2d</c>, images <c>[channels, height, width]</c>) or 1-D (<c>[Conv1D]</c>, DSL <c>conv1d</c>,
    /// signals <c>[channels, length]</c>) cross-correlation with weights <c>[filters, channels, kernel…]</c> (PyTorch's layout).
    /// </summary>
    internal sealed class ConvolutionOp : OpDescriptor
    {
        public static readonly ConvolutionOp Conv2D = new(OpKind.Conv2D, "conv2d", new("DeepPhys.Conv2DAttribute", "conv2d"), spatialAxes: 2);
        public static readonly ConvolutionOp Conv1D = new(OpKind.Conv1D, "conv1d", new("DeepPhys.Conv1DAttribute", "conv1d"), spatialAxes: 1);

        private static readonly Parameter[] Arguments =
        {
            new("filters", ParameterType.Integer, AttributeName: "filters"),
            new("kernel", ParameterType.Integer, 3, "kernel"),
            new("stride", ParameterType.Integer, 1, "Stride"),
            new("padding", ParameterType.Padding, AttributeName: "Padding"),
            Parameter.PostActivation,
            new("bias", ParameterType.Flag, true, "UseBias"),
            Parameter.Slope,
        };

        private readonly int spatialAxes;

        private ConvolutionOp(OpKind kind, string dslName, LayerAttribute attribute, int spatialAxes)
            : base(kind, dslName)
        {
            Attribute = attribute;
            this.spatialAxes = spatialAxes;
        }

        public override LayerAttribute Attribute { get; }

        public override IReadOnlyList<Parameter> Parameters => Arguments;

        public override OpArguments Bind(ArgumentReader reader) =>
            new ConvolutionArguments(reader.Positive("filters"), reader.Positive("kernel"), reader.Positive("stride"), reader.Padding("padding"), reader.Flag("bias"));

        public override ShapeCheck Shape(OpArguments arguments, IReadOnlyList<EquatableArray<int>> inputs)
        {
            var a = (ConvolutionArguments)arguments;
            return WindowGeometry.Output(inputs[0], spatialAxes, a.Kernel, a.Stride, a.Padding, a.Filters);
        }

        private static ConvolutionArguments Of(NodeSpec node) => (ConvolutionArguments)node.Arguments;

        public override int Units(NodeSpec node) => Of(node).Filters;

        public override int FanIn(NodeSpec node) => node.InputShape[0] * KernelSize(Of(node).Kernel);

        public override int FanOut(NodeSpec node) => Of(node).Filters * KernelSize(Of(node).Kernel);

        private int KernelSize(int kernel) => spatialAxes == 2 ? kernel * kernel : kernel;

        public override (long Weights, long Biases) ParameterCounts(OpArguments arguments, EquatableArray<int> input)
        {
            var a = (ConvolutionArguments)arguments;
            double kernel = spatialAxes == 2 ? (double)a.Kernel * a.Kernel : a.Kernel;
            return (Capped((double)a.Filters * input[0] * kernel), a.Bias ? a.Filters : 0);
        }

        public override long Flops(NodeSpec node) => ((2L * FanIn(node)) + 1) * node.Size;

        public override string WeightsDoc(NodeSpec node, int offset)
        {
            var a = Of(node);
            return spatialAxes == 2
                ? Invariant($"weights [{a.Filters}, {node.InputShape[0]}, {a.Kernel}, {a.Kernel}], row-major (filters × channels × kernel rows × kernel columns, PyTorch's layout)")
                : Invariant($"weights [{a.Filters}, {node.InputShape[0]}, {a.Kernel}], row-major (filters × channels × kernel, PyTorch's layout)");
        }

        public override IEnumerable<string> DefinitionEntries(NodeSpec node)
        {
            var a = Of(node);
            yield return Invariant($"Units = {a.Filters}");
            foreach (string entry in WindowGeometry.DefinitionEntries(node.InputShape, a.Kernel, a.Stride, a.Padding)) yield return entry;
        }

        /// <summary>A 2-D convolution applies its ReLU per image while the image is in cache.</summary>
        public override bool FusesRelu => spatialAxes == 2;

        public override void Forward(IOpWriter w, OpSite s) => Forward(w, s, relu: false);

        public override void ForwardRelu(IOpWriter w, OpSite s, bool smallDense) => Forward(w, s, relu: true);

        private void Forward(IOpWriter w, OpSite s, bool relu) =>
            w.Line(Invariant($"{KernelClass}Forward({s.Inputs[0]}, {w.Parameters(s.Node, false)}, {w.Parameters(s.Node, true)}, {s.Output}, batch, {Units(s.Node)}, {Window(s.Node)}{(relu ? ", relu: true" : string.Empty)});"));

        public override void ParameterGradients(IOpWriter w, OpSite s) =>
            w.Line(Invariant($"{KernelClass}BackwardParameters({s.Inputs[0]}, {s.Delta}, {w.Gradients(s.Node, false)}, {w.Gradients(s.Node, true)}, batch, {Units(s.Node)}, {Window(s.Node)});"));

        /// <summary>The threaded 2-D kernel clears each image as it reaches it; the 1-D kernel adds.</summary>
        public override void Backward(IOpWriter w, OpSite s, int input, string target, bool accumulate)
        {
            string arguments = Invariant($"{s.Delta}, {w.Parameters(s.Node, false)}, {target}, batch, {Units(s.Node)}, {Window(s.Node)}");
            if (spatialAxes == 2) OverwritingKernel(w, KernelClass + "BackwardInput", arguments, accumulate);
            else AddingKernel(w, target, accumulate, $"{KernelClass}BackwardInput({arguments});");
        }

        private string KernelClass => Kernels + (spatialAxes == 2 ? "Conv2DKernels." : "Conv1DKernels.");

        private string Window(NodeSpec node)
        {
            var a = Of(node);
            return WindowGeometry.Literal(node.InputShape, spatialAxes, a.Kernel, a.Stride, a.Padding);
        }
    }

    /// <summary>
    /// Where a window slides over an image <c>[channels, height, width]</c> or a signal <c>[channels, length]</c>: explicit
    /// padding on every side, or Keras's (and PyTorch's) 'same': <c>⌈size / stride⌉</c> outputs, the padding
    /// <c>max((out − 1)·stride + window − size, 0)</c> split with the odd one after (bottom, right, end).
    /// </summary>
    internal static class WindowGeometry
    {
        /// <summary>The output shape, <c>[channels, …]</c>, or why the input does not fit.</summary>
        public static ShapeCheck Output(EquatableArray<int> input, int spatialAxes, int window, int stride, ZeroPadding padding, int channels)
        {
            string expected = spatialAxes == 2 ? "an image [channels, height, width]" : "a signal [channels, length]";
            if (input.Count != spatialAxes + 1) return ShapeCheck.Fail(DiagnosticDescriptors.WindowTooLarge, "[" + string.Join(", ", input) + "]", expected);
            int smallest = int.MaxValue;
            for (int axis = 1; axis <= spatialAxes; axis++) smallest = System.Math.Min(smallest, input[axis] + (2 * padding.Size));
            if (!padding.Same && window > smallest)
            {
                return ShapeCheck.Fail(DiagnosticDescriptors.WindowTooLarge, "[" + string.Join(", ", input) + "]", Invariant($"a window of at most {smallest} (it is {window})"));
            }

            var shape = new int[spatialAxes + 1];
            shape[0] = channels;
            for (int axis = 1; axis <= spatialAxes; axis++) shape[axis] = Along(input[axis], window, stride, padding).Outputs;
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

        /// <summary>The kernels' <c>ImageWindow</c> or <c>SignalWindow</c> for an input shape, as a constructor call of literals.</summary>
        public static string Literal(EquatableArray<int> input, int spatialAxes, int window, int stride, ZeroPadding padding)
        {
            if (spatialAxes == 1)
            {
                var g = Along(input[1], window, stride, padding);
                return Invariant($"new global::DeepPhys.Kernels.SignalWindow({input[0]}, {input[1]}, {window}, {stride}, {g.Before}, {g.Outputs})");
            }

            var rows = Along(input[1], window, stride, padding);
            var columns = Along(input[2], window, stride, padding);
            return Invariant($"new global::DeepPhys.Kernels.ImageWindow({input[0]}, {input[1]}, {input[2]}, {window}, {stride}, {rows.Before}, {columns.Before}, {rows.Outputs}, {columns.Outputs})");
        }

        /// <summary>
        /// The window as the runtime definition records it: kernel and strides per spatial axis, and the zero padding in ONNX's
        /// order (the starts, then the ends: top, left, bottom, right).
        /// </summary>
        public static IEnumerable<string> DefinitionEntries(EquatableArray<int> input, int window, int stride, ZeroPadding padding)
        {
            var kernel = new List<int>();
            var strides = new List<int>();
            var starts = new List<int>();
            var ends = new List<int>();
            for (int axis = 1; axis < input.Count; axis++)
            {
                var g = Along(input[axis], window, stride, padding);
                kernel.Add(window);
                strides.Add(stride);
                starts.Add(g.Before);
                ends.Add(g.After);
            }

            starts.AddRange(ends);
            yield return "Kernel = " + Ints(kernel);
            yield return "Strides = " + Ints(strides);
            yield return "Pads = " + Ints(starts);
        }

        private static string Ints(IEnumerable<int> values) => "new int[] { " + string.Join(", ", values) + " }";
    }
}
