namespace DeepPhys.Generators.Model
{
    /// <summary>A validated dense layer.</summary>
    /// <param name="Name">The layer's name (<c>dense</c>, <c>dense_1</c>, … or the user's).</param>
    /// <param name="Identifier">The PascalCase form of <paramref name="Name"/> used in constant names.</param>
    /// <param name="Inputs">Values per sample coming in (the fan-in).</param>
    /// <param name="Units">Values per sample going out.</param>
    /// <param name="Activation">The activation after the affine transform.</param>
    /// <param name="NegativeSlope">The LeakyReLU slope; only meaningful for <see cref="ActivationKind.LeakyReLU"/>.</param>
    internal sealed record LayerSpec(
        string Name, string Identifier, int Inputs, int Units, ActivationKind Activation, double NegativeSlope)
    {
        public int WeightCount => Inputs * Units;

        public int ParameterCount => WeightCount + Units;
    }
}
