namespace DeepPhys.Metrics;

/// <summary>
/// Multi-class ROC one-vs-rest: for each class, its score column against "this class or not".
/// <see cref="MacroAuc"/> is the unweighted mean of the per-class areas, as scikit-learn's
/// <c>roc_auc_score(labels, scores, multi_class="ovr", average="macro")</c>.
/// </summary>
public sealed class OneVsRestRoc
{
    private OneVsRestRoc(RocCurve[] curves, IReadOnlyList<string> classNames)
    {
        Curves = curves;
        ClassNames = classNames;
        MacroAuc = curves.Average(c => c.Auc);
    }

    /// <summary>One curve per class, in class-index order.</summary>
    public IReadOnlyList<RocCurve> Curves { get; }

    /// <summary>The class names, in class-index order.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The mean of the per-class areas.</summary>
    public double MacroAuc { get; }

    /// <summary>The curves of class scores (e.g. softmax outputs) against class labels.</summary>
    /// <param name="scores">Row-major <c>[samples, classes]</c>.</param>
    /// <param name="labels">One class index per sample in <c>[0, classes)</c>.</param>
    /// <param name="classNames">One name per class; the class count.</param>
    /// <param name="dropIntermediate">As in <see cref="RocCurve.Compute"/>.</param>
    /// <exception cref="ArgumentException">Shapes do not fit, a label is out of range, or a class has no sample (its curve is undefined).</exception>
    public static OneVsRestRoc Compute(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels, IReadOnlyList<string> classNames, bool dropIntermediate = true)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        int classes = classNames.Count;
        if (classes < 2) throw new ArgumentException("One-vs-rest needs at least two classes.", nameof(classNames));
        if (scores.Length != labels.Length * classes)
        {
            throw new ArgumentException(
                $"scores has {scores.Length} values; expected {labels.Length} samples × {classes} classes.", nameof(scores));
        }

        var column = new double[labels.Length];
        var isClass = new int[labels.Length];
        var curves = new RocCurve[classes];
        for (int c = 0; c < classes; c++)
        {
            for (int i = 0; i < labels.Length; i++)
            {
                if ((uint)labels[i] >= (uint)classes)
                {
                    throw new ArgumentException($"Label {labels[i]} of sample {i} is outside [0, {classes}).", nameof(labels));
                }

                column[i] = scores[i * classes + c];
                isClass[i] = labels[i] == c ? 1 : 0;
            }

            curves[c] = RocCurve.Compute(column, isClass, dropIntermediate);
        }

        return new OneVsRestRoc(curves, classNames);
    }
}
