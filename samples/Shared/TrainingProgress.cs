using System.Globalization;
using DeepPhys.Training;
using Spectre.Console;

namespace DeepPhys.Samples.Shared;

/// <summary>Runs <paramref name="train"/> with a progress reporter for a run called <paramref name="title"/> of at most <paramref name="epochs"/> epochs: <see cref="TrainingProgress.Run{TResult}"/>, or a quiet stand-in in tests.</summary>
/// <param name="title">What is training.</param>
/// <param name="epochs">The epoch limit.</param>
/// <param name="train">Trains, reporting each epoch to the reporter it gets.</param>
public delegate History ShowTraining(string title, int epochs, Func<IProgress<EpochResult>, History> train);

/// <summary>
/// The samples' training display: a live Spectre.Console progress bar (epoch, loss, metrics, time
/// left) on a terminal, one plain line per epoch when the output is redirected or not interactive.
/// </summary>
public static class TrainingProgress
{
    /// <summary>Whether the bar can be drawn: standard output is an interactive terminal.</summary>
    public static bool IsLiveTerminal => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Runs <paramref name="train"/> with a progress reporter and returns what it returns.</summary>
    /// <param name="title">What is training, shown before the figures.</param>
    /// <param name="epochs">The epoch limit, the bar's length; training may stop earlier.</param>
    /// <param name="train">Trains, reporting each epoch to the reporter it gets (e.g. <c>FitOptions.Progress</c>).</param>
    public static TResult Run<TResult>(string title, int epochs, Func<IProgress<EpochResult>, TResult> train)
    {
        if (!IsLiveTerminal) return train(new LineProgress(Console.Out, title, epochs));
        return AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape(title), maxValue: epochs);
                var result = train(new BarProgress(task, title, epochs));
                task.Value = epochs;   // an early stop completes the bar; its last epoch stays in the description
                return result;
            });
    }

    /// <summary>One epoch as both displays show it: <c>Iris  epoch 3/200  loss 0.4123  acc 0.867  val_loss 0.3912  val_acc 0.900</c>.</summary>
    /// <param name="title">What is training.</param>
    /// <param name="result">The epoch's figures.</param>
    /// <param name="epochs">The epoch limit.</param>
    public static string Describe(string title, EpochResult result, int epochs)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{title}  epoch {result.Epoch}/{epochs}  loss {result.Loss:F4}");
        if (result.Accuracy is { } accuracy) text += string.Create(CultureInfo.InvariantCulture, $"  acc {accuracy:F3}");
        if (result.Validation is { } validation)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"  val_loss {validation.Loss:F4}");
            if (validation.Accuracy is { } validationAccuracy) text += string.Create(CultureInfo.InvariantCulture, $"  val_acc {validationAccuracy:F3}");
        }

        return text;
    }

    /// <summary>The time the remaining epochs take at the mean pace so far.</summary>
    /// <param name="result">The epoch just finished.</param>
    /// <param name="epochs">The epoch limit.</param>
    public static TimeSpan TimeLeft(EpochResult result, int epochs) => result.Elapsed / result.Epoch * (epochs - result.Epoch);

    /// <summary>Prints each epoch on its own line as it ends, with the time left (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    /// <param name="writer">Where the lines go.</param>
    /// <param name="title">What is training.</param>
    /// <param name="epochs">The epoch limit.</param>
    public sealed class LineProgress(TextWriter writer, string title, int epochs) : IProgress<EpochResult>
    {
        /// <inheritdoc/>
        public void Report(EpochResult value) =>
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Describe(title, value, epochs)}  left {TimeLeft(value, epochs):mm\\:ss\\.f}"));
    }

    /// <summary>Moves the bar to the epoch and shows its figures as the bar's description.</summary>
    private sealed class BarProgress(ProgressTask task, string title, int epochs) : IProgress<EpochResult>
    {
        public void Report(EpochResult value)
        {
            task.Description = Markup.Escape(Describe(title, value, epochs));
            task.Value = value.Epoch;
        }
    }
}
