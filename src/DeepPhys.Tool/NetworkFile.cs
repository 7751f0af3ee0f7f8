using System.Numerics;

namespace DeepPhys.Tool;

/// <summary>A .dph file compiled at run time (<see cref="Networks.Load{T}"/>), its problems as <see cref="ToolException"/>s.</summary>
internal static class NetworkFile
{
    /// <summary>The precision a network trains in: the one asked for, else the file's (<c>precision double</c>), else single.</summary>
    /// <param name="path">The .dph file.</param>
    /// <param name="requested">The <c>--precision</c> given, or null.</param>
    public static Precision PrecisionOf(string path, Precision? requested)
    {
        if (requested is { } precision) return precision;
        // Load<float> refuses a 'precision double' text before compiling it; a float text it compiles once, and the
        // Load that follows takes the compiled class from the process's cache.
        return TryLoad<float>(path, 0) is null ? Precision.Double : Precision.Single;
    }

    /// <summary>Compiles the network of <paramref name="path"/> as <typeparamref name="T"/>, parameters initialised from <paramref name="seed"/>.</summary>
    public static Network<T> Load<T>(string path, int seed) where T : unmanaged, IFloatingPointIeee754<T> =>
        TryLoad<T>(path, seed) ?? throw new ToolException($"{path} says 'precision double'; train it with --precision double (or without --precision).");

    /// <summary>The network, or null when the file says <c>precision double</c> and <typeparamref name="T"/> is float.</summary>
    private static Network<T>? TryLoad<T>(string path, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!File.Exists(path)) throw new ToolException($"{path}: no such network file.");
        try
        {
            return Networks.Load<T>(path, seed);
        }
        catch (NetworkCompileException e)
        {
            throw new ToolException(string.Join(Environment.NewLine, e.Diagnostics.Select(diagnostic => $"{path}:{diagnostic}")), diagnostics: true);
        }
        catch (ArgumentException e) when (e.ParamName == nameof(T))
        {
            return null;
        }
    }
}
