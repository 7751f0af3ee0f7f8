using DeepPhys;

namespace DeepPhys.Samples.CaloRegression;

/// <summary>One simulated shower.</summary>
/// <param name="TrueEnergy">The electron's energy in GeV.</param>
/// <param name="Deposits">The visible energy read out in each layer, in GeV (after the sampling fraction, with noise).</param>
/// <param name="Containment">The fraction of the shower's energy inside the calorimeter (the rest leaks out the back).</param>
public sealed record CaloEvent(double TrueEnergy, double[] Deposits, double Containment);

/// <summary>
/// A toy sampling calorimeter for electrons: <see cref="Layers"/> layers of
/// <see cref="LayerDepth"/> radiation lengths X₀ each, read out separately.
/// <list type="bullet">
/// <item><b>Longitudinal profile</b> (PDG, Longo's parameterisation): dE/dt ∝ (bt)^(α−1) e^(−bt), t in
/// X₀ from the shower start, b = 0.5, shower maximum t_max = (α − 1)/b = ln(E/E_c) − 0.5 with critical
/// energy E_c = 10 MeV. The start fluctuates: the first interaction is at a depth drawn from an
/// exponential with mean 1 X₀ (9/7 X₀ is the photon conversion length; 1 is close enough for a toy).
/// The part of the profile beyond the last layer leaks out: its fraction varies event by event.</item>
/// <item><b>Sampling fluctuations</b>: the energy E·fᵢ in layer i fluctuates by a normal σᵢ = a·√(E·fᵢ)
/// with a = 0.15 √GeV, so the contained sum has σ/E = a/√E (the stochastic term).</item>
/// <item><b>Constant term</b>: the whole event is scaled by 1 + c·N(0, 1), c = 1 % (calibration non-uniformity).</item>
/// <item><b>Sampling fraction</b> f_s = 0.1: only a tenth of the energy is visible in the active layers.</item>
/// <item><b>Electronic noise</b>: each layer's readout gets a normal σ_n = 5 MeV (visible), uncorrelated.</item>
/// </list>
/// Altogether σ/E = a/√E ⊕ c ⊕ √N·σ_n/(f_s·E) for a contained shower (<see cref="ExpectedResolution"/>).
/// </summary>
public static class ToyCalorimeter
{
    /// <summary>Number of read-out layers.</summary>
    public const int Layers = 8;

    /// <summary>Depth of one layer in radiation lengths.</summary>
    public const double LayerDepth = 2.5;

    /// <summary>Stochastic term a in σ/E = a/√E, in √GeV.</summary>
    public const double Stochastic = 0.15;

    /// <summary>Constant term c.</summary>
    public const double Constant = 0.01;

    /// <summary>Visible fraction of the deposited energy.</summary>
    public const double SamplingFraction = 0.1;

    /// <summary>Electronic noise per layer, GeV of visible energy.</summary>
    public const double Noise = 0.005;

    private const double CriticalEnergy = 0.010, B = 0.5, Step = 0.05, ProfileEnd = 80;

    /// <summary>The relative resolution σ/E of the summed deposits of a shower of <paramref name="energy"/> GeV with <paramref name="containment"/> of it inside: the three terms added in quadrature.</summary>
    public static double ExpectedResolution(double energy, double containment = 1)
    {
        double contained = energy * containment;
        double noise = Math.Sqrt(Layers) * Noise / (SamplingFraction * contained);
        return Math.Sqrt(Stochastic * Stochastic / contained + Constant * Constant + noise * noise);
    }

    /// <summary>The fraction of the shower in each layer when it starts at depth <paramref name="start"/> X₀; the sum is the containment.</summary>
    public static double[] Profile(double energy, double start)
    {
        double alpha = B * Math.Max(Math.Log(energy / CriticalEnergy) - 0.5, 0.1) + 1;
        var fractions = new double[Layers];
        double total = 0;
        for (double s = Step / 2; s < ProfileEnd; s += Step)   // s: depth from the shower start (midpoint rule)
        {
            double density = Math.Pow(B * s, alpha - 1) * Math.Exp(-B * s);
            total += density;
            int layer = (int)((start + s) / LayerDepth);
            if (layer < Layers) fractions[layer] += density;
        }

        for (int i = 0; i < Layers; i++) fractions[i] /= total;
        return fractions;
    }

    /// <summary>Simulates one electron of <paramref name="energy"/> GeV; every draw comes from <paramref name="random"/>.</summary>
    public static CaloEvent Shoot(double energy, RandomStream random)
    {
        ArgumentNullException.ThrowIfNull(random);
        double start = -Math.Log(1 - random.NextDouble());
        double[] fractions = Profile(energy, start);
        double scale = 1 + Constant * random.NextNormal();
        var deposits = new double[Layers];
        for (int i = 0; i < Layers; i++)
        {
            double inLayer = energy * fractions[i];
            double sampled = inLayer + Stochastic * Math.Sqrt(inLayer) * random.NextNormal();
            deposits[i] = SamplingFraction * scale * sampled + Noise * random.NextNormal();
        }

        return new CaloEvent(energy, deposits, fractions.Sum());
    }

    /// <summary><paramref name="count"/> electrons with energies uniform in [<paramref name="minEnergy"/>, <paramref name="maxEnergy"/>] GeV.</summary>
    public static CaloEvent[] Generate(int count, RandomStream random, double minEnergy = 2, double maxEnergy = 100)
    {
        ArgumentNullException.ThrowIfNull(random);
        var events = new CaloEvent[count];
        for (int i = 0; i < count; i++) events[i] = Shoot(minEnergy + (maxEnergy - minEnergy) * random.NextDouble(), random);
        return events;
    }
}
