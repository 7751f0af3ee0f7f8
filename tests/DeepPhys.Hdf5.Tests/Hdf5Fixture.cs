using System.Text.Json;

namespace DeepPhys.Hdf5.Tests;

/// <summary>The values h5py wrote into the fixture files (Fixtures/hdf5_fixtures.json, by make_hdf5_fixtures.py).</summary>
internal static class Hdf5Fixture
{
    private static readonly JsonElement Root =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "hdf5_fixtures.json"))).RootElement;

    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    /// <summary>The shape and the row-major values of dataset <paramref name="key"/> (<c>file/dataset</c>).</summary>
    public static (int[] Shape, double[] Values) Array(string key)
    {
        var entry = Root.GetProperty(key);
        return (entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            entry.GetProperty("values").EnumerateArray().Select(e => e.GetDouble()).ToArray());
    }
}
