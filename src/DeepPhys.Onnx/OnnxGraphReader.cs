using System.Buffers.Binary;
using System.Globalization;
using F = DeepPhys.Onnx.OnnxField;

namespace DeepPhys.Onnx;

/// <summary>
/// Matches an ONNX graph against a declared network node by node (<see cref="NetworkDefinition.Nodes"/>) and collects
/// its weights and batch norm statistics. Each declared node takes the ONNX node that consumes its inputs' tensors with
/// the expected operator, so branches and merges match whatever order the exporter wrote them in.
/// </summary>
internal sealed class OnnxGraphReader
{
    private readonly string source;
    private readonly NetworkDefinition definition;
    private readonly List<ProtoMessage> nodes;
    private readonly bool[] used;
    private readonly Dictionary<string, ProtoMessage> constants = [];
    private readonly Dictionary<string, List<int>> consumers = [];
    private readonly Dictionary<string, int> producers = [];

    // A recurrent layer's result (batch first) mapped to the same steps time first, which a stacked cell may read directly.
    private readonly Dictionary<string, string> timeFirstOf = [];
    private readonly ProtoMessage graph;

    public OnnxGraphReader(ProtoMessage model, string source, NetworkDefinition definition)
    {
        this.source = source;
        this.definition = definition;
        graph = model.Message(F.ModelGraph) ?? throw Error("the model has no graph");
        CheckOpset(model);
        nodes = [.. graph.Messages(F.GraphNode)];
        used = new bool[nodes.Count];
        foreach (var tensor in graph.Messages(F.GraphInitializer)) constants[tensor.String(F.TensorName)] = tensor;
        for (int k = 0; k < nodes.Count; k++)
        {
            var node = nodes[k];
            if (node.String(F.NodeDomain) is not ("" or "ai.onnx")) throw Error($"{Describe(node)} is from the domain '{node.String(F.NodeDomain)}'");
            if (node.String(F.NodeOpType) == "Constant" && Attribute(node, "value")?.Message(F.AttributeTensor) is { } value)
            {
                constants[node.Strings(F.NodeOutput).First()] = value;
                used[k] = true;
                continue;
            }

            foreach (var input in node.Strings(F.NodeInput)) (consumers.TryGetValue(input, out var list) ? list : consumers[input] = []).Add(k);
            foreach (var output in node.Strings(F.NodeOutput)) producers[output] = k;
        }
    }

    /// <summary>The oldest ONNX opset read: from 13 on, Squeeze takes its axes as an input, as <see cref="CheckSqueeze"/> reads them.</summary>
    public const int OldestOpset = 13;

    /// <summary>
    /// The default domain's opset must be one whose operators read as this reader reads them: from <see cref="OldestOpset"/>
    /// to <see cref="OnnxModel.Opset"/> (in opset 18 ReduceMean takes its axes as an input too).
    /// </summary>
    private void CheckOpset(ProtoMessage model)
    {
        var imports = model.Messages(F.ModelOpsetImport).Where(import => import.String(F.OpsetDomain) is "" or "ai.onnx").ToList();
        if (imports.Count == 0) throw Error("the model declares no opset for the default ONNX domain");
        long version = imports.Max(import => import.Int64(F.OpsetVersion));
        if (version < OldestOpset || version > OnnxModel.Opset)
        {
            throw Error($"the model uses ONNX opset {version}; DeepPhys reads opsets {OldestOpset} to {OnnxModel.Opset} (export with opset_version={OnnxModel.Opset})");
        }
    }

    /// <summary>Fills <paramref name="parameters"/> and <paramref name="state"/> from the graph, node by node.</summary>
    public void Read(double[] parameters, double[] state)
    {
        var graphInputs = graph.Messages(F.GraphInput).Where(i => !constants.ContainsKey(i.String(F.ValueInfoName))).ToList();
        var inputs = graphInputs.Select(i => i.String(F.ValueInfoName)).ToList();
        var declared = definition.Inputs.ToList();
        if (inputs.Count != declared.Count) throw Error($"the graph has {inputs.Count} inputs; {definition.Name} has {declared.Count}");
        for (int k = 0; k < declared.Count; k++) CheckInputShape(graphInputs[k], declared[k]);
        var tensors = new string[definition.Nodes.Count];
        int next = 0;
        for (int i = 0; i < definition.Nodes.Count; i++)
        {
            var node = definition.Nodes[i];
            if (node.Kind == NodeKind.Input)
            {
                tensors[i] = inputs[next++];
                continue;
            }

            var x = node.Inputs.Select(j => tensors[j]).ToArray();
            tensors[i] = Activation(node, Operation(node, x, parameters, state));
        }

        int leftover = Array.IndexOf(used, false);
        if (leftover >= 0) throw Error($"{Describe(nodes[leftover])} has no counterpart in {definition.Name}");
    }

    private string Where(NodeDefinition node) => $"{definition.Name}.{node.Name}";

    /// <summary>A graph input of fixed sizes must be <c>[batch, …shape]</c> of the declared input; symbolic sizes pass.</summary>
    private void CheckInputShape(ProtoMessage input, NodeDefinition node)
    {
        var dims = input.Message(F.ValueInfoType)?.Message(F.TypeTensor)?.Message(F.TensorTypeShape)?.Messages(F.ShapeDim).ToList();
        if (dims is null) return;
        bool matches = dims.Count == node.Shape.Count + 1
            && dims.Skip(1).Select((dim, d) => !dim.Has(F.DimValue) || dim.Int64(F.DimValue) == node.Shape[d]).All(ok => ok);
        if (!matches)
        {
            string shape = string.Join(", ", dims.Select(dim => dim.Has(F.DimValue) ? dim.Int64(F.DimValue).ToString(CultureInfo.InvariantCulture) : dim.String(F.DimParam)));
            throw Error($"the input '{input.String(F.ValueInfoName)}' is [{shape}]; {Where(node)} is [batch, {string.Join(", ", node.Shape)}]");
        }
    }

    /// <summary>Matches the node's operation; returns the tensor holding its result before the activation.</summary>
    private string Operation(NodeDefinition node, string[] x, double[] parameters, double[] state)
    {
        string where = Where(node);
        switch (node.Kind)
        {
            case NodeKind.Dense:
                return Dense(node, x[0], parameters);
            case NodeKind.Conv2D or NodeKind.Conv1D or NodeKind.Conv2DTranspose:
            {
                var conv = Take(x, where, node.Kind == NodeKind.Conv2DTranspose ? "ConvTranspose" : "Conv");
                CheckWindow(conv, node);
                if (node.Kind == NodeKind.Conv2DTranspose) CheckOutputPadding(conv, node);
                if (Attribute(conv, "group")?.Int64(F.AttributeInt) is { } group && group != 1) throw Error($"{Describe(conv)} has group = {group}; {where} needs 1");

                if (Attribute(conv, "dilations") is { } dilations && dilations.Int64s(F.AttributeInts).Any(d => d != 1)) throw Error($"{Describe(conv)} is dilated; {where} is not");
                var inputs = conv.Strings(F.NodeInput).ToList();
                if ((inputs.Count == 3) != node.HasBias) throw Error($"{Describe(conv)} {(node.HasBias ? "has no bias" : "has a bias")}; {where} {(node.HasBias ? "has one" : "has none")}");
                Values(inputs[1], [.. OnnxModel.Tensor(definition, node, "weight").Shape], where, "weight").CopyTo(parameters, node.ParameterOffset);
                if (node.HasBias) Values(inputs[2], [node.Units], where, "bias").CopyTo(parameters, node.BiasOffset);
                return Output(conv);
            }

            case NodeKind.MaxPool2D or NodeKind.AvgPool2D or NodeKind.MaxPool1D or NodeKind.AvgPool1D:
            {
                var pool = Take(x, where, node.Kind is NodeKind.MaxPool2D or NodeKind.MaxPool1D ? "MaxPool" : "AveragePool");
                CheckWindow(pool, node);
                if (Attribute(pool, "ceil_mode")?.Int64(F.AttributeInt) is { } ceil && ceil != 0) throw Error($"{Describe(pool)} rounds its output size up (ceil_mode); {where} rounds down");
                return Output(pool);
            }

            case NodeKind.GlobalAvgPool2D or NodeKind.GlobalAvgPool1D or NodeKind.GlobalMaxPool2D or NodeKind.GlobalMaxPool1D:
                return GlobalPool(node, x[0]);

            case NodeKind.UpSampling2D or NodeKind.UpSampling1D:
                return UpSampling(node, x[0]);

            case NodeKind.Flatten:
                return Flatten(node, x[0]);
            case NodeKind.Reshape:
            {
                var reshape = Take(x, where, "Reshape");
                CheckReshape(reshape, node);
                return Output(reshape);
            }

            case NodeKind.Transpose:
            {
                var transpose = TakeTranspose(x[0], [0, 2, 1]) ?? Take(x, where, "Transpose");
                CheckInts(transpose, "perm", [0, 2, 1], where);
                // PyTorch folds x.transpose(1, 2) into the time-first Transpose of a recurrent cell after it ([2, 0, 1] of the
                // same input), keeping [0, 2, 1] only for the size of the cell's initial state.
                if (TakeTranspose(x[0], [2, 0, 1]) is { } timeFirst) timeFirstOf[Output(transpose)] = Output(timeFirst);
                return Output(transpose);
            }

            case NodeKind.Dropout:
                // Exporters in inference mode often drop it; an Identity or Dropout left in the graph is taken.
                return TakeOptional(x[0], "Dropout", "Identity") is { } dropout ? Output(dropout) : x[0];
            case NodeKind.BatchNorm:
            {
                var norm = Take(x, where, "BatchNormalization");
                if (Attribute(norm, "training_mode")?.Int64(F.AttributeInt) is { } training && training != 0) throw Error($"{Describe(norm)} normalises with batch statistics (training_mode = 1); export the model in inference mode");
                float epsilon = Attribute(norm, "epsilon")?.Float(F.AttributeFloat) ?? 1e-5f;
                if (Math.Abs(epsilon - node.Epsilon) > 1e-6 * Math.Max(1, node.Epsilon) + 1e-9)
                {
                    throw Error($"{Describe(norm)} has epsilon = {epsilon.ToString(CultureInfo.InvariantCulture)}; {where} has {node.Epsilon.ToString(CultureInfo.InvariantCulture)}");
                }

                var inputs = norm.Strings(F.NodeInput).ToList();
                if (inputs.Count != 5) throw Error($"{Describe(norm)} has {inputs.Count} inputs; {where} expects scale, bias, mean and variance");
                Values(inputs[1], [node.Units], where, "scale").CopyTo(parameters, node.ParameterOffset);
                Values(inputs[2], [node.Units], where, "bias").CopyTo(parameters, node.BiasOffset);
                Values(inputs[3], [node.Units], where, "running mean").CopyTo(state, node.StateOffset);
                Values(inputs[4], [node.Units], where, "running variance").CopyTo(state, node.StateOffset + node.Units);
                return Output(norm);
            }

            case NodeKind.Activation:
                return x[0];
            case NodeKind.Add or NodeKind.Multiply:
                return Output(Take(x, where, node.Kind == NodeKind.Add ? "Add" : "Mul", commutative: true));
            case NodeKind.Subtract:
                return Output(Take(x, where, "Sub"));
            case NodeKind.Concatenate:
            {
                var concat = Take(x, where, "Concat");
                long axis = Attribute(concat, "axis")?.Int64(F.AttributeInt) ?? 0;
                int rank = node.Shape.Count + 1;
                if ((axis < 0 ? axis + rank : axis) != node.Axis + 1) throw Error($"{Describe(concat)} joins axis {axis}; {where} joins axis {node.Axis + 1} (with the batch)");
                return Output(concat);
            }

            case NodeKind.SimpleRnn or NodeKind.Lstm or NodeKind.Gru:
                return Recurrent(node, x[0], parameters);
            default:
                throw new NotSupportedException($"{where} is a {node.Kind} node, which ONNX import does not support yet.");
        }
    }

    /// <summary>
    /// A recurrent layer as the exporter or PyTorch writes it: a Transpose to time first (or, stacked, the previous cell's
    /// steps read directly), the RNN, LSTM or GRU (forward, one direction, <c>layout = 0</c>, PyTorch's equations) from zero
    /// initial states, then Y squeezed and transposed back (every step) or Y_h squeezed or gathered (the last state).
    /// </summary>
    private string Recurrent(NodeDefinition node, string x, double[] parameters)
    {
        string where = Where(node), op = node.Gates switch { 4 => "LSTM", 3 => "GRU", _ => "RNN" };
        string steps;
        if (timeFirstOf.TryGetValue(x, out var direct) && TakesCell(direct))
        {
            steps = direct;
        }
        else
        {
            var timeFirst = Take([x], where, "Transpose");
            CheckInts(timeFirst, "perm", [1, 0, 2], where);
            steps = Output(timeFirst);
        }

        var cell = Take([steps], where, op, [op], inputs => inputs[0] == steps);
        if ((Attribute(cell, "hidden_size")?.Int64(F.AttributeInt) ?? 0) != node.Units) throw Error($"{Describe(cell)} has hidden_size {Attribute(cell, "hidden_size")?.Int64(F.AttributeInt) ?? 0}; {where} has {node.Units} units");
        if (Attribute(cell, "direction")?.String(F.AttributeString) is { } direction && direction != "forward") throw Error($"{Describe(cell)} runs {direction}; {where} runs forward");
        foreach (var unsupported in new[] { "layout", "input_forget", "clip" })
        {
            if (Attribute(cell, unsupported) is not null) throw Error($"{Describe(cell)} sets {unsupported}; {where} does not");
        }

        // Without the attribute a simple RNN is tanh, and the gated cells have their standard sigmoid and tanh.
        var activations = Attribute(cell, "activations")?.Strings(F.AttributeStrings).ToArray() ?? [];
        string[] expected = op != "RNN" ? [] : [node.CellActivation == DeepPhys.Activation.Linear ? "Affine" : OnnxModel.OperatorOf(node.CellActivation)];
        bool standard = activations.Length == 0 && (op != "RNN" || node.CellActivation == DeepPhys.Activation.Tanh);
        if (!standard && !activations.SequenceEqual(expected))
        {
            throw Error($"{Describe(cell)} has the activations [{string.Join(", ", activations)}]; {where}'s cell is {(op == "RNN" ? node.CellActivation : "standard")}");
        }

        if (op == "GRU" && Attribute(cell, "linear_before_reset")?.Int64(F.AttributeInt) != 1) throw Error($"{Describe(cell)} resets before the linear map; {where} needs linear_before_reset = 1 (PyTorch's GRU)");
        var inputs = cell.Strings(F.NodeInput).ToList();
        if (inputs.Count < 4 || inputs.Count > (op == "LSTM" ? 7 : 6))
        {
            throw Error($"{Describe(cell)} has {inputs.Count} inputs; {where} expects X, W, R, B, and optionally no sequence_lens and zero initial states");
        }

        if (inputs.Count > 4 && inputs[4].Length > 0) throw Error($"{Describe(cell)} takes sequence lengths '{inputs[4]}'; {where} runs every sequence to its end");
        foreach (var initial in inputs.Skip(5)) ZeroState(initial, cell, where);
        int rows = node.Gates * node.Units, features = (node.WeightCount / rows) - node.Units;
        var order = OnnxModel.OnnxGateOrder(node.Gates);
        OnnxModel.RestoreGates(Values(inputs[1], [1, rows, features], where, "weight W"), order, parameters.AsSpan(node.ParameterOffset, rows * features));
        OnnxModel.RestoreGates(Values(inputs[2], [1, rows, node.Units], where, "weight R"), order, parameters.AsSpan(node.ParameterOffset + (rows * features), rows * node.Units));
        var bias = Values(inputs[3], [1, 2 * rows], where, "bias B");
        OnnxModel.RestoreGates(bias.AsSpan(0, rows), order, parameters.AsSpan(node.BiasOffset, rows));
        OnnxModel.RestoreGates(bias.AsSpan(rows), order, parameters.AsSpan(node.BiasOffset + rows, rows));

        var outputs = cell.Strings(F.NodeOutput).ToList();
        int taken = node.ReturnSequences ? 0 : 1;
        if (outputs.Count <= taken || outputs[taken].Length == 0) throw Error($"{Describe(cell)} has no output {(node.ReturnSequences ? "Y" : "Y_h")}; {where} returns {(node.ReturnSequences ? "every step" : "the last state")}");
        if (!node.ReturnSequences) return DropDirection(outputs[taken], where);
        var squeeze = Take([outputs[taken]], where, "Squeeze");
        CheckSqueeze(squeeze, 1, where);
        string sequence = Output(squeeze);
        timeFirstOf[sequence] = sequence;
        // PyTorch leaves out the Transpose back when only the next cell (and its state's shape) reads the steps.
        if (TakesCell(sequence) && !consumers[sequence].Any(k => !used[k] && nodes[k].String(F.NodeOpType) == "Transpose")) return sequence;
        var batchFirst = Take([sequence], where, "Transpose");
        CheckInts(batchFirst, "perm", [1, 0, 2], where);
        timeFirstOf[Output(batchFirst)] = sequence;
        return Output(batchFirst);
    }

    /// <summary>The last state <c>Y_h</c> <c>[1, batch, units]</c> to <c>[batch, units]</c>: a Squeeze on axis 0, or PyTorch's <c>h[0]</c>/<c>h[-1]</c> Gather.</summary>
    private string DropDirection(string lastState, string where)
    {
        var drop = Take([lastState], where, "Squeeze", "Gather");
        if (drop.String(F.NodeOpType) == "Squeeze")
        {
            CheckSqueeze(drop, 0, where);
            return Output(drop);
        }

        string indexName = drop.Strings(F.NodeInput).ElementAtOrDefault(1) ?? "";
        bool scalar = constants.TryGetValue(indexName, out var index) && !index.Int64s(F.TensorDims).Any();
        long axis = Attribute(drop, "axis")?.Int64(F.AttributeInt) ?? 0;
        if (axis != 0 || !scalar || Int64Values(index!) is not [0 or -1])
        {
            throw Error($"{Describe(drop)} does not take the one direction on axis 0; {where} returns the last state [batch, units]");
        }

        return Output(drop);
    }

    private void CheckSqueeze(ProtoMessage squeeze, long axis, string where)
    {
        string axesName = squeeze.Strings(F.NodeInput).ElementAtOrDefault(1) ?? "";
        long[] axes = constants.TryGetValue(axesName, out var tensor) ? Int64Values(tensor) : [];
        if (!axes.SequenceEqual([axis])) throw Error($"{Describe(squeeze)} squeezes the axes [{string.Join(", ", axes)}]; {where} drops the direction axis {axis}");
    }

    /// <summary>Whether an unused recurrent cell reads the time-first steps directly (a stacked layer in PyTorch's export).</summary>
    private bool TakesCell(string steps) =>
        consumers.TryGetValue(steps, out var list) && list.Any(k => !used[k] && nodes[k].String(F.NodeOpType) is "RNN" or "LSTM" or "GRU");

    /// <summary>
    /// Takes what computes a cell's initial state, which must be zero as the declared layer's is: a zero constant, or PyTorch's
    /// <c>ConstantOfShape</c> of zero or <c>Expand</c> of a zero constant to a shape computed from the input's size, or a
    /// <c>Slice</c> of one of those.
    /// </summary>
    private void ZeroState(string name, ProtoMessage cell, string where)
    {
        if (name.Length == 0) return;
        if (constants.ContainsKey(name))
        {
            CheckZeros(name, cell, where);
            return;
        }

        if (producers.TryGetValue(name, out int slice) && nodes[slice].String(F.NodeOpType) == "Slice")
        {
            // A multi-layer module slices each layer's state out of one zero tensor.
            var bounds = nodes[slice].Strings(F.NodeInput).ToList();
            used[slice] = true;
            ZeroState(bounds[0], cell, where);
            foreach (var bound in bounds.Skip(1)) TakeShapeComputation(bound, nodes[slice], where);
            return;
        }

        if (!producers.TryGetValue(name, out int k) || nodes[k].String(F.NodeOpType) is not ("ConstantOfShape" or "Expand"))
        {
            string source = producers.TryGetValue(name, out int other) ? Describe(nodes[other]) : "a graph input";
            throw Error($"{Describe(cell)} takes its initial state '{name}' from {source}; {where} starts from zeros");
        }

        var fill = nodes[k];
        var inputs = fill.Strings(F.NodeInput).ToList();
        if (fill.String(F.NodeOpType) == "Expand") CheckZeros(inputs[0], cell, where);
        else if (Attribute(fill, "value")?.Message(F.AttributeTensor) is { } value && Decode(value, 1, name, "initial state")[0] != 0) throw NonZero(name, cell, where);
        used[k] = true;
        TakeShapeComputation(inputs[^1], fill, where);
    }

    private void CheckZeros(string name, ProtoMessage cell, string where)
    {
        if (!constants.TryGetValue(name, out var tensor)) throw Error($"{Describe(cell)} expands its initial state from '{name}', which is not a constant; {where} starts from zeros");
        // A size beyond int (or negative) cannot match the data the file holds, so Decode rejects it.
        long count = tensor.Int64s(F.TensorDims).Aggregate(1L, (a, d) => Math.Min(a * (d is < 0 or > int.MaxValue ? int.MaxValue : d), int.MaxValue));
        if (Decode(tensor, (int)count, name, "initial state").Any(v => v != 0)) throw NonZero(name, cell, where);
    }

    private FormatException NonZero(string name, ProtoMessage cell, string where) =>
        Error($"{Describe(cell)} starts from the initial state '{name}', which is not zero; {where} starts from zeros");

    /// <summary>Takes the nodes that compute a state's shape from sizes (a Shape reads no values, so its input may be any tensor).</summary>
    private void TakeShapeComputation(string name, ProtoMessage fill, string where)
    {
        if (name.Length == 0 || constants.ContainsKey(name)) return;
        if (!producers.TryGetValue(name, out int k)) throw Error($"{Describe(fill)} takes its shape from the graph input '{name}'; {where} starts from zeros of the batch's size");
        var node = nodes[k];
        if (node.String(F.NodeOpType) is not ("Shape" or "Gather" or "Unsqueeze" or "Concat" or "Slice" or "Cast"))
        {
            throw Error($"{Describe(fill)} takes its shape from {Describe(node)}; {where} expects a shape computed with Shape, Gather, Unsqueeze, Concat, Slice or Cast");
        }

        used[k] = true;
        if (node.String(F.NodeOpType) == "Shape") return;
        foreach (var input in node.Strings(F.NodeInput)) TakeShapeComputation(input, fill, where);
    }

    private void CheckInts(ProtoMessage onnx, string name, long[] expected, string where)
    {
        var actual = Attribute(onnx, name)?.Int64s(F.AttributeInts).ToArray() ?? [];
        if (!actual.SequenceEqual(expected)) throw Error($"{Describe(onnx)} has {name} [{string.Join(", ", actual)}]; {where} needs [{string.Join(", ", expected)}]");
    }

    private string Dense(NodeDefinition node, string x, double[] parameters)
    {
        string where = Where(node);
        var gemm = Take([x], where, "Gemm", "MatMul");
        var inputs = gemm.Strings(F.NodeInput).ToList();
        bool transposed;
        string biasName, result;
        if (gemm.String(F.NodeOpType) == "Gemm")
        {
            if (Attribute(gemm, "transA")?.Int64(F.AttributeInt) is not (null or 0)) throw Error($"{Describe(gemm)} transposes its input; {where} cannot");
            foreach (var factor in new[] { "alpha", "beta" })
            {
                if (Attribute(gemm, factor) is { } scale && scale.Float(F.AttributeFloat) != 1f) throw Error($"{Describe(gemm)} has {factor} = {scale.Float(F.AttributeFloat)}; {where} needs 1");
            }

            if (inputs.Count != 3) throw Error($"{Describe(gemm)} has no bias input; {where} has a bias");
            transposed = Attribute(gemm, "transB")?.Int64(F.AttributeInt) == 1;
            biasName = inputs[2];
            result = Output(gemm);
        }
        else
        {
            transposed = false;
            var add = Take([Output(gemm)], where, "Add");
            biasName = add.Strings(F.NodeInput).First(n => n != Output(gemm));
            result = Output(add);
        }

        int units = node.Units, fanIn = node.WeightCount / units;
        var weights = Values(inputs[1], transposed ? [units, fanIn] : [fanIn, units], where, "weight");
        if (transposed)
        {
            for (int u = 0; u < units; u++)
            {
                for (int i = 0; i < fanIn; i++) parameters[node.ParameterOffset + (i * units) + u] = weights[(u * fanIn) + i];
            }
        }
        else
        {
            weights.CopyTo(parameters, node.ParameterOffset);
        }

        Values(biasName, [units], where, "bias").CopyTo(parameters, node.BiasOffset);
        return result;
    }

    /// <summary>
    /// A global average or maximum per channel: <c>GlobalAveragePool</c> or <c>GlobalMaxPool</c> then a flatten, <c>ReduceMean</c> or
    /// <c>ReduceMax</c> over the spatial axes without keepdims, or, for the maximum, a <c>MaxPool</c> whose window is the whole
    /// plane then a flatten (PyTorch's export of <c>AdaptiveMaxPool2d(1)</c>).
    /// </summary>
    private string GlobalPool(NodeDefinition node, string x)
    {
        string where = Where(node);
        bool max = node.Kind is NodeKind.GlobalMaxPool2D or NodeKind.GlobalMaxPool1D;
        var input = definition.Nodes[node.Inputs[0]].Shape;
        var pool = max ? Take([x], where, "GlobalMaxPool", "ReduceMax", "MaxPool") : Take([x], where, "GlobalAveragePool", "ReduceMean");
        switch (pool.String(F.NodeOpType))
        {
            case "ReduceMean" or "ReduceMax":
                int rank = input.Count + 1;
                var axes = Attribute(pool, "axes")?.Int64s(F.AttributeInts).Select(a => a < 0 ? a + rank : a).Order().ToArray() ?? [];
                if (!axes.SequenceEqual(Enumerable.Range(2, rank - 2).Select(a => (long)a)) || Attribute(pool, "keepdims")?.Int64(F.AttributeInt) != 0)
                {
                    throw Error($"{Describe(pool)} is not a {(max ? "maximum" : "mean")} over the spatial axes to [batch, channels]; {where} is");
                }

                return Output(pool);
            case "MaxPool":
                var window = Attribute(pool, "kernel_shape")?.Int64s(F.AttributeInts).ToArray() ?? [];
                bool padded = Attribute(pool, "pads")?.Int64s(F.AttributeInts).Any(pad => pad != 0) == true
                    || Attribute(pool, "auto_pad")?.String(F.AttributeString) is { Length: > 0 } and not "NOTSET"
                    || Attribute(pool, "dilations")?.Int64s(F.AttributeInts).Any(dilation => dilation != 1) == true;
                if (padded || !window.SequenceEqual(input.Skip(1).Select(size => (long)size)))
                {
                    throw Error($"{Describe(pool)} has the window [{string.Join(", ", window)}]{(padded ? " padded or dilated" : "")}; {where} takes the maximum of the whole [{string.Join(", ", input.Skip(1))}]");
                }

                break;
        }

        return Flatten(node, Output(pool));
    }

    /// <summary>
    /// Nearest upsampling as a <c>Resize</c> by constant scales <c>[1, 1, …factors]</c> whose rule picks input <c>⌊out / factor⌋</c>:
    /// <c>asymmetric</c> coordinates with <c>floor</c> (PyTorch's export and DeepPhys's), or ONNX's defaults (<c>half_pixel</c>,
    /// <c>round_prefer_floor</c>), which pick the same inputs for whole factors.
    /// </summary>
    private string UpSampling(NodeDefinition node, string x)
    {
        string where = Where(node);
        var resize = Take([x], where, "Resize");
        string Text(string name, string fallback) => Attribute(resize, name)?.String(F.AttributeString) is { Length: > 0 } value ? value : fallback;
        string mode = Text("mode", "nearest"), coordinates = Text("coordinate_transformation_mode", "half_pixel"), rounding = Text("nearest_mode", "round_prefer_floor");
        if (mode != "nearest") throw Error($"{Describe(resize)} interpolates with mode = {mode}; {where} repeats the nearest value");
        if ((coordinates, rounding) is not (("asymmetric", "floor") or ("half_pixel", "round_prefer_floor")))
        {
            throw Error($"{Describe(resize)} maps coordinates by {coordinates} with {rounding}; {where} needs asymmetric with floor (or half_pixel with round_prefer_floor)");
        }

        var inputs = resize.Strings(F.NodeInput).ToList();
        string scales = inputs.ElementAtOrDefault(2) ?? "";
        if (scales.Length == 0) throw Error($"{Describe(resize)} gives output sizes, not scales; {where} needs constant scales");
        var expected = OnnxModel.ResizeScales(definition, node);
        var actual = Values(scales, [expected.Length], where, "scales");
        if (!actual.SequenceEqual(expected)) throw Error($"{Describe(resize)} has scales [{string.Join(", ", actual)}]; {where} needs [{string.Join(", ", expected)}]");
        return Output(resize);
    }

    /// <summary>A flatten to <c>[batch, size]</c>: <c>Flatten(axis = 1)</c> or a <c>Reshape</c> to that shape.</summary>
    private string Flatten(NodeDefinition node, string x)
    {
        var flatten = Take([x], Where(node), "Flatten", "Reshape");
        if (flatten.String(F.NodeOpType) == "Reshape") CheckReshape(flatten, node);
        else if ((Attribute(flatten, "axis")?.Int64(F.AttributeInt) ?? 1) != 1) throw Error($"{Describe(flatten)} does not flatten from axis 1; {Where(node)} keeps the batch axis only");
        return Output(flatten);
    }

    private string Activation(NodeDefinition node, string x)
    {
        if (node.Activation == DeepPhys.Activation.Linear) return x;
        string where = Where(node), op = OnnxModel.OperatorOf(node.Activation);
        // A softmax over a whole image is a Flatten, the Softmax, and a Reshape back.
        bool image = node.Activation == DeepPhys.Activation.Softmax && node.Shape.Count > 1;
        if (image) x = Output(Take([x], where, "Flatten"));
        var applied = Take([x], where, op);
        if (node.Activation == DeepPhys.Activation.LeakyReLU)
        {
            float alpha = Attribute(applied, "alpha")?.Float(F.AttributeFloat) ?? 0.01f;
            if (Math.Abs(alpha - node.NegativeSlope) > 1e-6) throw Error($"{Describe(applied)} has alpha = {alpha}; {where} has the negative slope {node.NegativeSlope}");
        }

        if (node.Activation == DeepPhys.Activation.Softmax && Attribute(applied, "axis")?.Int64(F.AttributeInt) is { } axis && axis is not (-1 or 1))
        {
            throw Error($"{Describe(applied)} normalises axis {axis}; {where} normalises the features (axis -1)");
        }

        if (!image) return Output(applied);
        var reshape = Take([Output(applied)], where, "Reshape");
        CheckReshape(reshape, node);
        return Output(reshape);
    }

    private void CheckWindow(ProtoMessage onnx, NodeDefinition node)
    {
        if (Attribute(onnx, "auto_pad") is { } autoPad && autoPad.String(F.AttributeString) is not ("" or "NOTSET"))
        {
            throw Error($"{Describe(onnx)} pads with auto_pad = {autoPad.String(F.AttributeString)}; {Where(node)} needs explicit pads");
        }

        var zeros = node.Kernel.Select(_ => 0).ToArray();
        Check("kernel_shape", node.Kernel, []);
        Check("strides", node.Strides, [.. node.Kernel.Select(_ => 1)]);
        Check("pads", node.Pads, [.. zeros, .. zeros]);

        void Check(string name, IReadOnlyList<int> expected, int[] fallback)
        {
            var actual = Attribute(onnx, name)?.Int64s(F.AttributeInts).Select(v => (int)v).ToArray() ?? fallback;
            if (!actual.SequenceEqual(expected)) throw Error($"{Describe(onnx)} has {name} [{string.Join(", ", actual)}]; {Where(node)} has [{string.Join(", ", expected)}]");
        }
    }

    /// <summary>A ConvTranspose's output size follows from its pads and <c>output_padding</c>, not from an <c>output_shape</c>.</summary>
    private void CheckOutputPadding(ProtoMessage onnx, NodeDefinition node)
    {
        if (Attribute(onnx, "output_shape") is not null) throw Error($"{Describe(onnx)} sets output_shape; {Where(node)} needs explicit pads and output_padding");
        var expected = OnnxModel.OutputPadding(definition, node);
        var actual = Attribute(onnx, "output_padding")?.Int64s(F.AttributeInts).Select(v => (int)v).ToArray() ?? [.. expected.Select(_ => 0)];
        if (!actual.SequenceEqual(expected)) throw Error($"{Describe(onnx)} has output_padding [{string.Join(", ", actual)}]; {Where(node)} has [{string.Join(", ", expected)}]");
    }

    private void CheckReshape(ProtoMessage reshape, NodeDefinition node)
    {
        string shapeName = reshape.Strings(F.NodeInput).ElementAtOrDefault(1) ?? "";
        if (!constants.TryGetValue(shapeName, out var tensor)) throw Error($"{Describe(reshape)} takes its shape from '{shapeName}', which is not a constant");
        var target = Int64Values(tensor);
        bool matches = target.Length == node.Shape.Count + 1 && target[0] is -1 or 0
            && target.Skip(1).Select((d, k) => d == node.Shape[k] || (d == -1 && node.Shape.Count == 1)).All(ok => ok);
        if (!matches) throw Error($"{Describe(reshape)} reshapes to [{string.Join(", ", target)}]; {Where(node)} needs [batch, {string.Join(", ", node.Shape)}]");
    }

    private static long[] Int64Values(ProtoMessage tensor)
    {
        var raw = tensor.Bytes(F.TensorRawData);
        if (raw is null) return [.. tensor.Int64s(F.TensorInt64Data)];
        var values = new long[raw.Length / 8];
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadInt64LittleEndian(raw.Span[(i * 8)..]);
        return values;
    }

    /// <summary>The first unused node (in graph order) of one of the <paramref name="ops"/> taking exactly the tensors <paramref name="x"/> (besides constants).</summary>
    private ProtoMessage Take(string[] x, string where, params string[] ops) => Take(x, where, string.Join(" or ", ops), ops, commutative: false);

    private ProtoMessage Take(string[] x, string where, string op, bool commutative) => Take(x, where, op, [op], commutative);

    private ProtoMessage Take(string[] x, string where, string expected, string[] ops, bool commutative) =>
        Take(x, where, expected, ops, inputs => inputs.SequenceEqual(x) || (commutative && inputs.Order().SequenceEqual(x.Order())));

    /// <summary>The first unused node of one of the <paramref name="ops"/> reading <c>x[0]</c> whose inputs (constants and omitted ones aside) match.</summary>
    private ProtoMessage Take(string[] x, string where, string expected, string[] ops, Func<string[], bool> sameInputs)
    {
        var candidates = consumers.TryGetValue(x[0], out var list) ? list.Where(k => !used[k]).ToList() : [];
        if (candidates.Count == 0) throw Error($"nothing in the graph takes '{x[0]}' where {where} expects {expected}");
        foreach (int k in candidates)
        {
            var node = nodes[k];
            var inputs = node.Strings(F.NodeInput).Where(name => name.Length > 0 && !constants.ContainsKey(name)).ToArray();
            if (ops.Contains(node.String(F.NodeOpType)) && sameInputs(inputs))
            {
                used[k] = true;
                return node;
            }
        }

        // A Shape reads only the size (for a recurrent cell's initial state): name the node that carries the values on.
        int named = candidates.FirstOrDefault(k => nodes[k].String(F.NodeOpType) != "Shape", candidates[0]);
        throw Error($"{Describe(nodes[named])} is where {where} expects {expected}");
    }

    /// <summary>The first unused Transpose reading <paramref name="x"/> with the permutation <paramref name="perm"/>, if there is one.</summary>
    private ProtoMessage? TakeTranspose(string x, long[] perm)
    {
        if (!consumers.TryGetValue(x, out var list)) return null;
        foreach (int k in list.Where(k => !used[k] && nodes[k].String(F.NodeOpType) == "Transpose"))
        {
            if ((Attribute(nodes[k], "perm")?.Int64s(F.AttributeInts) ?? []).SequenceEqual(perm))
            {
                used[k] = true;
                return nodes[k];
            }
        }

        return null;
    }

    private ProtoMessage? TakeOptional(string x, params string[] ops)
    {
        if (!consumers.TryGetValue(x, out var list)) return null;
        foreach (int k in list.Where(k => !used[k] && ops.Contains(nodes[k].String(F.NodeOpType))))
        {
            used[k] = true;
            return nodes[k];
        }

        return null;
    }

    private static string Output(ProtoMessage node) => node.Strings(F.NodeOutput).First();

    private double[] Values(string name, int[] shape, string where, string what)
    {
        if (!constants.TryGetValue(name, out var tensor)) throw Error($"the {what} of {where} ('{name}') is not an initializer");
        var dims = tensor.Int64s(F.TensorDims).ToArray();
        bool matches = dims.SequenceEqual(shape.Select(d => (long)d)) || (what == "bias" && dims.SequenceEqual([1L, shape[0]]));
        if (!matches) throw Error($"the {what} '{name}' has the shape [{string.Join(", ", dims)}]; {where} needs [{string.Join(", ", shape)}]");
        return Decode(tensor, shape.Aggregate(1, (a, b) => a * b), name, what);
    }

    /// <summary>The <paramref name="count"/> FLOAT or DOUBLE values of a tensor held in the model.</summary>
    private double[] Decode(ProtoMessage tensor, int count, string name, string what)
    {
        if (tensor.Int64(F.TensorDataLocation) != 0) throw Error($"the {what} '{name}' is stored outside the model (external data)");
        long type = tensor.Int64(F.TensorDataType);
        var rawBytes = tensor.Bytes(F.TensorRawData);
        var raw = rawBytes is null ? ReadOnlySpan<byte>.Empty : rawBytes.Span;
        // Allocated only once the file is seen to hold the values, whatever size the tensor claims.
        double[] values;
        if (type == F.DataTypeFloat && raw.Length == (long)count * 4)
        {
            values = new double[count];
            for (int i = 0; i < count; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(i * 4)..]);
        }
        else if (type == F.DataTypeDouble && raw.Length == (long)count * 8)
        {
            values = new double[count];
            for (int i = 0; i < count; i++) values[i] = BinaryPrimitives.ReadDoubleLittleEndian(raw[(i * 8)..]);
        }
        else if (raw.Length == 0 && (type == F.DataTypeFloat ? Packed(tensor.Bytes(F.TensorFloatData), 4) : Packed(tensor.Bytes(F.TensorDoubleData), 8)) is { } packed && packed.Length == count)
        {
            values = packed;
        }
        else
        {
            throw Error($"the {what} '{name}' holds data type {type} with {raw.Length} raw bytes; expected {count} FLOAT (1) or DOUBLE (11) values");
        }

        return values;
    }

    private static double[]? Packed(Google.Protobuf.ByteString? bytes, int size)
    {
        if (bytes is null || bytes.Length % size != 0) return null;
        var span = bytes.Span;
        var values = new double[span.Length / size];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = size == 4 ? BinaryPrimitives.ReadSingleLittleEndian(span[(i * 4)..]) : BinaryPrimitives.ReadDoubleLittleEndian(span[(i * 8)..]);
        }

        return values;
    }

    private static ProtoMessage? Attribute(ProtoMessage node, string name) =>
        node.Messages(F.NodeAttribute).LastOrDefault(a => a.String(F.AttributeName) == name);

    private static string Describe(ProtoMessage node) => $"node '{node.String(F.NodeName)}' ({node.String(F.NodeOpType)})";

    private FormatException Error(string message) => new($"{source}: {message}.");
}
