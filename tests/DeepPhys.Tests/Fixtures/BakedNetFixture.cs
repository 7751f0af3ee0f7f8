namespace DeepPhys.Tests;

/// <summary>
/// The checkpoint <c>make_baked_weights.py</c> wrote to <c>Fixtures/BakedNet.weights.json</c>, and its values computed
/// here as the script's docstring defines them. Each is one correctly rounded division of two integers, so these
/// are the very doubles in the file. Shared with DeepPhys.Generators.Tests, which bakes the same file.
/// </summary>
internal static class BakedNetFixture
{
    public const string FileName = "BakedNet.weights.json";

    public static string FilePath => Path.Combine(AppContext.BaseDirectory, "Fixtures", FileName);

    /// <summary>34 parameters (−1)ⁱ (i + 1) / 37: full mantissas, both signs.</summary>
    public static double[] Parameters() => [.. Enumerable.Range(0, 34).Select(i => (i % 2 == 0 ? 1 : -1) * (i + 1) / 37.0)];

    /// <summary>Batch norm's running means (2j − 3) / 10, then its running variances (j + 3) / 3.</summary>
    public static double[] State() => [.. Enumerable.Range(0, 4).Select(j => (2 * j - 3) / 10.0), .. Enumerable.Range(0, 4).Select(j => (j + 3) / 3.0)];
}
