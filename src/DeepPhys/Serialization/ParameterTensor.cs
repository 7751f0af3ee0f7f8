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
    /// The parameter tensors of every node in order, named after it as PyTorch names a module's: a dense layer's
    /// <c>weight</c> <c>[units, inputs]</c> (transposed) and <c>bias</c>; a convolution's <c>weight</c>
    /// <c>[filters, channels, kernel…]</c> and <c>bias</c> (when it has one); a transposed convolution's <c>weight</c>
    /// <c>[channels, filters, kh, kw]</c> (<c>nn.ConvTranspose2d</c>'s) and <c>bias</c>; a batch norm's γ as <c>weight</c> and β as <c>bias</c>;
    /// a recurrent layer's <c>weight_ih_l0</c> <c>[gates·units, features]</c>, <c>weight_hh_l0</c> <c>[gates·units, units]</c>,
    /// <c>bias_ih_l0</c> and <c>bias_hh_l0</c> (PyTorch's <c>nn.RNN</c>, <c>nn.LSTM</c> and <c>nn.GRU</c>).
    /// </summary>
    /// <param name="definition">The network's layout.</param>
    /// <exception cref="NotSupportedException">A node of another kind owns parameters; the message names it.</exception>
    public static IReadOnlyList<ParameterTensor> Of(NetworkDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.Nodes.Count == 0) return DenseLayers(definition);
        var tensors = new List<ParameterTensor>();
        foreach (var node in definition.Nodes.Where(n => n.ParameterCount > 0))
        {
            if (node.Gates > 0)
            {
                tensors.AddRange(Recurrent(node));
                continue;
            }

            int[] weight = node.Kind switch
            {
                NodeKind.Dense => [node.Units, node.WeightCount / node.Units],
                NodeKind.Conv2D or NodeKind.Conv1D => [node.Units, definition.Nodes[node.Inputs[0]].Shape[0], .. node.Kernel],
                NodeKind.Conv2DTranspose => [definition.Nodes[node.Inputs[0]].Shape[0], node.Units, .. node.Kernel],
                NodeKind.BatchNorm => [node.Units],
                _ => throw new NotSupportedException($"{definition.Name}.{node.Name} is a {node.Kind} node with parameters, which cannot be stored yet."),
            };
            tensors.Add(new ParameterTensor(node.Name + ".weight", weight, node.ParameterOffset) { Transposed = node.Kind == NodeKind.Dense });
            if (node.HasBias) tensors.Add(new ParameterTensor(node.Name + ".bias", [node.Units], node.BiasOffset));
        }

        return tensors;
    }

    /// <summary>A recurrent layer's <c>W_ih</c>, <c>W_hh</c>, <c>b_ih</c> and <c>b_hh</c>, as they follow each other in the buffer.</summary>
    private static ParameterTensor[] Recurrent(NodeDefinition node)
    {
        int rows = node.Gates * node.Units, features = (node.WeightCount / rows) - node.Units;
        return
        [
            new(node.Name + ".weight_ih_l0", [rows, features], node.ParameterOffset),
            new(node.Name + ".weight_hh_l0", [rows, node.Units], node.ParameterOffset + (rows * features)),
            new(node.Name + ".bias_ih_l0", [rows], node.BiasOffset),
            new(node.Name + ".bias_hh_l0", [rows], node.BiasOffset + rows),
        ];
    }

    /// <summary>The non-trainable state as tensors at offsets in <see cref="Network{T}.State"/>: each batch norm's <c>running_mean</c> and <c>running_var</c> (PyTorch's buffer names).</summary>
    /// <param name="definition">The network's layout.</param>
    public static IReadOnlyList<ParameterTensor> StateOf(NetworkDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return [.. definition.Nodes.Where(n => n.StateCount > 0).SelectMany(node => new[]
        {
            new ParameterTensor(node.Name + ".running_mean", [node.Units], node.StateOffset),
            new ParameterTensor(node.Name + ".running_var", [node.Units], node.StateOffset + node.Units),
        })];
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
