namespace DeepPhys.IO;

/// <summary>
/// Replaces files atomically: the content goes to a temporary file in the same folder, is flushed
/// to disk, and is renamed over the target. A crash or an exception mid-write leaves the previous
/// file intact and no temporary file behind, so a reader never sees half a file.
/// </summary>
public static class AtomicFile
{
    /// <summary>Replaces <paramref name="path"/> with what <paramref name="writeTemporary"/> writes to the temporary path it is given.</summary>
    /// <param name="path">The target; its folder is created when missing.</param>
    /// <param name="writeTemporary">Writes the whole content to the given path (which keeps the target's extension, for writers that look at it).</param>
    /// <returns>The full path of the target.</returns>
    public static string Replace(string path, Action<string> writeTemporary)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(writeTemporary);
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        string temporary = Path.Combine(folder, $".{Path.GetFileNameWithoutExtension(full)}.{Guid.NewGuid():N}.tmp{Path.GetExtension(full)}");
        try
        {
            writeTemporary(temporary);
            using (var stream = new FileStream(temporary, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            {
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }

        return full;
    }

    /// <summary>Replaces <paramref name="path"/> with what <paramref name="write"/> writes to a stream.</summary>
    /// <param name="path">The target; its folder is created when missing.</param>
    /// <param name="write">Writes the whole content.</param>
    /// <returns>The full path of the target.</returns>
    public static string Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        return Replace(path, temporary =>
        {
            using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            write(stream);
        });
    }

    /// <summary>Replaces <paramref name="path"/> with <paramref name="text"/> in UTF-8.</summary>
    /// <param name="path">The target; its folder is created when missing.</param>
    /// <param name="text">The whole content.</param>
    /// <returns>The full path of the target.</returns>
    public static string WriteAllText(string path, string text) => Replace(path, temporary => File.WriteAllText(temporary, text));
}
