using DeepPhys.IO;

namespace DeepPhys.Runtime.Tests.IO;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("deepphys-atomic-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void WriteAllText_ReplacesTheFileAndLeavesNothingElse()
    {
        string path = Path.Combine(folder, "history.json");
        File.WriteAllText(path, "old");

        string written = AtomicFile.WriteAllText(path, "new content");

        Assert.Equal(path, written);
        Assert.Equal("new content", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(folder));
    }

    [Fact]
    public void AWriterThatFailsHalfway_LeavesThePreviousFileAndNoTemporary()
    {
        string path = Path.Combine(folder, "model.json");
        File.WriteAllText(path, "last good");

        Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half a fi"u8);
            throw new IOException("disk full");
        }));

        Assert.Equal("last good", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(folder));
    }

    [Fact]
    public void Replace_GivesTheWriterAPathWithTheTargetsExtension_AndCreatesTheFolder()
    {
        string path = Path.Combine(folder, "plots", "roc.png");
        string? seen = null;

        AtomicFile.Replace(path, temporary =>
        {
            seen = temporary;
            File.WriteAllBytes(temporary, [1, 2, 3]);
        });

        Assert.Equal(".png", Path.GetExtension(seen));
        Assert.Equal(Path.GetDirectoryName(path), Path.GetDirectoryName(seen));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
    }
}
