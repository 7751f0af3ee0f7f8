namespace DeepPhys;

/// <summary>
/// Declares a <c>partial</c> class as a network. The DeepPhys generator reads the layer
/// attributes that follow (<see cref="InputAttribute"/>, then <see cref="DenseAttribute"/>s in
/// source order) and emits its forward and backward passes at compile time.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>Declares the network with the layer attributes that follow and <see cref="Loss"/>.</summary>
    public NetworkAttribute()
    {
    }

    /// <summary>Declares the network in the DeepPhys DSL (docs/dsl.md): inputs, nodes, losses and precision in one text; no layer attributes.</summary>
    /// <param name="architecture">The network in the DSL, e.g. <c>"input x[4]\nout = dense(x, 3) -> softmax\nloss categorical_crossentropy(out)"</c>.</param>
    public NetworkAttribute(string architecture) => Architecture = architecture;

    /// <summary>The DSL text given to the constructor, or <c>null</c> for an attribute-declared network.</summary>
    public string? Architecture { get; }

    /// <summary>The loss the network is trained on. Required.</summary>
    public Loss Loss { get; set; }

    /// <summary>The floating-point type of the network; <see cref="Precision.Single"/> by default.</summary>
    public Precision Precision { get; set; }
}

/// <summary>Declares the network's input: a vector of <paramref name="size"/> features.</summary>
/// <param name="size">The number of input features, at least one.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class InputAttribute(int size) : Attribute
{
    /// <summary>The number of input features.</summary>
    public int Size { get; } = size;
}

/// <summary>A fully connected layer: <c>y = activation(x · W + b)</c>, weights <c>[inputs, units]</c>.</summary>
/// <param name="units">The number of output units, at least one.</param>
/// <param name="activation">The activation applied to the affine output.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute(int units, Activation activation = Activation.Linear) : Attribute
{
    /// <summary>The number of output units.</summary>
    public int Units { get; } = units;

    /// <summary>The activation applied to the affine output.</summary>
    public Activation Activation { get; } = activation;

    /// <summary>The slope for negative inputs of <see cref="Activation.LeakyReLU"/>; 0.01 by default (PyTorch's).</summary>
    public double NegativeSlope { get; set; } = 0.01;

    /// <summary>The layer's name in the summary and in parameter names; <c>dense</c>, <c>dense_1</c>, … by default.</summary>
    public string? Name { get; set; }
}
