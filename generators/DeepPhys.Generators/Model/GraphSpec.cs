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
        Dropout,
        BatchNorm,
        Rnn,
    }

    /// <summary>
    /// One node of the network graph. Every op may carry a post-activation (<c>dense(x, 16) -> relu</c>);
    /// a standalone <c>relu(x)</c> is an <see cref="OpKind.Activation"/> node, the identity followed by it.
    /// </summary>
    /// <param name="Name">The node's name (<c>dense</c>, <c>dense_1</c>, … for attributes, the DSL's names otherwise).</param>
    /// <param name="Op">The operation.</param>
    /// <param name="Inputs">Indices of the input nodes in <see cref="GraphSpec.Nodes"/>, all smaller than this node's.</param>
    /// <param name="Shape">The output shape per sample: <c>[features]</c> or <c>[channels, height, width]</c>.</param>
    /// <param name="Units">Dense units; 0 for other ops.</param>
    /// <param name="FanIn">Dense inputs per sample; 0 for other ops.</param>
    /// <param name="Activation">The activation applied after the op.</param>
    /// <param name="NegativeSlope">The LeakyReLU slope; only meaningful for <see cref="ActivationKind.LeakyReLU"/>.</param>
    /// <param name="Arguments">Further integer arguments: the target shape of a reshape; filters, kernel, stride, padding of a conv2d; window, stride of a pool.</param>
    internal sealed record NodeSpec(
        string Name,
        OpKind Op,
        EquatableArray<int> Inputs,
        EquatableArray<int> Shape,
        int Units,
        int FanIn,
        ActivationKind Activation,
        double NegativeSlope,
        EquatableArray<int> Arguments)
    {
        /// <summary>Values per sample.</summary>
        public int Size => Shape.Aggregate(1, (product, dimension) => product * dimension);

        public int WeightCount => FanIn * Units;

        public int ParameterCount => Op == OpKind.Dense ? WeightCount + Units : 0;

        /// <summary>
        /// Forward floating-point operations per sample (docs/architecture.md): a multiply-add counts two, a bias
        /// add, a merge and a non-linear activation one per value; moving values (input, flatten, reshape,
        /// concatenate, a linear activation) none.
        /// </summary>
        public long FlopsPerSample => Op switch
        {
            OpKind.Input or OpKind.Flatten or OpKind.Reshape or OpKind.Concatenate => ActivationFlops,
            OpKind.Dense => (2L * FanIn * Units) + Units + ActivationFlops,
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
