using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DeepPhys.Generators.Model;
using DeepPhys.Generators.Ops;

namespace DeepPhys.Generators.Frontend
{
    /// <summary>
    /// A node as a front end declared it, before checking: its op, its written arguments by DSL name, its inputs, and where
    /// a problem with it goes. Both front ends build these (the attribute stack as a chain, the DSL as a DAG), and
    /// <see cref="DraftGraph"/> checks and lowers them.
    /// </summary>
    internal sealed class DraftNode
    {
        public DraftNode(string name, OpDescriptor op, LocationInfo? at)
        {
            Name = name;
            Op = op;
            At = at;
        }

        public string Name { get; }

        /// <summary>Where the name is written, when it is (the DSL's node name, an attribute's <c>Name</c> argument).</summary>
        public LocationInfo? NameAt { get; set; }

        public OpDescriptor Op { get; }

        /// <summary>Where a problem with the node goes: its attribute, or its layer's name in the DSL.</summary>
        public LocationInfo? At { get; }

        /// <summary>Indices of the input nodes among the drafts.</summary>
        public List<int> Inputs { get; } = new();

        /// <summary>The first input's name as written, for DPH0405's code fix (the DSL's; <c>null</c> in a stack).</summary>
        public string? FirstInputName { get; set; }

        /// <summary>The written arguments, by their DSL name.</summary>
        public Dictionary<string, WrittenValue> Values { get; } = new(StringComparer.Ordinal);

        public ActivationKind Activation { get; set; }

        /// <summary>
        /// Where the activation is written, for DPH0204/0205 and their fix: the DSL's name after <c>-&gt;</c>, activation argument or
        /// standalone activation; an attribute's activation argument expression. <c>null</c> when none is written.
        /// </summary>
        public LocationInfo? ActivationAt { get; set; }

        /// <summary>Whether the written activation is not one (already reported): no loss is checked against it.</summary>
        public bool ActivationUnknown { get; set; }

        public double Slope { get; set; } = 0.01;

        public OpArguments Arguments { get; set; } = OpArguments.None;

        public int[]? Shape { get; set; }

        /// <summary>Whether a problem was reported about the node itself: nothing that needs its arguments or shape is checked.</summary>
        public bool Broken { get; set; }

        /// <summary>Values per sample, capped past the largest buffer.</summary>
        public long Size => Shape?.Aggregate(1L, (product, dimension) => Math.Min(product * dimension, DraftGraph.MaxBufferLength + 1)) ?? 0;
    }

    /// <summary>The checks both front ends share, each written once: arguments, shapes, buffer sizes, the loss's fit, and the lowering into a <see cref="GraphSpec"/>.</summary>
    internal static class DraftGraph
    {
        /// <summary>The most values a .NET array holds (<c>Array.MaxLength</c>, which netstandard2.0 lacks).</summary>
        public const long MaxBufferLength = 0x7FFFFFC7;

        /// <summary>
        /// Reads the node's written arguments through its op's schema into its <see cref="DraftNode.Arguments"/>; a written
        /// activation and slope set the node's (DPH0108 for a bad slope, DPH0109 for one its activation ignores).
        /// </summary>
        public static void Bind(DraftNode node, List<DiagnosticInfo> diagnostics)
        {
            var reader = new ArgumentReader(node.Op, node.Name, node.Values, node.At, diagnostics);
            node.Arguments = node.Op.Bind(reader);
            var activation = node.Op.Parameters.FirstOrDefault(parameter => parameter.Type == ParameterType.PostActivation);
            if (activation is not null && node.Values.ContainsKey(activation.Name))
            {
                bool broken = reader.Broken;
                node.Activation = reader.Activation(activation.Name);
                node.ActivationUnknown = reader.Broken && !broken;
            }

            node.Broken |= reader.Broken;

            var slope = node.Op.Parameters.FirstOrDefault(parameter => parameter.Type == ParameterType.Slope);
            if (slope is null || !node.Values.TryGetValue(slope.Name, out var written)) return;
            if (written.Value is not double value || double.IsNaN(value) || double.IsInfinity(value) || value < 0 || float.IsInfinity((float)value))
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.InvalidNegativeSlope, written.Location ?? node.At, node.Name, written.Text));
                node.Broken = true;
            }
            else if (!reader.Broken && node.Activation != ActivationKind.LeakyReLU)
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.NegativeSlopeIgnored, written.Location ?? node.At, node.Name, node.Activation.ToString()));
            }
            else
            {
                node.Slope = value;
            }
        }

        /// <summary>The op's shape rule on the inputs' shapes; nothing when the node or an input is broken.</summary>
        public static void InferShape(IReadOnlyList<DraftNode> drafts, DraftNode draft, List<DiagnosticInfo> diagnostics)
        {
            if (draft.Broken || draft.Inputs.Any(input => drafts[input].Shape is null)) return;
            var check = draft.Op.Shape(draft.Arguments, draft.Inputs.Select(input => new EquatableArray<int>(drafts[input].Shape!)).ToList());
            if (check.Argument is { } argument)
            {
                var at = draft.Values.TryGetValue(argument, out var written) ? written.Location ?? draft.At : draft.At;
                diagnostics.Add(new DiagnosticInfo(check.Problem!, at, check.Args));
                draft.Broken = true;
                return;
            }

            if (check.Problem is not null)
            {
                // DPH0405's code fix inserts a flatten of this input.
                var properties = check.Problem == DiagnosticDescriptors.DenseNeedsVector && draft.FirstInputName is { } input
                    ? new EquatableArray<DiagnosticProperty>(new[] { new DiagnosticProperty(DiagnosticProperty.Input, input) })
                    : EquatableArray<DiagnosticProperty>.Empty;
                diagnostics.Add(new DiagnosticInfo(check.Problem.Id, draft.At, new EquatableArray<string>(new[] { draft.Name }.Concat(check.Args)), properties));
                return;
            }

            draft.Shape = check.Shape;
            if (draft.Shape!.Any(dimension => dimension < 1))
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.SizeNotPositive, draft.At, draft.Name, "shape", string.Join(", ", draft.Shape!)));
                draft.Broken = true;
                draft.Shape = null;
            }
        }

        /// <summary>DPH0111 at <paramref name="at"/> when the parameters or the activations per sample (with each node's extra workspace) overflow a buffer.</summary>
        public static void CheckTotals(IReadOnlyList<DraftNode> drafts, IEnumerable<int> live, string network, LocationInfo? at, List<DiagnosticInfo> diagnostics)
        {
            long parameters = 0, activations = 0;
            foreach (int index in live)
            {
                var draft = drafts[index];
                if (draft.Shape is null) continue;
                var input = draft.Inputs.Count > 0 ? new EquatableArray<int>(drafts[draft.Inputs[0]].Shape!) : EquatableArray<int>.Empty;
                var (weights, biases) = draft.Op.ParameterCounts(draft.Arguments, input);
                parameters = Math.Min(parameters + weights + biases, long.MaxValue / 4);
                activations = Math.Min(activations + draft.Size + draft.Op.ExtraWorkspace(draft.Arguments, input, new EquatableArray<int>(draft.Shape)), long.MaxValue / 4);
            }

            if (parameters > MaxBufferLength || activations > MaxBufferLength)
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.NetworkTooLarge, at, network, Format(parameters), Format(activations), Format(MaxBufferLength)));
            }
        }

        /// <summary>
        /// DPH0202–0205 at <paramref name="at"/>: whether the node's activation (and size, once known) fits the loss trained on it.
        /// DPH0204/0205 go to the written activation, with the one that fits as the front end spells it (<paramref name="activationName"/>)
        /// as their suggestion, which their code fix writes there.
        /// </summary>
        public static void CheckLossFit(DraftNode output, LossKind loss, LocationInfo? at, Func<ActivationKind, string> activationName, List<DiagnosticInfo> diagnostics)
        {
            if (output.ActivationUnknown) return;
            var (problem, fitting) = loss switch
            {
                LossKind.BinaryCrossEntropy when output.Activation == ActivationKind.Softmax => (DiagnosticDescriptors.SoftmaxWithBinaryCrossEntropy, (ActivationKind?)null),
                LossKind.BinaryCrossEntropy when output.Activation != ActivationKind.Sigmoid => (DiagnosticDescriptors.BinaryNeedsSigmoid, ActivationKind.Sigmoid),
                LossKind.CategoricalCrossEntropy when output.Shape is not null && output.Size == 1 => (DiagnosticDescriptors.SingleUnitCategorical, null),
                LossKind.CategoricalCrossEntropy when output.Activation != ActivationKind.Softmax => (DiagnosticDescriptors.CategoricalNeedsSoftmax, ActivationKind.Softmax),
                _ => (null, null),
            };
            if (problem is null) return;
            var args = new EquatableArray<string>(new[] { output.Name, output.Activation.ToString() });
            diagnostics.Add(fitting is { } activation && output.ActivationAt is { } written
                ? new DiagnosticInfo(problem.Id, written, args, UnknownName.SuggestionProperty(activationName(activation)))
                : new DiagnosticInfo(problem.Id, at, args, EquatableArray<DiagnosticProperty>.Empty));
        }

        /// <summary>
        /// The methodology warnings, for both front ends: a sigmoid or softmax output trained with mean squared error (DPH0501, at
        /// the loss, naming the loss that fits as the front end spells it), a loss on an op that warns as an output (a dropout,
        /// DPH0502), a softmax right after a batch norm (DPH0503).
        /// </summary>
        public static void CheckMethodology(
            IReadOnlyList<DraftNode> drafts, IEnumerable<(int Node, LossKind Loss, LocationInfo? LossAt)> outputs, Func<LossKind, string> lossName, List<DiagnosticInfo> diagnostics)
        {
            foreach (var (node, loss, lossAt) in outputs)
            {
                var draft = drafts[node];
                if (loss == LossKind.MeanSquaredError && draft.Activation is ActivationKind.Sigmoid or ActivationKind.Softmax)
                {
                    var better = draft.Activation == ActivationKind.Sigmoid ? LossKind.BinaryCrossEntropy : LossKind.CategoricalCrossEntropy;
                    diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.SigmoidMseClassifier, lossAt, draft.Name, draft.Activation.ToString().ToLowerInvariant(), lossName(better)));
                }

                if (draft.Op.OutputWarning is { } warning) diagnostics.Add(new DiagnosticInfo(warning, draft.At, draft.Name));
            }

            foreach (var draft in drafts.Where(draft => draft.Activation == ActivationKind.Softmax && !draft.Broken))
            {
                // Softmax right after batch norm: a standalone softmax(bn), or batchnorm(x) -> softmax.
                var before = draft.Op.IsStandaloneActivation && draft.Inputs.Count == 1 ? drafts[draft.Inputs[0]] : draft;
                if (before.Op.NormalizesBatch) diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.BatchNormBeforeSoftmax, draft.At, draft.Name, before.Name));
            }
        }

        /// <summary>The graph of the checked drafts in <paramref name="order"/> (topological, live nodes only), with the outputs' node indices among the drafts.</summary>
        public static GraphSpec Build(IReadOnlyList<DraftNode> drafts, IReadOnlyList<int> order, IEnumerable<OutputSpec> outputs, IEnumerable<KlTermSpec>? klTerms = null)
        {
            var position = new Dictionary<int, int>();
            var nodes = new List<NodeSpec>();
            foreach (int index in order)
            {
                var draft = drafts[index];
                position[index] = nodes.Count;
                nodes.Add(new NodeSpec(
                    draft.Name,
                    draft.Op.Kind,
                    draft.Inputs.Select(input => position[input]).ToEquatableArray(),
                    new EquatableArray<int>(draft.Shape!),
                    draft.Activation,
                    draft.Slope,
                    draft.Arguments,
                    draft.Inputs.Count > 0 ? new EquatableArray<int>(drafts[draft.Inputs[0]].Shape!) : EquatableArray<int>.Empty));
            }

            return new GraphSpec(
                nodes.ToEquatableArray(),
                outputs.Select(output => output with { Node = position[output.Node] }).ToEquatableArray(),
                (klTerms ?? Enumerable.Empty<KlTermSpec>()).Select(term => term with { Mu = position[term.Mu], LogVariance = position[term.LogVariance] }).ToEquatableArray());
        }

        /// <summary>Whether a node name can appear in generated constant names: a letter, then letters, digits and underscores.</summary>
        public static bool IsValidName(string name) =>
            name.Length > 0 && char.IsLetter(name[0]) && name.All(c => char.IsLetterOrDigit(c) || c == '_');

        /// <summary>The PascalCase form of a node name used in constant names: <c>dense_1</c> → <c>Dense1</c>.</summary>
        public static string ToIdentifier(string name) =>
            string.Concat(name.Split('_').Where(part => part.Length > 0).Select(part => char.ToUpperInvariant(part[0]) + part.Substring(1)));

        /// <summary>
        /// DPH0112 (Info) at <paramref name="at"/> when a valid network has more than <see cref="GraphSpec.SmallNetworkMaxParameters"/>
        /// parameters, so its dense layers use the general kernels: the parameter and forward FLOP counts say why.
        /// </summary>
        public static IEnumerable<DiagnosticInfo> LargeNetwork(NetworkSpec? spec, LocationInfo? at)
        {
            if (spec is null || spec.Graph.UsesSmallDenseKernels) yield break;
            yield return new DiagnosticInfo(
                DiagnosticDescriptors.LargeNetwork,
                at,
                spec.ClassName,
                Format(spec.Graph.ParameterCount),
                Format(spec.Graph.FlopsPerSample),
                Format(GraphSpec.SmallNetworkMaxParameters));
        }

        private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
