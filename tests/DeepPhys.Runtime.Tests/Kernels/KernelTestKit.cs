using System.Numerics;
using DeepPhys.Kernels;

namespace DeepPhys.Runtime.Tests.Kernels;

/// <summary>Random data, tolerances and element-wise comparison shared by the kernel tests.</summary>
internal static class KernelTestKit
{
    /// <summary>Sizes that are not multiples of any vector width, plus one that is.</summary>
    public static readonly int[] OddSizes = [1, 3, 7, 16, 17, 33, 65];

    /// <summary>Relative tolerance (absolute below magnitude 1) for vectorised-versus-scalar comparisons.</summary>
    public static double Tolerance<T>() => typeof(T) == typeof(float) ? 1e-5 : 1e-12;

    /// <summary><paramref name="count"/> uniform values in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static T[] Uniform<T>(int seed, int count, double low = -1, double high = 1)
        where T : IFloatingPointIeee754<T>
    {
        var random = new RandomStream(seed);
        var values = new T[count];
        for (int i = 0; i < count; i++) values[i] = T.CreateChecked(low + (high - low) * random.NextDouble());
        return values;
    }

    /// <summary>One-hot rows with the class of each row drawn from <paramref name="seed"/>.</summary>
    public static T[] OneHot<T>(int seed, int batch, int classes)
        where T : IFloatingPointIeee754<T>
    {
        var random = new RandomStream(seed);
        var values = new T[batch * classes];
        for (int b = 0; b < batch; b++) values[b * classes + random.NextInt(classes)] = T.One;
        return values;
    }

    /// <summary>An array of NaN, so a kernel that accumulates instead of overwriting is caught.</summary>
    public static T[] Garbage<T>(int count)
        where T : IFloatingPointIeee754<T>
    {
        var values = new T[count];
        values.AsSpan().Fill(T.NaN);
        return values;
    }

    public static void Close<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, double tolerance, string context)
        where T : IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Close(expected[i], actual[i], tolerance, $"{context}, element {i}");
    }

    public static void Close<T>(T expected, T actual, double tolerance, string context)
        where T : IFloatingPointIeee754<T>
    {
        double e = double.CreateChecked(expected), a = double.CreateChecked(actual);
        // Written so NaN fails as well.
        if (!(Math.Abs(a - e) <= tolerance * Math.Max(1.0, Math.Abs(e))))
        {
            Assert.Fail($"{typeof(T).Name} {context}: expected {e:R}, got {a:R} (tolerance {tolerance}).");
        }
    }

    /// <summary>Σ seed ⊙ values: the scalar loss whose gradient with respect to values is the seed.</summary>
    public static double Weighted(ReadOnlySpan<double> seed, ReadOnlySpan<double> values)
    {
        double sum = 0;
        for (int i = 0; i < seed.Length; i++) sum += seed[i] * values[i];
        return sum;
    }

    /// <summary>Central difference of <paramref name="loss"/> with respect to each element of <paramref name="point"/>, which is restored.</summary>
    public static double[] FiniteDifferences(Span<double> point, Func<double> loss, double step = 1e-6)
    {
        var gradient = new double[point.Length];
        for (int i = 0; i < point.Length; i++)
        {
            double saved = point[i];
            point[i] = saved + step;
            double plus = loss();
            point[i] = saved - step;
            double minus = loss();
            point[i] = saved;
            gradient[i] = (plus - minus) / (2 * step);
        }

        return gradient;
    }

    /// <summary>Forces the named SIMD path (the GEMM's, which the convolution and pooling kernels follow) until the returned scope is disposed, then restores the start-up choice.</summary>
    public static ForcedPath OnPath(string path)
    {
        Gemm.ForcePath(Enum.Parse<GemmPath>(path));
        return default;
    }

    public readonly struct ForcedPath : IDisposable
    {
        public void Dispose() => Gemm.ForcePath(null);
    }
}
