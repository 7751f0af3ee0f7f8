using System.Collections.Generic;
using System.Linq;
using DeepPhys.Generators.Model;
using static System.FormattableString;

namespace DeepPhys.Generators.Ops
{
    /// <summary>The family's descriptors, which <see cref="OpRegistry.All"/> gathers: a new op of the family is listed here only.</summary>
    internal static class GenerativeOps
    {
        public static readonly IReadOnlyList<OpDescriptor> All = new OpDescriptor[] { SampleOp.Instance };
    }

    /// <summary>
    /// A VAE's reparameterised sample: <c>μ + exp(½ · logvar) · ε</c> in training, ε drawn from the network's random stream as
    /// dropout draws its masks; μ in inference, so prediction is deterministic and shares no random stream between threads.
    /// DSL <c>sample(mu, logvar)</c> (two nodes of one shape); <c>[Sample]</c> and DSL <c>sample(h)</c> read one vector, μ then logvar.
    /// </summary>
    internal sealed class SampleOp : OpDescriptor
    {
        public static readonly SampleOp Instance = new();

        private const string Sample = Kernels + "SampleKernels.";

        private SampleOp()
            : base(OpKind.Sample, "sample", minInputs: 1, maxInputs: 2)
        {
        }

        public override LayerAttribute Attribute { get; } = new("DeepPhys.SampleAttribute", "sample");

        public override ShapeCheck Shape(OpArguments arguments, IReadOnlyList<EquatableArray<int>> inputs)
        {
            if (inputs.Count == 2)
            {
                return inputs[0] == inputs[1]
                    ? ShapeCheck.Ok(inputs[0].ToArray())
                    : ShapeCheck.Fail(DiagnosticDescriptors.MergeShapeMismatch, Format(inputs[0]) + " and " + Format(inputs[1]), "μ and logvar of the same shape");
            }

            return inputs[0].Count == 1 && inputs[0][0] % 2 == 0
                ? ShapeCheck.Ok(inputs[0][0] / 2)
                : ShapeCheck.Fail(DiagnosticDescriptors.InvalidArgument, Invariant($"splits one input into μ and logvar, so it needs a vector of an even size, not {Format(inputs[0])}; or give it the two nodes, sample(mu, logvar)"));
        }

        /// <summary>ε, one value per output.</summary>
        public override long ExtraWorkspace(OpArguments arguments, EquatableArray<int> input, EquatableArray<int> output) => CappedSize(output);

        public override string SavedDoc(NodeSpec node) => "ε of the last training pass, one standard normal value per output";

        public override bool DependsOnTraining => true;

        /// <summary>A half, an exponential, a multiply-add: three per value.</summary>
        public override long Flops(NodeSpec node) => 3L * node.Size;

        public override void Forward(IOpWriter w, OpSite s)
        {
            var (mu, logVariance, stride) = Halves(s, s.Inputs[0], s.Inputs.Count > 1 ? s.Inputs[1] : null);
            w.Line(Invariant($"if (training) {Sample}Forward({mu}, {logVariance}, {Epsilon(w, s)}, {s.Output}, batch, latent: {s.Node.Size}, stride: {stride}, Random);"));
            w.Line(Invariant($"else {Sample}Inference({mu}, {s.Output}, batch, latent: {s.Node.Size}, stride: {stride});"));
        }

        /// <summary>μ's gradient is δ; logvar's δ · ½ · exp(½ · logvar) · ε. One input receives both, side by side in each row.</summary>
        public override void Backward(IOpWriter w, OpSite s, int input, string target, bool accumulate) =>
            Gradients(w, s, input, target, accumulate, training: true);

        /// <summary>Inference output μ: μ's gradient is δ, logvar's zero.</summary>
        public override void InferenceBackward(IOpWriter w, OpSite s, int input, string target, bool accumulate) =>
            Gradients(w, s, input, target, accumulate, training: false);

        private static void Gradients(IOpWriter w, OpSite s, int input, string target, bool accumulate, bool training)
        {
            var (_, logVariance, stride) = Halves(s, s.Inputs[0], s.Inputs.Count > 1 ? s.Inputs[1] : null);
            string sizes = Invariant($"batch, latent: {s.Node.Size}, stride: {stride}, accumulate: {(accumulate ? "true" : "false")}");
            if (s.Inputs.Count == 1 || input == 0) w.Line($"{Sample}MeanBackward({s.Delta}, {target}, {sizes});");
            if (s.Inputs.Count == 2 && input == 0) return;
            string logVarianceTarget = s.Inputs.Count == 1 ? Invariant($"{target}.Slice({s.Node.Size})") : target;
            w.Line(training
                ? $"{Sample}LogVarianceBackward({s.Delta}, {logVariance}, {Epsilon(w, s)}, {logVarianceTarget}, {sizes});"
                : $"{Sample}NoGradient({logVarianceTarget}, {sizes});");
        }

        /// <summary>μ and logvar as code, and the values from one row of them to the next: two nodes, or the halves of one vector's rows.</summary>
        private static (string Mu, string LogVariance, int Stride) Halves(OpSite s, string first, string? second) =>
            second is null ? (first, Invariant($"{first}.Slice({s.Node.Size})"), 2 * s.Node.Size) : (first, second, s.Node.Size);

        private static string Epsilon(IOpWriter w, OpSite s) => w.Extra(s.Node, 0, s.Node.Size);
    }
}
