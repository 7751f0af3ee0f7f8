using System.Linq;
using DeepPhys.Generators.Ops;

namespace DeepPhys.Generators.Model
{
    /// <summary>
    /// One node of the network graph. Every op may carry a post-activation (<c>dense(x, 16) -> relu</c>);
    /// a standalone <c>relu(x)</c> is an <see cref="OpKind.Activation"/> node, the identity followed by it.
    /// What follows from the op (counts, emission) its <see cref="Descriptor"/> says.
    /// </summary>
    /// <param name="Name">The node's name (<c>dense</c>, <c>dense_1</c>, … for attributes, the DSL's names otherwise).</param>
    /// <param name="Op">The operation.</param>
    /// <param name="Inputs">Indices of the input nodes in <see cref="GraphSpec.Nodes"/>, all smaller than this node's.</param>
    /// <param name="Shape">The output shape per sample: <c>[features]</c>, <c>[channels, length]</c>, <c>[time, features]</c> or <c>[channels, height, width]</c>.</param>
    /// <param name="Activation">The activation applied after the op.</param>
    /// <param name="NegativeSlope">The LeakyReLU slope; only meaningful for <see cref="ActivationKind.LeakyReLU"/>.</param>
    /// <param name="Arguments">The op's checked arguments (<see cref="OpArguments"/>, one record type per op family).</param>
    /// <param name="InputShape">The first input's shape per sample (empty for an input), from which counts follow.</param>
    internal sealed record NodeSpec(
        string Name,
        OpKind Op,
        EquatableArray<int> Inputs,
        EquatableArray<int> Shape,
        ActivationKind Activation,
        double NegativeSlope,
        OpArguments Arguments,
        EquatableArray<int> InputShape)
    {
        public OpDescriptor Descriptor => OpRegistry.Of(Op);

        /// <summary>Values per sample.</summary>
        public int Size => Shape.Aggregate(1, (product, dimension) => product * dimension);

        /// <summary>A dense layer's units, a convolution's filters, a batch norm's channels, a recurrent layer's state size; 0 otherwise.</summary>
        public int Units => Descriptor.Units(this);

        /// <summary>Inputs per unit: the initialisers' fan-in.</summary>
        public int FanIn => Descriptor.FanIn(this);

        public int WeightCount => (int)Descriptor.ParameterCounts(Arguments, InputShape).Weights;

        public int BiasCount => (int)Descriptor.ParameterCounts(Arguments, InputShape).Biases;

        /// <summary>Whether the op owns weights in the parameter buffer (a batch norm's are γ and β).</summary>
        public bool HasWeights => WeightCount > 0;

        public bool HasBias => BiasCount > 0;

        public int ParameterCount => WeightCount + BiasCount;

        /// <summary>Workspace values per sample the node keeps beside its output for the backward pass.</summary>
        public int ExtraWorkspace => (int)Descriptor.ExtraWorkspace(Arguments, InputShape, Shape);

        /// <summary>Non-trainable state values: the op's state tensors' (a batch norm's running means and variances).</summary>
        public int StateCount => Descriptor.StateTensors(this).Sum(tensor => tensor.Shape.Aggregate(1, (product, dimension) => product * dimension));

        /// <summary>Forward floating-point operations per sample (docs/architecture.md): the op's, plus one per value for a non-linear activation.</summary>
        public long FlopsPerSample => Descriptor.Flops(this) + (Activation == ActivationKind.Linear ? 0 : Size);
    }

    /// <summary>A trained output: a node, its loss and the loss's weight in the total.</summary>
    internal sealed record OutputSpec(int Node, LossKind Loss, double Weight);

    /// <summary>A VAE's KL term <c>loss kl(mu, logvar, weight: β)</c>: the nodes of μ and logvar and β, its weight in the total; no output, no target.</summary>
    internal sealed record KlTermSpec(int Mu, int LogVariance, double Weight);

    /// <summary>
    /// The network as a graph, in topological order with only live nodes (each one reaches a loss);
    /// both front ends lower into it: the attribute stack as a chain, the DSL as a DAG.
    /// </summary>
    /// <param name="Nodes">The nodes.</param>
    /// <param name="Outputs">The trained outputs, each with its loss.</param>
    /// <param name="KlTerms">The KL terms added to the outputs' losses (the DSL's <c>loss kl(…)</c>); none for most networks.</param>
    internal sealed record GraphSpec(EquatableArray<NodeSpec> Nodes, EquatableArray<OutputSpec> Outputs, EquatableArray<KlTermSpec> KlTerms = default)
    {
        public int ParameterCount => Nodes.Sum(node => node.ParameterCount);

        public long FlopsPerSample => Nodes.Sum(node => node.FlopsPerSample);

        /// <summary>
        /// The most parameters a network may have for its dense layers to use the runtime's <c>SmallDenseKernels</c> (rows built in
        /// registers, no library call per row); the runtime's <c>SmallDenseKernels.MaxParameters</c>. Larger networks use
        /// <c>DenseKernels</c> and get DPH0112, which says so.
        /// </summary>
        public const int SmallNetworkMaxParameters = 16384;

        /// <summary>Whether the dense layers use the small-layer kernels: at most <see cref="SmallNetworkMaxParameters"/> parameters.</summary>
        public bool UsesSmallDenseKernels => ParameterCount <= SmallNetworkMaxParameters;
    }
}
