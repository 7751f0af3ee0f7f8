namespace DeepPhys;

/// <summary>One layer as the generator laid it out: what the summary shows and where its parameters live.</summary>
/// <param name="Name">The layer's name (<c>dense</c>, <c>dense_1</c>, …).</param>
/// <param name="Kind">The layer type, as the summary prints it (<see cref="NodeKind.Dense"/> is <c>Dense</c>).</param>
/// <param name="Activation">The activation applied after the layer.</param>
/// <param name="OutputSize">Values per sample the layer produces.</param>
/// <param name="ParameterOffset">Start of the layer's parameters in <see cref="Network{T}.Parameters"/>.</param>
/// <param name="ParameterCount">How many parameters the layer owns.</param>
/// <param name="NegativeSlope">The slope below zero of a <see cref="Activation.LeakyReLU"/> activation; 0 for the others.</param>
/// <param name="WeightCount">
/// How many of the layer's parameters, from its offset, are weights that penalties cover (the rest is its bias);
/// <c>null</c> for a dense layer, whose weights are all but its <see cref="OutputSize"/> biases. A batch norm's γ and β count as none.
/// </param>
public sealed record LayerDefinition(
    string Name, NodeKind Kind, Activation Activation, int OutputSize, int ParameterOffset, int ParameterCount, double NegativeSlope = 0, int? WeightCount = null)
{
    /// <summary>The weights penalties cover: <see cref="WeightCount"/>, or a dense layer's all but the bias (none for a layer without parameters).</summary>
    public int Weights => WeightCount ?? Math.Max(ParameterCount - OutputSize, 0);
}

/// <summary>
/// What the generator knows about a network at compile time, handed to the runtime once per type.
/// </summary>
/// <param name="Name">The network class's name.</param>
/// <param name="InputSize">Features per sample.</param>
/// <param name="OutputSize">Outputs per sample.</param>
/// <param name="ParameterCount">Length of the parameter and gradient buffers.</param>
/// <param name="ActivationsPerSample">Workspace values per sample: the sum of the layer output sizes.</param>
/// <param name="Loss">The loss the network is trained on.</param>
/// <param name="OutputActivation">The activation of the last layer.</param>
/// <param name="Layers">The layers in order.</param>
/// <param name="Summary">The Keras-like summary table computed at compile time.</param>
/// <param name="StateCount">Length of the non-trainable state buffer (<see cref="Network{T}.State"/>): batch norm's running means and variances.</param>
public sealed record NetworkDefinition(
    string Name,
    int InputSize,
    int OutputSize,
    int ParameterCount,
    int ActivationsPerSample,
    Loss Loss,
    Activation OutputActivation,
    IReadOnlyList<LayerDefinition> Layers,
    string Summary,
    int StateCount = 0)
{
    /// <summary>Offset per sample of the output layer's values in the activation workspace.</summary>
    public int OutputOffsetPerSample => ActivationsPerSample - OutputSize;

    /// <summary>
    /// The network's graph in topological order, inputs included: which node feeds which, each node's shape and
    /// attributes and where its parameters and state live. Empty for a definition built without its graph.
    /// </summary>
    public IReadOnlyList<NodeDefinition> Nodes { get; init; } = [];

    /// <summary>The trained outputs in loss order, as they sit side by side in a row of <see cref="Network{T}.Predict(ReadOnlySpan{T})"/>'s outputs.</summary>
    public IReadOnlyList<OutputDefinition> Outputs { get; init; } = [];

    /// <summary>
    /// The names of the loss's parts when it has more than one (several heads, a VAE's KL term), in the order the generated
    /// training step reports them (<see cref="Network{T}.LastLossParts"/>): <c>loss_mse</c>, <c>loss_kl</c>, …, a name repeated
    /// by two heads followed by its node's (<c>loss_mse_energy</c>). Empty for a loss of one part.
    /// </summary>
    public IReadOnlyList<string> LossParts { get; init; } = [];

    /// <summary>The input nodes in declaration order, as they sit side by side in a row of the features.</summary>
    public IEnumerable<NodeDefinition> Inputs => Nodes.Where(node => node.Kind == NodeKind.Input);
}

/// <summary>
/// One node of a network's graph as the generator laid it out: the operation, its inputs, its output shape per
/// sample and the attributes an exporter needs to rebuild it. Attributes a kind does not use keep their defaults.
/// </summary>
/// <param name="Name">The node's name (the DSL's, or <c>input</c>, <c>dense</c>, <c>dense_1</c>, … for attributes).</param>
/// <param name="Kind">The operation (<see cref="NodeKind.Activation"/>: the identity followed by <see cref="Activation"/>).</param>
/// <param name="Inputs">Indices in <see cref="NetworkDefinition.Nodes"/> of the nodes it reads, in argument order; all smaller than its own.</param>
/// <param name="Shape">Its output shape per sample: <c>[features]</c>, <c>[channels, length]</c>, <c>[time, features]</c> or <c>[channels, height, width]</c>.</param>
public sealed record NodeDefinition(string Name, NodeKind Kind, IReadOnlyList<int> Inputs, IReadOnlyList<int> Shape)
{
    /// <summary>The activation applied after the operation (Predict applies it to outputs whose loss keeps logits too).</summary>
    public Activation Activation { get; init; }

    /// <summary>The slope below zero of a <see cref="Activation.LeakyReLU"/> activation.</summary>
    public double NegativeSlope { get; init; }

    /// <summary>A dense layer's units, a convolution's filters, a batch norm's channels (features of a vector), a recurrent layer's state size; 0 otherwise.</summary>
    public int Units { get; init; }

    /// <summary>A convolution's kernel or a pool's window per spatial axis (<c>[height, width]</c> or <c>[length]</c>); empty otherwise.</summary>
    public IReadOnlyList<int> Kernel { get; init; } = [];

    /// <summary>The stride per spatial axis of a convolution or pool; empty otherwise.</summary>
    public IReadOnlyList<int> Strides { get; init; } = [];

    /// <summary>Zero padding in ONNX's order: the start of each spatial axis, then the end (<c>[top, left, bottom, right]</c> or <c>[left, right]</c>); empty otherwise.</summary>
    public IReadOnlyList<int> Pads { get; init; } = [];

    /// <summary>A concatenate's axis in the per-sample shape, from the front (0: features, or channels of an image).</summary>
    public int Axis { get; init; }

    /// <summary>A recurrent layer's gate blocks in PyTorch's order: 1 (simple RNN), 4 (LSTM: i, f, g, o), 3 (GRU: r, z, n); 0 otherwise.</summary>
    public int Gates { get; init; }

    /// <summary>Whether a recurrent layer outputs every step's state <c>[time, units]</c> rather than the last one <c>[units]</c>.</summary>
    public bool ReturnSequences { get; init; }

    /// <summary>A simple RNN's activation inside the cell (<see cref="Activation"/> follows the layer).</summary>
    public Activation CellActivation { get; init; }

    /// <summary>A dropout's rate.</summary>
    public double Rate { get; init; }

    /// <summary>A batch norm's momentum of the running averages (Keras's convention).</summary>
    public double Momentum { get; init; }

    /// <summary>A batch norm's epsilon, added to the variance.</summary>
    public double Epsilon { get; init; }

    /// <summary>Start of the node's parameters in <see cref="Network{T}.Parameters"/>: weights (a batch norm's γ), then the bias (β).</summary>
    public int ParameterOffset { get; init; }

    /// <summary>How many parameters the node owns.</summary>
    public int ParameterCount { get; init; }

    /// <summary>Whether the node's parameters end with <see cref="BiasCount"/> biases (a batch norm's β).</summary>
    public bool HasBias { get; init; }

    /// <summary>Start of the node's values in <see cref="Network{T}.State"/>: a batch norm's running means, then its running variances.</summary>
    public int StateOffset { get; init; }

    /// <summary>How many state values the node owns.</summary>
    public int StateCount { get; init; }

    /// <summary>
    /// The node's parameters as named tensors at their offsets in <see cref="Network{T}.Parameters"/>, as PyTorch's module names
    /// them (<c>dense.weight</c>, <c>lstm.weight_ih_l0</c>, …): what safetensors files store. Empty for a node without parameters.
    /// </summary>
    public IReadOnlyList<Serialization.ParameterTensor> Tensors { get; init; } = [];

    /// <summary>The node's state as named tensors at their offsets in <see cref="Network{T}.State"/> (a batch norm's <c>running_mean</c>, <c>running_var</c>).</summary>
    public IReadOnlyList<Serialization.ParameterTensor> StateTensors { get; init; } = [];

    /// <summary>Values per sample.</summary>
    public int Size => Shape.Aggregate(1, (product, dimension) => product * dimension);

    /// <summary>Biases the node owns when it has them: one per unit, or a recurrent layer's <c>b_ih</c> and <c>b_hh</c> of <c>gates · units</c> each.</summary>
    public int BiasCount => Gates > 0 ? 2 * Gates * Units : Units;

    /// <summary>How many of the parameters, from <see cref="ParameterOffset"/>, are weights (a batch norm's γ; a recurrent layer's <c>W_ih</c> then <c>W_hh</c>).</summary>
    public int WeightCount => ParameterCount - (HasBias ? BiasCount : 0);

    /// <summary>Where the bias (a batch norm's β) starts in <see cref="Network{T}.Parameters"/>.</summary>
    public int BiasOffset => ParameterOffset + WeightCount;
}

/// <summary>A trained output of the network.</summary>
/// <param name="Node">Its index in <see cref="NetworkDefinition.Nodes"/>.</param>
/// <param name="Loss">The loss trained on it.</param>
/// <param name="Weight">The loss's weight in the total.</param>
public sealed record OutputDefinition(int Node, Loss Loss, double Weight);
