using System.Numerics;
using DeepPhys.Kernels;

namespace DeepPhys.Runtime.Tests.Kernels;

public class InitializersTests
{
    private const int FanIn = 300, FanOut = 100;

    private static T[] Glorot<T>(int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var weights = new T[FanIn * FanOut];
        Initializers.GlorotUniform<T>(weights, FanIn, FanOut, new RandomStream(seed));
        return weights;
    }

    private static T[] He<T>(int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var weights = new T[FanIn * FanOut];
        Initializers.HeUniform<T>(weights, FanIn, new RandomStream(seed));
        return weights;
    }

    [Fact]
    public void GlorotUniformHasTheGlorotLimitAndVariance()
    {
        double limit = Math.Sqrt(6.0 / (FanIn + FanOut));
        CheckDistribution(Glorot<float>(1), limit);
        CheckDistribution(Glorot<double>(1), limit);
    }

    [Fact]
    public void HeUniformHasTheHeLimitAndVariance()
    {
        double limit = Math.Sqrt(6.0 / FanIn);
        CheckDistribution(He<float>(1), limit);
        CheckDistribution(He<double>(1), limit);
    }

    [Theory]
    [InlineData(12, 5)]
    [InlineData(5, 12)]
    [InlineData(7, 7)]
    public void Orthogonal_HasOrthonormalColumnsOrRows_AndIsSeeded(int rows, int columns)
    {
        var weights = new double[rows * columns];
        Initializers.Orthogonal<double>(weights, rows, columns, new RandomStream(4));

        // The shorter side's vectors are orthonormal: WᵀW = I for a tall matrix, WWᵀ = I for a wide one.
        bool byColumn = rows >= columns;
        int count = Math.Min(rows, columns), length = Math.Max(rows, columns);
        double At(int vector, int i) => byColumn ? weights[(i * columns) + vector] : weights[(vector * columns) + i];
        for (int a = 0; a < count; a++)
        {
            for (int b = 0; b < count; b++)
            {
                double dot = Enumerable.Range(0, length).Sum(i => At(a, i) * At(b, i));
                Assert.Equal(a == b ? 1 : 0, dot, 1e-12);
            }
        }

        var again = new float[rows * columns];
        Initializers.Orthogonal<float>(again, rows, columns, new RandomStream(4));
        Assert.Equal(weights.Select(w => (float)w), again);
    }

    private static void CheckDistribution<T>(T[] weights, double limit)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Compared in T: rounding is monotonic, so a double draw inside ±limit stays inside ±(T)limit.
        T bound = T.CreateChecked(limit);
        Assert.All(weights, w => Assert.InRange(w, -bound, bound));

        double mean = weights.Average(w => double.CreateChecked(w));
        double variance = weights.Sum(w => Math.Pow(double.CreateChecked(w) - mean, 2)) / (weights.Length - 1);
        // U(−l, l) has variance l²/3; with 30 000 draws the sample variance is within about 0.5 % of it.
        Assert.InRange(variance, 0.97 * limit * limit / 3, 1.03 * limit * limit / 3);
        Assert.InRange(mean, -0.02 * limit, 0.02 * limit);
        // Both halves of the interval are used, up to near the limit.
        Assert.True(weights.Max(w => double.CreateChecked(w)) > 0.99 * limit);
        Assert.True(weights.Min(w => double.CreateChecked(w)) < -0.99 * limit);
    }

    [Fact]
    public void SameSeedGivesIdenticalWeights()
    {
        Assert.Equal(Glorot<double>(42), Glorot<double>(42));
        Assert.Equal(Glorot<float>(42), Glorot<float>(42));
        Assert.Equal(He<double>(42), He<double>(42));
    }

    [Fact]
    public void DifferentSeedsGiveDifferentWeights()
    {
        var first = Glorot<double>(42);
        var second = Glorot<double>(43);
        // Essentially every weight differs, not just a few.
        Assert.True(first.Zip(second).Count(pair => pair.First != pair.Second) > first.Length - 10);
        Assert.NotEqual(He<double>(42), He<double>(43));
    }

    [Fact]
    public void FloatWeightsAreTheRoundedDoubleWeights()
    {
        var single = Glorot<float>(7);
        var wide = Glorot<double>(7);
        Assert.Equal(wide.Select(w => (float)w), single);
    }

    [Fact]
    public void DrawsOneValuePerWeightInIndexOrder()
    {
        var weights = new double[5];
        Initializers.HeUniform<double>(weights, 6, new RandomStream(3));
        var random = new RandomStream(3);
        // l = √(6 / 6) = 1, so each weight is 2u − 1.
        Assert.Equal(Enumerable.Range(0, 5).Select(_ => 2 * random.NextDouble() - 1), weights);
    }
}
