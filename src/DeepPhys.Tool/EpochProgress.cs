using System.Globalization;
using DeepPhys.Training;

namespace DeepPhys.Tool;

/// <summary>
/// Each epoch's figures as training goes: one plain line per epoch, or on a terminal one line rewritten in place
/// (ended when the last epoch is reported). Reported on the training thread, so lines never reorder.
/// </summary>
/// <param name="output">Where the lines go.</param>
/// <param name="epochs">The number of epochs.</param>
/// <param name="live">Rewrite one line (a terminal) rather than print a line per epoch (redirected output).</param>
internal sealed class EpochProgress(TextWriter output, int epochs, bool live) : IProgress<EpochResult>
{
    /// <inheritdoc/>
    public void Report(EpochResult value)
    {
        string line = Describe(value, epochs);
        if (!live)
        {
            output.WriteLine(line);
            return;
        }

        output.Write("\r" + line);
        if (value.Epoch == epochs) output.WriteLine();
        output.Flush();
    }

    /// <summary><c>epoch 3/50  loss 0.4123  acc 0.8667  val_loss 0.3912  val_acc 0.9000  0.4 s</c>: the figures the epoch has.</summary>
    public static string Describe(EpochResult value, int epochs)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"epoch {value.Epoch}/{epochs}  loss {value.Loss:F4}");
        if (value.Accuracy is { } accuracy) line += string.Create(CultureInfo.InvariantCulture, $"  acc {accuracy:F4}");
        if (value.Validation is { } validation)
        {
            line += string.Create(CultureInfo.InvariantCulture, $"  val_loss {validation.Loss:F4}");
            if (validation.Accuracy is { } validationAccuracy) line += string.Create(CultureInfo.InvariantCulture, $"  val_acc {validationAccuracy:F4}");
        }

        return line + string.Create(CultureInfo.InvariantCulture, $"  {value.Elapsed.TotalSeconds:F1} s");
    }
}
