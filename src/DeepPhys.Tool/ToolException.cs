namespace DeepPhys.Tool;

/// <summary>A bad argument or file: <see cref="Cli.Run"/> prints the message on standard error and exits with code 2.</summary>
/// <param name="message">What is wrong, naming the argument or file.</param>
/// <param name="diagnostics">The message is a .dph file's diagnostics, a line each as a compiler prints them (<c>net.dph:3:9: error DPH0302: …</c>), printed without the <c>deepphys:</c> prefix.</param>
public sealed class ToolException(string message, bool diagnostics = false) : Exception(message)
{
    /// <summary>Whether the message is a .dph file's diagnostics in the compiler's format.</summary>
    public bool IsDiagnostics { get; } = diagnostics;
}
