namespace DeepPhys.Generators.Model
{
    // Mirrors of the runtime enums in src/DeepPhys/Declarations/Enums.cs: the generator cannot
    // reference the runtime, so the values must match those declarations one for one.

    /// <summary>Mirror of <c>DeepPhys.Activation</c>.</summary>
    internal enum ActivationKind
    {
        Linear = 0,
        ReLU = 1,
        LeakyReLU = 2,
        Sigmoid = 3,
        Tanh = 4,
        Softmax = 5,
    }

    /// <summary>Mirror of <c>DeepPhys.Loss</c>.</summary>
    internal enum LossKind
    {
        None = 0,
        MeanSquaredError = 1,
        BinaryCrossEntropy = 2,
        CategoricalCrossEntropy = 3,
    }

    /// <summary>Mirror of <c>DeepPhys.Precision</c>.</summary>
    internal enum PrecisionKind
    {
        Single = 0,
        Double = 1,
    }
}
