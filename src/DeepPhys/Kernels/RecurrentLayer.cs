namespace DeepPhys.Kernels;

/// <summary>The recurrent cells, with PyTorch's equations and gate order.</summary>
public enum RecurrentCell
{
    /// <summary><c>h = φ(W_ih x + b_ih + W_hh h₋₁ + b_hh)</c>, one gate.</summary>
    SimpleRnn = 0,

    /// <summary>Long short-term memory: gates i, f, g, o (input, forget, cell, output).</summary>
    Lstm = 1,

    /// <summary>Gated recurrent unit: gates r, z, n, the reset gate applied to <c>W_hn h₋₁ + b_hn</c> (Keras's <c>reset_after=True</c>).</summary>
    Gru = 2,
}

/// <summary>
/// A recurrent layer over fixed-length sequences <c>[batch, time, features]</c> (batch first), as the
/// generator passes it to <see cref="RecurrentKernels"/>: the cell, the sizes, whether it returns the whole
/// sequence <c>[batch, time, units]</c> or the last state <c>[batch, units]</c>, and a simple RNN's activation.
/// </summary>
/// <remarks>
/// Parameters, PyTorch's layout so its state dicts map one to one: the weights are <c>W_ih [gates·units, features]</c>
/// then <c>W_hh [gates·units, units]</c>, row-major (PyTorch's <c>weight_ih_l0</c>, <c>weight_hh_l0</c>), the biases
/// <c>b_ih [gates·units]</c> then <c>b_hh [gates·units]</c> (<c>bias_ih_l0</c>, <c>bias_hh_l0</c>); the gate blocks
/// follow each other in PyTorch's order.
/// </remarks>
/// <param name="Cell">The cell.</param>
/// <param name="Time">Steps per sequence.</param>
/// <param name="Features">Inputs per step.</param>
/// <param name="Units">The state size.</param>
/// <param name="ReturnSequences">Whether the output is every step's state rather than the last one.</param>
/// <param name="Activation">A simple RNN's activation (tanh, ReLU, sigmoid or linear); ignored by the gated cells.</param>
public readonly record struct RecurrentLayer(RecurrentCell Cell, int Time, int Features, int Units, bool ReturnSequences, Activation Activation = Activation.Tanh)
{
    /// <summary>Gate blocks of <see cref="Units"/> rows in each weight matrix: 1, 4 (LSTM) or 3 (GRU).</summary>
    public int Gates => Cell switch { RecurrentCell.Lstm => 4, RecurrentCell.Gru => 3, _ => 1 };

    /// <summary>Values a sample keeps per step for the backward pass: the gates, then the cell state (LSTM) or <c>W_hn h₋₁ + b_hn</c> (GRU), then the state h.</summary>
    public int StepSize => Cell switch { RecurrentCell.Lstm => 6 * Units, RecurrentCell.Gru => 5 * Units, _ => Units };

    /// <summary>
    /// Workspace values per sample: <see cref="Time"/> steps of <see cref="StepSize"/>, then the backward pass's
    /// running gradients of h and c and the GRU's hidden-side gate gradients.
    /// </summary>
    public int WorkspaceSize => (Time * StepSize) + ((2 + Gates) * Units);

    /// <summary>Outputs per sample: <c>time · units</c> with <see cref="ReturnSequences"/>, else <c>units</c>.</summary>
    public int OutputSize => ReturnSequences ? Time * Units : Units;

    /// <summary>Values per input sample: <c>time · features</c>.</summary>
    public int InputSize => Time * Features;

    /// <summary>Length of <c>W_ih</c>; <c>W_hh</c> follows it.</summary>
    public int InputWeightCount => Gates * Units * Features;

    /// <summary>Length of <c>W_ih</c> and <c>W_hh</c> together.</summary>
    public int WeightCount => Gates * Units * (Features + Units);

    /// <summary>Length of <c>b_ih</c> and <c>b_hh</c> together.</summary>
    public int BiasCount => 2 * Gates * Units;
}
