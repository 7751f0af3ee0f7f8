using System.Collections.Generic;
using DeepPhys.Generators.Model;
using static System.FormattableString;

namespace DeepPhys.Generators.Ops
{
    /// <summary>The family's descriptors, which <see cref="OpRegistry.All"/> gathers: a new op of the family is listed here only.</summary>
    internal static class DenseOps
    {
        public static readonly IReadOnlyList<OpDescriptor> All = new OpDescriptor[] { DenseOp.Instance };
    }

    /// <summary>A dense layer: <c>y = x · W + b</c> with <c>W</c> <c>[inputs, units]</c> row-major; <c>[Dense]</c>, DSL <c>dense</c>.</summary>
    internal sealed class DenseOp : OpDescriptor
    {
        public static readonly DenseOp Instance = new();

        private static readonly Parameter[] Arguments =
        {
            new("units", ParameterType.Integer, AttributeName: "units"),
            Parameter.PostActivation,
            Parameter.Slope,
        };

        private DenseOp()
            : base(OpKind.Dense, "dense")
        {
        }

        public override LayerAttribute Attribute { get; } = new("DeepPhys.DenseAttribute", "dense");

        public override IReadOnlyList<Parameter> Parameters => Arguments;

        public override OpArguments Bind(ArgumentReader reader) => new DenseArguments(reader.Positive("units", DiagnosticDescriptors.UnitsTooSmall));

        public override ShapeCheck Shape(OpArguments arguments, IReadOnlyList<EquatableArray<int>> inputs) =>
            inputs[0].Count == 1
                ? ShapeCheck.Ok(((DenseArguments)arguments).Units)
                : ShapeCheck.Fail(DiagnosticDescriptors.DenseNeedsVector, Format(inputs[0]), Invariant($"[{Size(inputs[0])}]"));

        public override int Units(NodeSpec node) => ((DenseArguments)node.Arguments).Units;

        public override int FanIn(NodeSpec node) => Size(node.InputShape);

        public override (long Weights, long Biases) ParameterCounts(OpArguments arguments, EquatableArray<int> input)
        {
            int units = ((DenseArguments)arguments).Units;
            return (Capped((double)CappedSize(input) * units), units);
        }

        public override long Flops(NodeSpec node) => (2L * FanIn(node) * Units(node)) + Units(node);

        public override string Describe(NodeSpec node) => Invariant($"Dense({FanIn(node)} → {Units(node)})");

        public override string WeightsDoc(NodeSpec node, int offset) => Invariant($"weights [{FanIn(node)}, {Units(node)}], row-major (inputs × units)");

        /// <summary>PyTorch's <c>nn.Linear</c>: <c>weight [units, inputs]</c>, the transpose of the buffer's block, then <c>bias</c>.</summary>
        public override IEnumerable<TensorSpec> Tensors(NodeSpec node) => WeightAndBias(node, new[] { Units(node), FanIn(node) }, transposed: true);

        public override bool FusesRelu => true;

        public override void Forward(IOpWriter w, OpSite s) =>
            w.Line(Invariant($"{w.DenseKernels}Forward({s.Inputs[0]}, {w.Parameters(s.Node, false)}, {w.Parameters(s.Node, true)}, {s.Output}, batch, inputs: {FanIn(s.Node)}, units: {Units(s.Node)});"));

        /// <summary><c>SmallDenseKernels.ForwardRelu</c> in small networks, the GEMM's ReLU epilogue in larger ones.</summary>
        public override void ForwardRelu(IOpWriter w, OpSite s, bool smallDense)
        {
            string arguments = Invariant($"{s.Inputs[0]}, {w.Parameters(s.Node, false)}, {w.Parameters(s.Node, true)}, {s.Output}, batch, inputs: {FanIn(s.Node)}, units: {Units(s.Node)}");
            w.Line(smallDense ? $"{w.DenseKernels}ForwardRelu({arguments});" : $"{w.DenseKernels}Forward({arguments}, relu: true);");
        }

        public override void ParameterGradients(IOpWriter w, OpSite s) =>
            w.Line(Invariant($"{w.DenseKernels}BackwardParameters({s.Inputs[0]}, {s.Delta}, {w.Gradients(s.Node, false)}, {w.Gradients(s.Node, true)}, batch, inputs: {FanIn(s.Node)}, units: {Units(s.Node)});"));

        /// <summary>The kernel overwrites, so an input gradient that must accumulate goes through the scratch block.</summary>
        public override void Backward(IOpWriter w, OpSite s, int input, string target, bool accumulate)
        {
            string into = accumulate ? w.Scratch(FanIn(s.Node)) : target;
            w.Line(Invariant($"{w.DenseKernels}BackwardInput({s.Delta}, {w.Parameters(s.Node, false)}, {into}, batch, inputs: {FanIn(s.Node)}, units: {Units(s.Node)});"));
            if (accumulate) w.Line($"{Graph}Add({target}, {into}, {target});");
        }

        public override int AccumulationScratch(NodeSpec node) => FanIn(node);
    }
}
