using System.Linq;

namespace DeepPhys.Generators.Model
{
    /// <summary>Every operation a network node can be; each has a row in the op table.</summary>
    internal enum OpKind
    {
        Input,
        Dense,
        Activation,
        Add,
        Subtract,
        Multiply,
        Concatenate,
        Flatten,
        Reshape,
        Conv2D,
        MaxPool2D,
        AvgPool2D,
        GlobalAvgPool2D,
        Dropout,
        BatchNorm,
        SimpleRnn,
        Lstm,
        Gru,
        Conv1D,
        MaxPool1D,
        AvgPool1D,
        GlobalAvgPool1D,
        Transpose,
    }

    /// <summary>
    /// One node of the network graph. Every op may carry a post-activation (<c>dense(x, 16) -> relu</c>);
    /// a standalone <c>relu(x)</c> is an <see cref="OpKind.Activation"/> node, the identity followed by it.
    /// </summary>
    /// <param name="Name">The node's name (<c>dense</c>, <c>dense_1</c>, … for attributes, the DSL's names otherwise).</param>
    /// <param name="Op">The operation.</param>
    /// <param name="Inputs">Indices of the input nodes in <see cref="GraphSpec.Nodes"/>, all smaller than this node's.</param>
    /// <param name="Shape">The output shape per sample: <c>[features]</c>, <c>[channels, length]</c>, <c>[time, features]</c> or <c>[channels, height, width]</c>.</param>
    /// <param name="Units">Dense units, conv1d and conv2d filters, a recurrent layer's state size; 0 for other ops.</param>
    /// <param name="FanIn">Inputs per unit: a dense layer's features, a conv1d's channels × kernel, a conv2d's channels × kernel², a recurrent layer's features per step; 0 for other ops.</param>
    /// <param name="Activation">The activation applied after the op.</param>
    /// <param name="NegativeSlope">The LeakyReLU slope; only meaningful for <see cref="ActivationKind.LeakyReLU"/>.</param>
    /// <param name="Rate">A dropout's rate, in [0, 1).</param>
    /// <param name="Momentum">A batch norm's momentum of the running averages (Keras's: 0.99).</param>
    /// <param name="Epsilon">A batch norm's epsilon (Keras's: 1e-3).</param>
    /// <param name="Arguments">
    /// Further integer arguments: the target shape of a reshape; filters, kernel, stride, padding (−1: Keras's 'same')
    /// and optionally 0 for no bias of a conv1d or conv2d; window, stride of a pool; a recurrent layer's return-sequences flag (1: every step)
    /// and a simple RNN's activation (then, once the shapes are known, the steps).
    /// </param>
    internal sealed record NodeSpec(
        string Name,
        OpKind Op,
        EquatableArray<int> Inputs,
        EquatableArray<int> Shape,
        int Units,
        int FanIn,
        ActivationKind Activation,
        double NegativeSlope,
        EquatableArray<int> Arguments,
        double Rate = 0,
        double Momentum = 0.99,
        double Epsilon = 0.001)
    {
        /// <summary>Values per sample.</summary>
        public int Size => Shape.Aggregate(1, (product, dimension) => product * dimension);

        /// <summary>A recurrent layer's gate blocks: 1 (simple RNN), 4 (LSTM: i, f, g, o), 3 (GRU: r, z, n); 0 for other ops.</summary>
        public int Gates => GatesOf(Op);

        /// <summary>The gate blocks of a recurrent op, 0 for the others.</summary>
        public static int GatesOf(OpKind op) => op switch { OpKind.SimpleRnn => 1, OpKind.Lstm => 4, OpKind.Gru => 3, _ => 0 };

        public bool IsRecurrent => Gates > 0;

        /// <summary>The weights: <c>FanIn · Units</c>, or a recurrent layer's <c>W_ih [gates·units, features]</c> and <c>W_hh [gates·units, units]</c>.</summary>
        public int WeightCount => IsRecurrent ? Gates * Units * (FanIn + Units) : FanIn * Units;

        /// <summary>The bias: one per unit, or a recurrent layer's <c>b_ih</c> and <c>b_hh</c> (PyTorch's two biases), <c>2 · gates · units</c>.</summary>
        public int BiasCount => IsRecurrent ? 2 * Gates * Units : Units;

        /// <summary>Whether a recurrent layer outputs every step <c>[time, units]</c> rather than the last state.</summary>
        public bool ReturnsSequences => IsRecurrent && Arguments.Count > 0 && Arguments[0] == 1;

        /// <summary>A simple RNN's activation (tanh unless set).</summary>
        public ActivationKind CellActivation => Arguments.Count > 1 ? (ActivationKind)Arguments[1] : ActivationKind.Tanh;

        /// <summary>Whether the op owns weights (and usually a bias) in the parameter buffer; a batch norm's are γ and β.</summary>
        public bool HasWeights => Op is OpKind.Dense or OpKind.Conv2D or OpKind.Conv1D or OpKind.BatchNorm || IsRecurrent;

        /// <summary>Whether a layer with weights has a bias: all but a convolution declared without one.</summary>
        public bool HasBias => HasWeights && !(Op is OpKind.Conv2D or OpKind.Conv1D && Arguments.Count > 4 && Arguments[4] == 0);

        public int ParameterCount => (HasWeights ? WeightCount : 0) + (HasBias ? BiasCount : 0);

        /// <summary>Glorot's fan-out: the units, times the kernel's size for a convolution (Keras's receptive field).</summary>
        public int FanOut => Op switch
        {
            OpKind.Conv2D => Units * Arguments[1] * Arguments[1],
            OpKind.Conv1D => Units * Arguments[1],
            _ => Units,
        };

        /// <summary>
        /// Forward floating-point operations per sample (docs/architecture.md): a multiply-add counts two, a bias
        /// add, a merge and a non-linear activation one per value; moving values (input, flatten, reshape,
        /// concatenate, transpose, a linear activation) none.
        /// </summary>
        public long FlopsPerSample => Op switch
        {
            OpKind.Input or OpKind.Flatten or OpKind.Reshape or OpKind.Concatenate or OpKind.Transpose => ActivationFlops,
            OpKind.Dense => (2L * FanIn * Units) + Units + ActivationFlops,
            OpKind.Conv2D or OpKind.Conv1D => (((2L * FanIn) + 1) * Size) + ActivationFlops,
            OpKind.SimpleRnn or OpKind.Lstm or OpKind.Gru => (RecurrentStepFlops * Time) + ActivationFlops,
            OpKind.Activation => ActivationFlops,
            _ => Size + ActivationFlops,
        };

        private long ActivationFlops => Activation == ActivationKind.Linear ? 0 : Size;

        /// <summary>A recurrent layer's steps: its third argument, filled in from the input shape by <c>OpTable.Complete</c>.</summary>
        public int Time => Arguments.Count > 2 ? Arguments[2] : 1;

        /// <summary>
        /// One recurrent step: the two matrix products <c>2 · gates·units · (features + units)</c>, the two bias adds and one
        /// non-linearity per gate value, plus the cell's own element-wise work per unit: none for a simple RNN (its
        /// activation is the gate's), 5 for an LSTM (<c>c = f·c₋₁ + i·g</c>, <c>tanh c</c>, <c>o·tanh c</c>) and for a GRU
        /// (<c>r·(W_hn h + b_hn)</c>, its add, <c>h = n + z·(h₋₁ − n)</c>). A linear simple RNN still counts its gate values.
        /// </summary>
        private long RecurrentStepFlops => (2L * Gates * Units * (FanIn + Units)) + (3L * Gates * Units) + (Op == OpKind.SimpleRnn ? 0 : 5L * Units);
    }

    /// <summary>A trained output: a node, its loss and the loss's weight in the total.</summary>
    internal sealed record OutputSpec(int Node, LossKind Loss, double Weight);

    /// <summary>
    /// The network as a graph, in topological order with only live nodes (each one reaches a loss);
    /// both front ends lower into it: the attribute stack as a chain, the DSL as a DAG.
    /// </summary>
    internal sealed record GraphSpec(EquatableArray<NodeSpec> Nodes, EquatableArray<OutputSpec> Outputs)
    {
        public int ParameterCount => Nodes.Sum(node => node.ParameterCount);

        public long FlopsPerSample => Nodes.Sum(node => node.FlopsPerSample);
    }
}
