namespace DeepPhys.Onnx.Ops;

/// <summary>The recurrent layers' ONNX mappings: ONNX's RNN, LSTM and GRU, with the gate blocks in ONNX's order.</summary>
internal static class RecurrentOnnx
{
    public static readonly IReadOnlyDictionary<NodeKind, OnnxOp> All = new Dictionary<NodeKind, OnnxOp>
    {
        [NodeKind.SimpleRnn] = new Recurrent("RNN"),
        [NodeKind.Lstm] = new Recurrent("LSTM"),
        [NodeKind.Gru] = new Recurrent("GRU"),
    };

    private sealed class Recurrent(string op) : OnnxOp
    {
        /// <summary>
        /// Time first, forward, one direction: the batch-first input transposed to <c>[time, batch, features]</c>, and the output
        /// squeezed to the runtime's <c>[batch, time, units]</c> (every step, Y) or <c>[batch, units]</c> (the last state, Y_h).
        /// ONNX Runtime implements only <c>layout = 0</c>.
        /// </summary>
        public override string Export(OnnxGraphWriter writer, NodeDefinition node, string[] x)
        {
            int rows = node.Gates * node.Units, features = (node.WeightCount / rows) - node.Units;
            var order = OnnxModel.OnnxGateOrder(node.Gates);
            var inputWeights = OnnxModel.PermuteGates(writer.Parameters.AsSpan(node.ParameterOffset, rows * features), order);
            var hiddenWeights = OnnxModel.PermuteGates(writer.Parameters.AsSpan(node.ParameterOffset + (rows * features), rows * node.Units), order);
            var biases = writer.Parameters.AsSpan(node.BiasOffset, 2 * rows);
            double[] bias = [.. OnnxModel.PermuteGates(biases[..rows], order), .. OnnxModel.PermuteGates(biases[rows..], order)];
            var attributes = new List<ProtoWriter> { Int("hidden_size", node.Units) };
            if (op == "RNN") attributes.AddRange(CellActivation(node.CellActivation));
            if (op == "GRU") attributes.Add(Int("linear_before_reset", 1));

            string timeFirst = writer.Add("Transpose", node.Name + ".time_first", [x[0]], Ints("perm", [1, 0, 2]));
            string[] inputs = [timeFirst, writer.Initializer(node.Name + ".W", [1, rows, features], inputWeights), writer.Initializer(node.Name + ".R", [1, rows, node.Units], hiddenWeights), writer.Initializer(node.Name + ".B", [1, 2 * rows], bias)];
            if (node.ReturnSequences)
            {
                string sequence = writer.Add(op, node.Name, inputs, [.. attributes]);
                string squeezed = writer.Add("Squeeze", node.Name, [sequence, writer.Int64Initializer(node.Name + ".axes", [1])]);
                return writer.Add("Transpose", node.Name, [squeezed], Ints("perm", [1, 0, 2]));
            }

            // Y is left out (an empty name); Y_h [1, batch, units] is the result.
            string state = $"{node.Name}.{op}";
            writer.AddNode(op, state, inputs, ["", state], [.. attributes]);
            return writer.Add("Squeeze", node.Name, [state, writer.Int64Initializer(node.Name + ".axes", [0])]);
        }

        /// <summary>
        /// As the exporter or PyTorch writes it: a Transpose to time first (or, stacked, the previous cell's steps read directly),
        /// the cell (forward, one direction, <c>layout = 0</c>, PyTorch's equations) from zero initial states, then Y squeezed
        /// and transposed back (every step) or Y_h squeezed or gathered (the last state).
        /// </summary>
        public override string Import(OnnxGraphReader reader, NodeDefinition node, string[] x, double[] parameters, double[] state)
        {
            string where = reader.Where(node);
            string steps;
            if (reader.TimeFirstOf.TryGetValue(x[0], out var direct) && TakesCell(reader, direct))
            {
                steps = direct;
            }
            else
            {
                var timeFirst = reader.Take([x[0]], where, "Transpose");
                reader.CheckInts(timeFirst, "perm", [1, 0, 2], where);
                steps = Output(timeFirst);
            }

            var cell = reader.Take([steps], where, op, [op], inputs => inputs[0] == steps);
            if ((Attribute(cell, "hidden_size")?.Int64(F.AttributeInt) ?? 0) != node.Units) throw reader.Error($"{Describe(cell)} has hidden_size {Attribute(cell, "hidden_size")?.Int64(F.AttributeInt) ?? 0}; {where} has {node.Units} units");
            if (Attribute(cell, "direction")?.String(F.AttributeString) is { } direction && direction != "forward") throw reader.Error($"{Describe(cell)} runs {direction}; {where} runs forward");
            foreach (var unsupported in new[] { "layout", "input_forget", "clip" })
            {
                if (Attribute(cell, unsupported) is not null) throw reader.Error($"{Describe(cell)} sets {unsupported}; {where} does not");
            }

            // Without the attribute a simple RNN is tanh, and the gated cells have their standard sigmoid and tanh.
            var activations = Attribute(cell, "activations")?.Strings(F.AttributeStrings).ToArray() ?? [];
            string[] expected = op != "RNN" ? [] : [node.CellActivation == Activation.Linear ? "Affine" : OnnxModel.OperatorOf(node.CellActivation)];
            bool standard = activations.Length == 0 && (op != "RNN" || node.CellActivation == Activation.Tanh);
            if (!standard && !activations.SequenceEqual(expected))
            {
                throw reader.Error($"{Describe(cell)} has the activations [{string.Join(", ", activations)}]; {where}'s cell is {(op == "RNN" ? node.CellActivation : "standard")}");
            }

            if (op == "GRU" && Attribute(cell, "linear_before_reset")?.Int64(F.AttributeInt) != 1) throw reader.Error($"{Describe(cell)} resets before the linear map; {where} needs linear_before_reset = 1 (PyTorch's GRU)");
            var inputs = cell.Strings(F.NodeInput).ToList();
            if (inputs.Count < 4 || inputs.Count > (op == "LSTM" ? 7 : 6))
            {
                throw reader.Error($"{Describe(cell)} has {inputs.Count} inputs; {where} expects X, W, R, B, and optionally no sequence_lens and zero initial states");
            }

            if (inputs.Count > 4 && inputs[4].Length > 0) throw reader.Error($"{Describe(cell)} takes sequence lengths '{inputs[4]}'; {where} runs every sequence to its end");
            foreach (var initial in inputs.Skip(5)) ZeroState(reader, initial, cell, where);
            int rows = node.Gates * node.Units, features = (node.WeightCount / rows) - node.Units;
            var order = OnnxModel.OnnxGateOrder(node.Gates);
            OnnxModel.RestoreGates(reader.Values(inputs[1], [1, rows, features], where, "weight W"), order, parameters.AsSpan(node.ParameterOffset, rows * features));
            OnnxModel.RestoreGates(reader.Values(inputs[2], [1, rows, node.Units], where, "weight R"), order, parameters.AsSpan(node.ParameterOffset + (rows * features), rows * node.Units));
            var bias = reader.Values(inputs[3], [1, 2 * rows], where, "bias B");
            OnnxModel.RestoreGates(bias.AsSpan(0, rows), order, parameters.AsSpan(node.BiasOffset, rows));
            OnnxModel.RestoreGates(bias.AsSpan(rows), order, parameters.AsSpan(node.BiasOffset + rows, rows));

            var outputs = cell.Strings(F.NodeOutput).ToList();
            int taken = node.ReturnSequences ? 0 : 1;
            if (outputs.Count <= taken || outputs[taken].Length == 0) throw reader.Error($"{Describe(cell)} has no output {(node.ReturnSequences ? "Y" : "Y_h")}; {where} returns {(node.ReturnSequences ? "every step" : "the last state")}");
            if (!node.ReturnSequences) return DropDirection(reader, outputs[taken], where);
            var squeeze = reader.Take([outputs[taken]], where, "Squeeze");
            CheckSqueeze(reader, squeeze, 1, where);
            string sequence = Output(squeeze);
            reader.TimeFirstOf[sequence] = sequence;
            // PyTorch leaves out the Transpose back when only the next cell (and its state's shape) reads the steps.
            if (TakesCell(reader, sequence) && !reader.Feeds(sequence, "Transpose")) return sequence;
            var batchFirst = reader.Take([sequence], where, "Transpose");
            reader.CheckInts(batchFirst, "perm", [1, 0, 2], where);
            reader.TimeFirstOf[Output(batchFirst)] = sequence;
            return Output(batchFirst);
        }

        /// <summary>A simple RNN's activation: ONNX's name, and Affine(x) = 1·x + 0 for a linear cell.</summary>
        private static ProtoWriter[] CellActivation(Activation activation) => activation == Activation.Linear
            ? [Strings("activations", ["Affine"]), Floats("activation_alpha", [1]), Floats("activation_beta", [0])]
            : [Strings("activations", [OnnxModel.OperatorOf(activation)])];

        /// <summary>The last state <c>Y_h</c> <c>[1, batch, units]</c> to <c>[batch, units]</c>: a Squeeze on axis 0, or PyTorch's <c>h[0]</c>/<c>h[-1]</c> Gather.</summary>
        private static string DropDirection(OnnxGraphReader reader, string lastState, string where)
        {
            var drop = reader.Take([lastState], where, "Squeeze", "Gather");
            if (drop.String(F.NodeOpType) == "Squeeze")
            {
                CheckSqueeze(reader, drop, 0, where);
                return Output(drop);
            }

            var index = reader.Constant(drop.Strings(F.NodeInput).ElementAtOrDefault(1) ?? "");
            bool scalar = index is not null && !index.Int64s(F.TensorDims).Any();
            long axis = Attribute(drop, "axis")?.Int64(F.AttributeInt) ?? 0;
            if (axis != 0 || !scalar || Int64Values(index!) is not [0 or -1])
            {
                throw reader.Error($"{Describe(drop)} does not take the one direction on axis 0; {where} returns the last state [batch, units]");
            }

            return Output(drop);
        }

        /// <summary>From opset 13 on (<see cref="OldestOpset"/>), Squeeze takes its axes as an input.</summary>
        private static void CheckSqueeze(OnnxGraphReader reader, ProtoMessage squeeze, long axis, string where)
        {
            long[] axes = reader.Constant(squeeze.Strings(F.NodeInput).ElementAtOrDefault(1) ?? "") is { } tensor ? Int64Values(tensor) : [];
            if (!axes.SequenceEqual([axis])) throw reader.Error($"{Describe(squeeze)} squeezes the axes [{string.Join(", ", axes)}]; {where} drops the direction axis {axis}");
        }

        /// <summary>Whether an unused recurrent cell reads the time-first steps directly (a stacked layer in PyTorch's export).</summary>
        private static bool TakesCell(OnnxGraphReader reader, string steps) => reader.Feeds(steps, "RNN", "LSTM", "GRU");

        /// <summary>
        /// Takes what computes a cell's initial state, which must be zero as the declared layer's is: a zero constant, or PyTorch's
        /// <c>ConstantOfShape</c> of zero or <c>Expand</c> of a zero constant to a shape computed from the input's size, or a
        /// <c>Slice</c> of one of those.
        /// </summary>
        private static void ZeroState(OnnxGraphReader reader, string name, ProtoMessage cell, string where)
        {
            if (name.Length == 0) return;
            if (reader.Constant(name) is not null)
            {
                CheckZeros(reader, name, cell, where);
                return;
            }

            var producer = reader.ProducerOf(name);
            if (producer?.String(F.NodeOpType) == "Slice")
            {
                // A multi-layer module slices each layer's state out of one zero tensor.
                var bounds = producer.Strings(F.NodeInput).ToList();
                reader.Use(producer);
                ZeroState(reader, bounds[0], cell, where);
                foreach (var bound in bounds.Skip(1)) TakeShapeComputation(reader, bound, producer, where);
                return;
            }

            if (producer is null || producer.String(F.NodeOpType) is not ("ConstantOfShape" or "Expand"))
            {
                string source = producer is null ? "a graph input" : Describe(producer);
                throw reader.Error($"{Describe(cell)} takes its initial state '{name}' from {source}; {where} starts from zeros");
            }

            var inputs = producer.Strings(F.NodeInput).ToList();
            if (producer.String(F.NodeOpType) == "Expand") CheckZeros(reader, inputs[0], cell, where);
            else if (Attribute(producer, "value")?.Message(F.AttributeTensor) is { } value && reader.Decode(value, 1, name, "initial state")[0] != 0) throw NonZero(reader, name, cell, where);
            reader.Use(producer);
            TakeShapeComputation(reader, inputs[^1], producer, where);
        }

        private static void CheckZeros(OnnxGraphReader reader, string name, ProtoMessage cell, string where)
        {
            var tensor = reader.Constant(name) ?? throw reader.Error($"{Describe(cell)} expands its initial state from '{name}', which is not a constant; {where} starts from zeros");
            // A size beyond int (or negative) cannot match the data the file holds, so Decode rejects it.
            long count = tensor.Int64s(F.TensorDims).Aggregate(1L, (a, d) => Math.Min(a * (d is < 0 or > int.MaxValue ? int.MaxValue : d), int.MaxValue));
            if (reader.Decode(tensor, (int)count, name, "initial state").Any(v => v != 0)) throw NonZero(reader, name, cell, where);
        }

        private static FormatException NonZero(OnnxGraphReader reader, string name, ProtoMessage cell, string where) =>
            reader.Error($"{Describe(cell)} starts from the initial state '{name}', which is not zero; {where} starts from zeros");

        /// <summary>Takes the nodes that compute a state's shape from sizes (a Shape reads no values, so its input may be any tensor).</summary>
        private static void TakeShapeComputation(OnnxGraphReader reader, string name, ProtoMessage fill, string where)
        {
            if (name.Length == 0 || reader.Constant(name) is not null) return;
            var node = reader.ProducerOf(name) ?? throw reader.Error($"{Describe(fill)} takes its shape from the graph input '{name}'; {where} starts from zeros of the batch's size");
            if (node.String(F.NodeOpType) is not ("Shape" or "Gather" or "Unsqueeze" or "Concat" or "Slice" or "Cast"))
            {
                throw reader.Error($"{Describe(fill)} takes its shape from {Describe(node)}; {where} expects a shape computed with Shape, Gather, Unsqueeze, Concat, Slice or Cast");
            }

            reader.Use(node);
            if (node.String(F.NodeOpType) == "Shape") return;
            foreach (var input in node.Strings(F.NodeInput)) TakeShapeComputation(reader, input, fill, where);
        }
    }
}
