using DeepPhys.Data;
using DeepPhys.Metrics;
using DeepPhys.Optimizers;
using DeepPhys.Samples.CaloCnn;

namespace DeepPhys.Samples.AnomalyDetection;

/// <summary>
/// A convolutional autoencoder of 12 × 12 calorimeter images: two convolution–pooling stages down to 4 × 3 × 3 = 36 values,
/// then nearest upsampling, a convolution and a transposed convolution of stride 2 back to 1 × 12 × 12.
/// </summary>
[Network(Loss = Loss.MeanSquaredError)]
[Input(1, CaloImages.Size, CaloImages.Size)]
[Conv2D(8, 3, Activation.ReLU, Padding = Padding.Same)]
[MaxPool2D(2)]
[Conv2D(4, 3, Activation.ReLU, Padding = Padding.Same)]
[MaxPool2D(2)]
[UpSampling2D(2)]
[Conv2D(8, 3, Activation.ReLU, Padding = Padding.Same)]
[Conv2DTranspose(1, 3, Stride = 2, Padding = Padding.Same)]
public partial class CaloAutoencoder;

/// <summary>
/// Trains the convolutional autoencoder on one kind of shower only and scores the other kind as the anomaly by the reconstruction
/// error. Trained on pions it flags electrons; trained on electrons it does not flag pions: their wide, smooth showers are
/// easier to reconstruct than the narrow peaks it was trained on (the error measures how hard an image is, not how new).
/// </summary>
public static class CaloAnomalyPipeline
{
    /// <summary>Images to train on.</summary>
    public const int TrainCount = 3000;

    /// <summary>Test images per kind.</summary>
    public const int TestCount = 2000;

    /// <summary>Training epochs.</summary>
    public const int Epochs = 5;

    /// <summary>The network sees cells × 10, so that a shower's core is of order 1 (the images sum to 1 over 144 cells).</summary>
    public const float CellScale = 10;

    /// <summary>What a run gives.</summary>
    /// <param name="FinalLoss">The last epoch's mean squared error (scaled cells).</param>
    /// <param name="NormalScores">Test images of the trained kind: their reconstruction errors.</param>
    /// <param name="AnomalyScores">Test images of the other kind: their reconstruction errors.</param>
    /// <param name="Roc">The other kind (the anomaly, label 1) against the trained kind.</param>
    public sealed record Result(double FinalLoss, double[] NormalScores, double[] AnomalyScores, RocCurve Roc);

    /// <summary>Trains on electrons (<paramref name="trainOnElectrons"/>) or pions, scores test images of both kinds.</summary>
    public static Result Run(int seed, bool trainOnElectrons, int trainCount = TrainCount, int testCount = TestCount, int epochs = Epochs)
    {
        float[] train = Kind(trainOnElectrons, trainCount, seed);
        var network = new CaloAutoencoder(seed);
        var history = network.Fit(new Dataset<float>(train, train.Length / trainCount, train, train.Length / trainCount), new Adam(0.003), epochs, batchSize: 32);

        double[] Scores(bool electron, int offset)
        {
            var scores = new float[testCount];
            network.ReconstructionError(Kind(electron, testCount, seed + offset), scores);
            return scores.Select(score => (double)score).ToArray();
        }

        double[] normal = Scores(trainOnElectrons, 1), anomalies = Scores(!trainOnElectrons, 2);
        int[] labels = [.. new int[testCount], .. Enumerable.Repeat(1, testCount)];
        return new Result(history[^1].Loss, normal, anomalies, RocCurve.Compute([.. normal, .. anomalies], labels));
    }

    /// <summary><paramref name="count"/> scaled images of one kind, the other kind's images of <see cref="CaloImages.Generate"/> skipped.</summary>
    private static float[] Kind(bool electron, int count, int seed)
    {
        const int Cells = CaloImages.Size * CaloImages.Size;
        var (images, labels) = CaloImages.Generate(3 * count, seed); // half of each kind: 1.5 × count expected, short by 10 σ at most
        int[] picked = Enumerable.Range(0, labels.Length).Where(i => (labels[i] == 1) == electron).Take(count).ToArray();
        if (picked.Length < count) throw new InvalidOperationException($"Only {picked.Length} of {count} images of the kind among {labels.Length}.");
        var kind = new float[count * Cells];
        for (int i = 0; i < count; i++)
        {
            for (int c = 0; c < Cells; c++) kind[(i * Cells) + c] = images[(picked[i] * Cells) + c] * CellScale;
        }

        return kind;
    }
}
