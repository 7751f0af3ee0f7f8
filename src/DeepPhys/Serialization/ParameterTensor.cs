namespace DeepPhys.Serialization;

/// <summary>
/// One named tensor of a network's parameters as the interchange formats store it, PyTorch's
/// <c>nn.Linear</c> convention: a Dense layer <c>L</c> with <c>I</c> inputs and <c>U</c> units is
/// <c>L.weight</c> of shape <c>[U, I]</c> (the transpose of the <c>[I, U]</c> row-major block in
/// <see cref="Network{T}.Parameters"/>) and <c>L.bias</c> of shape <c>[U]</c>.
/// </summary>
/// <param name="Name">The tensor's name: <c>&lt;layer&gt;.weight</c> or <c>&lt;layer&gt;.bias</c>.</param>
/// <param name="Shape">The stored shape: <c>[units, inputs]</c> or <c>[units]</c>.</param>
/// <param name="Offset">Where the block starts in the flat parameter buffer.</param>
public sealed record ParameterTensor(string Name, IReadOnlyList<int> Shape, int Offset)
{
    /// <summary>Values in the tensor.</summary>
    public int Count => Shape.Aggregate(1, (product, size) => product * size);

    /// <summary>True for a weight matrix, stored transposed relative to the flat buffer.</summary>
    public bool Transposed => Shape.Count == 2;

    /// <summary>The tensors of every Dense layer in order; layers without parameters (merges) have none.</summary>
    /// <param name="definition">The network's layout.</param>
    /// <exception cref="NotSupportedException">A layer other than Dense owns parameters.</exception>
    public static IReadOnlyList<ParameterTensor> Of(NetworkDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var tensors = new List<ParameterTensor>();
        foreach (var layer in definition.Layers.Where(l => l.ParameterCount > 0))
        {
            if (layer.Kind != "Dense")
            {
                throw new NotSupportedException($"{definition.Name}.{layer.Name} is a {layer.Kind} layer with parameters; only Dense layers can be stored.");
            }

            int units = layer.OutputSize;
            int inputs = layer.ParameterCount / units - 1;
            tensors.Add(new ParameterTensor(layer.Name + ".weight", [units, inputs], layer.ParameterOffset));
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
