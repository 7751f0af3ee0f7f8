namespace DeepPhys;

/// <summary>
/// A DSL text that does not compile: every diagnostic the generator would report for it, with the same ids
/// (<c>DPHnnnn</c>, see docs/diagnostics.md), lines and columns.
/// </summary>
public sealed class NetworkCompileException : Exception
{
    internal NetworkCompileException(string? path, IReadOnlyList<NetworkDiagnostic> diagnostics)
        : base("The network does not compile:" + string.Concat(diagnostics.Select(diagnostic => "\n" + (path is null ? "" : path + ":") + diagnostic)))
    {
        Path = path;
        Diagnostics = diagnostics;
    }

    /// <summary>The .dph file given to <see cref="Networks.Load{T}"/>; <c>null</c> for a text given to <see cref="Networks.Compile{T}"/>.</summary>
    public string? Path { get; }

    /// <summary>Every diagnostic, errors, warnings and information, in the order the front end found them.</summary>
    public IReadOnlyList<NetworkDiagnostic> Diagnostics { get; }
}

/// <summary>One diagnostic of a DSL text.</summary>
/// <param name="Id">The diagnostic's id, e.g. <c>DPH0302</c>.</param>
/// <param name="Severity"><c>error</c>, <c>warning</c> or <c>info</c>.</param>
/// <param name="Line">1-based line in the text.</param>
/// <param name="Column">1-based column in the line.</param>
/// <param name="Message">The message, as the compiler shows it.</param>
public sealed record NetworkDiagnostic(string Id, string Severity, int Line, int Column, string Message)
{
    /// <summary><c>3:9: error DPH0302: …</c>, a compiler's message without the file.</summary>
    public override string ToString() => $"{Line}:{Column}: {Severity} {Id}: {Message}";
}
