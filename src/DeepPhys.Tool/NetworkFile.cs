using System.Numerics;

namespace DeepPhys.Tool;

/// <summary>A .dph file compiled at run time (<see cref="Networks.Load{T}"/>), its problems as <see cref="ToolException"/>s.</summary>
internal static class NetworkFile
{
    /// <summary>The precision a network trains in: the one asked for, else the file's (<c>precision double</c>), else single.</summary>
    /// <param name="path">The .dph file.</param>
    /// <param name="requested">The <c>--precision</c> given, or null.</param>
    public static Precision PrecisionOf(string path, Precision? requested) => requested ?? Networks.DeclaredPrecision(Read(path));

    /// <summary>Compiles the network of <paramref name="path"/> as <typeparamref name="T"/>, parameters initialised from <paramref name="seed"/>.</summary>
    public static Network<T> Load<T>(string path, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && Networks.DeclaredPrecision(Read(path)) == Precision.Double)
        {
            throw new ToolException($"{path} says 'precision double'; train it with --precision double (or without --precision).");
        }

        try
        {
            return Networks.Load<T>(path, seed);
        }
        catch (NetworkCompileException e)
        {
            throw new ToolException(string.Join(Environment.NewLine, e.Diagnostics.Select(diagnostic => $"{path}:{diagnostic}")), diagnostics: true);
        }
    }

    private static string Read(string path) => File.Exists(path) ? File.ReadAllText(path) : throw new ToolException($"{path}: no such network file.");
}
