using System.Globalization;

namespace DeepPhys.Training;

/// <summary>What <c>Fit</c> draws on the console by itself (<see cref="FitOptions{T}.Display"/>).</summary>
public enum ProgressMode
{
    /// <summary>A bar when the output is an interactive terminal and no <see cref="FitOptions{T}.Progress"/> is given; nothing otherwise (tests, CI, pipes stay quiet).</summary>
    Auto,

    /// <summary>A bar redrawn on one line (epoch, loss, metrics, learning rate, time left), whatever the output.</summary>
    Bar,

    /// <summary>One plain line per epoch, for logs.</summary>
    Lines,

    /// <summary>Nothing.</summary>
    None,
}

/// <summary>The console display of <see cref="ProgressMode"/>: a bar redrawn with <c>\r</c>, or one line per epoch, each with the time left at the mean pace so far.</summary>
/// <param name="writer">Where it draws (the console's output in <c>Fit</c>).</param>
/// <param name="epochs">The epoch limit; training may stop earlier.</param>
/// <param name="bar">A bar on one line rather than a line per epoch.</param>
internal sealed class ConsoleProgress(TextWriter writer, int epochs, bool bar) : IProgress<EpochResult>
{
    private const int BarWidth = 20;

    private int lastLength;

    /// <summary>Whether this draws a bar rather than lines.</summary>
    public bool IsBar => bar;

    /// <summary>The display <paramref name="mode"/> asks for, or null for none.</summary>
    /// <param name="mode">The caller's choice.</param>
    /// <param name="outputRedirected">Whether the console's output goes to a file or pipe (<see cref="Console.IsOutputRedirected"/>).</param>
    /// <param name="callerReports">Whether the caller gave its own <see cref="FitOptions{T}.Progress"/>.</param>
    /// <param name="writer">Where the display draws.</param>
    /// <param name="epochs">The epoch limit.</param>
    public static ConsoleProgress? For(ProgressMode mode, bool outputRedirected, bool callerReports, TextWriter writer, int epochs) => mode switch
    {
        ProgressMode.Auto => outputRedirected || callerReports ? null : new(writer, epochs, bar: true),
        ProgressMode.Bar => new(writer, epochs, bar: true),
        ProgressMode.Lines => new(writer, epochs, bar: false),
        ProgressMode.None => null,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Auto, Bar, Lines or None expected."),
    };

    /// <inheritdoc/>
    public void Report(EpochResult value)
    {
        var left = value.Elapsed / value.Epoch * Math.Max(epochs - value.Epoch, 0);
        string line = string.Create(CultureInfo.InvariantCulture, $"epoch {value.Epoch}/{epochs}: {value.Figures()}, ETA {left:hh\\:mm\\:ss}");
        if (!bar)
        {
            writer.WriteLine(line);
            return;
        }

        int filled = Math.Min(value.Epoch * BarWidth / Math.Max(epochs, 1), BarWidth);
        line = $"[{new string('#', filled)}{new string('-', BarWidth - filled)}] {line}";
        writer.Write("\r" + line.PadRight(lastLength));   // spaces over what a longer previous line left
        writer.Flush();
        lastLength = line.Length;
    }

    /// <summary>Ends the bar's line, so what is printed next starts on its own.</summary>
    public void Finish()
    {
        if (bar && lastLength > 0) writer.WriteLine();
    }
}
