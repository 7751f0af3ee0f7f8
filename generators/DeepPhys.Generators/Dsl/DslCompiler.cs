using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DeepPhys.Generators.Lowering;
using DeepPhys.Generators.Model;
using DeepPhys.Generators.Validation;

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
        private const long MaxBufferLength = 0x7FFFFFC7;

        private static readonly Dictionary<string, OpKind> Layers = new(StringComparer.Ordinal)
        {
            ["dense"] = OpKind.Dense, ["add"] = OpKind.Add, ["subtract"] = OpKind.Subtract, ["multiply"] = OpKind.Multiply,
            ["concatenate"] = OpKind.Concatenate, ["flatten"] = OpKind.Flatten, ["reshape"] = OpKind.Reshape,
            ["conv2d"] = OpKind.Conv2D, ["maxpool2d"] = OpKind.MaxPool2D, ["avgpool2d"] = OpKind.AvgPool2D, ["globalavgpool2d"] = OpKind.GlobalAvgPool2D,
            ["dropout"] = OpKind.Dropout, ["batchnorm"] = OpKind.BatchNorm,
            ["simple_rnn"] = OpKind.SimpleRnn, ["lstm"] = OpKind.Lstm, ["gru"] = OpKind.Gru,
            ["conv1d"] = OpKind.Conv1D, ["maxpool1d"] = OpKind.MaxPool1D, ["avgpool1d"] = OpKind.AvgPool1D, ["globalavgpool1d"] = OpKind.GlobalAvgPool1D,
            ["transpose"] = OpKind.Transpose,
        };

        private static readonly Dictionary<string, ActivationKind> Activations = new(StringComparer.Ordinal)
        {
            ["linear"] = ActivationKind.Linear, ["relu"] = ActivationKind.ReLU, ["leaky_relu"] = ActivationKind.LeakyReLU,
            ["sigmoid"] = ActivationKind.Sigmoid, ["tanh"] = ActivationKind.Tanh, ["softmax"] = ActivationKind.Softmax,
        };

        private static readonly Dictionary<string, LossKind> Losses = new(StringComparer.Ordinal)
        {
            ["mse"] = LossKind.MeanSquaredError, ["binary_crossentropy"] = LossKind.BinaryCrossEntropy,
            ["categorical_crossentropy"] = LossKind.CategoricalCrossEntropy,
        };

        /// <summary>The named arguments each layer takes after its inputs, in positional order.</summary>
        private static readonly Dictionary<OpKind, string[]> Parameters = new()
        {
            [OpKind.Dense] = new[] { "units", "activation", "slope" },
            [OpKind.Activation] = new[] { "slope" },
            [OpKind.Add] = new string[0], [OpKind.Subtract] = new string[0], [OpKind.Multiply] = new string[0],
            [OpKind.Concatenate] = new[] { "axis" },
            [OpKind.Flatten] = new string[0],
            [OpKind.Reshape] = new[] { "shape" },
            [OpKind.Conv2D] = new[] { "filters", "kernel", "stride", "padding", "activation", "bias" },
            [OpKind.MaxPool2D] = new[] { "window", "stride" }, [OpKind.AvgPool2D] = new[] { "window", "stride" }, [OpKind.GlobalAvgPool2D] = new string[0],
            [OpKind.Dropout] = new[] { "rate" }, [OpKind.BatchNorm] = new[] { "momentum", "epsilon" },
            [OpKind.SimpleRnn] = new[] { "units", "return_sequences", "activation" },
            [OpKind.Lstm] = new[] { "units", "return_sequences" }, [OpKind.Gru] = new[] { "units", "return_sequences" },
            [OpKind.Conv1D] = new[] { "filters", "kernel", "stride", "padding", "activation", "bias" },
            [OpKind.MaxPool1D] = new[] { "window", "stride" }, [OpKind.AvgPool1D] = new[] { "window", "stride" }, [OpKind.GlobalAvgPool1D] = new string[0],
            [OpKind.Transpose] = new string[0],
        };

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
        public static DslResult Compile(string text, Func<int, int, LocationInfo?> locate, string? className)
        {
            bool isFile = className is null;
            var compiler = new DslCompiler(locate, className ?? "network");
            var (statements, errors) = DslParser.Parse(text);
            foreach (var error in errors) compiler.Report(DiagnosticDescriptors.SyntaxError, error.Start, error.Length, error.Expected, error.Found);
            return compiler.Lower(statements, isFile, errors.Count > 0);
        }

        private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, int start, int length, params string[] args) =>
            diagnostics.Add(new DiagnosticInfo(descriptor, locate(start, length), args));

        private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, Name at, params string[] args) => Report(descriptor, at.Start, at.Length, args);

        /// <summary>A node as declared, with what checking found out about it.</summary>
        private sealed class Draft
        {
            public Draft(Name name, Statement statement, OpKind op)
            {
                Name = name;
                Statement = statement;
                Op = op;
            }

            public Name Name { get; }

            public Statement Statement { get; }

            public OpKind Op { get; }

            public List<int> Inputs { get; } = new();

            public List<Name> InputNames { get; } = new();

            public ActivationKind Activation { get; set; }

            public double Slope { get; set; } = 0.01;

            public int Units { get; set; }

            public int[] Arguments { get; set; } = new int[0];

            public double Rate { get; set; }

            public double Momentum { get; set; } = 0.99;

            public double Epsilon { get; set; } = 0.001;

            /// <summary>concatenate's <c>axis</c> as written (negative counts from the last), resolved against the input rank once shapes are known.</summary>
            public (int Axis, Value? At) ConcatAxis { get; set; }

            public int[]? Shape { get; set; }

            public bool Broken { get; set; }

            public long Size => Shape?.Aggregate(1L, (product, dimension) => Math.Min(product * dimension, MaxBufferLength + 1)) ?? 0;
        }

        private DslResult Lower(List<Statement> parsed, bool isFile, bool hasSyntaxErrors)
        {
            var statements = Unnest(parsed);
            var precision = PrecisionKind.Single;
            string? className = null, ns = null;
            var drafts = new List<Draft>();
            var byName = new Dictionary<string, int>(StringComparer.Ordinal);
            var identifiers = new Dictionary<string, Draft>(StringComparer.Ordinal);
            foreach (var statement in statements)
            {
                switch (statement)
                {
                    case NetworkStatement network when isFile:
                        className = displayName = network.ClassName.Text;
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
                        Define(new Draft(input.Node, input, OpKind.Input) { Shape = input.Shape.ToArray() }, drafts, byName, identifiers);
                        break;
                    case NodeStatement node:
                        Define(Declare(node), drafts, byName, identifiers);
                        break;
                }
            }

            if (isFile && className is null && !hasSyntaxErrors)
            {
                Report(DiagnosticDescriptors.InvalidDslDeclaration, 0, 0, "A .dph file must name the class it generates: add a line 'network ClassName' (and 'namespace My.Namespace' if it is not global)");
            }

            if (!hasSyntaxErrors && !statements.OfType<LossStatement>().Any())
            {
                Report(DiagnosticDescriptors.InvalidDslDeclaration, 0, 0, "A network needs a loss: add a line like 'loss mse(out)' naming the output node it trains");
            }

            foreach (var draft in drafts.Where(draft => draft.Statement is NodeStatement)) Resolve(draft, byName);
            var order = TopologicalOrder(drafts);
            foreach (int index in order) InferShape(drafts, drafts[index]);
            var outputs = ReadLosses(statements, drafts, byName);
            var live = CheckLiveness(drafts, outputs);
            CheckMethodology(drafts, outputs);
            CheckTotals(drafts, live);

            if (hasSyntaxErrors)
            {
                // A line the parser dropped leaves its names undefined; report what the parser found and the unknown names only.
                diagnostics.RemoveAll(diagnostic => diagnostic.Id != DiagnosticDescriptors.SyntaxError.Id && diagnostic.Id != DiagnosticDescriptors.UnknownName.Id);
            }

            if (diagnostics.Any(diagnostic => diagnostic.IsError) || hasSyntaxErrors || order.Count != drafts.Count)
            {
                return new DslResult(null, precision, className, ns, diagnostics);
            }

            return new DslResult(Build(drafts, order.Where(index => live[index]).ToList(), outputs), precision, className, ns, diagnostics);
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

        private void Define(Draft draft, List<Draft> drafts, Dictionary<string, int> byName, Dictionary<string, Draft> identifiers)
        {
            string identifier = NetworkValidator.ToIdentifier(draft.Name.Text);
            if (byName.ContainsKey(draft.Name.Text))
            {
                Report(DiagnosticDescriptors.DuplicateName, draft.Name, draft.Name.Text, "is defined more than once; node names must be unique");
                return;
            }

            if (!NetworkValidator.IsValidLayerName(draft.Name.Text))
            {
                // DPH0110: the name becomes part of constant names (Dense1Weights), so it must make an identifier.
                // The node is still defined, so its uses are not also reported as undefined.
                Report(DiagnosticDescriptors.InvalidLayerName, draft.Name, draft.Name.Text, "is not valid: a node name starts with a letter and has only letters, digits and underscores");
            }
            else if (identifiers.TryGetValue(identifier, out var earlier))
            {
                Report(DiagnosticDescriptors.DuplicateName, draft.Name, draft.Name.Text, $"gives the same constant names ({identifier}Weights, …) as '{earlier.Name.Text}'; names must differ after PascalCasing");
                return;
            }
            else
            {
                identifiers.Add(identifier, draft);
            }

            byName.Add(draft.Name.Text, drafts.Count);
            drafts.Add(draft);
            if (draft.Op == OpKind.Input && draft.Shape is { } shape) CheckPositive(draft, "shape", shape);
        }

        /// <summary>DPH0302; the suggestion also goes into the diagnostic's properties, so the code fix need not recompute it.</summary>
        private void Unknown(int start, int length, string kind, string text, IEnumerable<string> candidates, string note = "")
        {
            string? suggestion = Suggest(text, candidates);
            var properties = suggestion is null ? EquatableArray<DiagnosticProperty>.Empty : new EquatableArray<DiagnosticProperty>(new[] { new DiagnosticProperty(DiagnosticProperty.Suggestion, suggestion) });
            diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.UnknownName.Id, locate(start, length), new EquatableArray<string>(new[] { kind, text, Hint(suggestion) + note }), properties));
        }

        private static string Hint(string? suggestion) => suggestion is null ? string.Empty : $"; did you mean '{suggestion}'?";

        /// <summary>The closest candidate within two edits, or null.</summary>
        private static string? Suggest(string name, IEnumerable<string> candidates)
        {
            // The distance is at least the difference in length: a 40,000-character name is compared with nothing.
            var best = candidates
                .Where(candidate => Math.Abs(candidate.Length - name.Length) <= 2)
                .Select(candidate => (Candidate: candidate, Distance: EditDistance.Between(name, candidate)))
                .Where(pair => pair.Distance <= 2 && pair.Distance < Math.Max(name.Length, 2))
                .OrderBy(pair => pair.Distance)
                .ThenBy(pair => pair.Candidate, StringComparer.Ordinal)
                .FirstOrDefault();
            return best.Candidate;
        }

        /// <summary>The layer or standalone activation of a node statement, its arguments by name, and its post-activation.</summary>
        private Draft Declare(NodeStatement statement)
        {
            string layer = statement.Layer.Text;
            OpKind op;
            var draft = Activations.TryGetValue(layer, out var standalone)
                ? new Draft(statement.Node, statement, op = OpKind.Activation) { Activation = standalone }
                : Layers.TryGetValue(layer, out op)
                    ? new Draft(statement.Node, statement, op)
                    : new Draft(statement.Node, statement, op = OpKind.Activation) { Broken = true };
            if (draft.Broken)
            {
                Unknown(statement.Layer.Start, statement.Layer.Length, "layer", layer, Layers.Keys.Concat(Activations.Keys));
                return draft;
            }

            var rule = OpTable.Rules[op];
            var parameters = Parameters[op];
            int positional = 0;
            var values = new Dictionary<string, Value>(StringComparer.Ordinal);
            foreach (var argument in statement.Arguments)
            {
                if (argument.Label is null && argument.Value.Identifier is { } reference && values.Count == 0
                    && draft.InputNames.Count < rule.MaxInputs && !Activations.ContainsKey(reference.Text))
                {
                    draft.InputNames.Add(reference);
                    continue;
                }

                string? parameter = argument.Label?.Text ?? (positional < parameters.Length ? parameters[positional++] : null);
                if (parameter is null || !parameters.Contains(parameter))
                {
                    if (argument.Label is { } label) Unknown(label.Start, label.Length, "argument", label.Text, parameters, $" ({rule.Name} takes {Describe(parameters)})");
                    else Report(DiagnosticDescriptors.InvalidArgument, argument.Value.Start, argument.Value.Length, rule.Name, $"takes {Describe(parameters)} after its input{(rule.MaxInputs > 1 ? "s" : "")}; '{argument.Value.Text}' is one argument too many");
                    draft.Broken = true;
                    continue;
                }

                if (values.ContainsKey(parameter))
                {
                    Report(DiagnosticDescriptors.InvalidArgument, argument.Value.Start, argument.Value.Length, rule.Name, $"sets '{parameter}' twice");
                    draft.Broken = true;
                    continue;
                }

                values.Add(parameter, argument.Value);
            }

            if (draft.InputNames.Count < rule.MinInputs)
            {
                Report(DiagnosticDescriptors.InvalidArgument, statement.Layer, rule.Name, $"takes {(rule.MinInputs == rule.MaxInputs ? rule.MinInputs.ToString(CultureInfo.InvariantCulture) : "at least " + rule.MinInputs.ToString(CultureInfo.InvariantCulture))} input node{(rule.MinInputs > 1 ? "s" : "")} but has {draft.InputNames.Count}");
                draft.Broken = true;
            }

            ReadArguments(draft, values, statement);
            if (statement.Activation is { } after)
            {
                if (draft.Op == OpKind.Activation || draft.Activation != ActivationKind.Linear)
                {
                    Report(DiagnosticDescriptors.InvalidArgument, after, rule.Name, "already has an activation; use one of '-> " + after.Text + "' and the activation argument");
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

            return draft;
        }

        private static string Describe(string[] parameters) => parameters.Length == 0 ? "no arguments" : string.Join(", ", parameters);

        private void ReadArguments(Draft draft, Dictionary<string, Value> values, NodeStatement statement)
        {
            int Int(string name, int fallback, bool required = false)
            {
                if (!values.TryGetValue(name, out var value))
                {
                    if (required)
                    {
                        Report(DiagnosticDescriptors.InvalidArgument, statement.Layer, OpTable.Rules[draft.Op].Name, $"needs '{name}'");
                        draft.Broken = true;
                    }

                    return fallback;
                }

                if (value.Number is double number && number == Math.Floor(number) && Math.Abs(number) <= int.MaxValue) return (int)number;
                Report(DiagnosticDescriptors.InvalidArgument, value.Start, value.Length, name, $"must be an integer, not '{value.Text}'");
                draft.Broken = true;
                return fallback;
            }

            switch (draft.Op)
            {
                case OpKind.Dense:
                    draft.Units = Int("units", 1, required: true);
                    CheckPositive(draft, "units", draft.Units);
                    break;
                case OpKind.SimpleRnn:
                case OpKind.Lstm:
                case OpKind.Gru:
                    draft.Units = Int("units", 1, required: true);
                    CheckPositive(draft, "units", draft.Units);
                    draft.Arguments = new[] { ReturnSequences(draft, values) ? 1 : 0, (int)CellActivation(draft, values) };
                    break;
                case OpKind.Concatenate:
                    draft.ConcatAxis = (Int("axis", 0), values.TryGetValue("axis", out var at) ? at : null);
                    break;
                case OpKind.Reshape:
                    if (values.TryGetValue("shape", out var shape) && shape.List is { } dimensions)
                    {
                        draft.Arguments = dimensions.ToArray();
                        CheckPositive(draft, "shape", draft.Arguments);
                    }
                    else
                    {
                        Report(DiagnosticDescriptors.InvalidArgument, statement.Layer, "reshape", "needs 'shape', a list like [4, 7, 7]");
                        draft.Broken = true;
                    }

                    break;
                case OpKind.Conv2D:
                case OpKind.Conv1D:
                    int bias = Int("bias", 1);
                    if (bias is not (0 or 1))
                    {
                        Report(DiagnosticDescriptors.InvalidArgument, values["bias"].Start, values["bias"].Length, "bias", $"must be 1 (a bias per filter, the default) or 0 (none), not {bias}");
                        draft.Broken = true;
                    }

                    draft.Arguments = new[] { Int("filters", 1, required: true), Int("kernel", 3), Int("stride", 1), Int("padding", 0), bias };
                    CheckPositive(draft, "filters, kernel, stride", draft.Arguments.Take(3).ToArray());
                    break;
                case OpKind.Dropout:
                    if (values.TryGetValue("rate", out var rate) && rate.Number is double fraction && fraction >= 0 && fraction < 1) draft.Rate = fraction;
                    else
                    {
                        Report(DiagnosticDescriptors.InvalidArgument, statement.Layer, "dropout", "needs 'rate', a number in [0, 1)");
                        draft.Broken = true;
                    }

                    break;
                case OpKind.BatchNorm:
                    if (values.TryGetValue("momentum", out var momentum))
                    {
                        if (momentum.Number is double m && m >= 0 && m <= 1) draft.Momentum = m;
                        else
                        {
                            Report(DiagnosticDescriptors.InvalidArgument, momentum.Start, momentum.Length, "momentum", $"must be a number in [0, 1] (Keras's: the running averages keep this share), not '{momentum.Text}'");
                            draft.Broken = true;
                        }
                    }

                    if (values.TryGetValue("epsilon", out var epsilon))
                    {
                        if (epsilon.Number is double e && e > 0 && FitsSingle(e)) draft.Epsilon = e;
                        else
                        {
                            Report(DiagnosticDescriptors.InvalidArgument, epsilon.Start, epsilon.Length, "epsilon", $"must be a finite number above 0, not '{epsilon.Text}'");
                            draft.Broken = true;
                        }
                    }

                    break;
                case OpKind.MaxPool2D:
                case OpKind.AvgPool2D:
                case OpKind.MaxPool1D:
                case OpKind.AvgPool1D:
                    int window = Int("window", 2);
                    draft.Arguments = new[] { window, Int("stride", window) };
                    CheckPositive(draft, "window, stride", draft.Arguments);
                    break;
            }

            if (values.TryGetValue("activation", out var activationValue))
            {
                if (activationValue.Identifier is { } name && Activations.TryGetValue(name.Text, out var activation)) draft.Activation = activation;
                else
                {
                    Unknown(activationValue.Start, activationValue.Length, "activation", activationValue.Text, Activations.Keys);
                    draft.Broken = true;
                }
            }

            if (values.TryGetValue("slope", out var slopeValue))
            {
                if (slopeValue.Number is double slope && slope >= 0 && FitsSingle(slope)) draft.Slope = slope;
                else
                {
                    Report(DiagnosticDescriptors.InvalidArgument, slopeValue.Start, slopeValue.Length, "slope", $"must be a finite number ≥ 0, not '{slopeValue.Text}'");
                    draft.Broken = true;
                }
            }
        }

        /// <summary>A recurrent layer's <c>return_sequences: true</c> (or <c>false</c>, the default).</summary>
        private bool ReturnSequences(Draft draft, Dictionary<string, Value> values)
        {
            if (!values.TryGetValue("return_sequences", out var value)) return false;
            if (value.Identifier?.Text is "true" or "false") return value.Identifier.Text == "true";
            Report(DiagnosticDescriptors.InvalidArgument, value.Start, value.Length, "return_sequences", $"must be true or false, not '{value.Text}'");
            draft.Broken = true;
            return false;
        }

        /// <summary>
        /// A simple RNN's <c>activation</c> is the cell's (Keras's meaning), taken out of <paramref name="values"/> so it is not read as the
        /// activation after the layer (that is <c>-&gt;</c>); tanh by default, and one of tanh, relu, sigmoid and linear.
        /// </summary>
        private ActivationKind CellActivation(Draft draft, Dictionary<string, Value> values)
        {
            if (!values.TryGetValue("activation", out var value)) return ActivationKind.Tanh;
            values.Remove("activation");
            if (value.Identifier is { } name && Activations.TryGetValue(name.Text, out var activation)
                && activation is ActivationKind.Tanh or ActivationKind.ReLU or ActivationKind.Sigmoid or ActivationKind.Linear)
            {
                return activation;
            }

            Report(DiagnosticDescriptors.InvalidArgument, value.Start, value.Length, "activation", $"of a simple_rnn must be tanh, relu, sigmoid or linear, not '{value.Text}'");
            draft.Broken = true;
            return ActivationKind.Tanh;
        }

        /// <summary>Finite even as a float: the value becomes a literal of the network's element type, and a float literal of 1e39 does not compile.</summary>
        private static bool FitsSingle(double value) => !float.IsInfinity((float)value);

        private void CheckPositive(Draft draft, string what, params int[] values)
        {
            if (values.All(value => value >= 1)) return;
            var at = draft.Statement is InputStatement input ? (input.ShapeValue.Start, input.ShapeValue.Length) : (((NodeStatement)draft.Statement).Layer.Start, ((NodeStatement)draft.Statement).Layer.Length);
            Report(DiagnosticDescriptors.SizeNotPositive, at.Item1, at.Item2, draft.Name.Text, what, string.Join(", ", values));
            draft.Broken = true;
        }

        private void Resolve(Draft draft, Dictionary<string, int> byName)
        {
            foreach (var reference in draft.InputNames)
            {
                if (byName.TryGetValue(reference.Text, out int index))
                {
                    draft.Inputs.Add(index);
                    continue;
                }

                Report(DiagnosticDescriptors.UndefinedName, reference, reference.Text, Hint(Suggest(reference.Text, byName.Keys)));
                draft.Broken = true;
            }
        }

        /// <summary>Kahn's algorithm in declaration order (so a chain keeps its order); a cycle is reported once, naming its nodes.</summary>
        private List<int> TopologicalOrder(List<Draft> drafts)
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
                Report(DiagnosticDescriptors.Cycle, drafts[cycle[0]].Name, string.Join(" → ", cycle.Select(index => drafts[index].Name.Text)));
            }

            return order;
        }

        /// <summary>Walks inputs from an unfinished node until one repeats: the repeated stretch is a cycle.</summary>
        private static List<int> FindCycle(List<Draft> drafts, bool[] done)
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

        private void InferShape(List<Draft> drafts, Draft draft)
        {
            if (draft.Op == OpKind.Input || draft.Broken || draft.Inputs.Any(input => drafts[input].Shape is null)) return;
            if (draft.Op == OpKind.Concatenate && !ResolveAxis(draft, drafts[draft.Inputs[0]].Shape!)) return;

            var node = new NodeSpec(draft.Name.Text, draft.Op, EquatableArray<int>.Empty, EquatableArray<int>.Empty, draft.Units, 0, draft.Activation, draft.Slope, new EquatableArray<int>(draft.Arguments));
            var check = OpTable.Rules[draft.Op].Shape(node, draft.Inputs.Select(input => new EquatableArray<int>(drafts[input].Shape!)).ToList());
            if (check.Problem is not null)
            {
                var statement = (NodeStatement)draft.Statement;
                var args = new EquatableArray<string>(new[] { draft.Name.Text }.Concat(check.Args));

                // DPH0405's code fix inserts a flatten of this input.
                var properties = check.Problem == DiagnosticDescriptors.DenseNeedsVector
                    ? new EquatableArray<DiagnosticProperty>(new[] { new DiagnosticProperty(DiagnosticProperty.Input, draft.InputNames[0].Text) })
                    : EquatableArray<DiagnosticProperty>.Empty;
                diagnostics.Add(new DiagnosticInfo(check.Problem.Id, locate(statement.Layer.Start, statement.Layer.Length), args, properties));
                return;
            }

            draft.Shape = check.Shape;
            if (draft.Shape!.Any(dimension => dimension < 1)) CheckPositive(draft, "shape", draft.Shape!);
        }

        /// <summary>concatenate's axis against the per-sample rank of its first input: −rank … rank − 1, stored from the front in the node's arguments.</summary>
        private bool ResolveAxis(Draft draft, int[] shape)
        {
            var (axis, at) = draft.ConcatAxis;
            if (axis >= -shape.Length && axis < shape.Length)
            {
                draft.Arguments = new[] { axis < 0 ? axis + shape.Length : axis };
                return true;
            }

            string range = shape.Length == 1 ? "0 or -1" : $"0 to {shape.Length - 1}, or -1 to -{shape.Length} from the last";
            Report(DiagnosticDescriptors.InvalidArgument, at!.Start, at.Length, "axis", $"must be an axis of the inputs' shape [{string.Join(", ", shape)}] ({range}), not {axis}");
            draft.Broken = true;
            return false;
        }

        private List<(OutputSpec Output, LossStatement Statement)> ReadLosses(List<Statement> statements, List<Draft> drafts, Dictionary<string, int> byName)
        {
            var outputs = new List<(OutputSpec, LossStatement)>();
            foreach (var statement in statements.OfType<LossStatement>())
            {
                var refs = statement.Arguments.Where(argument => argument.Label is null).ToList();
                var labelled = statement.Arguments.Where(argument => argument.Label is not null).ToList();
                bool known = Losses.TryGetValue(statement.Loss.Text, out var loss);
                if (!known) Unknown(statement.Loss.Start, statement.Loss.Length, "loss", statement.Loss.Text, Losses.Keys);
                double weight = 1;
                foreach (var argument in labelled)
                {
                    if (argument.Label!.Text != "weight") Unknown(argument.Label.Start, argument.Label.Length, "argument", argument.Label.Text, new[] { "weight" }, " (a loss takes weight)");
                    else if (argument.Value.Number is double w && w > 0 && FitsSingle(w)) weight = w;
                    else Report(DiagnosticDescriptors.InvalidArgument, argument.Value.Start, argument.Value.Length, "weight", $"must be a positive number, not '{argument.Value.Text}'");
                }

                if (refs.Count != 1 || refs[0].Value.Identifier is not { } target)
                {
                    Report(DiagnosticDescriptors.InvalidArgument, statement.Loss, statement.Loss.Text, "takes exactly one node, e.g. loss mse(out) or loss mse(out, weight: 0.5)");
                    continue;
                }

                if (!byName.TryGetValue(target.Text, out int node))
                {
                    Report(DiagnosticDescriptors.UndefinedName, target, target.Text, Hint(Suggest(target.Text, byName.Keys)));
                    continue;
                }

                if (!known)
                {
                    // Already reported; the node still counts as trained, so liveness does not repeat the error.
                    outputs.Add((new OutputSpec(node, LossKind.None, weight), statement));
                    continue;
                }

                var draft = drafts[node];
                string? problem = draft.Op == OpKind.Input
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

                CheckLossFit(draft, loss, target);
                outputs.Add((new OutputSpec(node, loss, weight), statement));
            }

            return outputs;
        }

        private void CheckLossFit(Draft draft, LossKind loss, Name at)
        {
            if (draft.Broken || draft.Shape is null) return;
            var activation = draft.Activation;
            var problem = NetworkValidator.LossFitProblem(loss, activation, draft.Size);
            if (problem is not null) Report(problem, at, draft.Name.Text, activation.ToString());
        }

        /// <summary>Which nodes reach a loss. A non-input node nothing uses and no loss trains is an error; other dead nodes are warnings.</summary>
        private bool[] CheckLiveness(List<Draft> drafts, List<(OutputSpec Output, LossStatement Statement)> outputs)
        {
            var live = new bool[drafts.Count];
            var stack = new Stack<int>(outputs.Select(output => output.Output.Node));
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
                if (!used && drafts[i].Op != OpKind.Input) Report(DiagnosticDescriptors.OutputWithoutLoss, drafts[i].Name, drafts[i].Name.Text);
                else Report(DiagnosticDescriptors.UnusedNode, drafts[i].Name, drafts[i].Name.Text);
            }

            return live;
        }

        private void CheckMethodology(List<Draft> drafts, List<(OutputSpec Output, LossStatement Statement)> outputs)
        {
            foreach (var (output, statement) in outputs)
            {
                var draft = drafts[output.Node];
                if (output.Loss == LossKind.MeanSquaredError && draft.Activation is ActivationKind.Sigmoid or ActivationKind.Softmax)
                {
                    string better = draft.Activation == ActivationKind.Sigmoid ? "binary_crossentropy" : "categorical_crossentropy";
                    Report(DiagnosticDescriptors.SigmoidMseClassifier, statement.Loss, draft.Name.Text, draft.Activation.ToString().ToLowerInvariant(), better);
                }

                if (draft.Op == OpKind.Dropout) Report(DiagnosticDescriptors.DropoutAfterOutput, ((NodeStatement)draft.Statement).Layer, draft.Name.Text);
            }

            foreach (var draft in drafts.Where(draft => draft.Activation == ActivationKind.Softmax))
            {
                // Softmax right after batch norm: a standalone softmax(bn), or batchnorm(x) -> softmax.
                var before = draft.Op == OpKind.Activation && draft.Inputs.Count == 1 ? drafts[draft.Inputs[0]] : draft.Op == OpKind.BatchNorm ? draft : null;
                if (before?.Op == OpKind.BatchNorm) Report(DiagnosticDescriptors.BatchNormBeforeSoftmax, ((NodeStatement)draft.Statement).Layer, draft.Name.Text, before.Name.Text);
            }
        }

        /// <summary>Buffers must fit in an array: DPH0111 as for attribute networks.</summary>
        private void CheckTotals(List<Draft> drafts, bool[] live)
        {
            long parameters = 0, activations = 0;
            for (int i = 0; i < drafts.Count; i++)
            {
                var draft = drafts[i];
                if (!live[i] || draft.Shape is null) continue;
                var input = draft.Inputs.Count == 1 ? drafts[draft.Inputs[0]].Shape ?? new int[0] : new int[0];
                parameters = Math.Min(parameters + OpTable.ParameterCount(draft.Op, draft.Units, draft.Arguments, input), long.MaxValue / 4);
                activations = Math.Min(activations + draft.Size + OpTable.RecurrentWorkspaceCount(draft.Op, draft.Units, input), long.MaxValue / 4);
            }

            if (parameters > MaxBufferLength || activations > MaxBufferLength)
            {
                Report(DiagnosticDescriptors.NetworkTooLarge, 0, 0, displayName, parameters.ToString(CultureInfo.InvariantCulture), activations.ToString(CultureInfo.InvariantCulture), MaxBufferLength.ToString(CultureInfo.InvariantCulture));
            }
        }

        private static GraphSpec Build(List<Draft> drafts, List<int> order, List<(OutputSpec Output, LossStatement Statement)> outputs)
        {
            var position = new Dictionary<int, int>();
            var nodes = new List<NodeSpec>();
            foreach (int index in order)
            {
                var draft = drafts[index];
                position[index] = nodes.Count;
                int fanIn = draft.Op == OpKind.Dense ? (int)drafts[draft.Inputs[0]].Size : 0;
                nodes.Add(new NodeSpec(
                    draft.Name.Text,
                    draft.Op,
                    draft.Inputs.Select(input => position[input]).ToEquatableArray(),
                    new EquatableArray<int>(draft.Shape!),
                    draft.Units,
                    fanIn,
                    draft.Activation,
                    draft.Slope,
                    new EquatableArray<int>(draft.Arguments)) { Rate = draft.Rate, Momentum = draft.Momentum, Epsilon = draft.Epsilon });
            }

            // Completed here as well as in BuildSpec, so a .dph file's graph (which skips BuildSpec) has its fan-ins and steps too.
            return OpTable.Complete(new GraphSpec(nodes.ToEquatableArray(), outputs.Select(output => output.Output with { Node = position[output.Output.Node] }).ToEquatableArray()));
        }
    }
}
