using System.Collections.Generic;
using DeepPhys.Generators.Model;
using static System.FormattableString;

namespace DeepPhys.Generators.Ops
{
    /// <summary>The family's descriptors, which <see cref="OpRegistry.All"/> gathers: a new op of the family is listed here only.</summary>
    internal static class RecurrentOps
    {
        public static readonly IReadOnlyList<OpDescriptor> All = new OpDescriptor[] { RecurrentOp.SimpleRnn, RecurrentOp.Lstm, RecurrentOp.Gru };
    }

    /// <summary>
    /// A recurrent layer over a sequence <c>[time, features]</c>: <c>[SimpleRNN]</c>, <c>[LSTM]</c> (gates i, f, g, o), <c>[GRU]</c> (r, z, n,
    /// reset after the recurrent product), DSL <c>simple_rnn</c>, <c>lstm</c>, <c>gru</c>; the last state <c>[units]</c>, or every state
    /// <c>[time, units]</c> with return-sequences. Weights exactly PyTorch's <c>W_ih</c>, <c>W_hh</c>, <c>b_ih</c>, <c>b_hh</c>.
    /// </summary>
    internal sealed class RecurrentOp : OpDescriptor
    {
        private static readonly Parameter UnitsParameter = new("units", ParameterType.Integer, AttributeName: "units");
        private static readonly Parameter ReturnSequences = new("return_sequences", ParameterType.Flag, false, "ReturnSequences");

        /// <summary>A simple RNN's activation is the cell's (Keras's meaning); the activation after the layer is <c>-&gt;</c>.</summary>
        private static readonly Parameter CellActivation = new("activation", ParameterType.Activation, ActivationKind.Tanh, "activation");

        // The instances come after the parameters they list: static fields start in declaration order.
        public static readonly RecurrentOp SimpleRnn = new(OpKind.SimpleRnn, "simple_rnn", new("DeepPhys.SimpleRNNAttribute", "simple_rnn"), gates: 1, stepValues: 1);
        public static readonly RecurrentOp Lstm = new(OpKind.Lstm, "lstm", new("DeepPhys.LSTMAttribute", "lstm"), gates: 4, stepValues: 6);
        public static readonly RecurrentOp Gru = new(OpKind.Gru, "gru", new("DeepPhys.GRUAttribute", "gru"), gates: 3, stepValues: 5);

        private readonly int stepValues;

        private RecurrentOp(OpKind kind, string dslName, LayerAttribute attribute, int gates, int stepValues)
            : base(kind, dslName)
        {
            Attribute = attribute;
            Gates = gates;
            this.stepValues = stepValues;
            Parameters = kind == OpKind.SimpleRnn ? new[] { UnitsParameter, ReturnSequences, CellActivation } : new[] { UnitsParameter, ReturnSequences };
        }

        public override LayerAttribute Attribute { get; }

        public override IReadOnlyList<Parameter> Parameters { get; }

        /// <summary>The gate blocks: 1 (simple RNN), 4 (LSTM: i, f, g, o), 3 (GRU: r, z, n).</summary>
        public int Gates { get; }

        public override OpArguments Bind(ArgumentReader reader) => new RecurrentArguments(
            reader.Positive("units"),
            reader.Flag("return_sequences"),
            Kind == OpKind.SimpleRnn ? reader.Activation("activation", ActivationKind.Tanh, ActivationKind.ReLU, ActivationKind.Sigmoid, ActivationKind.Linear) : ActivationKind.Tanh);

        public override ShapeCheck Shape(OpArguments arguments, IReadOnlyList<EquatableArray<int>> inputs)
        {
            var a = (RecurrentArguments)arguments;
            if (inputs[0].Count != 2) return ShapeCheck.Fail(DiagnosticDescriptors.RecurrentNeedsSequence, Format(inputs[0]));
            return a.ReturnSequences ? ShapeCheck.Ok(inputs[0][0], a.Units) : ShapeCheck.Ok(a.Units);
        }

        private static RecurrentArguments Of(NodeSpec node) => (RecurrentArguments)node.Arguments;

        public override int Units(NodeSpec node) => Of(node).Units;

        /// <summary>Features per step.</summary>
        public override int FanIn(NodeSpec node) => node.InputShape[1];

        private static int Time(NodeSpec node) => node.InputShape[0];

        /// <summary><c>W_ih [gates·units, features]</c> and <c>W_hh [gates·units, units]</c>; <c>b_ih</c> and <c>b_hh</c> (PyTorch's two biases).</summary>
        public override (long Weights, long Biases) ParameterCounts(OpArguments arguments, EquatableArray<int> input)
        {
            int units = ((RecurrentArguments)arguments).Units;
            return (Capped((double)Gates * units * ((double)input[1] + units)), 2L * Gates * units);
        }

        /// <summary>Every step's gates and states (<c>RecurrentLayer.WorkspaceSize</c>), then the running gradients: they can dwarf the output.</summary>
        public override long ExtraWorkspace(OpArguments arguments, EquatableArray<int> input, EquatableArray<int> output)
        {
            int units = ((RecurrentArguments)arguments).Units;
            return ((long)input[0] * stepValues * units) + ((2L + Gates) * units);
        }

        public override string SavedDoc(NodeSpec node) => "every step's gates and states, then the running gradients (RecurrentLayer.WorkspaceSize)";

        /// <summary>
        /// Per step the two matrix products <c>2 · gates·units · (features + units)</c>, the two bias adds and one non-linearity per gate
        /// value, plus the cell's own element-wise work per unit: none for a simple RNN, 5 for an LSTM and a GRU.
        /// </summary>
        public override long Flops(NodeSpec node)
        {
            long units = Units(node);
            long step = (2L * Gates * units * (FanIn(node) + units)) + (3L * Gates * units) + (Kind == OpKind.SimpleRnn ? 0 : 5L * units);
            return step * Time(node);
        }

        public override string WeightsDoc(NodeSpec node, int offset)
        {
            int rows = Gates * Units(node);
            return Invariant($"W_ih [{rows}, {FanIn(node)}], then W_hh [{rows}, {Units(node)}] from {offset + (rows * FanIn(node))}, row-major (PyTorch's weight_ih_l0, weight_hh_l0)");
        }

        /// <summary>PyTorch's <c>nn.RNN</c>, <c>nn.LSTM</c>, <c>nn.GRU</c>: <c>weight_ih_l0</c>, <c>weight_hh_l0</c>, <c>bias_ih_l0</c>, <c>bias_hh_l0</c>, as they follow each other in the buffer.</summary>
        public override IEnumerable<TensorSpec> Tensors(NodeSpec node)
        {
            int rows = Gates * Units(node), features = FanIn(node);
            yield return new TensorSpec("weight_ih_l0", new[] { rows, features }, 0);
            yield return new TensorSpec("weight_hh_l0", new[] { rows, Units(node) }, rows * features);
            yield return new TensorSpec("bias_ih_l0", new[] { rows }, node.WeightCount);
            yield return new TensorSpec("bias_hh_l0", new[] { rows }, node.WeightCount + rows);
        }

        public override string BiasDoc(NodeSpec node) => Invariant($"b_ih [{Gates * Units(node)}], then b_hh [{Gates * Units(node)}] (PyTorch's bias_ih_l0, bias_hh_l0)");

        public override IEnumerable<string> DefinitionEntries(NodeSpec node)
        {
            yield return Invariant($"Units = {Units(node)}");
            yield return Invariant($"Gates = {Gates}");
            if (Of(node).ReturnSequences) yield return "ReturnSequences = true";
            if (Kind == OpKind.SimpleRnn) yield return $"CellActivation = global::DeepPhys.Activation.{Of(node).CellActivation}";
        }

        /// <summary>
        /// Keras's recurrent initialisers: Glorot uniform W_ih (fans of Keras's kernel, <c>[features, gates·units]</c>), orthogonal W_hh
        /// (orthonormal columns); an LSTM's forget-gate bias starts at 1 (Keras's unit_forget_bias; in b_ih, so b_ih + b_hh is 1).
        /// </summary>
        public override void Initialize(IInitializerWriter writer, NodeSpec node, string weights, string bias)
        {
            int rows = Gates * Units(node), features = FanIn(node);
            writer.Line(Invariant($"// {node.Name}: Glorot uniform W_ih (fan-in {features}, fan-out {rows}), orthogonal W_hh"));
            writer.Line(Invariant($"{Kernels}Initializers.GlorotUniform(parameters.Slice({weights}, {rows * features}), {features}, {rows}, random);"));
            writer.Line(Invariant($"{Kernels}Initializers.Orthogonal(parameters.Slice({weights} + {rows * features}, {rows * Units(node)}), {rows}, {Units(node)}, random);"));
            if (Kind != OpKind.Lstm) return;
            writer.Line(Invariant($"// {node.Name}: forget-gate bias 1"));
            writer.Line(Invariant($"parameters.Slice({bias} + {Units(node)}, {Units(node)}).Fill({writer.Literal(1)});"));
        }

        public override void Forward(IOpWriter w, OpSite s) =>
            w.Line($"{Recurrent}Forward({s.Inputs[0]}, {w.Parameters(s.Node, false)}, {w.Parameters(s.Node, true)}, {s.Output}, {Workspace(w, s)}, batch, {Layer(s.Node)});");

        /// <summary>Backpropagation through time: the parameter gradients, and the gate gradients the input gradient is made of, left in the workspace.</summary>
        public override void ParameterGradients(IOpWriter w, OpSite s) =>
            w.Line($"{Recurrent}BackwardParameters({s.Inputs[0]}, {w.Parameters(s.Node, false)}, {s.Delta}, {Workspace(w, s)}, {w.Gradients(s.Node, false)}, {w.Gradients(s.Node, true)}, batch, {Layer(s.Node)});");

        /// <summary>The input gradient is made of the gate gradients <see cref="ParameterGradients"/> leaves.</summary>
        public override bool InputGradientNeedsParameterGradients => true;

        public override void Backward(IOpWriter w, OpSite s, int input, string target, bool accumulate) =>
            AddingKernel(w, target, accumulate, $"{Recurrent}BackwardInput({Workspace(w, s)}, {w.Parameters(s.Node, false)}, {target}, batch, {Layer(s.Node)});");

        private const string Recurrent = Kernels + "RecurrentKernels.";

        private static string Workspace(IOpWriter w, OpSite s) => w.Extra(s.Node, 0, s.Node.ExtraWorkspace);

        /// <summary>The kernels' <c>RecurrentLayer</c> for a node, as a constructor call of literals.</summary>
        private string Layer(NodeSpec node)
        {
            var a = Of(node);
            string activation = Kind == OpKind.SimpleRnn && a.CellActivation != ActivationKind.Tanh ? ", Activation: global::DeepPhys.Activation." + a.CellActivation : string.Empty;
            string returns = a.ReturnSequences ? "true" : "false";
            return Invariant($"new global::DeepPhys.Kernels.RecurrentLayer(global::DeepPhys.Kernels.RecurrentCell.{Kind}, Time: {Time(node)}, Features: {FanIn(node)}, Units: {Units(node)}, ReturnSequences: {returns}{activation})");
        }
    }
}
