namespace DeepPhys;

/// <summary>
/// A seeded xoshiro256** stream: the one source of randomness for initialisation, shuffling and
/// splitting. Its sequence is fixed by this code, not by the .NET version, so the same seed gives
/// bit-identical results everywhere.
/// </summary>
public sealed class RandomStream
{
    private ulong s0, s1, s2, s3;

    /// <summary>Seeds the four state words from <paramref name="seed"/> through SplitMix64, as the xoshiro authors recommend.</summary>
    /// <param name="seed">Any value; equal seeds give equal streams.</param>
    public RandomStream(long seed)
    {
        ulong x = unchecked((ulong)seed);
        s0 = SplitMix64(ref x);
        s1 = SplitMix64(ref x);
        s2 = SplitMix64(ref x);
        s3 = SplitMix64(ref x);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = ulong.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in [0, <paramref name="bound"/>), without modulo bias (Lemire's method).</summary>
    /// <param name="bound">The exclusive upper bound, at least 1.</param>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bound, 1);
        ulong range = (ulong)bound;
        UInt128 product = (UInt128)NextUInt64() * range;
        if ((ulong)product < range)
        {
            ulong threshold = (0UL - range) % range;
            while ((ulong)product < threshold) product = (UInt128)NextUInt64() * range;
        }

        return (int)(ulong)(product >> 64);
    }

    /// <summary>A standard normal value (Box–Muller, one value per call).</summary>
    public double NextNormal()
    {
        double u1 = 1.0 - NextDouble(); // (0, 1]: log stays finite
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Shuffles <paramref name="values"/> in place (Fisher–Yates).</summary>
    public void Shuffle<TItem>(Span<TItem> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
