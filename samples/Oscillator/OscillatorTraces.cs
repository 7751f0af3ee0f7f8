namespace DeepPhys.Samples.Oscillator;

/// <summary>
/// A seeded toy of oscillator traces: <see cref="Steps"/> noisy samples of the displacement of a damped
/// oscillator, <c>x(t) = A e^(−γt) cos(ω t + φ)</c>, at <c>t = 0, Δt, …</c>. Half of them are also driven:
/// the steady-state response <c>B cos(Ω t + ψ)</c> to a periodic force is added, so their motion does not die
/// out. Every trace draws its own A ∈ [0.5, 1.5], γ ∈ [0.15, 0.5], ω ∈ [1.5, 3], φ and ψ uniform, and for the
/// driven ones B ∈ [0.1, 0.5] and Ω ∈ [1, 3]; then Gaussian noise of <see cref="Noise"/> per sample. A weak drive
/// under a slowly decaying transient looks like a damped trace, so the classes overlap. Label 1 is driven (signal).
/// </summary>
public static class OscillatorTraces
{
    /// <summary>Samples per trace.</summary>
    public const int Steps = 40;

    /// <summary>Time between samples: the traces span 10 time units.</summary>
    public const double TimeStep = 0.25;

    /// <summary>The noise's standard deviation per sample.</summary>
    public const double Noise = 0.1;

    /// <summary><paramref name="count"/> traces (<c>[count, Steps, 1]</c>) and labels (1: driven, 0: only damped), half of each in random order.</summary>
    public static (float[] Traces, int[] Labels) Generate(int count, int seed)
    {
        var random = new RandomStream(seed);
        var traces = new float[count * Steps];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            bool driven = random.NextDouble() < 0.5;
            labels[i] = driven ? 1 : 0;
            double amplitude = Uniform(random, 0.5, 1.5), damping = Uniform(random, 0.15, 0.5), frequency = Uniform(random, 1.5, 3), phase = Uniform(random, 0, 2 * Math.PI);
            double drive = driven ? Uniform(random, 0.1, 0.5) : 0, driveFrequency = Uniform(random, 1, 3), drivePhase = Uniform(random, 0, 2 * Math.PI);
            for (int s = 0; s < Steps; s++)
            {
                double t = s * TimeStep;
                double x = (amplitude * Math.Exp(-damping * t) * Math.Cos((frequency * t) + phase)) + (drive * Math.Cos((driveFrequency * t) + drivePhase));
                traces[(i * Steps) + s] = (float)(x + (Noise * random.NextNormal()));
            }
        }

        return (traces, labels);
    }

    /// <summary>
    /// The classic variable: the root-mean-square displacement of the last quarter of the trace over that of the first
    /// quarter. Free oscillations decay, so it is small for them and larger for driven ones.
    /// </summary>
    public static double LateToEarlyRatio(ReadOnlySpan<float> trace)
    {
        int quarter = trace.Length / 4;
        return Rms(trace[^quarter..]) / Rms(trace[..quarter]);
    }

    private static double Rms(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float value in values) sum += value * value;
        return Math.Sqrt(sum / values.Length);
    }

    private static double Uniform(RandomStream random, double low, double high) => low + ((high - low) * random.NextDouble());
}
