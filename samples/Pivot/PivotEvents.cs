namespace DeepPhys.Samples.Pivot;

/// <summary>
/// A seeded toy for mass decorrelation. Each event has a "mass" m in [0, 1] and two features the classifier sees:
/// x₁, a discriminant that does not depend on the mass (signal N(0.5, 1), background N(−0.5, 1)), and x₂ = m + N(0, 0.03), a
/// measurement of the mass itself. Signal is a resonance, m ~ N(0.5, 0.05) (cut to [0, 1]); background a falling spectrum,
/// m ~ Exp(mean 1/3) cut to [0, 1] (drawn by inverting its distribution function). A classifier that uses x₂ selects background
/// near m = 0.5: a cut on its output sculpts a peak into the smooth background mass spectrum, the effect the adversary removes.
/// </summary>
public static class PivotEvents
{
    /// <summary>Features per event: x₁, x₂.</summary>
    public const int Features = 2;

    /// <summary><paramref name="count"/> events, half signal in random order: features <c>[count, 2]</c>, masses and labels (1: signal).</summary>
    public static (float[] Features, double[] Masses, int[] Labels) Generate(int count, int seed)
    {
        var random = new RandomStream(seed);
        var features = new float[count * Features];
        var masses = new double[count];
        var labels = new int[count];
        double tail = 1 - Math.Exp(-3); // the exponential's probability below m = 1
        for (int i = 0; i < count; i++)
        {
            bool signal = random.NextDouble() < 0.5;
            double mass = signal ? Math.Clamp(0.5 + (0.05 * random.NextNormal()), 0, 1) : -Math.Log(1 - (tail * random.NextDouble())) / 3;
            (masses[i], labels[i]) = (mass, signal ? 1 : 0);
            features[Features * i] = (float)((signal ? 0.5 : -0.5) + random.NextNormal());
            features[(Features * i) + 1] = (float)(mass + (0.03 * random.NextNormal()));
        }

        return (features, masses, labels);
    }
}
