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
        private readonly IReadOnlyDictionary<string, double> overrides;

        /// <summary>The <c>param</c> lines' values (overridden where the caller says), by name.</summary>
        private readonly Dictionary<string, double> parameterValues = new(StringComparer.Ordinal);
        private string displayName;

        private DslCompiler(Func<int, int, LocationInfo?> locate, string displayName, IReadOnlyDictionary<string, double>? overrides)
        {
            this.locate = locate;
            this.displayName = displayName;
            this.overrides = overrides ?? new Dictionary<string, double>();
        }

        /// <summary>Compiles DSL text.</summary>
        /// <param name="text">The DSL.</param>
        /// <param name="locate">Maps a span of <paramref name="text"/> to where the diagnostic goes.</param>
        /// <param name="className">The class an inline DSL is written on, for messages; <c>null</c> for a .dph file, which names its class
        /// (<c>network</c> and <c>namespace</c> are allowed there, and <c>network</c> is required).</param>
        /// <param name="networkRequired">Whether a file must have its <c>network</c> line: a .dph file for the generator must, a text
        /// compiled at run time need not (its class name can be made up).</param>
        /// <param name="overrides">Values for some of the text's <c>param</c> lines (a run-time compile's scan point); the others keep their written values.
        /// The caller checks that each names a declared parameter (<see cref="DeclaredParameters"/>).</param>
        public static DslResult Compile(string text, Func<int, int, LocationInfo?> locate, string? className, bool networkRequired = true, IReadOnlyDictionary<string, double>? overrides = null)
        {
            bool isFile = className is null;
            var compiler = new DslCompiler(locate, className ?? "network", overrides);
            var (statements, errors) = DslParser.Parse(text);
            foreach (var error in errors) compiler.Report(DiagnosticDescriptors.SyntaxError, error.Start, error.Length, error.Expected, error.Found);
            return compiler.Lower(statements, isFile, isFile && networkRequired, errors.Count > 0);
        }

        /// <summary>The <c>param</c> lines of a text, in order, with their written values (a line the parser rejects is left out).</summary>
        public static List<KeyValuePair<string, double>> DeclaredParameters(string text) =>
            DslParser.Parse(text).Statements.OfType<ParamStatement>().Select(param => new KeyValuePair<string, double>(param.Name.Text, param.Value)).ToList();

        /// <summary>Whether a text's <c>precision</c> line says double (without one, or with a line the parser rejects: single).</summary>
        public static bool DeclaresDouble(string text) => DslParser.Parse(text).Statements.OfType<PrecisionStatement>().Any(SaysDouble);

        private static bool SaysDouble(PrecisionStatement statement) => statement.Precision.Text is "double" or "float64";

        private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, int start, int length, params string[] args) =>
            diagnostics.Add(new DiagnosticInfo(descriptor, locate(start, length), args));

        private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, Name at, params string[] args) => Report(descriptor, at.Start, at.Length, args);

        private DslResult Lower(List<Statement> parsed, bool isFile, bool networkRequired, bool hasSyntaxErrors)
        {
            DeclareParameters(parsed);
            var statements = Unnest(Expand(parsed));
            var precision = PrecisionKind.Single;
            string? className = null, ns = null;
            Name? classNameAt = null;
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
                        classNameAt = network.ClassName;
                        break;
                    case NamespaceStatement space when isFile:
                        ns = space.Namespace;
                        break;
                    case ParamStatement:
                    break;
                case NetworkStatement or NamespaceStatement:
                        Report(DiagnosticDescriptors.InvalidDslDeclaration, statement.Start, statement.Length, "'network' and 'namespace' belong in .dph files; inline DSL generates the class it is written on, in that class's namespace");
                        break;
                    case PrecisionStatement p:
                        if (SaysDouble(p)) precision = PrecisionKind.Double;
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

            if (classNameAt is not null && Emission.NetworkEmitter.NameClash(classNameAt.Text, inGlobalNamespace: ns is null) is { } clash)
            {
                Report(DiagnosticDescriptors.NetworkNamedLikeAGeneratedMember, classNameAt, classNameAt.Text, clash);
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

            // The copies of a repeated line share its locations, so they would report one problem once per copy.
            var distinct = diagnostics.Distinct().ToList();
            diagnostics.Clear();
            diagnostics.AddRange(distinct);
            if (diagnostics.Any(diagnostic => diagnostic.IsError) || hasSyntaxErrors || order.Count != drafts.Count)
            {
                return new DslResult(null, precision, className, ns, diagnostics);
            }

            return new DslResult(DraftGraph.Build(drafts, order.Where(index => live[index]).ToList(), outputs.Select(output => output.Output), klTerms), precision, className, ns, diagnostics);
        }

        /// <summary>
        /// The <c>param</c> lines' values; a name declared twice, or also a node's or an activation's, is DPH0306 at the
        /// second declaration (the first value stays).
        /// </summary>
        private void DeclareParameters(List<Statement> statements)
        {
            var nodes = new HashSet<string>(
                statements.Select(statement => statement switch
                {
                    InputStatement input => input.Node.Text,
                    NodeStatement node => node.Node.Text,
                    RepeatStatement repeat => repeat.Node.Node.Text,
                    _ => null,
                }).OfType<string>(),
                StringComparer.Ordinal);
            foreach (var param in statements.OfType<ParamStatement>())
            {
                string name = param.Name.Text;
                string? problem = parameterValues.ContainsKey(name) ? "is declared more than once"
                    : nodes.Contains(name) ? "is also the name of a node; a parameter and a node need different names"
                    : Activations.ContainsKey(name) ? "is the name of an activation; choose another name"
                    : null;
                if (problem is not null) Report(DiagnosticDescriptors.InvalidParameter, param.Name, name, problem);
                else parameterValues.Add(name, overrides.TryGetValue(name, out double value) ? value : param.Value);
            }
        }

        /// <summary>A number written or named by a parameter; <c>null</c>, reported as DPH0302, for a name that is no parameter.</summary>
        private double? NumberOf(Name? name, double? number)
        {
            if (name is null) return number;
            if (parameterValues.TryGetValue(name.Text, out double value)) return value;
            Unknown(name.Start, name.Length, "parameter", name.Text, parameterValues.Keys, parameterValues.Count == 0 ? " (declare it with a line 'param " + name.Text + " = …')" : "");
            return null;
        }

        /// <summary>
        /// <c>repeat n: h = layer(x, …)</c> becomes n node statements <c>h_1</c>, …, <c>h_(n-1)</c>, <c>h</c>: the first takes the
        /// arguments as written, each later one the previous copy as its first argument, so later lines use the last as <c>h</c>.
        /// </summary>
        private List<Statement> Expand(List<Statement> statements)
        {
            var result = new List<Statement>();
            foreach (var statement in statements)
            {
                if (statement is not RepeatStatement repeat)
                {
                    result.Add(statement);
                    continue;
                }

                var node = repeat.Node;
                var count = repeat.Count;
                double? times = NumberOf(count.Identifier, count.Number);
                string? problem = times is not double n ? null
                    : n != Math.Floor(n) || n < 1 || n > MaxRepeat ? $"repeats a node 1 to {MaxRepeat} times, not {Format(count, n)}"
                    : node.Arguments.Count == 0 || node.Arguments[0].Label is not null ? "chains its copies through the first argument, so the layer's first argument must be its input node, unlabelled"
                    : null;
                if (problem is not null) Report(DiagnosticDescriptors.InvalidRepeat, count.Start, count.Length, problem);
                if (times is null || problem is not null)
                {
                    // Reported; one copy keeps the name defined, so its uses are not reported too.
                    result.Add(node);
                    continue;
                }

                string previous = "";
                for (int copy = 1; copy <= times; copy++)
                {
                    string name = copy == times ? node.Node.Text : node.Node.Text + "_" + copy.ToString(CultureInfo.InvariantCulture);
                    var arguments = node.Arguments.ToList();
                    if (copy > 1)
                    {
                        var first = arguments[0].Value;
                        arguments[0] = new Argument(null, new Value(first.Start, first.Length, new Name(previous, first.Start, first.Length), null, null));
                    }

                    result.Add(new NodeStatement(new Name(name, node.Node.Start, node.Node.Length), node.Layer, arguments, node.Activation, node.Start, node.Length));
                    previous = name;
                }
            }

            return result;
        }

        /// <summary>How many copies a <c>repeat</c> may make: enough for any scan, few enough that a typo (10000) is an error, not a hang.</summary>
        private const int MaxRepeat = 256;

        private static string Format(Value value, double number) =>
            (value.Identifier is { } name ? name.Text + " = " : "") + number.ToString("R", CultureInfo.InvariantCulture);

        /// <summary>
        /// Nested calls (<c>r = add(x, dense(x, 4))</c>) become nodes of their own, before the node they feed,
        /// named after it and their layer: <c>r_dense</c>, then <c>r_dense_2</c>, … (never a name the text defines, nor an activation's).
        /// </summary>
        private static List<Statement> Unnest(List<Statement> statements)
        {
            var taken = new HashSet<string>(
                statements.OfType<NodeStatement>().Select(node => node.Node.Text).Concat(statements.OfType<InputStatement>().Select(input => input.Node.Text))
                    .Concat(statements.OfType<ParamStatement>().Select(param => param.Name.Text)).Concat(Activations.Keys),
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
            var shape = input.Shape.ToList();
            bool named = true;
            for (int i = 0; i < shape.Count; i++)
            {
                if (input.ShapeValue.ListNames?[i] is not { } name) continue;
                double? value = NumberOf(name, null);
                if (value is double size && size == Math.Floor(size) && Math.Abs(size) <= int.MaxValue)
                {
                    shape[i] = (int)size;
                    continue;
                }

                if (value is double fraction) Report(DiagnosticDescriptors.InvalidArgument, name, input.Node.Text, $"needs whole dimensions, not {name.Text} = {fraction.ToString("R", CultureInfo.InvariantCulture)}");
                named = false;
            }

            var draft = new DraftNode(input.Node.Text, InputOp.Instance, locate(input.ShapeValue.Start, input.ShapeValue.Length))
            {
                NameAt = locate(input.Node.Start, input.Node.Length),
                Arguments = new InputArguments(shape.ToEquatableArray()),
            };
            if (!named)
            {
                draft.Broken = true;
            }
            else if (shape.All(dimension => dimension >= 1))
            {
                draft.Shape = shape.ToArray();
            }
            else
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.SizeNotPositive, draft.At, draft.Name, "shape", string.Join(", ", shape)));
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
                    && inputs.Count < op.MaxInputs && !Activations.ContainsKey(reference.Text)
                    && !(parameterValues.ContainsKey(reference.Text) && inputs.Count >= op.MinInputs))
                {
                    if (parameterValues.ContainsKey(reference.Text))
                    {
                        // A parameter where the layer still needs an input node: say so, not "undefined" or a confusing argument error.
                        // The arguments after it would only add errors that follow from this one.
                        Report(DiagnosticDescriptors.ParameterNotANode, reference, reference.Text, $"{name} takes its input node{(op.MaxInputs > 1 ? "s" : "")} first, then {Describe(parameters)}");
                        draft.Broken = true;
                        return (draft, inputs);
                    }

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
            if (value.Identifier is { } name && parameterValues.TryGetValue(name.Text, out double parameter))
            {
                return new WrittenValue(parameter, Format(value, parameter), locate(value.Start, value.Length));
            }

            object written = value.Number is double number ? number
                : value.Identifier is { } identifier ? identifier.Text
                : (object)ListOf(value).ToEquatableArray();
            return new WrittenValue(written, value.Text, locate(value.Start, value.Length));
        }

        /// <summary>A list's integers, its parameter names replaced by their values (an unknown name or a fraction is reported, and 1 stands in).</summary>
        private List<int> ListOf(Value value)
        {
            var list = (value.List ?? new List<int>()).ToList();
            for (int i = 0; i < list.Count; i++)
            {
                if (value.ListNames?[i] is not { } name) continue;
                double? number = NumberOf(name, null);
                if (number is double whole && whole == Math.Floor(whole) && Math.Abs(whole) <= int.MaxValue)
                {
                    list[i] = (int)whole;
                    continue;
                }

                if (number is double fraction) Report(DiagnosticDescriptors.InvalidParameter, name, name.Text, $"= {fraction.ToString("R", CultureInfo.InvariantCulture)} is used in a list of sizes, which needs whole numbers");
                list[i] = 1;
            }

            return list;
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
                    else if ((argument.Value.Identifier is { } named && parameterValues.TryGetValue(named.Text, out double p) ? p : argument.Value.Number) is double w && w > 0 && !float.IsInfinity((float)w)) weight = w;
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

                if (parameterValues.ContainsKey(target.Text))
                {
                    Report(DiagnosticDescriptors.ParameterNotANode, target, target.Text, "a loss trains an output node, e.g. loss mse(out)");
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
