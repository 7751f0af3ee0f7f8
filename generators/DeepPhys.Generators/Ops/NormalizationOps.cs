using System.Collections.Generic;
using System.Linq;
using DeepPhys.Generators.Model;
using static System.FormattableString;

namespace DeepPhys.Generators.Ops
{
    /// <summary>The family's descriptors, which <see cref="OpRegistry.All"/> gathers: a new op of the family is listed here only.</summary>
    internal static class NormalizationOps
    {
        public static readonly IReadOnlyList<OpDescriptor> All = new OpDescriptor[] { DropoutOp.Instance, BatchNormOp.Instance };
    }

    /// <summary>Inverted dropout in training, the identity in inference: <c>[Dropout(rate)]</c>, DSL <c>dropout(x, rate)</c>.</summary>
    internal sealed class DropoutOp : OpDescriptor
    {
        public static readonly DropoutOp Instance = new();

        private static readonly Parameter[] Arguments = { new("rate", ParameterType.Number, AttributeName: "rate") };

        private DropoutOp()
            : base(OpKind.Dropout, "dropout")
        {
        }

        public override LayerAttribute Attribute { get; } = new("DeepPhys.DropoutAttribute", "dropout");

        public override IReadOnlyList<Parameter> Parameters => Arguments;

        public override OpArguments Bind(ArgumentReader reader) => new DropoutArguments(reader.Number("rate", rate => rate >= 0 && rate < 1, "a number in [0, 1)"));

        public override ShapeCheck Shape(OpArguments arguments, IReadOnlyList<EquatableArray<int>> inputs) => ShapeCheck.Ok(inputs[0].ToArray());

        /// <summary>The mask, one value per output.</summary>
        public override long ExtraWorkspace(OpArguments arguments, EquatableArray<int> input, EquatableArray<int> output) => CappedSize(output);

        public override string SavedDoc(NodeSpec node) => "the mask of the last training pass, 0 or 1/(1 − rate) per output";

        public override bool DependsOnTraining => true;

        public override Microsoft.CodeAnalysis.DiagnosticDescriptor OutputWarning => DiagnosticDescriptors.DropoutAfterOutput;

        public override IEnumerable<string> DefinitionEntries(NodeSpec node)
        {
            yield return "Rate = " + Literal(((DropoutArguments)node.Arguments).Rate);
        }

        public override void Forward(IOpWriter w, OpSite s)
        {
            w.Line(Invariant($"if (training) {Kernels}DropoutKernels.Forward({s.Inputs[0]}, {s.Output}, {Mask(w, s)}, rate: {Literal(((DropoutArguments)s.Node.Arguments).Rate)}, Random);"));
            w.Line($"else {s.Inputs[0]}.CopyTo({s.Output});");
        }

        public override void Backward(IOpWriter w, OpSite s, int input, string target, bool accumulate) =>
            w.Line(accumulate
                ? $"{Graph}MultiplyAdd({s.Delta}, {Mask(w, s)}, {target}, {target});"
                : $"{Graph}Multiply({s.Delta}, {Mask(w, s)}, {target});");

        /// <summary>Inference copied the input: the gradient passes unchanged.</summary>
        public override void InferenceBackward(IOpWriter w, OpSite s, int input, string target, bool accumulate) => PassBackward(w, s, target, accumulate);

        private static string Mask(IOpWriter w, OpSite s) => w.Extra(s.Node, 0, s.Node.Size);
    }

    /// <summary>
    /// Batch normalisation per channel (per feature of a vector) with learned γ and β and running statistics for inference:
    /// <c>[BatchNorm]</c>, DSL <c>batchnorm</c>; Keras's momentum (0.99) and epsilon (1e-3) unless set.
    /// </summary>
    internal sealed class BatchNormOp : OpDescriptor
    {
        public static readonly BatchNormOp Instance = new();

        private const string Norm = Kernels + "BatchNormKernels.";

        private static readonly Parameter[] Arguments =
        {
            new("momentum", ParameterType.Number, 0.99, "Momentum"),
            new("epsilon", ParameterType.Number, 0.001, "Epsilon"),
        };

        private BatchNormOp()
            : base(OpKind.BatchNorm, "batchnorm")
        {
        }

        public override LayerAttribute Attribute { get; } = new("DeepPhys.BatchNormAttribute", "batch_normalization");

        public override IReadOnlyList<Parameter> Parameters => Arguments;

        public override OpArguments Bind(ArgumentReader reader) => new BatchNormArguments(
            reader.Number("momentum", momentum => momentum >= 0 && momentum <= 1, "a number in [0, 1] (Keras's: the running averages keep this share)"),
            reader.Number("epsilon", epsilon => epsilon > 0, "a finite number above 0"));

        public override ShapeCheck Shape(OpArguments arguments, IReadOnlyList<EquatableArray<int>> inputs) => ShapeCheck.Ok(inputs[0].ToArray());

        public override int Units(NodeSpec node) => node.InputShape[0];

        public override int FanIn(NodeSpec node) => 1;

        /// <summary>γ and β, one each per channel.</summary>
        public override (long Weights, long Biases) ParameterCounts(OpArguments arguments, EquatableArray<int> input) => (input[0], input[0]);

        /// <summary>x̂ per output value, then 1/σ per channel.</summary>
        public override long ExtraWorkspace(OpArguments arguments, EquatableArray<int> input, EquatableArray<int> output) => CappedSize(output) + input[0];

        public override string SavedDoc(NodeSpec node) => "x̂ per output value, then 1/σ per channel";

        /// <summary>γ and β are not penalised.</summary>
        public override int PenalizedWeights(NodeSpec node) => 0;

        public override bool DependsOnTraining => true;

        public override bool NormalizesBatch => true;

        public override string WeightsDoc(NodeSpec node, int offset) => Invariant($"γ (scale) [{Units(node)}], one per channel");

        /// <summary>PyTorch's <c>nn.BatchNorm</c>: γ as <c>weight</c>, β as <c>bias</c>.</summary>
        public override IEnumerable<TensorSpec> Tensors(NodeSpec node) => WeightAndBias(node, new[] { Units(node) });

        /// <summary>PyTorch's buffers <c>running_mean</c> and <c>running_var</c>.</summary>
        public override IEnumerable<TensorSpec> StateTensors(NodeSpec node)
        {
            yield return new TensorSpec("running_mean", new[] { Units(node) }, 0);
            yield return new TensorSpec("running_var", new[] { Units(node) }, Units(node));
        }

        public override string BiasDoc(NodeSpec node) => Invariant($"β (shift) [{Units(node)}]");

        public override IEnumerable<string> DefinitionEntries(NodeSpec node)
        {
            var a = (BatchNormArguments)node.Arguments;
            yield return Invariant($"Units = {Units(node)}");
            yield return "Momentum = " + Literal(a.Momentum);
            yield return "Epsilon = " + Literal(a.Epsilon);
        }

        public override void Initialize(IInitializerWriter writer, NodeSpec node, string weights, string bias)
        {
            writer.Line(Invariant($"// {node.Name}: γ = 1, β = 0"));
            writer.Line(Invariant($"parameters.Slice({weights}, {node.WeightCount}).Fill({writer.Literal(1)});"));
        }

        public override void InitializeState(IInitializerWriter writer, NodeSpec node, int offset)
        {
            writer.Line(Invariant($"// {node.Name}: running means 0, running variances 1"));
            writer.Line(Invariant($"state.Slice({offset + Units(node)}, {Units(node)}).Fill({writer.Literal(1)});"));
        }

        public override void Forward(IOpWriter w, OpSite s)
        {
            var a = (BatchNormArguments)s.Node.Arguments;
            string gamma = w.Parameters(s.Node, false), beta = w.Parameters(s.Node, true);
            string mean = w.State(s.Node, 0, Units(s.Node)), variance = w.State(s.Node, Units(s.Node), Units(s.Node));
            int plane = Plane(s.Node);
            w.Line(Invariant(
                $"if (training) {Norm}Forward({s.Inputs[0]}, {gamma}, {beta}, {s.Output}, {Normalized(w, s)}, {InverseStd(w, s)}, {mean}, {variance}, batch, plane: {plane}, momentum: {Literal(a.Momentum)}, epsilon: {Literal(a.Epsilon)});"));
            w.Line(Invariant($"else {Norm}Inference({s.Inputs[0]}, {gamma}, {beta}, {mean}, {variance}, {s.Output}, batch, plane: {plane}, epsilon: {Literal(a.Epsilon)});"));
        }

        public override void ParameterGradients(IOpWriter w, OpSite s) =>
            w.Line(Invariant($"{Norm}BackwardParameters({s.Delta}, {Normalized(w, s)}, {w.Gradients(s.Node, false)}, {w.Gradients(s.Node, true)}, batch, plane: {Plane(s.Node)});"));

        public override void Backward(IOpWriter w, OpSite s, int input, string target, bool accumulate) =>
            AddingKernel(w, target, accumulate, Invariant($"{Norm}BackwardInput({s.Delta}, {Normalized(w, s)}, {w.Parameters(s.Node, false)}, {InverseStd(w, s)}, {target}, batch, plane: {Plane(s.Node)});"));

        public override void InferenceBackward(IOpWriter w, OpSite s, int input, string target, bool accumulate) =>
            AddingKernel(w, target, accumulate, Invariant(
                $"{Norm}InferenceBackwardInput({s.Delta}, {w.Parameters(s.Node, false)}, {w.State(s.Node, Units(s.Node), Units(s.Node))}, {target}, batch, plane: {Plane(s.Node)}, epsilon: {Literal(((BatchNormArguments)s.Node.Arguments).Epsilon)});"));

        private static string Normalized(IOpWriter w, OpSite s) => w.Extra(s.Node, 0, s.Node.Size);

        /// <summary>1/σ per channel, after x̂.</summary>
        private string InverseStd(IOpWriter w, OpSite s) => w.Extra(s.Node, s.Node.Size, Units(s.Node));
    }
}
