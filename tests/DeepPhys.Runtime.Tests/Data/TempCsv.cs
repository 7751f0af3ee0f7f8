namespace DeepPhys.Runtime.Tests.Data;

/// <summary>A CSV file in a fresh temporary folder, deleted on dispose.</summary>
internal sealed class TempCsv : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("deepphys-data-").FullName;

    public TempCsv(string content)
    {
        Path = System.IO.Path.Combine(folder, "data.csv");
        File.WriteAllText(Path, content);
    }

    public string Path { get; }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
