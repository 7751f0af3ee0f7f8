using System.Numerics;
using DeepPhys.Training;

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

    /// <summary>
    /// <paramref name="evaluation"/> with the figures its loss allows: the ROC curve of one sigmoid
    /// output, one-vs-rest curves of a softmax, regression figures under mean squared error. A curve
    /// is left null when a class has no sample, since it is undefined then.
    /// </summary>
    public static Evaluation AddCurves<T>(
        Evaluation evaluation, Loss loss, ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, int width, IReadOnlyList<string>? classNames)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var scores = new double[outputs.Length];
        for (int i = 0; i < scores.Length; i++) scores[i] = double.CreateTruncating(outputs[i]);
        switch (loss)
        {
            case Loss.BinaryCrossEntropy when width == 1:
                var labels = new int[targets.Length];
                for (int i = 0; i < labels.Length; i++) labels[i] = IsPositive(targets[i], fromLogits: false) ? 1 : 0;
                bool bothClasses = labels.Contains(0) && labels.Contains(1);
                return evaluation with { Roc = bothClasses ? RocCurve.Compute(scores, labels) : null };
            case Loss.CategoricalCrossEntropy:
                var classes = new int[targets.Length / width];
                for (int i = 0; i < classes.Length; i++) classes[i] = ArgMax(targets.Slice(i * width, width));
                bool everyClass = classes.Distinct().Count() == width;
                return evaluation with
                {
                    RocPerClass = everyClass ? OneVsRestRoc.Compute(scores, classes, classNames?.Count == width ? classNames : DefaultNames(width)) : null,
                };
            case Loss.MeanSquaredError when targets.Length > 0:
                var truth = new double[targets.Length];
                for (int i = 0; i < truth.Length; i++) truth[i] = double.CreateTruncating(targets[i]);
                return evaluation with { Regression = RegressionMetrics.Compute(scores, truth, width) };
            default:
                return evaluation;
        }
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

    /// <summary>The class a target row names: above 0.5 for a single binary output, the arg-max of a one-hot row.</summary>
    public static int ClassOf<T>(ReadOnlySpan<T> target) where T : unmanaged, IFloatingPointIeee754<T> =>
        target.Length == 1 ? (IsPositive(target[0], fromLogits: false) ? 1 : 0) : ArgMax(target);

    /// <summary>"0", "1", … for classes that have no names.</summary>
    public static string[] DefaultNames(int count) =>
        Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}
