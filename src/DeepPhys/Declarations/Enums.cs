namespace DeepPhys;

/// <summary>The activation function applied after a layer's affine transform.</summary>
public enum Activation
{
    /// <summary>Identity: the layer's output is its pre-activation.</summary>
    Linear = 0,
    /// <summary>max(0, x).</summary>
    ReLU = 1,
    /// <summary>x for x &gt; 0, <c>NegativeSlope</c>·x otherwise.</summary>
    LeakyReLU = 2,
    /// <summary>1 / (1 + e^-x).</summary>
    Sigmoid = 3,
    /// <summary>Hyperbolic tangent.</summary>
    Tanh = 4,
    /// <summary>e^x_i / Σ_j e^x_j over the layer's units, computed with the maximum subtracted.</summary>
    Softmax = 5,
}

/// <summary>The loss a network is trained on; the reported value is the mean over the batch.</summary>
public enum Loss
{
    /// <summary>No loss declared: a compile error (DPH0201) for a trainable network.</summary>
    None = 0,
    /// <summary>Mean over samples and outputs of (y − t)².</summary>
    MeanSquaredError = 1,
    /// <summary>Binary cross-entropy; needs a sigmoid output and is computed from its logits.</summary>
    BinaryCrossEntropy = 2,
    /// <summary>Categorical cross-entropy on one-hot (or probability) targets; needs a softmax output of at least two units and is computed from its logits.</summary>
    CategoricalCrossEntropy = 3,
}

/// <summary>The floating-point type of parameters, activations and gradients.</summary>
public enum Precision
{
    /// <summary><see cref="float"/>: the default, twice the SIMD width of double.</summary>
    Single = 0,
    /// <summary><see cref="double"/>: for gradient checks and numerically delicate fits.</summary>
    Double = 1,
}

/// <summary>How a convolution treats the image border.</summary>
public enum Padding
{
    /// <summary>No padding: <c>⌊(size − kernel) / stride⌋ + 1</c> outputs.</summary>
    Valid = 0,
    /// <summary>Keras's and PyTorch's 'same': <c>⌈size / stride⌉</c> outputs, zeros split evenly with the odd one at the bottom and right.</summary>
    Same = 1,
}
