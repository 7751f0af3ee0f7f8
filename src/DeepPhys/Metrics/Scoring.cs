using System.Numerics;

namespace DeepPhys.Metrics;

/// <summary>Turns network outputs into class decisions, the way the network's loss defines them.</summary>
internal static class Scoring
{
    /// <summary>
    /// Counts right decisions: the arg-max row against the one-hot target for categorical
    /// cross-entropy, each output against 0.5 for binary cross-entropy (one decision per output,
    /// as Keras's binary accuracy), none for a regression loss.
    /// </summary>
    /// <param name="loss">The network's loss, which defines what a decision is.</param>
    /// <param name="outputs">Row-major outputs, <paramref name="width"/> per sample.</param>
    /// <param name="targets">Row-major targets laid out like <paramref name="outputs"/>.</param>
    /// <param name="width">Outputs per sample.</param>
    /// <param name="fromLogits">The outputs are logits (training workspace) rather than probabilities.</param>
    public static (long Correct, long Total) CountCorrect<T>(
        Loss loss, ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, int width, bool fromLogits)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long correct = 0;
        switch (loss)
        {
            case Loss.CategoricalCrossEntropy:
                for (int row = 0; row < outputs.Length; row += width)
                {
                    if (ArgMax(outputs.Slice(row, width)) == ArgMax(targets.Slice(row, width))) correct++;
                }

                return (correct, outputs.Length / width);
            case Loss.BinaryCrossEntropy:
                for (int i = 0; i < outputs.Length; i++)
                {
                    if (IsPositive(outputs[i], fromLogits) == IsPositive(targets[i], fromLogits: false)) correct++;
                }

                return (correct, outputs.Length);
            default:
                return (0, 0);
        }
    }

    /// <summary>The confusion matrix of probability outputs, or null where classes are not defined (regression, multi-label).</summary>
    public static ConfusionMatrix? ConfusionMatrix<T>(
        Loss loss, ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, int width, IReadOnlyList<string>? classNames)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (loss == Loss.CategoricalCrossEntropy)
        {
            var matrix = new ConfusionMatrix(classNames?.Count == width ? classNames : DefaultNames(width));
            for (int row = 0; row < outputs.Length; row += width)
            {
                matrix.Add(ArgMax(targets.Slice(row, width)), ArgMax(outputs.Slice(row, width)));
            }

            return matrix;
        }

        if (loss == Loss.BinaryCrossEntropy && width == 1)
        {
            var matrix = new ConfusionMatrix(classNames?.Count == 2 ? classNames : DefaultNames(2));
            for (int i = 0; i < outputs.Length; i++)
            {
                matrix.Add(IsPositive(targets[i], fromLogits: false) ? 1 : 0, IsPositive(outputs[i], fromLogits: false) ? 1 : 0);
            }

            return matrix;
        }

        return null;
    }

    /// <summary>The index of the first largest value, as NumPy's argmax.</summary>
    public static int ArgMax<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best]) best = i;
        }

        return best;
    }

    private static bool IsPositive<T>(T value, bool fromLogits) where T : unmanaged, IFloatingPointIeee754<T> =>
        fromLogits ? value > T.Zero : value > T.CreateChecked(0.5);

    private static string[] DefaultNames(int count) =>
        Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}
