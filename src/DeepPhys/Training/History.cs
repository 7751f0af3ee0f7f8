using System.Collections;
using System.Globalization;
using System.Text;

namespace DeepPhys.Training;

/// <summary>The figures of one training epoch.</summary>
/// <param name="Epoch">The epoch number, from 1.</param>
/// <param name="Loss">Mean training loss over the epoch's samples, as each batch saw it.</param>
/// <param name="Accuracy">Training accuracy over the epoch's batches; null for a regression loss.</param>
/// <param name="Validation">Evaluation on the validation set after the epoch, when one was given.</param>
/// <param name="Elapsed">Time since <c>Fit</c> started.</param>
public sealed record EpochResult(int Epoch, double Loss, double? Accuracy, Evaluation? Validation, TimeSpan Elapsed)
{
    /// <summary>One line as the samples print it: <c>epoch 3: loss 0.4123, accuracy 0.8667, val_loss …</c>.</summary>
    public override string ToString()
    {
        var line = new StringBuilder().Append(CultureInfo.InvariantCulture, $"epoch {Epoch}: loss {Loss:F4}");
        if (Accuracy is { } accuracy) line.Append(CultureInfo.InvariantCulture, $", accuracy {accuracy:F4}");
        if (Validation is { } validation)
        {
            line.Append(CultureInfo.InvariantCulture, $", val_loss {validation.Loss:F4}");
            if (validation.Accuracy is { } validationAccuracy) line.Append(CultureInfo.InvariantCulture, $", val_accuracy {validationAccuracy:F4}");
        }

        return line.ToString();
    }
}

/// <summary>What <c>Fit</c> returns: one <see cref="EpochResult"/> per epoch, in order.</summary>
public sealed class History : IReadOnlyList<EpochResult>
{
    private readonly List<EpochResult> epochs;

    internal History(int capacity) => epochs = new List<EpochResult>(capacity);

    /// <inheritdoc/>
    public int Count => epochs.Count;

    /// <inheritdoc/>
    public EpochResult this[int index] => epochs[index];

    /// <summary>Training loss per epoch.</summary>
    public double[] Loss => epochs.Select(e => e.Loss).ToArray();

    /// <summary>Validation loss per epoch (NaN where no validation set was given).</summary>
    public double[] ValidationLoss => epochs.Select(e => e.Validation?.Loss ?? double.NaN).ToArray();

    /// <summary>Training accuracy per epoch (NaN for a regression loss).</summary>
    public double[] Accuracy => epochs.Select(e => e.Accuracy ?? double.NaN).ToArray();

    /// <summary>Validation accuracy per epoch (NaN where not available).</summary>
    public double[] ValidationAccuracy => epochs.Select(e => e.Validation?.Accuracy ?? double.NaN).ToArray();

    /// <inheritdoc/>
    public IEnumerator<EpochResult> GetEnumerator() => epochs.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal void Add(EpochResult result) => epochs.Add(result);
}
