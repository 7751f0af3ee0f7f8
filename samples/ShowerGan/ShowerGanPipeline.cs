using DeepPhys.Optimizers;
using DeepPhys.Samples.CaloCnn;

namespace DeepPhys.Samples.ShowerGan;

/// <summary>Trains the GAN on electron showers and compares generated with real showers by total energy and width.</summary>
public static class ShowerGanPipeline
{
    /// <summary>Cells per shower.</summary>
    public const int Cells = CaloImages.Size * CaloImages.Size;

    /// <summary>The networks see cells × 10, so that a shower's core is of order 1 (the images sum to 1 over 144 cells).</summary>
    public const float CellScale = 10;

    /// <summary>Electron showers to train on.</summary>
    public const int TrainCount = 8000;

    /// <summary>Showers compared per distribution (generated, real, and a second real set for the statistical floor).</summary>
    public const int TestCount = 4000;

    /// <summary>Alternating steps.</summary>
    public const int Steps = 8000;

    /// <summary>Adam's rate for both networks (β₁ = 0.5, as DCGAN).</summary>
    public const double LearningRate = 1e-3;

    /// <summary>Real showers (and noise rows) per step.</summary>
    public const int Batch = 64;

    /// <summary>What a run gives: the distributions, their distances and the losses.</summary>
    /// <param name="Real">Real test showers' total energy and width.</param>
    /// <param name="Generated">Generated showers' total energy and width.</param>
    /// <param name="Floor">Distances between two independent real samples of the same size: what a perfect generator would get.</param>
    /// <param name="Distances">Wasserstein-1 distances between generated and real: energy, width.</param>
    /// <param name="Pions">Distances between pion and electron showers: the scale of a wrong distribution.</param>
    /// <param name="DiscriminatorLoss">D's loss, averaged over every 100 steps.</param>
    /// <param name="GeneratorLoss">G's loss, averaged over every 100 steps.</param>
    /// <param name="RealShowers">A few real showers, cells as in <see cref="CaloImages"/>.</param>
    /// <param name="GeneratedShowers">As many generated ones.</param>
    public sealed record Result(
        ShowerFeatures Real, ShowerFeatures Generated, (double Energy, double Width) Floor, (double Energy, double Width) Distances, (double Energy, double Width) Pions,
        double[] DiscriminatorLoss, double[] GeneratorLoss, float[][] RealShowers, float[][] GeneratedShowers);

    /// <summary>Steps over which the reported losses are averaged.</summary>
    public const int LossWindow = 100;

    /// <summary>Trains on <paramref name="trainCount"/> electron showers of <paramref name="seed"/> and compares <paramref name="testCount"/> generated with as many real ones.</summary>
    public static Result Run(int seed, int trainCount = TrainCount, int testCount = TestCount, int steps = Steps)
    {
        float[] train = Showers(electron: true, trainCount, seed);
        TensorScale(train, CellScale);
        var generator = new ShowerGenerator(seed);
        var discriminator = new ShowerDiscriminator(seed + 1);
        var step = new GanStep<float>(generator, discriminator, new Adam(LearningRate, beta1: 0.5), new Adam(LearningRate, beta1: 0.5), Batch);
        var random = new RandomStream(seed + 2);
        var noise = new float[Batch * ShowerGenerator.NoiseSize];
        var order = Enumerable.Range(0, trainCount).ToArray();
        var real = new float[Batch * Cells];
        var losses = (D: new double[steps / LossWindow], G: new double[steps / LossWindow]);
        for (int s = 0, position = trainCount; s < steps; s++, position += Batch)
        {
            if (position + Batch > trainCount)
            {
                random.Shuffle(order.AsSpan());
                position = 0;
            }

            for (int i = 0; i < Batch; i++) train.AsSpan(order[position + i] * Cells, Cells).CopyTo(real.AsSpan(i * Cells));
            Fill(noise, random);
            var (d, g) = step.Run(real, noise);
            if (s / LossWindow < losses.D.Length)
            {
                losses.D[s / LossWindow] += d / (double)LossWindow;
                losses.G[s / LossWindow] += g / (double)LossWindow;
            }
        }

        float[] generated = Generate(generator, testCount, seed + 3);
        float[] realTest = Showers(electron: true, testCount, seed + 4);
        var (realFeatures, generatedFeatures) = (ShowerFeatures.Of(realTest), ShowerFeatures.Of(generated));
        var secondReal = ShowerFeatures.Of(Showers(electron: true, testCount, seed + 5));
        var pions = ShowerFeatures.Of(Showers(electron: false, testCount, seed + 6));
        float[][] Few(float[] showers) => Enumerable.Range(0, 4).Select(i => showers.AsSpan(i * Cells, Cells).ToArray()).ToArray();
        return new Result(
            realFeatures, generatedFeatures, secondReal.DistanceTo(realFeatures), generatedFeatures.DistanceTo(realFeatures), pions.DistanceTo(realFeatures),
            losses.D, losses.G, Few(realTest), Few(generated));
    }

    /// <summary><paramref name="count"/> showers of the trained generator, cells as in <see cref="CaloImages"/> (the scale undone).</summary>
    public static float[] Generate(ShowerGenerator generator, int count, int seed)
    {
        var noise = new float[count * ShowerGenerator.NoiseSize];
        Fill(noise, new RandomStream(seed));
        float[] showers = generator.Predict(noise);
        TensorScale(showers, 1 / CellScale);
        return showers;
    }

    /// <summary><paramref name="count"/> electron (or pion) showers of <see cref="CaloImages"/>, the other kind's images skipped.</summary>
    public static float[] Showers(bool electron, int count, int seed)
    {
        var showers = new float[count * Cells];
        int found = 0;
        for (int round = 0; found < count; round++)
        {
            var (images, labels) = CaloImages.Generate(2 * count, seed + (1000 * round));
            for (int i = 0; i < labels.Length && found < count; i++)
            {
                if ((labels[i] == 1) == electron) images.AsSpan(i * Cells, Cells).CopyTo(showers.AsSpan(found++ * Cells));
            }
        }

        return showers;
    }

    /// <summary>
    /// The Wasserstein-1 (earth mover's) distance between two samples of the same size: the mean distance between their
    /// order statistics, the area between the two empirical distribution functions. In the unit of the values.
    /// </summary>
    public static double Wasserstein1(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count != b.Count || a.Count == 0) throw new ArgumentException($"Samples of {a.Count} and {b.Count} values; expected the same, non-zero size.", nameof(b));
        return a.Order().Zip(b.Order(), (x, y) => Math.Abs(x - y)).Average();
    }

    private static void Fill(float[] noise, RandomStream random)
    {
        for (int i = 0; i < noise.Length; i++) noise[i] = (float)random.NextNormal();
    }

    private static void TensorScale(float[] values, float factor) => System.Numerics.Tensors.TensorPrimitives.Multiply(values, factor, values);
}

/// <summary>Each shower's total energy (sum of its cells, 1 plus noise for a real one) and width (<see cref="CaloImages.Width"/>).</summary>
public sealed record ShowerFeatures(double[] Energy, double[] Width)
{
    /// <summary>The features of <c>[count, 144]</c> showers.</summary>
    public static ShowerFeatures Of(float[] showers)
    {
        int count = showers.Length / ShowerGanPipeline.Cells;
        var cells = Enumerable.Range(0, count).Select(i => new ReadOnlyMemory<float>(showers, i * ShowerGanPipeline.Cells, ShowerGanPipeline.Cells)).ToArray();
        return new ShowerFeatures(
            cells.Select(c => (double)System.Numerics.Tensors.TensorPrimitives.Sum(c.Span)).ToArray(),
            cells.Select(c => CaloImages.Width(c.Span)).ToArray());
    }

    /// <summary>The Wasserstein-1 distances of the energies and of the widths to <paramref name="other"/>'s.</summary>
    public (double Energy, double Width) DistanceTo(ShowerFeatures other) =>
        (ShowerGanPipeline.Wasserstein1(Energy, other.Energy), ShowerGanPipeline.Wasserstein1(Width, other.Width));
}
