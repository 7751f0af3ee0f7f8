using System.Collections.Generic;
using System.Linq;
using DeepPhys.Generators.Model;
using static System.FormattableString;

namespace DeepPhys.Generators.Lowering
{
    /// <summary>A shape rule's answer: the output shape, or the problem with the inputs (a descriptor and its message arguments after the node name).</summary>
    internal sealed class ShapeCheck
    {
        private ShapeCheck(int[]? shape, Microsoft.CodeAnalysis.DiagnosticDescriptor? problem, string[] args)
        {
            Shape = shape;
            Problem = problem;
            Args = args;
        }

        public int[]? Shape { get; }

        public Microsoft.CodeAnalysis.DiagnosticDescriptor? Problem { get; }

        public string[] Args { get; }

        public static ShapeCheck Ok(params int[] shape) => new(shape, null, new string[0]);

        public static ShapeCheck Fail(Microsoft.CodeAnalysis.DiagnosticDescriptor problem, params string[] args) => new(null, problem, args);
    }

    /// <summary>What an op's emission rules write through.</summary>
    internal interface IOpWriter
    {
        void Line(string code);

        /// <summary>The dense kernels' class, with a trailing dot: <c>SmallDenseKernels</c> for a small network (<see cref="OpTable.UsesSmallDenseKernels"/>), <c>DenseKernels</c> otherwise.</summary>
        string DenseKernels { get; }

        /// <summary>A scratch block of <paramref name="size"/> values per sample, for kernels that overwrite when the gradient must accumulate.</summary>
        string Scratch(int size);

        /// <summary>The slice of <c>p</c> holding node <paramref name="node"/>'s weights, or its bias (<c>default</c> when it has none).</summary>
        string Parameters(NodeSpec node, bool bias);

        /// <summary>The slice of the gradient buffer <c>g</c> matching <see cref="Parameters"/>.</summary>
        string Gradients(NodeSpec node, bool bias);

        /// <summary>
        /// <paramref name="size"/> values per sample from <paramref name="offset"/> in the node's <see cref="OpTable.ExtraWorkspace"/>
        /// (in the activations <c>a</c>): what the backward pass needs besides the output.
        /// </summary>
        string Extra(NodeSpec node, int offset, int size);

        /// <summary><paramref name="size"/> values from <paramref name="offset"/> in the node's <see cref="OpTable.StateCount"/> values of the network's non-trainable <c>State</c>.</summary>
        string State(NodeSpec node, int offset, int size);
    }

    /// <summary>A node where the emitter writes it: the variables of its values, its gradient and its inputs' values.</summary>
    internal sealed record OpSite(NodeSpec Node, string Output, string Delta, IReadOnlyList<string> Inputs, IReadOnlyList<NodeSpec> InputNodes);

    /// <summary>Writes the forward step of a node into <see cref="OpSite.Output"/> (before its activation).</summary>
    internal delegate void ForwardRule(IOpWriter writer, OpSite site);

    /// <summary>
    /// Writes the gradient the node passes to its input number <paramref name="input"/> into <paramref name="target"/>,
    /// from <see cref="OpSite.Delta"/> (already through the activation): overwriting it, or adding to it when
    /// <paramref name="accumulate"/> (the input feeds several consumers and another one wrote first).
    /// </summary>
    internal delegate void BackwardRule(IOpWriter writer, OpSite site, int input, string target, bool accumulate);

    /// <summary>
    /// One op: its DSL name, how many inputs it takes, and its shape, forward and backward rules side by side; an op with
    /// weights also writes its parameter gradients (<see cref="ParameterGradients"/>, before the input gradients).
    /// </summary>
    internal sealed record OpRule(
        OpKind Kind,
        string Name,
        int MinInputs,
        int MaxInputs,
        System.Func<NodeSpec, IReadOnlyList<EquatableArray<int>>, ShapeCheck> Shape,
        ForwardRule Forward,
        BackwardRule Backward,
        ForwardRule? ParameterGradients = null);

    /// <summary>The op table. Kernels live in the runtime (<c>DeepPhys.Kernels</c>).</summary>
    internal static class OpTable
    {
        private const string Graph = "global::DeepPhys.Kernels.GraphKernels.";
        /// <summary>
        /// The most parameters a network may have for its dense layers to use the runtime's <c>SmallDenseKernels</c> (rows built in
        /// registers, no library call per row); the runtime's <c>SmallDenseKernels.MaxParameters</c>. Larger networks use
        /// <c>DenseKernels</c> and get DPH0112, which says so.
        /// </summary>
        public const int SmallNetworkMaxParameters = 16384;
        private const string Conv = "global::DeepPhys.Kernels.Conv2DKernels.";
        private const string Pool = "global::DeepPhys.Kernels.PoolingKernels.";
        private const string Norm = "global::DeepPhys.Kernels.BatchNormKernels.";
        private const string Recurrent = "global::DeepPhys.Kernels.RecurrentKernels.";
        private const string Conv1 = "global::DeepPhys.Kernels.Conv1DKernels.";

        /// <summary>Whether a network's dense layers use the small-layer kernels: at most <see cref="SmallNetworkMaxParameters"/> parameters.</summary>
        public static bool UsesSmallDenseKernels(GraphSpec graph) => graph.ParameterCount <= SmallNetworkMaxParameters;

        public static readonly IReadOnlyDictionary<OpKind, OpRule> Rules = new[]
        {
            new OpRule(OpKind.Input, "input", 0, 0, (node, _) => ShapeCheck.Ok(node.Shape.ToArray()), NoForward, NoBackward),
            new OpRule(OpKind.Dense, "dense", 1, 1, DenseShape, DenseForward, DenseBackward, DenseParameterGradients),
            new OpRule(OpKind.Activation, "activation", 1, 1, SameShape, CopyForward, PassBackward),
            new OpRule(OpKind.Add, "add", 2, 2, MergeShape, Elementwise("Add"), PassBackward),
            new OpRule(OpKind.Subtract, "subtract", 2, 2, MergeShape, Elementwise("Subtract"), SubtractBackward),
            new OpRule(OpKind.Multiply, "multiply", 2, 2, MergeShape, Elementwise("Multiply"), MultiplyBackward),
            new OpRule(OpKind.Concatenate, "concatenate", 2, int.MaxValue, ConcatenateShape, ConcatenateForward, ConcatenateBackward),
            new OpRule(OpKind.Flatten, "flatten", 1, 1, (node, inputs) => ShapeCheck.Ok(Size(inputs[0])), CopyForward, PassBackward),
            new OpRule(OpKind.Reshape, "reshape", 1, 1, ReshapeShape, CopyForward, PassBackward),
            new OpRule(OpKind.Conv2D, "conv2d", 1, 1, ConvShape, ConvForward, ConvBackward, ConvParameterGradients),
            new OpRule(OpKind.MaxPool2D, "maxpool2d", 1, 1, PoolShape, PoolForward("MaxForward"), MaxPoolBackward),
            new OpRule(OpKind.AvgPool2D, "avgpool2d", 1, 1, PoolShape, PoolForward("AverageForward"), AvgPoolBackward),
            new OpRule(OpKind.GlobalAvgPool2D, "globalavgpool2d", 1, 1, GlobalPoolShape, GlobalPoolForward, GlobalPoolBackward),
            new OpRule(OpKind.Dropout, "dropout", 1, 1, SameShape, DropoutForward, DropoutBackward),
            new OpRule(OpKind.BatchNorm, "batchnorm", 1, 1, SameShape, BatchNormForward, BatchNormBackward, BatchNormParameterGradients),
            new OpRule(OpKind.SimpleRnn, "simple_rnn", 1, 1, RecurrentShape, RecurrentForward, RecurrentBackward, RecurrentParameterGradients),
            new OpRule(OpKind.Lstm, "lstm", 1, 1, RecurrentShape, RecurrentForward, RecurrentBackward, RecurrentParameterGradients),
            new OpRule(OpKind.Gru, "gru", 1, 1, RecurrentShape, RecurrentForward, RecurrentBackward, RecurrentParameterGradients),
            new OpRule(OpKind.Conv1D, "conv1d", 1, 1, Conv1DShape, Conv1DForward, Conv1DBackward, Conv1DParameterGradients),
            new OpRule(OpKind.MaxPool1D, "maxpool1d", 1, 1, Pool1DShape, Pool1DForward("MaxForward"), MaxPool1DBackward),
            new OpRule(OpKind.AvgPool1D, "avgpool1d", 1, 1, Pool1DShape, Pool1DForward("AverageForward"), AvgPool1DBackward),
            new OpRule(OpKind.GlobalAvgPool1D, "globalavgpool1d", 1, 1, GlobalPool1DShape, GlobalPoolForward, GlobalPoolBackward),
            new OpRule(OpKind.Transpose, "transpose", 1, 1, TransposeShape, TransposeForward, TransposeBackward),
        }.ToDictionary(rule => rule.Kind);

        private static int Size(EquatableArray<int> shape) => shape.Aggregate(1, (product, dimension) => product * dimension);

        private static string Format(IEnumerable<int> shape) => "[" + string.Join(", ", shape) + "]";

        private static void NoForward(IOpWriter writer, OpSite site)
        {
        }

        private static void NoBackward(IOpWriter writer, OpSite site, int input, string target, bool accumulate)
        {
        }

        private static ShapeCheck SameShape(NodeSpec node, IReadOnlyList<EquatableArray<int>> inputs) => ShapeCheck.Ok(inputs[0].ToArray());

        private static ShapeCheck DenseShape(NodeSpec node, IReadOnlyList<EquatableArray<int>> inputs) =>
            inputs[0].Count == 1
                ? ShapeCheck.Ok(node.Units)
                : ShapeCheck.Fail(DiagnosticDescriptors.DenseNeedsVector, Format(inputs[0]), Invariant($"[{Size(inputs[0])}]"));

        private static ShapeCheck MergeShape(NodeSpec node, IReadOnlyList<EquatableArray<int>> inputs) =>
            inputs.All(shape => shape == inputs[0])
                ? ShapeCheck.Ok(inputs[0].ToArray())
                : ShapeCheck.Fail(DiagnosticDescriptors.MergeShapeMismatch, string.Join(" and ", inputs.Select(shape => Format(shape))), "the same shape");

        /// <summary>Along a per-sample axis (Arguments[0], from the front; none: the first): features, channels, rows, columns, steps.</summary>
        private static ShapeCheck ConcatenateShape(NodeSpec node, IReadOnlyList<EquatableArray<int>> inputs)
        {
            int axis = ConcatenateAxis(node);
            bool sameRest = inputs.All(shape => shape.Count == inputs[0].Count && axis < shape.Count
                && Enumerable.Range(0, shape.Count).All(i => i == axis || shape[i] == inputs[0][i]));
            if (!sameRest)
            {
                string rest = axis == 0 ? "the concatenated first axis" : Invariant($"the concatenated axis {axis}");
                return ShapeCheck.Fail(DiagnosticDescriptors.MergeShapeMismatch, string.Join(" and ", inputs.Select(shape => Format(shape))), "equal shapes apart from " + rest);
            }

            var shape = inputs[0].ToArray();
            // Saturated: a sum beyond int.MaxValue is DPH0111 (network too large), not an overflow.
            shape[axis] = (int)System.Math.Min(inputs.Sum(input => (long)input[axis]), int.MaxValue);
            return ShapeCheck.Ok(shape);
        }

        public static int ConcatenateAxis(NodeSpec node) => node.Arguments.Count > 0 ? node.Arguments[0] : 0;

        /// <summary>A sequence <c>[time, features]</c> in; every state <c>[time, units]</c> or the last one <c>[units]</c> out.</summary>
        private static ShapeCheck RecurrentShape(NodeSpec node, IReadOnlyList<EquatableArray<int>> inputs) =>
            inputs[0].Count != 2
                ? ShapeCheck.Fail(DiagnosticDescriptors.RecurrentNeedsSequence, Format(inputs[0]))
                : node.ReturnsSequences ? ShapeCheck.Ok(inputs[0][0], node.Units) : ShapeCheck.Ok(node.Units);

        /// <summary>Two axes per sample swapped: a signal [channels, length] becomes a sequence [time, features], and back.</summary>
        private static ShapeCheck TransposeShape(NodeSpec node, IReadOnlyList<EquatableArray<int>> inputs) =>
            inputs[0].Count == 2
                ? ShapeCheck.Ok(inputs[0][1], inputs[0][0])
                : ShapeCheck.Fail(DiagnosticDescriptors.InvalidArgument, Invariant($"swaps the two axes of a sample [rows, columns] (a signal or a sequence), but its input has shape {Format(inputs[0])}"));

        private static ShapeCheck ReshapeShape(NodeSpec node, IReadOnlyList<EquatableArray<int>> inputs) =>
            Size(node.Arguments) == Size(inputs[0])
                ? ShapeCheck.Ok(node.Arguments.ToArray())
                : ShapeCheck.Fail(DiagnosticDescriptors.ReshapeSizeMismatch, Format(inputs[0]), Format(node.Arguments));

        /// <summary>Arguments: filters, kernel, stride, padding (−1: 'same'), bias (optional, 0: none); input [C, H, W].</summary>
        private static ShapeCheck ConvShape(NodeSpec node, IReadOnlyList<EquatableArray<int>> inputs) =>
            node.Arguments[3] < -1
                ? ShapeCheck.Fail(DiagnosticDescriptors.InvalidArgument, Invariant($"padding must be 0 or more (or -1 for 'same'), not {node.Arguments[3]}"))
                : Window(inputs[0], node.Arguments[1], node.Arguments[2], node.Arguments[3], node.Arguments[0]);

        /// <summary>Arguments: window, stride; input [C, H, W].</summary>
        private static ShapeCheck PoolShape(NodeSpec node, IReadOnlyList<EquatableArray<int>> inputs) =>
            Window(inputs[0], node.Arguments[0], node.Arguments[1], 0, inputs[0].Count == 3 ? inputs[0][0] : 0);

        private static ShapeCheck GlobalPoolShape(NodeSpec node, IReadOnlyList<EquatableArray<int>> inputs) =>
            inputs[0].Count == 3 ? ShapeCheck.Ok(inputs[0][0]) : ShapeCheck.Fail(DiagnosticDescriptors.WindowTooLarge, Format(inputs[0]), "an image [channels, height, width]");

        private static ShapeCheck Window(EquatableArray<int> input, int window, int stride, int padding, int channels)
        {
            if (input.Count != 3) return ShapeCheck.Fail(DiagnosticDescriptors.WindowTooLarge, Format(input), "an image [channels, height, width]");
            int height = input[1] + (2 * System.Math.Max(padding, 0)), width = input[2] + (2 * System.Math.Max(padding, 0));
            if (padding >= 0 && (window > height || window > width))
            {
                return ShapeCheck.Fail(DiagnosticDescriptors.WindowTooLarge, Format(input), Invariant($"a window of at most {System.Math.Min(height, width)} (it is {window})"));
            }

            var geometry = Geometry(input, window, stride, padding);
            return ShapeCheck.Ok(channels, geometry.OutHeight, geometry.OutWidth);
        }

        /// <summary>
        /// Where the window goes: explicit padding on all four sides, or Keras's (and PyTorch's) 'same': <c>⌈size / stride⌉</c>
        /// outputs, the padding <c>max((out − 1)·stride + window − size, 0)</c> split with the odd one after (bottom, right).
        /// </summary>
        private static (int PadTop, int PadLeft, int OutHeight, int OutWidth) Geometry(EquatableArray<int> input, int window, int stride, int padding)
        {
            if (padding >= 0)
            {
                return (padding, padding, ((input[1] + (2 * padding) - window) / stride) + 1, ((input[2] + (2 * padding) - window) / stride) + 1);
            }

            int outHeight = (input[1] + stride - 1) / stride, outWidth = (input[2] + stride - 1) / stride;
            int padHeight = System.Math.Max(((outHeight - 1) * stride) + window - input[1], 0), padWidth = System.Math.Max(((outWidth - 1) * stride) + window - input[2], 0);
            return (padHeight / 2, padWidth / 2, outHeight, outWidth);
        }

        /// <summary>
        /// A convolution's or pool's window as the runtime definition records it: kernel and strides per spatial axis, and the zero
        /// padding in ONNX's order (the starts, then the ends: top, left, bottom, right): the declared padding on every side, or
        /// 'same''s split with the odd one after.
        /// </summary>
        public static (int[] Kernel, int[] Strides, int[] Pads) WindowAttributes(NodeSpec node, EquatableArray<int> input)
        {
            var (window, stride, padding) = WindowArguments(node);
            if (input.Count == 2)
            {
                var g1 = Geometry1D(input[1], window, stride, padding);
                int end = padding >= 0 ? padding : System.Math.Max(((g1.OutLength - 1) * stride) + window - input[1], 0) - g1.PadLeft;
                return (new[] { window }, new[] { stride }, new[] { g1.PadLeft, end });
            }

            var g = Geometry(input, window, stride, padding);
            int[] pads = padding >= 0
                ? new[] { padding, padding, padding, padding }
                : new[] { g.PadTop, g.PadLeft, System.Math.Max(((g.OutHeight - 1) * stride) + window - input[1], 0) - g.PadTop, System.Math.Max(((g.OutWidth - 1) * stride) + window - input[2], 0) - g.PadLeft };
            return (new[] { window, window }, new[] { stride, stride }, pads);
        }

        /// <summary>A convolution's (arguments: filters, kernel, stride, padding) or pool's (window, stride) window, stride and padding; pools have none.</summary>
        private static (int Window, int Stride, int Padding) WindowArguments(NodeSpec node) =>
            node.Op is OpKind.Conv2D or OpKind.Conv1D
                ? (node.Arguments[1], node.Arguments[2], node.Arguments[3])
                : (node.Arguments[0], node.Arguments[1], 0);

        /// <summary>The kernels' <c>ImageWindow</c> for a conv2d or pool node, as a constructor call of literals.</summary>
        private static string ImageWindow(OpSite s)
        {
            var input = s.InputNodes[0].Shape;
            var (window, stride, padding) = WindowArguments(s.Node);
            var g = Geometry(input, window, stride, padding);
            return Invariant($"new global::DeepPhys.Kernels.ImageWindow({input[0]}, {input[1]}, {input[2]}, {window}, {stride}, {g.PadTop}, {g.PadLeft}, {g.OutHeight}, {g.OutWidth})");
        }

        /// <summary>Arguments: filters, kernel, stride, padding (−1: 'same'), bias (optional, 0: none); input [C, L].</summary>
        private static ShapeCheck Conv1DShape(NodeSpec node, IReadOnlyList<EquatableArray<int>> inputs) =>
            node.Arguments[3] < -1
                ? ShapeCheck.Fail(DiagnosticDescriptors.InvalidArgument, Invariant($"padding must be 0 or more (or -1 for 'same'), not {node.Arguments[3]}"))
                : Window1D(inputs[0], node.Arguments[1], node.Arguments[2], node.Arguments[3], node.Arguments[0]);

        /// <summary>Arguments: window, stride; input [C, L].</summary>
        private static ShapeCheck Pool1DShape(NodeSpec node, IReadOnlyList<EquatableArray<int>> inputs) =>
            Window1D(inputs[0], node.Arguments[0], node.Arguments[1], 0, inputs[0].Count == 2 ? inputs[0][0] : 0);

        private static ShapeCheck GlobalPool1DShape(NodeSpec node, IReadOnlyList<EquatableArray<int>> inputs) =>
            inputs[0].Count == 2 ? ShapeCheck.Ok(inputs[0][0]) : ShapeCheck.Fail(DiagnosticDescriptors.WindowTooLarge, Format(inputs[0]), "a signal [channels, length]");

        private static ShapeCheck Window1D(EquatableArray<int> input, int window, int stride, int padding, int channels)
        {
            if (input.Count != 2) return ShapeCheck.Fail(DiagnosticDescriptors.WindowTooLarge, Format(input), "a signal [channels, length]");
            int length = input[1] + (2 * System.Math.Max(padding, 0));
            if (padding >= 0 && window > length)
            {
                return ShapeCheck.Fail(DiagnosticDescriptors.WindowTooLarge, Format(input), Invariant($"a window of at most {length} (it is {window})"));
            }

            return ShapeCheck.Ok(channels, Geometry1D(input[1], window, stride, padding).OutLength);
        }

        /// <summary>As <see cref="Geometry"/> along one axis: explicit padding at both ends, or 'same' with the odd zero at the end.</summary>
        private static (int PadLeft, int OutLength) Geometry1D(int length, int window, int stride, int padding)
        {
            if (padding >= 0) return (padding, ((length + (2 * padding) - window) / stride) + 1);
            int outLength = (length + stride - 1) / stride;
            return (System.Math.Max(((outLength - 1) * stride) + window - length, 0) / 2, outLength);
        }

        /// <summary>The kernels' <c>SignalWindow</c> for a conv1d or 1-D pool node, as a constructor call of literals.</summary>
        private static string SignalWindow(OpSite s)
        {
            var input = s.InputNodes[0].Shape;
            var (window, stride, padding) = WindowArguments(s.Node);
            var g = Geometry1D(input[1], window, stride, padding);
            return Invariant($"new global::DeepPhys.Kernels.SignalWindow({input[0]}, {input[1]}, {window}, {stride}, {g.PadLeft}, {g.OutLength})");
        }

        /// <summary>
        /// Fills in what the front ends leave to the shapes: a conv2d's filters (<see cref="NodeSpec.Units"/>) and channels × kernel²
        /// (<see cref="NodeSpec.FanIn"/>); a batch norm's channels (features of a vector) as units with one γ each; a recurrent
        /// layer's features per step (fan-in) and steps (third argument, after return-sequences and the activation).
        /// </summary>
        public static GraphSpec Complete(GraphSpec graph) => graph with
        {
            Nodes = graph.Nodes.Select(node => node.Op switch
            {
                OpKind.Conv2D => node with { Units = node.Arguments[0], FanIn = graph.Nodes[node.Inputs[0]].Shape[0] * node.Arguments[1] * node.Arguments[1] },
                OpKind.Conv1D => node with { Units = node.Arguments[0], FanIn = graph.Nodes[node.Inputs[0]].Shape[0] * node.Arguments[1] },
                OpKind.BatchNorm => node with { Units = graph.Nodes[node.Inputs[0]].Shape[0], FanIn = 1 },
                OpKind.SimpleRnn or OpKind.Lstm or OpKind.Gru => node with
                {
                    FanIn = graph.Nodes[node.Inputs[0]].Shape[1],
                    Arguments = new EquatableArray<int>(new[] { node.ReturnsSequences ? 1 : 0, (int)node.CellActivation, graph.Nodes[node.Inputs[0]].Shape[0] }),
                },
                _ => node,
            }).ToEquatableArray(),
        };

        /// <summary>
        /// The parameters a node of <paramref name="op"/> will own, in long arithmetic so the size checks of both front ends
        /// see a network too large before any int overflows: dense <c>(inputs + 1) · units</c>, conv2d <c>filters · (channels · kernel² + 1)</c>
        /// (without the 1 when it has no bias), conv1d <c>filters · (channels · kernel + 1)</c>, batch norm <c>2 · channels</c>,
        /// recurrent <c>gates · units · (features + units + 2)</c>.
        /// </summary>
        public static long ParameterCount(OpKind op, int units, IReadOnlyList<int> arguments, IReadOnlyList<int> input) => op switch
        {
            OpKind.Dense => (input.Aggregate(1L, (product, dimension) => System.Math.Min(product * dimension, int.MaxValue)) + 1) * units,
            OpKind.Conv2D when input.Count > 0 => Capped((double)arguments[0] * (((double)input[0] * arguments[1] * arguments[1]) + (arguments.Count > 4 && arguments[4] == 0 ? 0 : 1))),
            OpKind.Conv1D when input.Count > 0 => Capped((double)arguments[0] * (((double)input[0] * arguments[1]) + (arguments.Count > 4 && arguments[4] == 0 ? 0 : 1))),
            OpKind.BatchNorm when input.Count > 0 => 2L * input[0],
            OpKind.SimpleRnn or OpKind.Lstm or OpKind.Gru when input.Count == 2 => Capped((double)NodeSpec.GatesOf(op) * units * ((double)input[1] + units + 2)),
            _ => 0,
        };

        /// <summary>A count computed in double (a kernel of 10⁶ squared times 10⁶ filters overflows a long), capped far above any buffer.</summary>
        private static long Capped(double count) => count >= long.MaxValue / 4 ? long.MaxValue / 4 : (long)count;

        /// <summary>
        /// A recurrent layer's workspace per sample (<see cref="ExtraWorkspace"/>) in long arithmetic, for the size checks (DPH0111):
        /// its steps' gates and states can dwarf its output; 0 for other ops.
        /// </summary>
        public static long RecurrentWorkspaceCount(OpKind op, int units, IReadOnlyList<int> input) =>
            NodeSpec.GatesOf(op) == 0 || input.Count != 2 ? 0 : ((long)input[0] * StepValues(op) * units) + ((2L + NodeSpec.GatesOf(op)) * units);

        /// <summary>
        /// Workspace values per sample a node keeps beside its output for the backward pass: a dropout's mask; a batch norm's x̂ and 1/σ per channel;
        /// a recurrent layer's <c>RecurrentLayer.WorkspaceSize</c> (every step's gates and states, then the running gradients).
        /// </summary>
        public static int ExtraWorkspace(NodeSpec node) => node.Op switch
        {
            OpKind.Dropout => node.Size,
            OpKind.BatchNorm => node.Size + node.Units,
            OpKind.SimpleRnn or OpKind.Lstm or OpKind.Gru => (node.Time * StepValues(node.Op) * node.Units) + ((2 + node.Gates) * node.Units),
            _ => 0,
        };

        /// <summary>Non-trainable state values: a batch norm's running means, then its running variances.</summary>
        public static int StateCount(NodeSpec node) => node.Op == OpKind.BatchNorm ? 2 * node.Units : 0;

        /// <summary>Whether the forward pass differs between training (<c>training</c> true) and inference.</summary>
        public static bool DependsOnTraining(NodeSpec node) => node.Op is OpKind.Dropout or OpKind.BatchNorm;

        /// <summary>Values per channel per sample: 1 for a vector, the length of a signal, height × width for an image.</summary>
        private static int Plane(NodeSpec node) => node.Size / node.Shape[0];

        /// <summary>Values per unit a sample keeps per step: the gates, then an LSTM's cell state or a GRU's <c>W_hn h + b_hn</c>, then h.</summary>
        private static int StepValues(OpKind op) => op switch { OpKind.Lstm => 6, OpKind.Gru => 5, _ => 1 };

        /// <summary>The kernels' <c>RecurrentLayer</c> for a node, as a constructor call of literals.</summary>
        private static string RecurrentLayer(NodeSpec node)
        {
            string activation = node.Op == OpKind.SimpleRnn && node.CellActivation != ActivationKind.Tanh ? ", global::DeepPhys.Activation." + node.CellActivation : string.Empty;
            string returns = node.ReturnsSequences ? "true" : "false";
            return Invariant($"new global::DeepPhys.Kernels.RecurrentLayer(global::DeepPhys.Kernels.RecurrentCell.{node.Op}, {node.Time}, {node.FanIn}, {node.Units}, {returns}{activation})");
        }

        private static string RecurrentWorkspace(IOpWriter w, OpSite s) => w.Extra(s.Node, 0, ExtraWorkspace(s.Node));

        private static void RecurrentForward(IOpWriter w, OpSite s) =>
            w.Line($"{Recurrent}Forward({s.Inputs[0]}, {w.Parameters(s.Node, false)}, {w.Parameters(s.Node, true)}, {s.Output}, {RecurrentWorkspace(w, s)}, batch, {RecurrentLayer(s.Node)});");

        /// <summary>Backpropagation through time: the parameter gradients, and the gate gradients the input gradient is made of, left in the workspace.</summary>
        private static void RecurrentParameterGradients(IOpWriter w, OpSite s) =>
            w.Line($"{Recurrent}BackwardParameters({s.Inputs[0]}, {w.Parameters(s.Node, false)}, {s.Delta}, {RecurrentWorkspace(w, s)}, {w.Gradients(s.Node, false)}, {w.Gradients(s.Node, true)}, batch, {RecurrentLayer(s.Node)});");

        private static void RecurrentBackward(IOpWriter w, OpSite s, int input, string target, bool accumulate) =>
            AddingKernel(w, target, accumulate, $"{Recurrent}BackwardInput({RecurrentWorkspace(w, s)}, {w.Parameters(s.Node, false)}, {target}, batch, {RecurrentLayer(s.Node)});");

        private static void DropoutForward(IOpWriter w, OpSite s)
        {
            w.Line(Invariant($"if (training) global::DeepPhys.Kernels.DropoutKernels.Forward({s.Inputs[0]}, {s.Output}, {Saved(w, s)}, {Literal(s.Node.Rate)}, Random);"));
            w.Line($"else {s.Inputs[0]}.CopyTo({s.Output});");
        }

        private static void DropoutBackward(IOpWriter w, OpSite s, int input, string target, bool accumulate) =>
            w.Line(accumulate
                ? $"{Graph}MultiplyAdd({s.Delta}, {Saved(w, s)}, {target}, {target});"
                : $"{Graph}Multiply({s.Delta}, {Saved(w, s)}, {target});");

        /// <summary>The values a node keeps for its backward pass, one per output value: a dropout's mask, a batch norm's x̂.</summary>
        private static string Saved(IOpWriter w, OpSite s) => w.Extra(s.Node, 0, s.Node.Size);

        /// <summary>1/σ per channel: the first of the block's values (one per channel and sample, so at least one per channel).</summary>
        private static string InverseStd(IOpWriter w, OpSite s) => w.Extra(s.Node, s.Node.Size, s.Node.Units);

        private static string RunningMean(IOpWriter w, OpSite s) => w.State(s.Node, 0, s.Node.Units);

        private static string RunningVariance(IOpWriter w, OpSite s) => w.State(s.Node, s.Node.Units, s.Node.Units);

        private static void BatchNormForward(IOpWriter w, OpSite s)
        {
            string gamma = w.Parameters(s.Node, false), beta = w.Parameters(s.Node, true);
            string mean = RunningMean(w, s), variance = RunningVariance(w, s);
            int plane = Plane(s.Node);
            w.Line(Invariant(
                $"if (training) {Norm}Forward({s.Inputs[0]}, {gamma}, {beta}, {s.Output}, {Saved(w, s)}, {InverseStd(w, s)}, {mean}, {variance}, batch, {plane}, {Literal(s.Node.Momentum)}, {Literal(s.Node.Epsilon)});"));
            w.Line(Invariant($"else {Norm}Inference({s.Inputs[0]}, {gamma}, {beta}, {mean}, {variance}, {s.Output}, batch, {plane}, {Literal(s.Node.Epsilon)});"));
        }

        private static void BatchNormParameterGradients(IOpWriter w, OpSite s) =>
            w.Line(Invariant($"{Norm}BackwardParameters({s.Delta}, {Saved(w, s)}, {w.Gradients(s.Node, false)}, {w.Gradients(s.Node, true)}, batch, {Plane(s.Node)});"));

        private static void BatchNormBackward(IOpWriter w, OpSite s, int input, string target, bool accumulate) =>
            AddingKernel(w, target, accumulate, Invariant($"{Norm}BackwardInput({s.Delta}, {Saved(w, s)}, {w.Parameters(s.Node, false)}, {InverseStd(w, s)}, {target}, batch, {Plane(s.Node)});"));

        private static string Literal(double value) => Emission.SourceWriter.Literal(value, PrecisionKind.Double);

        /// <summary>Overwrites <paramref name="target"/> with an input gradient from a kernel that adds (clearing it first), or adds to it.</summary>
        private static void AddingKernel(IOpWriter w, string target, bool accumulate, string call)
        {
            if (!accumulate) w.Line($"{target}.Clear();");
            w.Line(call);
        }

        /// <summary>
        /// An input gradient from a kernel that overwrites or adds as its <c>accumulate</c> argument says: the threaded image
        /// kernels clear each image as they reach it, in cache, instead of a clear of the whole buffer on one thread first.
        /// </summary>
        private static void OverwritingKernel(IOpWriter w, string kernel, string arguments, bool accumulate) =>
            w.Line(accumulate ? $"{kernel}({arguments});" : $"{kernel}({arguments}, accumulate: false);");

        private static void ConvForward(IOpWriter w, OpSite s) => ConvForward(w, s, relu: false);

        private static void ConvForward(IOpWriter w, OpSite s, bool relu) =>
            w.Line(Invariant($"{Conv}Forward({s.Inputs[0]}, {w.Parameters(s.Node, false)}, {w.Parameters(s.Node, true)}, {s.Output}, batch, {s.Node.Units}, {ImageWindow(s)}{(relu ? ", relu: true" : string.Empty)});"));

        private static void ConvParameterGradients(IOpWriter w, OpSite s) =>
            w.Line(Invariant($"{Conv}BackwardParameters({s.Inputs[0]}, {s.Delta}, {w.Gradients(s.Node, false)}, {w.Gradients(s.Node, true)}, batch, {s.Node.Units}, {ImageWindow(s)});"));

        private static void ConvBackward(IOpWriter w, OpSite s, int input, string target, bool accumulate) =>
            OverwritingKernel(w, $"{Conv}BackwardInput", Invariant($"{s.Delta}, {w.Parameters(s.Node, false)}, {target}, batch, {s.Node.Units}, {ImageWindow(s)}"), accumulate);

        private static ForwardRule PoolForward(string kernel) => (w, s) => w.Line($"{Pool}{kernel}({s.Inputs[0]}, {s.Output}, batch, {ImageWindow(s)});");

        private static void MaxPoolBackward(IOpWriter w, OpSite s, int input, string target, bool accumulate) =>
            OverwritingKernel(w, $"{Pool}MaxBackward", $"{s.Inputs[0]}, {s.Delta}, {target}, batch, {ImageWindow(s)}", accumulate);

        private static void AvgPoolBackward(IOpWriter w, OpSite s, int input, string target, bool accumulate) =>
            AddingKernel(w, target, accumulate, $"{Pool}AverageBackward({s.Delta}, {target}, batch, {ImageWindow(s)});");

        private static void GlobalPoolForward(IOpWriter w, OpSite s) =>
            w.Line(Invariant($"{Pool}GlobalAverageForward({s.Inputs[0]}, {s.Output}, {Plane(s.InputNodes[0])});"));

        private static void GlobalPoolBackward(IOpWriter w, OpSite s, int input, string target, bool accumulate) =>
            AddingKernel(w, target, accumulate, Invariant($"{Pool}GlobalAverageBackward({s.Delta}, {target}, {Plane(s.InputNodes[0])});"));

        private static void Conv1DForward(IOpWriter w, OpSite s) =>
            w.Line(Invariant($"{Conv1}Forward({s.Inputs[0]}, {w.Parameters(s.Node, false)}, {w.Parameters(s.Node, true)}, {s.Output}, batch, {s.Node.Units}, {SignalWindow(s)});"));

        private static void Conv1DParameterGradients(IOpWriter w, OpSite s) =>
            w.Line(Invariant($"{Conv1}BackwardParameters({s.Inputs[0]}, {s.Delta}, {w.Gradients(s.Node, false)}, {w.Gradients(s.Node, true)}, batch, {s.Node.Units}, {SignalWindow(s)});"));

        private static void Conv1DBackward(IOpWriter w, OpSite s, int input, string target, bool accumulate) =>
            AddingKernel(w, target, accumulate, Invariant($"{Conv1}BackwardInput({s.Delta}, {w.Parameters(s.Node, false)}, {target}, batch, {s.Node.Units}, {SignalWindow(s)});"));

        private static ForwardRule Pool1DForward(string kernel) => (w, s) => w.Line($"{Pool}{kernel}({s.Inputs[0]}, {s.Output}, batch, {SignalWindow(s)});");

        private static void MaxPool1DBackward(IOpWriter w, OpSite s, int input, string target, bool accumulate) =>
            AddingKernel(w, target, accumulate, $"{Pool}MaxBackward({s.Inputs[0]}, {s.Delta}, {target}, batch, {SignalWindow(s)});");

        private static void AvgPool1DBackward(IOpWriter w, OpSite s, int input, string target, bool accumulate) =>
            AddingKernel(w, target, accumulate, $"{Pool}AverageBackward({s.Delta}, {target}, batch, {SignalWindow(s)});");

        private static void DenseForward(IOpWriter w, OpSite s) =>
            w.Line(Invariant($"{w.DenseKernels}Forward({s.Inputs[0]}, {w.Parameters(s.Node, false)}, {w.Parameters(s.Node, true)}, {s.Output}, batch, {s.Node.FanIn}, {s.Node.Units});"));

        /// <summary>Whether the forward kernel of <paramref name="op"/> applies a ReLU as it stores its outputs (dense, 2-D convolution), saving a pass over them.</summary>
        internal static bool FusesRelu(OpKind op) => op is OpKind.Dense or OpKind.Conv2D;

        /// <summary>
        /// The forward step of a layer of a <see cref="FusesRelu"/> kind with its ReLU fused in: <c>SmallDenseKernels.ForwardRelu</c>
        /// in small networks, the GEMM's ReLU epilogue in larger ones, each image of a convolution while it is in cache.
        /// </summary>
        internal static void ReluForward(IOpWriter w, OpSite s, bool smallDense)
        {
            if (s.Node.Op == OpKind.Conv2D) ConvForward(w, s, relu: true);
            else if (smallDense) w.Line(Invariant($"{w.DenseKernels}ForwardRelu({s.Inputs[0]}, {w.Parameters(s.Node, false)}, {w.Parameters(s.Node, true)}, {s.Output}, batch, {s.Node.FanIn}, {s.Node.Units});"));
            else w.Line(Invariant($"{w.DenseKernels}Forward({s.Inputs[0]}, {w.Parameters(s.Node, false)}, {w.Parameters(s.Node, true)}, {s.Output}, batch, {s.Node.FanIn}, {s.Node.Units}, relu: true);"));
        }

        private static void DenseParameterGradients(IOpWriter w, OpSite s) =>
            w.Line(Invariant($"{w.DenseKernels}BackwardParameters({s.Inputs[0]}, {s.Delta}, {w.Gradients(s.Node, false)}, {w.Gradients(s.Node, true)}, batch, {s.Node.FanIn}, {s.Node.Units});"));

        private static void DenseBackward(IOpWriter w, OpSite s, int input, string target, bool accumulate)
        {
            string into = accumulate ? w.Scratch(s.Node.FanIn) : target;
            w.Line(Invariant($"{w.DenseKernels}BackwardInput({s.Delta}, {w.Parameters(s.Node, false)}, {into}, batch, {s.Node.FanIn}, {s.Node.Units});"));
            if (accumulate) w.Line($"{Graph}Add({target}, {into}, {target});");
        }

        private static void CopyForward(IOpWriter w, OpSite s) => w.Line($"{s.Inputs[0]}.CopyTo({s.Output});");

        private static void TransposeForward(IOpWriter w, OpSite s)
        {
            var input = s.InputNodes[0].Shape;
            w.Line(Invariant($"{Graph}Transpose({s.Inputs[0]}, {s.Output}, batch, {input[0]}, {input[1]});"));
        }

        /// <summary>The gradient transposed back, written or added.</summary>
        private static void TransposeBackward(IOpWriter w, OpSite s, int input, string target, bool accumulate)
        {
            var shape = s.InputNodes[0].Shape;
            w.Line(Invariant($"{Graph}Transpose({s.Delta}, {target}, batch, {shape[1]}, {shape[0]}{(accumulate ? ", accumulate: true" : string.Empty)});"));
        }

        private static ForwardRule Elementwise(string kernel) => (w, s) => w.Line($"{Graph}{kernel}({s.Inputs[0]}, {s.Inputs[1]}, {s.Output});");

        /// <summary>The gradient passes unchanged: identity, add, flatten, reshape, a standalone activation after its own backward.</summary>
        private static void PassBackward(IOpWriter w, OpSite s, int input, string target, bool accumulate) =>
            w.Line(accumulate ? $"{Graph}Add({target}, {s.Delta}, {target});" : $"{s.Delta}.CopyTo({target});");

        private static void SubtractBackward(IOpWriter w, OpSite s, int input, string target, bool accumulate)
        {
            if (input == 0) PassBackward(w, s, input, target, accumulate);
            else w.Line(accumulate ? $"{Graph}Subtract({target}, {s.Delta}, {target});" : $"{Graph}Negate({s.Delta}, {target});");
        }

        private static void MultiplyBackward(IOpWriter w, OpSite s, int input, string target, bool accumulate) =>
            w.Line(accumulate
                ? $"{Graph}MultiplyAdd({s.Delta}, {s.Inputs[1 - input]}, {target}, {target});"
                : $"{Graph}Multiply({s.Delta}, {s.Inputs[1 - input]}, {target});");

        /// <summary>
        /// Each input is a block of columns in rows of the output: a sample is <c>outer</c> rows, one per index of the axes
        /// before the concatenated one (1 for the first axis), so axis k is a column-block copy over <c>batch · outer</c> rows.
        /// </summary>
        private static void ConcatenateForward(IOpWriter w, OpSite s)
        {
            for (int i = 0; i < s.Inputs.Count; i++)
            {
                w.Line(Invariant($"{Graph}PlaceColumns({s.Inputs[i]}, {Block(s, i)}, {s.Output}, {s.Node.Size / Outer(s)}, {ColumnOffset(s, i)}, {Rows(s)});"));
            }
        }

        private static void ConcatenateBackward(IOpWriter w, OpSite s, int input, string target, bool accumulate) =>
            w.Line(Invariant($"{Graph}{(accumulate ? "AddColumns" : "CopyColumns")}({s.Delta}, {s.Node.Size / Outer(s)}, {ColumnOffset(s, input)}, {target}, {Block(s, input)}, {Rows(s)});"));

        private static int Outer(OpSite s) => s.Node.Shape.Take(ConcatenateAxis(s.Node)).Aggregate(1, (product, dimension) => product * dimension);

        private static string Rows(OpSite s) => Outer(s) == 1 ? "batch" : Invariant($"batch * {Outer(s)}");

        private static int Block(OpSite s, int input) => s.InputNodes[input].Size / Outer(s);

        private static int ColumnOffset(OpSite s, int input) => Enumerable.Range(0, input).Sum(i => Block(s, i));
    }
}
