namespace DeepPhys.Samples.CaloCnn;

/// <summary>
/// A seeded toy of calorimeter images: one 12 × 12 cell patch per particle, the deposit of a
/// Gaussian shower around a point jittered near the centre, normalised to unit sum, plus cell noise.
/// Electrons shower narrowly (width 0.7–1.3 cells, as a Molière radius); pions widely and unevenly
/// (1.0–2.2 cells, with a satellite cluster in a third of them). Label 1 is the electron (signal).
/// </summary>
public static class CaloImages
{
    /// <summary>Cells per side.</summary>
    public const int Size = 12;

    /// <summary>Noise per cell, as a fraction of the image's unit sum.</summary>
    public const double Noise = 0.008;

    /// <summary><paramref name="count"/> images (<c>[count, 1, 12, 12]</c>) and labels (1: electron, 0: pion), half of each in random order.</summary>
    public static (float[] Images, int[] Labels) Generate(int count, int seed)
    {
        var random = new RandomStream(seed);
        var images = new float[count * Size * Size];
        var labels = new int[count];
        var cells = new double[Size * Size];
        for (int i = 0; i < count; i++)
        {
            bool electron = random.NextDouble() < 0.5;
            labels[i] = electron ? 1 : 0;
            Array.Clear(cells);
            double x = (Size - 1) / 2.0 + (random.NextDouble() - 0.5) * 2, y = (Size - 1) / 2.0 + (random.NextDouble() - 0.5) * 2;
            Shower(cells, x, y, electron ? 0.7 + 0.6 * random.NextDouble() : 1.0 + 1.2 * random.NextDouble(), 1);
            if (!electron && random.NextDouble() < 1 / 3.0)
            {
                Shower(cells, x + (random.NextDouble() - 0.5) * 6, y + (random.NextDouble() - 0.5) * 6, 0.8, 0.2 + 0.3 * random.NextDouble());
            }

            double sum = cells.Sum();
            var image = images.AsSpan(i * Size * Size, Size * Size);
            for (int c = 0; c < cells.Length; c++) image[c] = (float)(cells[c] / sum + Noise * random.NextNormal());
        }

        return (images, labels);
    }

    /// <summary>The deposits' spread around their energy-weighted centre, in cells: the classic shower-width variable.</summary>
    public static double Width(ReadOnlySpan<float> image)
    {
        double sum = 0, mx = 0, my = 0, mxx = 0, myy = 0;
        for (int c = 0; c < image.Length; c++)
        {
            double e = Math.Max(image[c], 0), x = c % Size, y = c / Size;
            (sum, mx, my, mxx, myy) = (sum + e, mx + e * x, my + e * y, mxx + e * x * x, myy + e * y * y);
        }

        mx /= sum;
        my /= sum;
        return Math.Sqrt(Math.Max(mxx / sum - mx * mx + myy / sum - my * my, 0));
    }

    private static void Shower(double[] cells, double x, double y, double width, double energy)
    {
        for (int c = 0; c < cells.Length; c++)
        {
            double dx = c % Size - x, dy = c / Size - y;
            cells[c] += energy * Math.Exp(-(dx * dx + dy * dy) / (2 * width * width));
        }
    }
}
