using System.CommandLine;
using System.CommandLine.Invocation;

namespace DeepPhys.Tool;

/// <summary>
/// The <c>deepphys</c> command line (docs/tool.md): <c>summary</c>, <c>train</c>, <c>evaluate</c>, <c>export</c>, <c>scan</c>, <c>merge</c>.
/// Exit codes: 0 done, 2 a bad argument or file (one line on standard error, or one line per diagnostic of a .dph
/// file), 1 anything unexpected (one line). Never a stack trace.
/// </summary>
public static class Cli
{
    /// <summary>The exit code of a bad argument or file.</summary>
    public const int UsageError = 2;

    /// <summary>The exit code of an unexpected failure.</summary>
    public const int Failure = 1;

    /// <summary>Parses <paramref name="args"/> and runs the command they name.</summary>
    /// <param name="args">The command line, without the program's name.</param>
    /// <param name="output">Receives the command's output (and <c>--help</c>).</param>
    /// <param name="error">Receives the error lines.</param>
    /// <param name="interactive">Whether <paramref name="output"/> is a terminal: training then rewrites one progress line rather than printing a line per epoch.</param>
    /// <returns>The exit code: 0, <see cref="UsageError"/> or <see cref="Failure"/>.</returns>
    public static int Run(string[] args, TextWriter output, TextWriter error, bool interactive = false)
    {
        ArgumentNullException.ThrowIfNull(args);
        var root = new RootCommand("DeepPhys networks from .dph files: summarise, train, evaluate, export, scan.")
        {
            SummaryCommand.Create(output),
            TrainCommand.Create(output, interactive),
            EvaluateCommand.Create(output),
            ExportCommand.Create(output),
            ScanCommand.Create(output),
            ScanCommand.CreateMerge(output),
        };
        var parsed = root.Parse(args);
        if (parsed.Action is ParseErrorAction)
        {
            error.WriteLine($"deepphys: {OneLine(parsed.Errors[0].Message)}");
            return UsageError;
        }

        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (ToolException e)
        {
            error.WriteLine(e.IsDiagnostics ? e.Message : $"deepphys: {e.Message}");
            return UsageError;
        }
        catch (Exception e)
        {
            error.WriteLine($"deepphys: unexpected {e.GetType().Name}: {OneLine(e.Message)}");
            return Failure;
        }
    }

    /// <summary>A message of several lines (System.CommandLine lists an option's choices a line each) as one: <c>Must be one of: 'adam', 'sgd'</c>.</summary>
    private static string OneLine(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return lines.Length == 1 ? lines[0] : lines[0] + " " + string.Join(", ", lines.Skip(1));
    }
}
