using System.Numerics;
using DeepPhys.Kernels;
using DeepPhys.Optimizers;

namespace DeepPhys.Samples.ShowerGan;

/// <summary>
/// One alternating GAN step (Goodfellow et al. 2014, with the generator's non-saturating loss), as PyTorch's DCGAN loop:
/// the generator G makes fakes from noise; the discriminator D (one linear output, a logit) takes one step on binary
/// cross-entropy over the real and the fake rows (targets 1 and 0); then G takes one step on −log σ(D(G(z))) of the same
/// fakes through the updated D, the gradient reaching G as D's input gradient. After the first step nothing allocates.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class GanStep<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Network<T> generator, discriminator;
    private readonly Optimizer generatorOptimizer, discriminatorOptimizer;
    private readonly int batch;
    private readonly T[] fakes, fakeGradient, discriminatorInputs, logits, targets, logitGradient;

    /// <summary>Binds the two networks, their optimizers and the batch size (real rows and noise rows per step).</summary>
    /// <exception cref="ArgumentException">G's output is not D's input, or D has more than one output.</exception>
    public GanStep(Network<T> generator, Network<T> discriminator, Optimizer generatorOptimizer, Optimizer discriminatorOptimizer, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        if (generator.OutputSize != discriminator.InputSize)
        {
            throw new ArgumentException($"The generator makes {generator.OutputSize} values per sample; the discriminator reads {discriminator.InputSize}.", nameof(generator));
        }

        if (discriminator.OutputSize != 1) throw new ArgumentException($"The discriminator has {discriminator.OutputSize} outputs; expected one logit.", nameof(discriminator));
        (this.generator, this.discriminator, this.generatorOptimizer, this.discriminatorOptimizer, this.batch) =
            (generator, discriminator, generatorOptimizer, discriminatorOptimizer, batch);
        fakes = new T[batch * generator.OutputSize];
        fakeGradient = new T[fakes.Length];
        discriminatorInputs = new T[2 * fakes.Length];
        logits = new T[2 * batch];
        logitGradient = new T[2 * batch];
        targets = new T[2 * batch];
        targets.AsSpan(0, batch).Fill(T.One); // real rows first, then the fakes (0)
    }

    /// <summary>The fakes of the last step, <c>[batch, G.OutputSize]</c>.</summary>
    public ReadOnlySpan<T> Fakes => fakes;

    /// <summary>Trains D, then G, once.</summary>
    /// <param name="real">Real samples, <c>[batch, D.InputSize]</c>.</param>
    /// <param name="noise">G's inputs, <c>[batch, G.InputSize]</c>.</param>
    /// <returns>D's loss (mean binary cross-entropy over real and fake rows) and G's (mean −log σ(D(G(z))) after D's step).</returns>
    /// <exception cref="ArgumentException">A span does not have the batch's length.</exception>
    public (T Discriminator, T Generator) Run(ReadOnlySpan<T> real, ReadOnlySpan<T> noise)
    {
        if (real.Length != discriminatorInputs.Length / 2) throw new ArgumentException($"{nameof(real)} has {real.Length} values; expected {batch} × {discriminator.InputSize}.", nameof(real));
        if (noise.Length != batch * generator.InputSize) throw new ArgumentException($"{nameof(noise)} has {noise.Length} values; expected {batch} × {generator.InputSize}.", nameof(noise));

        generator.Forward(noise, fakes);
        real.CopyTo(discriminatorInputs);
        fakes.CopyTo(discriminatorInputs.AsSpan(real.Length));
        discriminator.Forward(discriminatorInputs, logits);
        T discriminatorLoss = LossKernels.SigmoidBinaryCrossEntropyWithGradient<T>(logits, targets, logitGradient);
        discriminator.Backward(logitGradient, default);
        discriminator.ApplyGradients(discriminatorOptimizer);

        // Non-saturating: G maximises log σ(D(G(z))), binary cross-entropy with target 1 on the fakes; D's gradients are not applied.
        var fakeLogits = logits.AsSpan(0, batch);
        discriminator.Forward(fakes, fakeLogits);
        T generatorLoss = LossKernels.SigmoidBinaryCrossEntropyWithGradient<T>(fakeLogits, targets.AsSpan(0, batch), logitGradient.AsSpan(0, batch));
        discriminator.Backward(logitGradient.AsSpan(0, batch), fakeGradient);
        generator.Backward(fakeGradient, default);
        generator.ApplyGradients(generatorOptimizer);
        return (discriminatorLoss, generatorLoss);
    }
}
