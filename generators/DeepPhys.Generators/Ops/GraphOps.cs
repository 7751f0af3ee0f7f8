using System.Collections.Generic;
using System.Linq;
using DeepPhys.Generators.Model;
using static System.FormattableString;

namespace DeepPhys.Generators.Ops
{
    /// <summary>The family's descriptors, which <see cref="OpRegistry.All"/> gathers: a new op of the family is listed here only.</summary>
    internal static class GraphOps
    {
        public static readonly IReadOnlyList<OpDescriptor> All = new OpDescriptor[] { InputOp.Instance, ElementwiseOp.Add, ElementwiseOp.Subtract, ElementwiseOp.Multiply, ConcatenateOp.Instance, FlattenOp.Instance, ReshapeOp.Instance, TransposeOp.Instance };
    }

    /// <summary>A network input: its shape per sample is its argument; <c>[Input]</c>, DSL <c>input x[…]</c>.</summary>
    internal sealed class InputOp : OpDescriptor
    {
        public static readonly InputOp Instance = new();

        private InputOp()
            : base(OpKind.Input, "input", minInputs: 0, maxInputs: 0)
        {
        }

        public override LayerAttribute Attribute { get; } = new("DeepPhys.InputAttribute", "input");

        public override ShapeCheck Shape(OpArguments arguments, IReadOnlyList<EquatableArray<int>> inputs) => ShapeCheck.Ok(((InputArguments)arguments).Shape.ToArray());

        public override long Flops(NodeSpec node) => 0;

        public override void Forward(IOpWriter w, OpSite s)
        {
        }

        public override void Backward(IOpWriter w, OpSite s, int input, string target, bool accumulate)
        {
        }
    }

    /// <summary>Element-wise <c>add</c>, <c>subtract</c> and <c>multiply</c> of two inputs of one shape.</summary>
    internal sealed class ElementwiseOp : OpDescriptor
    {
        public static readonly ElementwiseOp Add = new(OpKind.Add, "add", "Add");
        public static readonly ElementwiseOp Subtract = new(OpKind.Subtract, "subtract", "Subtract");
        public static readonly ElementwiseOp Multiply = new(OpKind.Multiply, "multiply", "Multiply");

        private readonly string kernel;

        private ElementwiseOp(OpKind kind, string dslName, string kernel)
            : base(kind, dslName, minInputs: 2, maxInputs: 2)
        {
            this.kernel = kernel;
        }

        public override ShapeCheck Shape(OpArguments arguments, IReadOnlyList<EquatableArray<int>> inputs) =>
            inputs.All(shape => shape == inputs[0])
                ? ShapeCheck.Ok(inputs[0].ToArray())
                : ShapeCheck.Fail(DiagnosticDescriptors.MergeShapeMismatch, string.Join(" and ", inputs.Select(shape => Format(shape))), "the same shape");

        public override void Forward(IOpWriter w, OpSite s) => w.Line($"{Graph}{kernel}({s.Inputs[0]}, {s.Inputs[1]}, {s.Output});");

        /// <summary>d(a + b) passes to both, d(a − b) negated to b, d(a · b) times the other input.</summary>
        public override void Backward(IOpWriter w, OpSite s, int input, string target, bool accumulate)
        {
            if (Kind == OpKind.Multiply)
            {
                w.Line(accumulate
                    ? $"{Graph}MultiplyAdd({s.Delta}, {s.Inputs[1 - input]}, {target}, {target});"
                    : $"{Graph}Multiply({s.Delta}, {s.Inputs[1 - input]}, {target});");
            }
            else if (Kind == OpKind.Subtract && input == 1)
            {
                w.Line(accumulate ? $"{Graph}Subtract({target}, {s.Delta}, {target});" : $"{Graph}Negate({s.Delta}, {target});");
            }
            else
            {
                PassBackward(w, s, target, accumulate);
            }
        }
    }

    /// <summary>
    /// Inputs side by side along a per-sample axis (DSL <c>concatenate(a, b, axis: k)</c>, negative from the last): features,
    /// channels, rows, columns, steps.
    /// </summary>
    internal sealed class ConcatenateOp : OpDescriptor
    {
        public static readonly ConcatenateOp Instance = new();

        private static readonly Parameter[] Arguments = { new("axis", ParameterType.Integer, 0) };

        private ConcatenateOp()
            : base(OpKind.Concatenate, "concatenate", minInputs: 2, maxInputs: int.MaxValue)
        {
        }

        public override IReadOnlyList<Parameter> Parameters => Arguments;

        public override OpArguments Bind(ArgumentReader reader) => new ConcatenateArguments(reader.Integer("axis"));

        public override ShapeCheck Shape(OpArguments arguments, IReadOnlyList<EquatableArray<int>> inputs)
        {
            int written = ((ConcatenateArguments)arguments).Axis, rank = inputs[0].Count;
            if (written < -rank || written >= rank)
            {
                string range = rank == 1 ? "0 or -1" : $"0 to {rank - 1}, or -1 to -{rank} from the last";
                return ShapeCheck.FailArgument("axis", Invariant($"must be an axis of the inputs' shape {Format(inputs[0])} ({range}), not {written}"));
            }

            int axis = written < 0 ? written + rank : written;
            bool sameRest = inputs.All(shape => shape.Count == rank && Enumerable.Range(0, rank).All(i => i == axis || shape[i] == inputs[0][i]));
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

        /// <summary>The axis from the front.</summary>
        public static int Axis(NodeSpec node)
        {
            int axis = ((ConcatenateArguments)node.Arguments).Axis;
            return axis < 0 ? axis + node.Shape.Count : axis;
        }

        public override long Flops(NodeSpec node) => 0;

        public override IEnumerable<string> DefinitionEntries(NodeSpec node)
        {
            if (Axis(node) != 0) yield return Invariant($"Axis = {Axis(node)}");
        }

        /// <summary>
        /// Each input is a block of columns in rows of the output: a sample is <c>outer</c> rows, one per index of the axes
        /// before the concatenated one (1 for the first axis), so axis k is a column-block copy over <c>batch · outer</c> rows.
        /// </summary>
        public override void Forward(IOpWriter w, OpSite s)
        {
            for (int i = 0; i < s.Inputs.Count; i++)
            {
                w.Line(Invariant($"{Graph}PlaceColumns({s.Inputs[i]}, {Block(s, i)}, {s.Output}, {s.Node.Size / Outer(s)}, {ColumnOffset(s, i)}, {Rows(s)});"));
            }
        }

        public override void Backward(IOpWriter w, OpSite s, int input, string target, bool accumulate) =>
            w.Line(Invariant($"{Graph}{(accumulate ? "AddColumns" : "CopyColumns")}({s.Delta}, {s.Node.Size / Outer(s)}, {ColumnOffset(s, input)}, {target}, {Block(s, input)}, {Rows(s)});"));

        private static int Outer(OpSite s) => s.Node.Shape.Take(Axis(s.Node)).Aggregate(1, (product, dimension) => product * dimension);

        private static string Rows(OpSite s) => Outer(s) == 1 ? "batch" : Invariant($"batch * {Outer(s)}");

        private static int Block(OpSite s, int input) => s.InputNodes[input].Size / Outer(s);

        private static int ColumnOffset(OpSite s, int input) => Enumerable.Range(0, input).Sum(i => Block(s, i));
    }

    /// <summary>A sample's values as one vector: <c>[Flatten]</c>, DSL <c>flatten</c>.</summary>
    internal sealed class FlattenOp : OpDescriptor
    {
        public static readonly FlattenOp Instance = new();

        private FlattenOp()
            : base(OpKind.Flatten, "flatten")
        {
        }

        public override LayerAttribute Attribute { get; } = new("DeepPhys.FlattenAttribute", "flatten");

        /// <summary>Saturated: a size beyond int.MaxValue is DPH0111 (network too large), not an overflow.</summary>
        public override ShapeCheck Shape(OpArguments arguments, IReadOnlyList<EquatableArray<int>> inputs) => ShapeCheck.Ok((int)System.Math.Min(CappedSize(inputs[0]), int.MaxValue));

        public override long Flops(NodeSpec node) => 0;

        public override void Forward(IOpWriter w, OpSite s) => CopyForward(w, s);

        public override void Backward(IOpWriter w, OpSite s, int input, string target, bool accumulate) => PassBackward(w, s, target, accumulate);
    }

    /// <summary>A sample's values in another shape of the same size: DSL <c>reshape(x, shape: [4, 7, 7])</c>.</summary>
    internal sealed class ReshapeOp : OpDescriptor
    {
        public static readonly ReshapeOp Instance = new();

        private static readonly Parameter[] Arguments = { new("shape", ParameterType.List) };

        private ReshapeOp()
            : base(OpKind.Reshape, "reshape")
        {
        }

        public override IReadOnlyList<Parameter> Parameters => Arguments;

        public override OpArguments Bind(ArgumentReader reader) => new ReshapeArguments(reader.PositiveList("shape", "[4, 7, 7]"));

        public override ShapeCheck Shape(OpArguments arguments, IReadOnlyList<EquatableArray<int>> inputs)
        {
            var target = ((ReshapeArguments)arguments).Shape;
            return CappedSize(target) == CappedSize(inputs[0])
                ? ShapeCheck.Ok(target.ToArray())
                : ShapeCheck.Fail(DiagnosticDescriptors.ReshapeSizeMismatch, Format(inputs[0]), Format(target));
        }

        public override long Flops(NodeSpec node) => 0;

        public override void Forward(IOpWriter w, OpSite s) => CopyForward(w, s);

        public override void Backward(IOpWriter w, OpSite s, int input, string target, bool accumulate) => PassBackward(w, s, target, accumulate);
    }

    /// <summary>Two axes per sample swapped: a signal [channels, length] becomes a sequence [time, features], and back; <c>[Transpose]</c>, DSL <c>transpose</c>.</summary>
    internal sealed class TransposeOp : OpDescriptor
    {
        public static readonly TransposeOp Instance = new();

        private TransposeOp()
            : base(OpKind.Transpose, "transpose")
        {
        }

        public override LayerAttribute Attribute { get; } = new("DeepPhys.TransposeAttribute", "transpose");

        public override ShapeCheck Shape(OpArguments arguments, IReadOnlyList<EquatableArray<int>> inputs) =>
            inputs[0].Count == 2
                ? ShapeCheck.Ok(inputs[0][1], inputs[0][0])
                : ShapeCheck.Fail(DiagnosticDescriptors.InvalidArgument, Invariant($"swaps the two axes of a sample [rows, columns] (a signal or a sequence), but its input has shape {Format(inputs[0])}"));

        public override long Flops(NodeSpec node) => 0;

        public override void Forward(IOpWriter w, OpSite s) =>
            w.Line(Invariant($"{Graph}Transpose({s.Inputs[0]}, {s.Output}, batch, rows: {s.Node.InputShape[0]}, columns: {s.Node.InputShape[1]});"));

        /// <summary>The gradient transposed back, written or added.</summary>
        public override void Backward(IOpWriter w, OpSite s, int input, string target, bool accumulate) =>
            w.Line(Invariant($"{Graph}Transpose({s.Delta}, {target}, batch, rows: {s.Node.InputShape[1]}, columns: {s.Node.InputShape[0]}{(accumulate ? ", accumulate: true" : string.Empty)});"));
    }
}
