namespace DeepPhys.Runtime.Tests;

public class RandomStreamTests
{
    [Fact]
    public void FirstOutputs_MatchTheXoshiroReference()
    {
        // SplitMix64-seeded xoshiro256** with seed 0, as the reference C code computes it
        // (state words from splitmix64(0): e220a8397b1dcdaf, 6e789e6aa1b965f4, 06c45d188009454f, f88bb8a8724c81ec).
        var random = new RandomStream(0);

        Assert.Equal(0x99EC5F36CB75F2B4UL, random.NextUInt64());
        Assert.Equal(0xBF6E1F784956452AUL, random.NextUInt64());
    }

    [Fact]
    public void SameSeed_SameStream_OtherSeed_OtherStream()
    {
        var a = new RandomStream(42);
        var b = new RandomStream(42);
        var c = new RandomStream(43);

        for (int i = 0; i < 100; i++) Assert.Equal(a.NextUInt64(), b.NextUInt64());
        Assert.NotEqual(new RandomStream(42).NextUInt64(), c.NextUInt64());
    }

    [Fact]
    public void NextInt_IsUniformAndInRange()
    {
        var random = new RandomStream(5);
        var counts = new int[6];
        for (int i = 0; i < 60_000; i++) counts[random.NextInt(6)]++;

        // 10,000 expected per face; 4 standard deviations is about ±365.
        Assert.All(counts, c => Assert.InRange(c, 9_635, 10_365));
    }

    [Fact]
    public void NextNormal_HasUnitVariance()
    {
        var random = new RandomStream(8);
        double sum = 0, squares = 0;
        const int n = 100_000;
        for (int i = 0; i < n; i++)
        {
            double x = random.NextNormal();
            sum += x;
            squares += x * x;
        }

        Assert.InRange(sum / n, -0.015, 0.015);
        Assert.InRange(squares / n, 0.98, 1.02);
    }

    [Fact]
    public void Shuffle_IsAPermutation()
    {
        int[] values = Enumerable.Range(0, 50).ToArray();

        new RandomStream(1).Shuffle(values.AsSpan());

        Assert.NotEqual(Enumerable.Range(0, 50), values);
        Assert.Equal(Enumerable.Range(0, 50), values.Order());
    }
}
