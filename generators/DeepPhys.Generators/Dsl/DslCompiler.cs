using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DeepPhys.Generators.Frontend;
using DeepPhys.Generators.Model;
using DeepPhys.Generators.Ops;

namespace DeepPhys.Generators.Dsl
{
    /// <summary>What the DSL front end makes of a text: the graph when it has no error, the .dph header, and every problem.</summary>
    internal sealed record DslResult(GraphSpec? Graph, PrecisionKind Precision, string? ClassName, string? Namespace, List<DiagnosticInfo> Diagnostics);

    /// <summary>
    /// Checks parsed DSL statements (names, arguments, the graph, shapes, losses) and lowers them
    /// into a <see cref="GraphSpec"/> in topological order with only the nodes that reach a loss.
    /// </summary>
    internal sealed class DslCompiler
    {
        /// <summary>The KL term's loss name: not an output's loss (no target), read apart by <see cref="ReadKlTerm"/>.</summary>
        private const string KlLoss = "kl";

        private static readonly Dictionary<string, LossKind> Losses = new(StringComparer.Ordinal)
        {
            ["mse"] = LossKind.MeanSquaredError, ["binary_crossentropy"] = LossKind.BinaryCrossEntropy,
            ["categorical_crossentropy"] = LossKind.CategoricalCrossEntropy,
        };

        private static IReadOnlyDictionary<string, ActivationKind> Activations => ArgumentReader.ActivationNames;

        private readonly Func<int, int, LocationInfo?> locate;
        private readonly List<DiagnosticInfo> diagnostics = new();
        private string displayName;

        private DslCompiler(Func<int, int, LocationInfo?> locate, string displayName)
        {
            this.locate = locate;
            this.displayName = displayName;
        }

        /// <summary>Compiles DSL text.</summary>
        /// <param name="text">The DSL.</param>
        /// <param name="locate">Maps a span of <paramref name="text"/> to where the diagnostic goes.</param>
        /// <param name="className">The class an inline DSL is written on, for messages; <c>null</c> for a .dph file, which names its class
        /// (<c>network</c> and <c>namespace</c> are allowed there, and <c>network</c> is required).</param>
        /// <param name="networkRequired">Whether a file must have its <c>network</c> line: a .dph file for the generator must, a text
        /// compiled at run time need not (its class name can be made up).</param>
        public static DslResult Compile(string text, Func<int, int, LocationInfo?> locate, string? className, bool networkRequired = true)
        {
            bool isFile = className is null;
            var compiler = new DslCompiler(locate, className ?? "network");
            var (statements, errors) = DslParser.Parse(text);
            foreach (var error in errors) compiler.Report(DiagnosticDescriptors.SyntaxError, error.Start, error.Length, error.Expected, error.Found);
            return compiler.Lower(statements, isFile, isFile && networkRequired, errors.Count > 0);
        }

        private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, int start, int length, params string[] args) =>
            diagnostics.Add(new DiagnosticInfo(descriptor, locate(start, length), args));

        private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, Name at, params string[] args) => Report(descriptor, at.Start, at.Length, args);

        private DslResult Lower(List<Statement> parsed, bool isFile, bool networkRequired, bool hasSyntaxErrors)
        {
            var statements = Unnest(parsed);
            var precision = PrecisionKind.Single;
            string? className = null, ns = null;
            var drafts = new List<DraftNode>();
            var byName = new Dictionary<string, int>(StringComparer.Ordinal);
            var identifiers = new Dictionary<string, DraftNode>(StringComparer.Ordinal);
            var declared = new List<(DraftNode Draft, List<Name> Inputs)>();
            foreach (var statement in statements)
            {
                switch (statement)
                {
                    case NetworkStatement network when isFile:
                        className = displayName = network.ClassName.Text;
                        if (Array.IndexOf(Emission.NetworkEmitter.GeneratedMemberNames, className) >= 0)
                        {
                            Report(DiagnosticDescriptors.NetworkNamedLikeAGeneratedMember, network.ClassName, className);
                        }

                        break;
                    case NamespaceStatement space when isFile:
                        ns = space.Namespace;
                        break;
                    case NetworkStatement or NamespaceStatement:
                        Report(DiagnosticDescriptors.InvalidDslDeclaration, statement.Start, statement.Length, "'network' and 'namespace' belong in .dph files; inline DSL generates the class it is written on, in that class's namespace");
                        break;
                    case PrecisionStatement p:
                        if (p.Precision.Text is "double" or "float64") precision = PrecisionKind.Double;
                        else if (p.Precision.Text is not ("single" or "float" or "float32")) Unknown(p.Precision.Start, p.Precision.Length, "precision", p.Precision.Text, new[] { "single", "double" });
                        break;
                    case InputStatement input:
                        Define(DeclareInput(input), drafts, byName, identifiers);
                        break;
                    case NodeStatement node:
                        var (draft, inputs) = Declare(node);
                        declared.Add((draft, inputs));
                        Define(draft, drafts, byName, identifiers);
                        break;
                }
            }

            if (networkRequired && className is null && !hasSyntaxErrors)
            {
                Report(DiagnosticDescriptors.InvalidDslDeclaration, 0, 0, "A .dph file must name the class it generates: add a line 'network ClassName' (and 'namespace My.Namespace' if it is not global)");
            }

            if (!hasSyntaxErrors && !statements.OfType<LossStatement>().Any())
            {
                Report(DiagnosticDescriptors.InvalidDslDeclaration, 0, 0, "A network needs a loss: add a line like 'loss mse(out)' naming the output node it trains");
            }

            foreach (var (draft, inputs) in declared) Resolve(draft, inputs, byName);
            var order = TopologicalOrder(drafts);
            foreach (int index in order) DraftGraph.InferShape(drafts, drafts[index], diagnostics);
            var klTerms = new List<KlTermSpec>();
            var outputs = ReadLosses(statements, drafts, byName, klTerms);
            var live = CheckLiveness(drafts, outputs.Select(output => output.Output.Node).Concat(klTerms.SelectMany(term => new[] { term.Mu, term.LogVariance })));
            DraftGraph.CheckMethodology(
                drafts,
                outputs.Select(output => (output.Output.Node, output.Output.Loss, locate(output.Statement.Loss.Start, output.Statement.Loss.Length))),
                loss => Losses.First(pair => pair.Value == loss).Key,
                diagnostics);
            DraftGraph.CheckTotals(drafts, order.Where(index => live[index]), displayName, locate(0, 0), diagnostics);

            if (hasSyntaxErrors)
            {
                // A line the parser dropped leaves its names undefined; report what the parser found and the unknown names only.
                diagnostics.RemoveAll(diagnostic => diagnostic.Id != DiagnosticDescriptors.SyntaxError.Id && diagnostic.Id != DiagnosticDescriptors.UnknownName.Id);
            }

            if (diagnostics.Any(diagnostic => diagnostic.IsError) || hasSyntaxErrors || order.Count != drafts.Count)
            {
                return new DslResult(null, precision, className, ns, diagnostics);
            }

            return new DslResult(DraftGraph.Build(drafts, order.Where(index => live[index]).ToList(), outputs.Select(output => output.Output), klTerms), precision, className, ns, diagnostics);
        }

        /// <summary>
        /// Nested calls (<c>r = add(x, dense(x, 4))</c>) become nodes of their own, before the node they feed,
        /// named after it and their layer: <c>r_dense</c>, then <c>r_dense_2</c>, … (never a name the text defines, nor an activation's).
        /// </summary>
        private static List<Statement> Unnest(List<Statement> statements)
        {
            var taken = new HashSet<string>(
                statements.OfType<NodeStatement>().Select(node => node.Node.Text).Concat(statements.OfType<InputStatement>().Select(input => input.Node.Text)).Concat(Activations.Keys),
                StringComparer.Ordinal);
            var result = new List<Statement>();
            foreach (var statement in statements)
            {
                if (statement is NodeStatement node) Unnest(node, taken, result);
                else result.Add(statement);
            }

            return result;
        }

        private static void Unnest(NodeStatement node, HashSet<string> taken, List<Statement> result)
        {
            var arguments = new List<Argument>();
            foreach (var argument in node.Arguments)
            {
                var value = argument.Value;
                if (value.Call is not { } call)
                {
                    arguments.Add(argument);
                    continue;
                }

                string name = node.Node.Text + "_" + call.Layer.Text;
                for (int i = 2; !taken.Add(name); i++) name = node.Node.Text + "_" + call.Layer.Text + "_" + i.ToString(CultureInfo.InvariantCulture);
                var reference = new Name(name, value.Start, value.Length);
                Unnest(new NodeStatement(reference, call.Layer, call.Arguments, null, value.Start, value.Length), taken, result);
                arguments.Add(new Argument(argument.Label, new Value(value.Start, value.Length, reference, null, null)));
            }

            result.Add(new NodeStatement(node.Node, node.Layer, arguments, node.Activation, node.Start, node.Length));
        }

        private void Define(DraftNode draft, List<DraftNode> drafts, Dictionary<string, int> byName, Dictionary<string, DraftNode> identifiers)
        {
            string identifier = DraftGraph.ToIdentifier(draft.Name);
            if (byName.ContainsKey(draft.Name))
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.DuplicateName, draft.NameAt, draft.Name, "is defined more than once; node names must be unique"));
                return;
            }

            if (!DraftGraph.IsValidName(draft.Name))
            {
                // DPH0110: the name becomes part of constant names (Dense1Weights), so it must make an identifier.
                // The node is still defined, so its uses are not also reported as undefined.
                diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.InvalidLayerName, draft.NameAt, draft.Name, "is not valid: a node name starts with a letter and has only letters, digits and underscores"));
            }
            else if (identifiers.TryGetValue(identifier, out var earlier))
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.DuplicateName, draft.NameAt, draft.Name, $"gives the same constant names ({identifier}Weights, …) as '{earlier.Name}'; names must differ after PascalCasing"));
                return;
            }
            else
            {
                identifiers.Add(identifier, draft);
            }

            byName.Add(draft.Name, drafts.Count);
            drafts.Add(draft);
        }

        private void Unknown(int start, int length, string kind, string text, IEnumerable<string> candidates, string note = "") =>
            diagnostics.Add(UnknownName.Create(locate(start, length), kind, text, candidates, note));

        /// <summary>DPH0401 with the closest of <paramref name="candidates"/> as its suggestion.</summary>
        private void Undefined(Name reference, IEnumerable<string> candidates)
        {
            string? suggestion = UnknownName.Suggest(reference.Text, candidates);
            diagnostics.Add(new DiagnosticInfo(
                DiagnosticDescriptors.UndefinedName.Id,
                locate(reference.Start, reference.Length),
                new EquatableArray<string>(new[] { reference.Text, UnknownName.Hint(suggestion) }),
                UnknownName.SuggestionProperty(suggestion)));
        }

        /// <summary><c>input x[…]</c>: its shape is its argument, each dimension at least 1.</summary>
        private DraftNode DeclareInput(InputStatement input)
        {
            var draft = new DraftNode(input.Node.Text, InputOp.Instance, locate(input.ShapeValue.Start, input.ShapeValue.Length))
            {
                NameAt = locate(input.Node.Start, input.Node.Length),
                Arguments = new InputArguments(input.Shape.ToEquatableArray()),
            };
            if (input.Shape.All(dimension => dimension >= 1))
            {
                draft.Shape = input.Shape.ToArray();
            }
            else
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.SizeNotPositive, draft.At, draft.Name, "shape", string.Join(", ", input.Shape)));
                draft.Broken = true;
            }

            return draft;
        }

        /// <summary>The layer or standalone activation of a node statement, its inputs and written arguments by name, its post-activation, checked by the op's schema.</summary>
        private (DraftNode Draft, List<Name> Inputs) Declare(NodeStatement statement)
        {
            string layer = statement.Layer.Text;
            var at = locate(statement.Layer.Start, statement.Layer.Length);
            var inputs = new List<Name>();
            bool standalone = Activations.TryGetValue(layer, out var activation);
            if (!standalone && !OpRegistry.ByDslName.ContainsKey(layer))
            {
                Unknown(statement.Layer.Start, statement.Layer.Length, "layer", layer, OpRegistry.ByDslName.Keys.Concat(Activations.Keys));
                return (new DraftNode(statement.Node.Text, ActivationOp.Instance, at) { NameAt = locate(statement.Node.Start, statement.Node.Length), Broken = true }, inputs);
            }

            var op = standalone ? ActivationOp.Instance : OpRegistry.ByDslName[layer];
            var draft = new DraftNode(statement.Node.Text, op, at) { NameAt = locate(statement.Node.Start, statement.Node.Length), Activation = activation };
            string name = standalone ? layer : op.DslName;
            var parameters = op.Parameters.Where(parameter => !parameter.AttributeOnly).Select(parameter => parameter.Name).ToArray();
            int positional = 0;
            foreach (var argument in statement.Arguments)
            {
                if (argument.Label is null && argument.Value.Identifier is { } reference && draft.Values.Count == 0
                    && inputs.Count < op.MaxInputs && !Activations.ContainsKey(reference.Text))
                {
                    inputs.Add(reference);
                    continue;
                }

                string? parameter = argument.Label?.Text ?? (positional < parameters.Length ? parameters[positional++] : null);
                if (parameter is null || !parameters.Contains(parameter))
                {
                    if (argument.Label is { } label) Unknown(label.Start, label.Length, "argument", label.Text, parameters, $" ({name} takes {Describe(parameters)})");
                    else Report(DiagnosticDescriptors.InvalidArgument, argument.Value.Start, argument.Value.Length, name, $"takes {Describe(parameters)} after its input{(op.MaxInputs > 1 ? "s" : "")}; '{argument.Value.Text}' is one argument too many");
                    draft.Broken = true;
                    continue;
                }

                if (draft.Values.ContainsKey(parameter))
                {
                    Report(DiagnosticDescriptors.InvalidArgument, argument.Value.Start, argument.Value.Length, name, $"sets '{parameter}' twice");
                    draft.Broken = true;
                    continue;
                }

                draft.Values.Add(parameter, Written(argument.Value));
            }

            draft.FirstInputName = inputs.FirstOrDefault()?.Text;
            if (inputs.Count < op.MinInputs)
            {
                Report(DiagnosticDescriptors.InvalidArgument, statement.Layer, name, $"takes {(op.MinInputs == op.MaxInputs ? op.MinInputs.ToString(CultureInfo.InvariantCulture) : "at least " + op.MinInputs.ToString(CultureInfo.InvariantCulture))} input node{(op.MinInputs > 1 ? "s" : "")} but has {inputs.Count}");
                draft.Broken = true;
            }

            if (statement.Activation is { } after) ReadPostActivation(draft, after, name);
            draft.ActivationAt = standalone ? at
                : statement.Activation is { } written ? locate(written.Start, written.Length)
                : draft.Values.TryGetValue(Parameter.PostActivation.Name, out var activationArgument) ? activationArgument.Location
                : null;
            bool broken = draft.Broken;
            DraftGraph.Bind(draft, diagnostics);
            draft.Broken |= broken;
            return (draft, inputs);
        }

        /// <summary><c>-&gt; relu</c>: the node's activation, unless the op is one or sets it by argument already.</summary>
        private void ReadPostActivation(DraftNode draft, Name after, string name)
        {
            bool takesActivation = draft.Op.Parameters.Any(parameter => parameter.Type == ParameterType.PostActivation);
            if (draft.Op.IsStandaloneActivation || (takesActivation && draft.Values.ContainsKey("activation")))
            {
                Report(DiagnosticDescriptors.InvalidArgument, after, name, "already has an activation; use one of '-> " + after.Text + "' and the activation argument");
                draft.Broken = true;
            }
            else if (Activations.TryGetValue(after.Text, out var activation))
            {
                draft.Activation = activation;
            }
            else
            {
                Unknown(after.Start, after.Length, "activation", after.Text, Activations.Keys);
                draft.Broken = true;
            }
        }

        /// <summary>A DSL value as the argument reader takes it.</summary>
        private WrittenValue Written(Value value)
        {
            object written = value.Number is double number ? number
                : value.Identifier is { } identifier ? identifier.Text
                : (object)(value.List ?? new List<int>()).ToEquatableArray();
            return new WrittenValue(written, value.Text, locate(value.Start, value.Length));
        }

        private static string Describe(string[] parameters) => parameters.Length == 0 ? "no arguments" : string.Join(", ", parameters);

        private void Resolve(DraftNode draft, List<Name> inputs, Dictionary<string, int> byName)
        {
            foreach (var reference in inputs)
            {
                if (byName.TryGetValue(reference.Text, out int index))
                {
                    draft.Inputs.Add(index);
                    continue;
                }

                Undefined(reference, byName.Keys.Where(name => name != draft.Name));
                draft.Broken = true;
            }
        }

        /// <summary>Kahn's algorithm in declaration order (so a chain keeps its order); a cycle is reported once, naming its nodes.</summary>
        private List<int> TopologicalOrder(List<DraftNode> drafts)
        {
            var order = new List<int>();
            var done = new bool[drafts.Count];
            bool progress = true;
            while (progress)
            {
                progress = false;
                for (int i = 0; i < drafts.Count; i++)
                {
                    if (done[i] || drafts[i].Inputs.Any(input => !done[input])) continue;
                    done[i] = true;
                    order.Add(i);
                    progress = true;
                    break;
                }
            }

            if (order.Count < drafts.Count)
            {
                var cycle = FindCycle(drafts, done);
                diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.Cycle, drafts[cycle[0]].NameAt, string.Join(" → ", cycle.Select(index => drafts[index].Name))));
            }

            return order;
        }

        /// <summary>Walks inputs from an unfinished node until one repeats: the repeated stretch is a cycle.</summary>
        private static List<int> FindCycle(List<DraftNode> drafts, bool[] done)
        {
            var path = new List<int>();
            int current = Enumerable.Range(0, drafts.Count).First(index => !done[index]);
            while (!path.Contains(current))
            {
                path.Add(current);
                current = drafts[current].Inputs.First(input => !done[input]);
            }

            var cycle = path.Skip(path.IndexOf(current)).Reverse().ToList();
            cycle.Add(cycle[0]);
            return cycle;
        }

        /// <summary>The outputs' losses; the KL terms (<c>loss kl(mu, logvar)</c>, which train no output) go to <paramref name="klTerms"/>.</summary>
        private List<(OutputSpec Output, LossStatement Statement)> ReadLosses(List<Statement> statements, List<DraftNode> drafts, Dictionary<string, int> byName, List<KlTermSpec> klTerms)
        {
            var outputs = new List<(OutputSpec, LossStatement)>();
            foreach (var statement in statements.OfType<LossStatement>())
            {
                var refs = statement.Arguments.Where(argument => argument.Label is null).ToList();
                var labelled = statement.Arguments.Where(argument => argument.Label is not null).ToList();
                bool isKl = statement.Loss.Text == KlLoss;
                bool known = Losses.TryGetValue(statement.Loss.Text, out var loss) || isKl;
                if (!known) Unknown(statement.Loss.Start, statement.Loss.Length, "loss", statement.Loss.Text, Losses.Keys.Concat(new[] { KlLoss }));
                double weight = 1;
                foreach (var argument in labelled)
                {
                    if (argument.Label!.Text != "weight") Unknown(argument.Label.Start, argument.Label.Length, "argument", argument.Label.Text, new[] { "weight" }, " (a loss takes weight)");
                    else if (argument.Value.Number is double w && w > 0 && !float.IsInfinity((float)w)) weight = w;
                    else Report(DiagnosticDescriptors.InvalidArgument, argument.Value.Start, argument.Value.Length, "weight", $"must be a positive number, not '{argument.Value.Text}'");
                }

                if (isKl)
                {
                    if (ReadKlTerm(statement, refs, weight, drafts, byName) is { } term) klTerms.Add(term);
                    continue;
                }

                if (refs.Count != 1 || refs[0].Value.Identifier is not { } target)
                {
                    // An unknown loss is reported already: its arguments may be another loss's (kll(mu, logvar) for kl).
                    if (known) Report(DiagnosticDescriptors.InvalidArgument, statement.Loss, statement.Loss.Text, "takes exactly one node, e.g. loss mse(out) or loss mse(out, weight: 0.5)");
                    continue;
                }

                if (!byName.TryGetValue(target.Text, out int node))
                {
                    Undefined(target, byName.Keys);
                    continue;
                }

                if (!known)
                {
                    // Already reported; the node still counts as trained, so liveness does not repeat the error.
                    outputs.Add((new OutputSpec(node, LossKind.None, weight), statement));
                    continue;
                }

                var draft = drafts[node];
                string? problem = draft.Op.IsInput
                    ? "is on an input; a loss needs a node computed from the inputs"
                    : outputs.Any(output => output.Item1.Node == node)
                        ? "is the second loss on this node; give each output one loss"
                        : loss != LossKind.MeanSquaredError && drafts.Any(other => other.Inputs.Contains(node))
                            ? "is a cross-entropy on a node that also feeds other nodes; the generator keeps such an output's logits, so it must not be an input to other nodes (yet)"
                            : null;
                if (problem is not null)
                {
                    Report(DiagnosticDescriptors.InvalidLossTarget, target, target.Text, problem);
                    continue;
                }

                if (!draft.Broken && draft.Shape is not null) DraftGraph.CheckLossFit(draft, loss, locate(target.Start, target.Length), activation => Activations.First(pair => pair.Value == activation).Key, diagnostics);
                outputs.Add((new OutputSpec(node, loss, weight), statement));
            }

            if (outputs.Count == 0 && klTerms.Count > 0)
            {
                var kl = statements.OfType<LossStatement>().First(statement => statement.Loss.Text == KlLoss);
                Report(DiagnosticDescriptors.InvalidArgument, kl.Loss, KlLoss, "is the only loss; a KL term regularises the latent space of a network trained on a loss of its outputs: add one, e.g. loss mse(out)");
            }

            return outputs;
        }

        /// <summary>
        /// <c>loss kl(mu, logvar, weight: β)</c>: two computed nodes of one shape and no target; <c>null</c> when something is
        /// wrong, reported at the loss (another number of nodes) or at the node (undefined, an input, a shape differing from μ's).
        /// </summary>
        private KlTermSpec? ReadKlTerm(LossStatement statement, List<Argument> refs, double weight, List<DraftNode> drafts, Dictionary<string, int> byName)
        {
            if (refs.Count != 2 || refs[0].Value.Identifier is not { } mu || refs[1].Value.Identifier is not { } logVariance)
            {
                Report(DiagnosticDescriptors.InvalidArgument, statement.Loss, KlLoss, "takes the two nodes μ and logvar of a sample layer and no target, e.g. loss kl(mu, logvar) or loss kl(mu, logvar, weight: 0.5)");
                return null;
            }

            var nodes = new List<int>();
            foreach (var reference in new[] { mu, logVariance })
            {
                if (!byName.TryGetValue(reference.Text, out int node)) Undefined(reference, byName.Keys);
                else if (drafts[node].Op.IsInput) Report(DiagnosticDescriptors.InvalidLossTarget, reference, reference.Text, "is a KL term on an input; μ and logvar are computed by the encoder");
                else nodes.Add(node);
            }

            if (nodes.Count < 2) return null;
            if (nodes[0] == nodes[1])
            {
                Report(DiagnosticDescriptors.InvalidLossTarget, logVariance, logVariance.Text, "is both μ and logvar of a KL term; give it the two nodes of a sample layer, e.g. loss kl(mu, logvar)");
                return null;
            }

            DraftNode first = drafts[nodes[0]], second = drafts[nodes[1]];
            if (first.Shape is not null && second.Shape is not null && !first.Shape.SequenceEqual(second.Shape))
            {
                Report(DiagnosticDescriptors.InvalidLossTarget, logVariance, logVariance.Text, $"is logvar of shape [{string.Join(", ", second.Shape)}] for μ '{mu.Text}' of shape [{string.Join(", ", first.Shape)}]; a KL term needs the two of one shape");
                return null;
            }

            return new KlTermSpec(nodes[0], nodes[1], weight);
        }

        /// <summary>Which nodes reach a loss. A non-input node nothing uses and no loss trains is an error; other dead nodes are warnings.</summary>
        private bool[] CheckLiveness(List<DraftNode> drafts, IEnumerable<int> trained)
        {
            var live = new bool[drafts.Count];
            var stack = new Stack<int>(trained);
            while (stack.Count > 0)
            {
                int node = stack.Pop();
                if (live[node]) continue;
                live[node] = true;
                foreach (int input in drafts[node].Inputs) stack.Push(input);
            }

            // A broken node's inputs are unknown: liveness would only repeat its error.
            for (int i = 0; i < drafts.Count && !drafts.Any(draft => draft.Broken); i++)
            {
                if (live[i]) continue;
                bool used = drafts.Any(other => other.Inputs.Contains(i));
                var problem = !used && !drafts[i].Op.IsInput ? DiagnosticDescriptors.OutputWithoutLoss : DiagnosticDescriptors.UnusedNode;
                diagnostics.Add(new DiagnosticInfo(problem, drafts[i].NameAt, drafts[i].Name));
            }

            return live;
        }

    }
}
