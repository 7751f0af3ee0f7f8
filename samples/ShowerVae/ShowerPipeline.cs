using DeepPhys.Samples.CaloCnn;
using DeepPhys.Optimizers;
using DeepPhys.Training;
using DeepPhys.Data;

namespace DeepPhys.Samples.ShowerVae;

/// <summary>Trains the VAE on electron showers, generates showers from its prior and compares their distributions with real ones.</summary>
public static class ShowerPipeline
{
    /// <summary>Electron showers to train on.</summary>
    public const int TrainCount = 8000;

    /// <summary>Real test showers, and generated ones, compared.</summary>
    public const int CompareCount = 4000;

    /// <summary>Training epochs.</summary>
    public const int Epochs = 20;

    /// <summary>The cells are multiplied by this for the network (a shower's peak cell is then about 2), and generated cells divided by it.</summary>
    public const float CellScale = 10;

    /// <summary>What a run gives.</summary>
    /// <param name="History">The training: loss = loss_mse + β · loss_kl per epoch.</param>
    /// <param name="Real">Total energy and width of real test showers.</param>
    /// <param name="Generated">Total energy and width of showers generated from the prior.</param>
    /// <param name="Reference">Total energy and width of another real sample: the distances' statistical floor.</param>
    /// <param name="Latent">μ of each real test shower, for the latent-space plot (coloured by <see cref="ShowerFeatures.CentreColumn"/>).</param>
    public sealed record Result(History History, ShowerFeatures Real, ShowerFeatures Generated, ShowerFeatures Reference, (double[] Z1, double[] Z2) Latent)
    {
        /// <summary>Wasserstein-1 distance between the real and generated total energies.</summary>
        public double EnergyDistance => Distances.Wasserstein1(Real.Energy, Generated.Energy);

        /// <summary>Wasserstein-1 distance between the real and generated widths, in cells.</summary>
        public double WidthDistance => Distances.Wasserstein1(Real.Width, Generated.Width);

        /// <summary>The same distances between two real samples of this size: what statistics alone give.</summary>
        public (double Energy, double Width) ReferenceDistances => (Distances.Wasserstein1(Real.Energy, Reference.Energy), Distances.Wasserstein1(Real.Width, Reference.Width));
    }

    public static Result Run(int seed, int trainCount = TrainCount, int compareCount = CompareCount, int epochs = Epochs, IProgress<EpochResult>? progress = null)
    {
        float[] train = Electrons(trainCount, seed), test = Electrons(compareCount, seed + 1);
        var data = new Dataset<float>(Scaled(train), CaloImages.Size * CaloImages.Size, Scaled(train), CaloImages.Size * CaloImages.Size);
        var vae = new ShowerVae(seed);
        var history = vae.Fit(data, new Adam(0.002), epochs, batchSize: 64, progress: progress);

        var generated = Generate(vae, compareCount, seed + 2);
        var encoder = new ShowerEncoder();
        encoder.CopyParametersFrom(vae);
        var mu = new float[compareCount * 2];
        encoder.Predict(Scaled(test), mu);
        var real = ShowerFeatures.Of(test);
        return new Result(history, real, ShowerFeatures.Of(generated), ShowerFeatures.Of(Electrons(compareCount, seed + 3)),
            (mu.Where((_, i) => i % 2 == 0).Select(v => (double)v).ToArray(), mu.Where((_, i) => i % 2 == 1).Select(v => (double)v).ToArray()));
    }

    /// <summary>
    /// Showers from the VAE's generative model: z ~ N(0, 1) in the latent space, the decoder's mean cells, plus the cell
    /// noise the toy adds (<see cref="CaloImages.Noise"/>), the Gaussian likelihood's σ: the decoder learns the mean shower only.
    /// </summary>
    public static float[] Generate(ShowerVae vae, int count, int seed)
    {
        var decoder = new ShowerDecoder();
        decoder.CopyParametersFrom(vae);
        var random = new RandomStream(seed);
        var z = new float[count * 2];
        for (int i = 0; i < z.Length; i++) z[i] = (float)random.NextNormal();
        var cells = new float[count * CaloImages.Size * CaloImages.Size];
        decoder.Predict(z, cells);
        for (int i = 0; i < cells.Length; i++) cells[i] = (float)(cells[i] / CellScale + CaloImages.Noise * random.NextNormal());
        return cells;
    }

    /// <summary><paramref name="count"/> electron showers (the toy's label 1) from a seeded mix.</summary>
    public static float[] Electrons(int count, int seed)
    {
        var (images, labels) = CaloImages.Generate(3 * count, seed);
        int cells = CaloImages.Size * CaloImages.Size;
        return [.. Enumerable.Range(0, labels.Length).Where(i => labels[i] == 1).Take(count).SelectMany(i => images.AsSpan(i * cells, cells).ToArray())];
    }

    private static float[] Scaled(float[] images) => [.. images.Select(cell => cell * CellScale)];
}

/// <summary>
/// Each shower's total energy (the sum of its cells; 1 for the toy's normalised showers, plus noise), width
/// (<see cref="CaloImages.Width"/>) and centre column (the energy-weighted mean column of its positive cells, 0–11).
/// </summary>
public sealed record ShowerFeatures(double[] Energy, double[] Width, double[] CentreColumn)
{
    public static ShowerFeatures Of(float[] images)
    {
        int cells = CaloImages.Size * CaloImages.Size, count = images.Length / cells;
        var energy = new double[count];
        var width = new double[count];
        var centre = new double[count];
        for (int i = 0; i < count; i++)
        {
            var image = images.AsSpan(i * cells, cells);
            double positive = 0;
            for (int c = 0; c < cells; c++)
            {
                energy[i] += image[c];
                positive += Math.Max(image[c], 0);
                centre[i] += Math.Max(image[c], 0) * (c % CaloImages.Size);
            }

            width[i] = CaloImages.Width(image);
            centre[i] /= positive;
        }

        return new ShowerFeatures(energy, width, centre);
    }
}

/// <summary>Distances between two samples of one quantity.</summary>
public static class Distances
{
    /// <summary>
    /// The Wasserstein-1 (earth mover's) distance of two samples of equal size: the mean absolute difference of their sorted
    /// values, in the quantity's unit (scipy's <c>wasserstein_distance</c> for equal counts).
    /// </summary>
    public static double Wasserstein1(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count != b.Count || a.Count == 0) throw new ArgumentException($"Two samples of one size are needed, not {a.Count} and {b.Count}.", nameof(b));
        double[] x = [.. a.Order()], y = [.. b.Order()];
        return x.Zip(y, (p, q) => Math.Abs(p - q)).Average();
    }
}
