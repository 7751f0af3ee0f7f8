using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;

namespace DeepPhys.Kernels;

/// <summary>
/// Simple RNN, LSTM and GRU over fixed-length sequences, with PyTorch's equations, gate order and weight
/// layout (<see cref="RecurrentLayer"/>); the initial state is zero. Inputs are <c>[batch, time, features]</c>,
/// outputs the last state <c>[batch, units]</c> or every state <c>[batch, time, units]</c>.
/// </summary>
/// <remarks>
/// <para>
/// The forward pass keeps every step in the workspace (<see cref="RecurrentLayer.WorkspaceSize"/> values per
/// sample). Step <c>t</c> is a block of <c>batch · StepSize</c> values: the gates <c>[batch, gates·units]</c>
/// (after their activations), then for an LSTM the cell states <c>[batch, units]</c> and for a GRU
/// <c>W_hn h₋₁ + b_hn</c> <c>[batch, units]</c>, then the states h <c>[batch, units]</c> (a simple RNN's gate block is h).
/// </para>
/// <para>
/// Backpropagation through time is two calls: <see cref="BackwardParameters{T}"/> walks the steps backwards,
/// writes the parameter gradients and leaves each step's gradient with respect to the input-side
/// pre-activations in place of its gates; <see cref="BackwardInput{T}"/> turns those into the input gradient.
/// Nothing is allocated: the running gradients live at the end of the workspace.
/// </para>
/// <para>
/// Each step's products run for the whole batch at once through the packed GEMM (<c>x_t · W_ihᵀ</c>,
/// <c>h₋₁ · W_hhᵀ</c> forward; <c>gatesᵀ · x_t</c>, <c>gatesᵀ · h₋₁</c>, <c>gates · W_hh</c> and
/// <c>gates · W_ih</c> backward; a single sample's forward products stay one dot product per weight row,
/// cheaper than packing the weights for one row), and the cells' element-wise work is vectorised over the
/// units, so a step costs a few library calls per sample rather than one dot product per sample and gate.
/// </para>
/// </remarks>
public static class RecurrentKernels
{
    /// <summary>Forward pass over the whole sequence.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">Inputs, <c>[batch, time, features]</c>.</param>
    /// <param name="weights"><c>W_ih</c> then <c>W_hh</c>.</param>
    /// <param name="biases"><c>b_ih</c> then <c>b_hh</c>.</param>
    /// <param name="y">Receives the last state <c>[batch, units]</c> or every state <c>[batch, time, units]</c>.</param>
    /// <param name="workspace">Receives what the backward pass needs, <c>batch · WorkspaceSize</c> values.</param>
    /// <param name="batch">Sequences in the batch.</param>
    /// <param name="layer">The cell and sizes.</param>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weights, ReadOnlySpan<T> biases, Span<T> y, Span<T> workspace, int batch, RecurrentLayer layer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertShapes(layer, batch, x.Length, weights.Length, biases.Length, y.Length, workspace.Length);
        int units = layer.Units, width = layer.Gates * units, features = layer.Features;
        var inputWeights = weights[..layer.InputWeightCount];
        var hiddenWeights = weights[layer.InputWeightCount..];
        var inputBias = biases[..width];
        var hiddenBias = biases[width..];
        // A GRU's candidate keeps its hidden part apart: the reset gate scales it before the sum.
        int summed = layer.Cell == RecurrentCell.Gru ? 2 * units : width;
        for (int t = 0; t < layer.Time; t++)
        {
            // Each step's products for the whole batch at once: x_t · W_ihᵀ + b_ih, then h₋₁ · W_hhᵀ + b_hh.
            Span<T> step = Step(workspace, t, batch, layer), gates = step[..(batch * width)];
            Project(x[(t * features)..], layer.Time * features, inputWeights, inputBias, gates, width, batch, features, accumulate: false);
            ReadOnlySpan<T> previous = t > 0 ? States(workspace, t - 1, batch, layer) : default;
            AddRecurrent(previous, hiddenWeights[..(summed * units)], hiddenBias[..summed], gates, width, batch, units, accumulate: true);
            if (layer.Cell == RecurrentCell.Gru)
            {
                AddRecurrent(previous, hiddenWeights[(summed * units)..], hiddenBias[summed..], step.Slice(batch * width, batch * units), units, batch, units, accumulate: false);
            }

            if (layer.Cell == RecurrentCell.SimpleRnn) Activate(gates, layer.Activation);
            for (int b = 0; b < batch && layer.Cell != RecurrentCell.SimpleRnn; b++) CellForward(workspace, t, b, batch, layer);

            var states = States(workspace, t, batch, layer);
            for (int b = 0; b < batch; b++)
            {
                if (layer.ReturnSequences) states.Slice(b * units, units).CopyTo(y.Slice(((b * layer.Time) + t) * units, units));
                else if (t == layer.Time - 1) states.Slice(b * units, units).CopyTo(y.Slice(b * units, units));
            }
        }
    }

    /// <summary>
    /// Backpropagation through time: overwrites the parameter gradients and leaves each step's input-side gate
    /// gradients in the workspace for <see cref="BackwardInput{T}"/>. Needs the workspace of the forward pass.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward pass's inputs, <c>[batch, time, features]</c>.</param>
    /// <param name="weights"><c>W_ih</c> then <c>W_hh</c>.</param>
    /// <param name="dy">Loss gradient with respect to the outputs, shaped as <c>y</c>.</param>
    /// <param name="workspace">The forward pass's workspace; its step blocks are overwritten.</param>
    /// <param name="dWeights">Receives the gradients of <c>W_ih</c> then <c>W_hh</c>.</param>
    /// <param name="dBiases">Receives the gradients of <c>b_ih</c> then <c>b_hh</c>.</param>
    /// <param name="batch">Sequences in the batch.</param>
    /// <param name="layer">The cell and sizes.</param>
    public static void BackwardParameters<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> weights, ReadOnlySpan<T> dy, Span<T> workspace, Span<T> dWeights, Span<T> dBiases, int batch, RecurrentLayer layer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertShapes(layer, batch, x.Length, weights.Length, dBiases.Length, dy.Length, workspace.Length);
        Debug.Assert(dWeights.Length == layer.WeightCount, "dWeights must be W_ih then W_hh.");
        int units = layer.Units, width = layer.Gates * units, features = layer.Features;
        var hiddenWeights = weights[layer.InputWeightCount..];
        var dInputWeights = dWeights[..layer.InputWeightCount];
        var dHiddenWeights = dWeights[layer.InputWeightCount..];
        var dInputBias = dBiases[..width];
        var dHiddenBias = dBiases[width..];
        var running = workspace.Slice(layer.Time * layer.StepSize * batch, (2 + layer.Gates) * units * batch);
        var dh = running[..(batch * units)];
        dWeights.Clear();
        dBiases.Clear();
        running.Clear();
        for (int t = layer.Time - 1; t >= 0; t--)
        {
            var gates = Step(workspace, t, batch, layer)[..(batch * width)];
            for (int b = 0; b < batch; b++)
            {
                var dState = dh.Slice(b * units, units);
                if (layer.ReturnSequences) TensorPrimitives.Add(dState, dy.Slice(((b * layer.Time) + t) * units, units), dState);
                else if (t == layer.Time - 1) TensorPrimitives.Add(dState, dy.Slice(b * units, units), dState);
                CellBackward(workspace, t, b, batch, layer);
            }

            // The step's gate gradients for the whole batch: dW_ih += gatesᵀ · x_t, and through W_hh, dW_hh += gatesᵀ · h₋₁
            // and dh₋₁ += gates · W_hh.
            var hiddenGates = layer.Cell == RecurrentCell.Gru ? running.Slice(2 * batch * units, batch * width) : gates;
            for (int b = 0; b < batch; b++)
            {
                TensorPrimitives.Add(dInputBias, gates.Slice(b * width, width), dInputBias);
                TensorPrimitives.Add(dHiddenBias, hiddenGates.Slice(b * width, width), dHiddenBias);
            }

            Gemm.Multiply<T>(gates, Strides.Transposed(width), x[(t * features)..], new Strides(layer.Time * features, 1), dInputWeights, features, width, features, batch, accumulate: true);

            // The first step's previous state is zero: it adds nothing to W_hh's gradient and needs no gradient.
            if (t == 0) continue;
            var previous = States(workspace, t - 1, batch, layer);
            Gemm.Multiply<T>(hiddenGates, Strides.Transposed(width), previous, Strides.RowMajor(units), dHiddenWeights, units, width, units, batch, accumulate: true);
            Gemm.Multiply<T>(hiddenGates, Strides.RowMajor(width), hiddenWeights, Strides.RowMajor(units), dh, units, batch, units, width, accumulate: true);
        }
    }

    /// <summary>Adds the input gradient to <paramref name="dx"/>: <c>dx_t += gates_t · W_ih</c> from the gate gradients <see cref="BackwardParameters{T}"/> left.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="workspace">The workspace after <see cref="BackwardParameters{T}"/>.</param>
    /// <param name="weights"><c>W_ih</c> then <c>W_hh</c>.</param>
    /// <param name="dx">Loss gradient with respect to the inputs, <c>[batch, time, features]</c>, added to.</param>
    /// <param name="batch">Sequences in the batch.</param>
    /// <param name="layer">The cell and sizes.</param>
    public static void BackwardInput<T>(ReadOnlySpan<T> workspace, ReadOnlySpan<T> weights, Span<T> dx, int batch, RecurrentLayer layer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Debug.Assert(dx.Length == batch * layer.InputSize && workspace.Length == batch * layer.WorkspaceSize, "dx must be [batch, time, features].");
        int width = layer.Gates * layer.Units, features = layer.Features;
        for (int t = 0; t < layer.Time; t++)
        {
            var gates = workspace.Slice(t * layer.StepSize * batch, batch * width);
            Gemm.Multiply(gates, Strides.RowMajor(width), weights[..layer.InputWeightCount], Strides.RowMajor(features), dx[(t * features)..], layer.Time * features, batch, features, width, accumulate: true);
        }
    }

    /// <summary>The most units whose tanh(c) <see cref="CellBackward{T}"/> keeps on the stack.</summary>
    private const int MaxStackUnits = 1024;

    private static Span<T> Step<T>(Span<T> workspace, int t, int batch, RecurrentLayer layer) =>
        workspace.Slice(t * layer.StepSize * batch, layer.StepSize * batch);

    /// <summary>The states h of step <paramref name="t"/>, <c>[batch, units]</c>: the last block of the step.</summary>
    private static Span<T> States<T>(Span<T> workspace, int t, int batch, RecurrentLayer layer) =>
        workspace.Slice(((t + 1) * layer.StepSize * batch) - (layer.Units * batch), layer.Units * batch);

    /// <summary>
    /// <c>gates[:, :n] (+)= previous · W_hhᵀ + bias</c> for the <c>n</c> rows of <c>W_hh</c> given, <c>[batch, n]</c> rows
    /// <paramref name="rowLength"/> apart; at the first step, where there is no previous state, the bias alone.
    /// </summary>
    private static void AddRecurrent<T>(ReadOnlySpan<T> previous, ReadOnlySpan<T> hiddenWeights, ReadOnlySpan<T> bias, Span<T> gates, int rowLength, int batch, int units, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!previous.IsEmpty)
        {
            Project(previous, units, hiddenWeights, bias, gates, rowLength, batch, units, accumulate);
            return;
        }

        for (int b = 0; b < batch; b++)
        {
            var row = gates.Slice(b * rowLength, bias.Length);
            if (accumulate) TensorPrimitives.Add(row, bias, row);
            else bias.CopyTo(row);
        }
    }

    /// <summary>
    /// <c>output[:, :n] (+)= input · Wᵀ + bias</c> for the <c>n = bias.Length</c> rows of <paramref name="weights"/>
    /// (<c>[n, depth]</c>), input rows <paramref name="inputRowStride"/> apart and output rows <paramref name="outputRowLength"/>
    /// apart: through the packed GEMM for a batch, as one dot product per weight row for a single sample, whose one
    /// row costs less than packing the weights (one-sample inference).
    /// </summary>
    private static void Project<T>(
        ReadOnlySpan<T> input, int inputRowStride, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> output, int outputRowLength, int batch, int depth, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (batch > 1)
        {
            Gemm.Multiply(input, new Strides(inputRowStride, 1), weights, Strides.Transposed(depth), output, outputRowLength, batch, bias.Length, depth, accumulate, bias);
            return;
        }

        var row = input[..depth];
        for (int j = 0; j < bias.Length; j++)
        {
            // The GEMM's order: the product (added to what is there), then the bias.
            T product = TensorPrimitives.Dot(weights.Slice(j * depth, depth), row);
            output[j] = (accumulate ? output[j] + product : product) + bias[j];
        }
    }

    private static void Activate<T>(Span<T> values, Activation activation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (activation)
        {
            case Activation.Tanh: TensorPrimitives.Tanh(values, values); break;
            case Activation.Sigmoid: TensorPrimitives.Sigmoid(values, values); break;
            case Activation.ReLU: TensorPrimitives.Max(values, T.Zero, values); break;
        }
    }

    /// <summary>The activation's derivative from its output: tanh <c>1 − h²</c>, sigmoid <c>h(1 − h)</c>, ReLU <c>h &gt; 0</c>, linear 1.</summary>
    private static T Derivative<T>(Activation activation, T h)
        where T : unmanaged, IFloatingPointIeee754<T> => activation switch
        {
            Activation.Tanh => T.One - (h * h),
            Activation.Sigmoid => h * (T.One - h),
            Activation.ReLU => h > T.Zero ? T.One : T.Zero,
            _ => T.One,
        };

    /// <summary>An LSTM's or GRU's step for sample <paramref name="b"/> once its gate pre-activations are in place.</summary>
    private static void CellForward<T>(Span<T> workspace, int t, int b, int batch, RecurrentLayer layer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int units = layer.Units, width = layer.Gates * units;
        var step = Step(workspace, t, batch, layer);
        var gate = step.Slice(b * width, width);
        var middle = step.Slice((batch * width) + (b * units), units);
        var h = States(workspace, t, batch, layer).Slice(b * units, units);
        ReadOnlySpan<T> previous = t > 0 ? Step(workspace, t - 1, batch, layer).Slice((batch * width) + (b * units), units) : default;
        if (layer.Cell == RecurrentCell.Lstm)
        {
            // i, f, o are sigmoids, g a tanh; c = f ⊙ c₋₁ + i ⊙ g, h = o ⊙ tanh(c).
            TensorPrimitives.Sigmoid(gate[..(2 * units)], gate[..(2 * units)]);
            TensorPrimitives.Tanh(gate.Slice(2 * units, units), gate.Slice(2 * units, units));
            TensorPrimitives.Sigmoid(gate.Slice(3 * units, units), gate.Slice(3 * units, units));
            // Vectorised over the units, not one scalar tanh per unit (docs/performance.md, "Recurrent layers").
            TensorPrimitives.Multiply(gate[..units], gate.Slice(2 * units, units), middle);
            if (!previous.IsEmpty) TensorPrimitives.MultiplyAdd(gate.Slice(units, units), previous, middle, middle);
            TensorPrimitives.Tanh(middle, h);
            TensorPrimitives.Multiply(h, gate.Slice(3 * units, units), h);
            return;
        }

        // GRU: r, z sigmoids; n = tanh(W_in x + b_in + r ⊙ (W_hn h₋₁ + b_hn)); h = (1 − z) ⊙ n + z ⊙ h₋₁.
        ReadOnlySpan<T> previousState = t > 0 ? States(workspace, t - 1, batch, layer).Slice(b * units, units) : default;
        TensorPrimitives.Sigmoid(gate[..(2 * units)], gate[..(2 * units)]);
        Span<T> r = gate[..units], z = gate.Slice(units, units), n = gate.Slice(2 * units, units);
        TensorPrimitives.MultiplyAdd(r, middle, n, n);
        TensorPrimitives.Tanh(n, n);
        TensorPrimitives.Subtract(T.One, z, h);
        TensorPrimitives.Multiply(h, n, h);
        if (!previousState.IsEmpty) TensorPrimitives.MultiplyAdd(z, previousState, h, h);
    }

    /// <summary>
    /// One step of sample <paramref name="b"/> backwards: from the running gradient of h (and c), the gate
    /// pre-activation gradients replace the gates; a GRU's hidden-side ones (the candidate's scaled by r) go to
    /// its scratch block. The running gradients keep only what does not go through <c>W_hh</c>.
    /// </summary>
    private static void CellBackward<T>(Span<T> workspace, int t, int b, int batch, RecurrentLayer layer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int units = layer.Units, width = layer.Gates * units;
        var step = Step(workspace, t, batch, layer);
        var gate = step.Slice(b * width, width);
        var running = workspace[(layer.Time * layer.StepSize * batch)..];
        var dh = running.Slice(b * units, units);
        switch (layer.Cell)
        {
            case RecurrentCell.SimpleRnn:
                for (int u = 0; u < units; u++) gate[u] = dh[u] * Derivative(layer.Activation, gate[u]);
                dh.Clear();
                break;
            case RecurrentCell.Lstm:
            {
                var dc = running.Slice((batch * units) + (b * units), units);
                var c = step.Slice((batch * width) + (b * units), units);
                ReadOnlySpan<T> previous = t > 0 ? Step(workspace, t - 1, batch, layer).Slice((batch * width) + (b * units), units) : default;
                // tanh(c) again, vectorised on the stack rather than one scalar tanh per unit; wider layers, rare,
                // take it value by value rather than allocate.
                Span<T> tanhCs = units <= MaxStackUnits ? stackalloc T[units] : default;
                if (!tanhCs.IsEmpty) TensorPrimitives.Tanh(c, tanhCs);
                for (int u = 0; u < units; u++)
                {
                    T i = gate[u], f = gate[units + u], g = gate[(2 * units) + u], o = gate[(3 * units) + u];
                    T tanhC = tanhCs.IsEmpty ? T.Tanh(c[u]) : tanhCs[u];
                    T dCell = dc[u] + (dh[u] * o * (T.One - (tanhC * tanhC)));
                    T df = previous.IsEmpty ? T.Zero : dCell * previous[u];
                    gate[u] = dCell * g * i * (T.One - i);
                    gate[units + u] = df * f * (T.One - f);
                    gate[(2 * units) + u] = dCell * i * (T.One - (g * g));
                    gate[(3 * units) + u] = dh[u] * tanhC * o * (T.One - o);
                    dc[u] = dCell * f;
                }

                dh.Clear();
                break;
            }

            default:
            {
                var hidden = step.Slice((batch * width) + (b * units), units);
                var hiddenGate = running.Slice((2 * batch * units) + (b * width), width);
                ReadOnlySpan<T> previous = t > 0 ? States(workspace, t - 1, batch, layer).Slice(b * units, units) : default;
                for (int u = 0; u < units; u++)
                {
                    T r = gate[u], z = gate[units + u], n = gate[(2 * units) + u];
                    T dn = dh[u] * (T.One - z) * (T.One - (n * n));
                    T dz = dh[u] * ((previous.IsEmpty ? T.Zero : previous[u]) - n) * z * (T.One - z);
                    T dr = dn * hidden[u] * r * (T.One - r);
                    gate[u] = hiddenGate[u] = dr;
                    gate[units + u] = hiddenGate[units + u] = dz;
                    gate[(2 * units) + u] = dn;
                    hiddenGate[(2 * units) + u] = dn * r;
                    dh[u] *= z;
                }

                break;
            }
        }
    }

    [Conditional("DEBUG")]
    private static void AssertShapes(RecurrentLayer layer, int batch, int xLength, int weightsLength, int biasLength, int yLength, int workspaceLength)
    {
        Debug.Assert(layer.Time >= 1 && layer.Features >= 1 && layer.Units >= 1 && batch >= 0, "Sizes must be positive.");
        Debug.Assert(layer.Activation is Activation.Tanh or Activation.Sigmoid or Activation.ReLU or Activation.Linear, "A simple RNN's activation is tanh, sigmoid, ReLU or linear.");
        Debug.Assert(xLength == batch * layer.InputSize, "x must be [batch, time, features].");
        Debug.Assert(weightsLength == layer.WeightCount, "weights must be W_ih then W_hh.");
        Debug.Assert(biasLength == layer.BiasCount, "biases must be b_ih then b_hh.");
        Debug.Assert(yLength == batch * layer.OutputSize, "y must be [batch, units] or [batch, time, units].");
        Debug.Assert(workspaceLength == batch * layer.WorkspaceSize, "workspace must be batch · WorkspaceSize.");
    }

    /// <summary>
    /// Textbook loops, one sample and one step at a time, with the states kept in arrays: the reference the
    /// kernels are tested against. Backward computes every gradient (parameters and inputs) in one call.
    /// </summary>
    internal static class Scalar
    {
        internal static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weights, ReadOnlySpan<T> biases, Span<T> y, int batch, RecurrentLayer layer)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int b = 0; b < batch; b++)
            {
                var steps = Run(x, weights, biases, b, layer);
                for (int t = 0; t < layer.Time; t++)
                {
                    for (int u = 0; u < layer.Units; u++)
                    {
                        if (layer.ReturnSequences) y[(((b * layer.Time) + t) * layer.Units) + u] = steps[t].H[u];
                        else if (t == layer.Time - 1) y[(b * layer.Units) + u] = steps[t].H[u];
                    }
                }
            }
        }

        internal static void Backward<T>(
            ReadOnlySpan<T> x, ReadOnlySpan<T> weights, ReadOnlySpan<T> biases, ReadOnlySpan<T> dy, Span<T> dWeights, Span<T> dBiases, Span<T> dx, int batch, RecurrentLayer layer)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            int units = layer.Units, width = layer.Gates * units, features = layer.Features;
            dWeights.Clear();
            dBiases.Clear();
            dx.Clear();
            for (int b = 0; b < batch; b++)
            {
                var steps = Run(x, weights, biases, b, layer);
                var dh = new T[units];
                var dc = new T[units];
                for (int t = layer.Time - 1; t >= 0; t--)
                {
                    var s = steps[t];
                    for (int u = 0; u < units; u++)
                    {
                        if (layer.ReturnSequences) dh[u] += dy[(((b * layer.Time) + t) * units) + u];
                        else if (t == layer.Time - 1) dh[u] += dy[(b * units) + u];
                    }

                    // Gradients of the input-side (da) and hidden-side (dah) pre-activations.
                    var da = new T[width];
                    var dah = new T[width];
                    var dPrevious = new T[units];
                    for (int u = 0; u < units; u++)
                    {
                        switch (layer.Cell)
                        {
                            case RecurrentCell.SimpleRnn:
                                da[u] = dah[u] = dh[u] * Derivative(layer.Activation, s.H[u]);
                                break;
                            case RecurrentCell.Lstm:
                                T i = s.Gates[u], f = s.Gates[units + u], g = s.Gates[(2 * units) + u], o = s.Gates[(3 * units) + u];
                                T tanhC = T.Tanh(s.C[u]);
                                T dCell = dc[u] + (dh[u] * o * (T.One - (tanhC * tanhC)));
                                da[u] = dCell * g * i * (T.One - i);
                                da[units + u] = dCell * s.PreviousC[u] * f * (T.One - f);
                                da[(2 * units) + u] = dCell * i * (T.One - (g * g));
                                da[(3 * units) + u] = dh[u] * tanhC * o * (T.One - o);
                                for (int k = 0; k < 4; k++) dah[(k * units) + u] = da[(k * units) + u];
                                dc[u] = dCell * f;
                                break;
                            default:
                                T r = s.Gates[u], z = s.Gates[units + u], n = s.Gates[(2 * units) + u];
                                T dn = dh[u] * (T.One - z) * (T.One - (n * n));
                                da[u] = dah[u] = dn * s.HiddenN[u] * r * (T.One - r);
                                da[units + u] = dah[units + u] = dh[u] * (s.PreviousH[u] - n) * z * (T.One - z);
                                da[(2 * units) + u] = dn;
                                dah[(2 * units) + u] = dn * r;
                                dPrevious[u] = dh[u] * z;
                                break;
                        }
                    }

                    for (int j = 0; j < width; j++)
                    {
                        dBiases[j] += da[j];
                        dBiases[width + j] += dah[j];
                        for (int k = 0; k < features; k++)
                        {
                            int at = (((b * layer.Time) + t) * features) + k;
                            dWeights[(j * features) + k] += da[j] * x[at];
                            dx[at] += da[j] * weights[(j * features) + k];
                        }

                        for (int k = 0; k < units; k++)
                        {
                            dWeights[layer.InputWeightCount + (j * units) + k] += dah[j] * s.PreviousH[k];
                            dPrevious[k] += dah[j] * weights[layer.InputWeightCount + (j * units) + k];
                        }
                    }

                    dh = dPrevious;
                }
            }
        }

        /// <summary>One step's values: the activated gates, a GRU's <c>W_hn h₋₁ + b_hn</c>, the cell state, the state, and the previous ones.</summary>
        private sealed record StepValues<T>(T[] Gates, T[] HiddenN, T[] C, T[] H, T[] PreviousC, T[] PreviousH);

        private static List<StepValues<T>> Run<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weights, ReadOnlySpan<T> biases, int b, RecurrentLayer layer)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            int units = layer.Units, width = layer.Gates * units, features = layer.Features;
            var h = new T[units];
            var c = new T[units];
            var steps = new List<StepValues<T>>();
            for (int t = 0; t < layer.Time; t++)
            {
                var input = new T[width];
                var hidden = new T[width];
                for (int j = 0; j < width; j++)
                {
                    input[j] = biases[j];
                    hidden[j] = biases[width + j];
                    for (int k = 0; k < features; k++) input[j] += weights[(j * features) + k] * x[(((b * layer.Time) + t) * features) + k];
                    for (int k = 0; k < units; k++) hidden[j] += weights[layer.InputWeightCount + (j * units) + k] * h[k];
                }

                var gates = new T[width];
                var hiddenN = new T[units];
                var nextC = new T[units];
                var nextH = new T[units];
                for (int u = 0; u < units; u++)
                {
                    switch (layer.Cell)
                    {
                        case RecurrentCell.SimpleRnn:
                            T a = input[u] + hidden[u];
                            nextH[u] = gates[u] = layer.Activation switch
                            {
                                Activation.Tanh => T.Tanh(a),
                                Activation.Sigmoid => Sigmoid(a),
                                Activation.ReLU => T.Max(a, T.Zero),
                                _ => a,
                            };
                            break;
                        case RecurrentCell.Lstm:
                            for (int k = 0; k < 4; k++)
                            {
                                T sum = input[(k * units) + u] + hidden[(k * units) + u];
                                gates[(k * units) + u] = k == 2 ? T.Tanh(sum) : Sigmoid(sum);
                            }

                            nextC[u] = (gates[units + u] * c[u]) + (gates[u] * gates[(2 * units) + u]);
                            nextH[u] = gates[(3 * units) + u] * T.Tanh(nextC[u]);
                            break;
                        default:
                            T r = Sigmoid(input[u] + hidden[u]), z = Sigmoid(input[units + u] + hidden[units + u]);
                            hiddenN[u] = hidden[(2 * units) + u];
                            T n = T.Tanh(input[(2 * units) + u] + (r * hiddenN[u]));
                            (gates[u], gates[units + u], gates[(2 * units) + u]) = (r, z, n);
                            nextH[u] = ((T.One - z) * n) + (z * h[u]);
                            break;
                    }
                }

                steps.Add(new StepValues<T>(gates, hiddenN, nextC, nextH, c, h));
                (c, h) = (nextC, nextH);
            }

            return steps;
        }

        private static T Sigmoid<T>(T value)
            where T : unmanaged, IFloatingPointIeee754<T> => T.One / (T.One + T.Exp(-value));
    }
}
