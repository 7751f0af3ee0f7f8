using DeepPhys.Samples.CaloCnn;

namespace DeepPhys.Samples.ShowerGan;

/// <summary>The generator: 128 Gaussian noise values (nearly one per cell: the cells' noise is independent) to a 12 × 12 shower (cells scaled by <see cref="ShowerGanPipeline.CellScale"/>).</summary>
/// <remarks>The declared loss is not used: the generator trains on the discriminator's input gradient (<see cref="GanStep{T}"/>).</remarks>
[Network(Loss = Loss.MeanSquaredError)]
[Input(ShowerGenerator.NoiseSize)]
[Dense(256, Activation.LeakyReLU, NegativeSlope = 0.2)]
[Dense(256, Activation.LeakyReLU, NegativeSlope = 0.2)]
[Dense(CaloImages.Size * CaloImages.Size)]
public partial class ShowerGenerator
{
    /// <summary>Noise values per shower.</summary>
    public const int NoiseSize = 128;
}

/// <summary>The discriminator: a shower to one logit, real (positive) or generated.</summary>
/// <remarks>Its output is linear: <see cref="GanStep{T}"/> computes the binary cross-entropy from the logit, which does not saturate.</remarks>
[Network(Loss = Loss.MeanSquaredError)]
[Input(CaloImages.Size * CaloImages.Size)]
[Dense(128, Activation.LeakyReLU, NegativeSlope = 0.2)]
[Dense(1)]
public partial class ShowerDiscriminator;
