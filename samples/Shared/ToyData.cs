using DeepPhys.Data;

namespace DeepPhys.Samples.Shared;

/// <summary>The small seeded data sets the training samples share.</summary>
public static class ToyData
{
    /// <summary>Training and validation sets of <see cref="NoisySine"/>, drawn with seeds <paramref name="seed"/> and <paramref name="seed"/> + 1.</summary>
    /// <param name="trainCount">Training samples.</param>
    /// <param name="validationCount">Validation samples.</param>
    /// <param name="noise">σ of the Gaussian noise on y.</param>
    /// <param name="seed">Seeds the training set; the next seed the validation set.</param>
    public static (Dataset<float> Train, Dataset<float> Validation) NoisySineSplit(int trainCount, int validationCount, double noise, int seed) =>
        (NoisySine(trainCount, noise, seed), NoisySine(validationCount, noise, seed + 1));

    /// <summary><paramref name="count"/> points (x, sin 3x + N(0, σ²)) with x uniform in [−1, 1]: one feature, one target.</summary>
    /// <param name="count">Samples.</param>
    /// <param name="noise">σ of the Gaussian noise on y.</param>
    /// <param name="seed">Seeds x and the noise.</param>
    public static Dataset<float> NoisySine(int count, double noise, int seed)
    {
        var random = new RandomStream(seed);
        var x = new float[count];
        var y = new float[count];
        for (int i = 0; i < count; i++)
        {
            x[i] = (float)(2 * random.NextDouble() - 1);
            y[i] = (float)(Math.Sin(3 * x[i]) + noise * random.NextNormal());
        }

        return new Dataset<float>(x, 1, y, 1, ["x"]);
    }
}
