namespace DeepPhys.Samples.AnomalyDetection;

/// <summary>The kinds of event the toy generates: background and three signals.</summary>
public enum EventKind
{
    /// <summary>Multijet "zero-bias" events, the only kind the autoencoder sees in training.</summary>
    Background,

    /// <summary>A heavy resonance decaying into two hard, back-to-back, central jets: a shifted-mean bump in a few features.</summary>
    Resonance,

    /// <summary>Every object's pT drawn from a spectrum three times harder: wider tails in many features at once.</summary>
    HardTail,

    /// <summary>The two leading jets' pseudorapidities anti-correlated instead of correlated: every single feature as in the background, only a correlation flipped.</summary>
    CorrelationFlip,
}

/// <summary>
/// A seeded toy of level-1 trigger events in the layout of CMS's AXOL1TL inputs: 19 objects × (pT, η, φ) = 57 features,
/// slot 0 the missing transverse momentum (η = 0), slots 1–4 electrons/photons, 5–8 muons, 9–18 jets, each kind ordered by
/// falling pT, an absent object all zeros. The features are scaled by fixed physical units, pT / 50 GeV, η / 2.5 and φ / π,
/// not standardised per slot: a slot that is rarely filled (a third muon) would get a tiny spread, and each event filling
/// it a huge scaled value, so that lepton multiplicity alone would make the largest reconstruction errors.
/// <para>
/// <b>Background</b>: 2 + Poisson(2) jets (at most 10) with pT = 20 GeV + Exp(15 GeV), η ~ N(0, 1.5) cut at ±4, φ uniform;
/// the two leading ones are a correlated pair, a dijet: φ₂ = φ₁ + π + N(0, 0.3), pT₂ = pT₁ · U(0.7, 1), η₂ = 0.7 η₁ + N(0, 1).
/// Poisson(0.3) electrons/photons with pT = 10 GeV + Exp(8 GeV) and Poisson(0.1) muons with 5 GeV + Exp(6 GeV), η ~ N(0, 1.2)
/// cut at ±2.4. The missing momentum balances the visible objects: minus their vector pT sum plus N(0, 5 GeV) per component.
/// </para>
/// <para>
/// <b>Signals</b>, each built on a background event: <see cref="EventKind.Resonance"/> replaces the dijet by the decay of a
/// 300 GeV resonance (pT₁,₂ ~ N(140, 20) GeV, η ~ N(0, 1), back to back); <see cref="EventKind.HardTail"/> draws every
/// object's exponential pT part with three times the mean slope; <see cref="EventKind.CorrelationFlip"/> sets η₂ = −0.7 η₁ + N(0, 1),
/// which leaves each feature's distribution as in the background.
/// </para>
/// </summary>
public static class TriggerEvents
{
    /// <summary>Objects per event.</summary>
    public const int Objects = 19;

    /// <summary>Features per event: (pT, η, φ) per object.</summary>
    public const int Features = 3 * Objects;

    private const int MetSlot = 0, ElectronSlot = 1, MuonSlot = 5, JetSlot = 9, JetSlots = 10, LeptonSlots = 4;

    /// <summary><paramref name="count"/> events of one <paramref name="kind"/>, row-major <c>[count, Features]</c>.</summary>
    public static float[] Generate(EventKind kind, int count, int seed)
    {
        var random = new RandomStream(seed);
        var events = new float[count * Features];
        for (int i = 0; i < count; i++) Event(kind, random, events.AsSpan(i * Features, Features));
        return events;
    }

    private static void Event(EventKind kind, RandomStream random, Span<float> features)
    {
        double hardness = kind == EventKind.HardTail ? 3 : 1;
        var jets = Draw(random, 2 + Poisson(random, 2), JetSlots, threshold: 20, slope: 15 * hardness, etaWidth: 1.5, etaCut: 4);
        var (lead, second) = (jets[0], jets[1]);
        double etaSign = kind == EventKind.CorrelationFlip ? -1 : 1;
        second = (lead.Pt * Uniform(random, 0.7, 1), Math.Clamp((etaSign * 0.9 * lead.Eta) + (0.3 * random.NextNormal()), -4, 4), lead.Phi + Math.PI + (0.3 * random.NextNormal()));
        if (kind == EventKind.Resonance)
        {
            lead = (140 + (20 * random.NextNormal()), random.NextNormal(), lead.Phi);
            second = (140 + (20 * random.NextNormal()), random.NextNormal(), lead.Phi + Math.PI);
        }

        jets[0] = lead;
        jets[1] = second;
        var electrons = Draw(random, Poisson(random, 0.3), LeptonSlots, threshold: 10, slope: 8 * hardness, etaWidth: 1.2, etaCut: 2.4);
        var muons = Draw(random, Poisson(random, 0.1), LeptonSlots, threshold: 5, slope: 6 * hardness, etaWidth: 1.2, etaCut: 2.4);

        double px = 5 * random.NextNormal(), py = 5 * random.NextNormal();
        foreach (var (pt, _, phi) in jets.Concat(electrons).Concat(muons))
        {
            px -= pt * Math.Cos(phi);
            py -= pt * Math.Sin(phi);
        }

        Write(features, MetSlot, [(Math.Sqrt((px * px) + (py * py)), 0, Math.Atan2(py, px))]);
        Write(features, ElectronSlot, electrons);
        Write(features, MuonSlot, muons);
        Write(features, JetSlot, jets);
    }

    /// <summary><paramref name="count"/> objects (at most <paramref name="slots"/>), pT = threshold + Exp(slope).</summary>
    private static List<(double Pt, double Eta, double Phi)> Draw(RandomStream random, int count, int slots, double threshold, double slope, double etaWidth, double etaCut) =>
        Enumerable.Range(0, Math.Min(count, slots))
            .Select(_ => (threshold - (slope * Math.Log(1 - random.NextDouble())), Math.Clamp(etaWidth * random.NextNormal(), -etaCut, etaCut), Uniform(random, -Math.PI, Math.PI)))
            .ToList();

    /// <summary>Fills the slots from <paramref name="first"/> on by falling pT: pT / 50 GeV, η / 2.5, φ (wrapped into (−π, π]) / π.</summary>
    private static void Write(Span<float> features, int first, List<(double Pt, double Eta, double Phi)> objects)
    {
        int slot = first;
        foreach (var (pt, eta, phi) in objects.OrderByDescending(o => o.Pt))
        {
            features[3 * slot] = (float)(pt / 50);
            features[(3 * slot) + 1] = (float)(eta / 2.5);
            features[(3 * slot) + 2] = (float)(Math.Atan2(Math.Sin(phi), Math.Cos(phi)) / Math.PI);
            slot++;
        }
    }

    /// <summary>Knuth's multiplication method, fine for the small means here.</summary>
    private static int Poisson(RandomStream random, double mean)
    {
        double limit = Math.Exp(-mean), product = random.NextDouble();
        int count = 0;
        while (product > limit)
        {
            product *= random.NextDouble();
            count++;
        }

        return count;
    }

    private static double Uniform(RandomStream random, double low, double high) => low + ((high - low) * random.NextDouble());
}
