using System.Linq;

namespace DeepPhys.Generators.Model
{
    /// <summary>Every operation a network node can be. The code generator emits the first group; the rest parse and are shape-checked but are DPH0305.</summary>
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
        Rnn,
        Conv1D,
        MaxPool1D,
        AvgPool1D,
        GlobalAvgPool1D,
    }

    /// <summary>
    /// One node of the network graph. Every op may carry a post-activation (<c>dense(x, 16) -> relu</c>);
    /// a standalone <c>relu(x)</c> is an <see cref="OpKind.Activation"/> node, the identity followed by it.
    /// </summary>
    /// <param name="Name">The node's name (<c>dense</c>, <c>dense_1</c>, … for attributes, the DSL's names otherwise).</param>
    /// <param name="Op">The operation.</param>
    /// <param name="Inputs">Indices of the input nodes in <see cref="GraphSpec.Nodes"/>, all smaller than this node's.</param>
    /// <param name="Shape">The output shape per sample: <c>[features]</c>, <c>[channels, length]</c> or <c>[channels, height, width]</c>.</param>
    /// <param name="Units">Dense units, conv1d and conv2d filters; 0 for other ops.</param>
    /// <param name="FanIn">Inputs per unit: a dense layer's features, a conv1d's channels × kernel, a conv2d's channels × kernel²; 0 for other ops.</param>
    /// <param name="Activation">The activation applied after the op.</param>
    /// <param name="NegativeSlope">The LeakyReLU slope; only meaningful for <see cref="ActivationKind.LeakyReLU"/>.</param>
    /// <param name="Rate">A dropout's rate, in [0, 1).</param>
    /// <param name="Momentum">A batch norm's momentum of the running averages (Keras's: 0.99).</param>
    /// <param name="Epsilon">A batch norm's epsilon (Keras's: 1e-3).</param>
    /// <param name="Arguments">
    /// Further integer arguments: the target shape of a reshape; filters, kernel, stride, padding (−1: Keras's 'same')
    /// and optionally 0 for no bias of a conv1d or conv2d; window, stride of a pool.
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

        public int WeightCount => FanIn * Units;

        /// <summary>Whether the op owns weights (and usually a bias) in the parameter buffer; a batch norm's are γ and β.</summary>
        public bool HasWeights => Op is OpKind.Dense or OpKind.Conv2D or OpKind.Conv1D or OpKind.BatchNorm;

        /// <summary>Whether a layer with weights has a bias: all but a convolution declared without one.</summary>
        public bool HasBias => HasWeights && !(Op is OpKind.Conv2D or OpKind.Conv1D && Arguments.Count > 4 && Arguments[4] == 0);

        public int ParameterCount => (HasWeights ? WeightCount : 0) + (HasBias ? Units : 0);

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
        /// concatenate, a linear activation) none.
        /// </summary>
        public long FlopsPerSample => Op switch
        {
            OpKind.Input or OpKind.Flatten or OpKind.Reshape or OpKind.Concatenate => ActivationFlops,
            OpKind.Dense => (2L * FanIn * Units) + Units + ActivationFlops,
            OpKind.Conv2D or OpKind.Conv1D => (((2L * FanIn) + 1) * Size) + ActivationFlops,
            OpKind.Activation => ActivationFlops,
            _ => Size + ActivationFlops,
        };

        private long ActivationFlops => Activation == ActivationKind.Linear ? 0 : Size;
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
