namespace DeepPhys.Serialization;

/// <summary>
/// One named tensor of a network's parameters (or state) as the interchange formats store it, PyTorch's
/// convention: a Dense layer <c>L</c> with <c>I</c> inputs and <c>U</c> units is <c>L.weight</c> of shape
/// <c>[U, I]</c> (the transpose of the <c>[I, U]</c> row-major block in <see cref="Network{T}.Parameters"/>) and
/// <c>L.bias</c> of shape <c>[U]</c>; convolutions, batch norms and recurrent layers keep the buffer's order.
/// </summary>
/// <param name="Name">
/// The tensor's name: <c>&lt;layer&gt;.weight</c>, <c>.bias</c>, <c>.running_mean</c> or <c>.running_var</c>; a recurrent layer's
/// <c>.weight_ih_l0</c>, <c>.weight_hh_l0</c>, <c>.bias_ih_l0</c> or <c>.bias_hh_l0</c>.
/// </param>
/// <param name="Shape">The stored shape: <c>[units, inputs]</c>, <c>[filters, channels, kernel…]</c>, <c>[channels, filters, kh, kw]</c>, <c>[gates·units, inputs]</c> or <c>[units]</c>.</param>
/// <param name="Offset">Where the block starts in the flat buffer (parameters, or state for running statistics).</param>
public sealed record ParameterTensor(string Name, IReadOnlyList<int> Shape, int Offset)
{
    /// <summary>Values in the tensor.</summary>
    public int Count => Shape.Aggregate(1, (product, size) => product * size);

    /// <summary>True for a dense weight matrix, stored transposed relative to the flat buffer.</summary>
    public bool Transposed { get; init; }

    /// <summary>
    /// The parameter tensors of every node in order, as the generator named them from each op's descriptor
    /// (<see cref="NodeDefinition.Tensors"/>), after the node as PyTorch names a module's: a dense layer's
    /// <c>weight</c> <c>[units, inputs]</c> (transposed) and <c>bias</c>; a convolution's <c>weight</c>
    /// <c>[filters, channels, kernel…]</c> and <c>bias</c> (when it has one); a transposed convolution's <c>weight</c>
    /// <c>[channels, filters, kh, kw]</c> (<c>nn.ConvTranspose2d</c>'s) and <c>bias</c>; a batch norm's γ as <c>weight</c> and β as <c>bias</c>;
    /// a recurrent layer's <c>weight_ih_l0</c> <c>[gates·units, features]</c>, <c>weight_hh_l0</c> <c>[gates·units, units]</c>,
    /// <c>bias_ih_l0</c> and <c>bias_hh_l0</c> (PyTorch's <c>nn.RNN</c>, <c>nn.LSTM</c> and <c>nn.GRU</c>).
    /// </summary>
    /// <param name="definition">The network's layout.</param>
    /// <exception cref="NotSupportedException">A node owns parameters but names no tensors (a definition built by hand); the message names it.</exception>
    public static IReadOnlyList<ParameterTensor> Of(NetworkDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.Nodes.Count == 0) return DenseLayers(definition);
        var unnamed = definition.Nodes.FirstOrDefault(node => node.ParameterCount > 0 && node.Tensors.Count == 0);
        if (unnamed is not null)
        {
            throw new NotSupportedException($"{definition.Name}.{unnamed.Name} is a {unnamed.Kind} node with parameters, which cannot be stored yet.");
        }

        return [.. definition.Nodes.SelectMany(node => node.Tensors)];
    }

    /// <summary>The non-trainable state as tensors at offsets in <see cref="Network{T}.State"/>: each batch norm's <c>running_mean</c> and <c>running_var</c> (PyTorch's buffer names).</summary>
    /// <param name="definition">The network's layout.</param>
    public static IReadOnlyList<ParameterTensor> StateOf(NetworkDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return [.. definition.Nodes.SelectMany(node => node.StateTensors)];
    }

    /// <summary>A definition without its graph (built by hand): Dense layers only.</summary>
    private static List<ParameterTensor> DenseLayers(NetworkDefinition definition)
    {
        var tensors = new List<ParameterTensor>();
        foreach (var layer in definition.Layers.Where(l => l.ParameterCount > 0))
        {
            if (layer.Kind != NodeKind.Dense)
            {
                throw new NotSupportedException($"{definition.Name}.{layer.Name} is a {layer.Kind} layer with parameters; only Dense layers can be stored.");
            }

            int units = layer.OutputSize;
            int inputs = layer.ParameterCount / units - 1;
            tensors.Add(new ParameterTensor(layer.Name + ".weight", [units, inputs], layer.ParameterOffset) { Transposed = true });
            tensors.Add(new ParameterTensor(layer.Name + ".bias", [units], layer.ParameterOffset + inputs * units));
        }

        return tensors;
    }

    /// <summary>Copies the tensor out of a flat buffer laid out like <see cref="Network{T}.Parameters"/>, transposing a weight.</summary>
    /// <param name="flat">The flat buffer.</param>
    /// <param name="destination"><see cref="Count"/> values in the stored order.</param>
    public void Gather<TValue>(ReadOnlySpan<TValue> flat, Span<TValue> destination)
    {
        for (int s = 0, count = Count; s < count; s++) destination[s] = flat[FlatIndex(s)];
    }

    /// <summary>Writes the tensor, in the stored order, into a flat buffer: the inverse of <see cref="Gather{TValue}"/>.</summary>
    /// <param name="stored"><see cref="Count"/> values in the stored order.</param>
    /// <param name="flat">The flat buffer.</param>
    public void Scatter<TValue>(ReadOnlySpan<TValue> stored, Span<TValue> flat)
    {
        for (int s = 0, count = Count; s < count; s++) flat[FlatIndex(s)] = stored[s];
    }

    /// <summary>Where the stored element <paramref name="index"/> lives in the flat buffer: <c>[u, i]</c> of a weight is the buffer's <c>[i, u]</c>.</summary>
    private int FlatIndex(int index) => Transposed ? Offset + (index % Shape[1]) * Shape[0] + index / Shape[1] : Offset + index;
}
