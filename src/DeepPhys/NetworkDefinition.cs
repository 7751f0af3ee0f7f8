namespace DeepPhys;

/// <summary>One layer as the generator laid it out: what the summary shows and where its parameters live.</summary>
/// <param name="Name">The layer's name (<c>dense</c>, <c>dense_1</c>, …).</param>
/// <param name="Kind">The layer type as the summary prints it (<c>Dense</c>).</param>
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
    string Name, string Kind, Activation Activation, int OutputSize, int ParameterOffset, int ParameterCount, double NegativeSlope = 0, int? WeightCount = null)
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
}
