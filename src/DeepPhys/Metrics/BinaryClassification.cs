namespace DeepPhys.Metrics;

/// <summary>
/// The four counts of a binary decision (signal = positive, background = negative) and the rates
/// physicists and statisticians name after them. A ratio with a zero denominator is 0, as
/// scikit-learn's default <c>zero_division</c> gives.
/// </summary>
/// <param name="TruePositives">Signal called signal.</param>
/// <param name="FalsePositives">Background called signal.</param>
/// <param name="TrueNegatives">Background called background.</param>
/// <param name="FalseNegatives">Signal called background.</param>
public sealed record BinaryClassification(long TruePositives, long FalsePositives, long TrueNegatives, long FalseNegatives)
{
    /// <summary>All samples counted.</summary>
    public long Total => TruePositives + FalsePositives + TrueNegatives + FalseNegatives;

    /// <summary>(TP + TN) / all.</summary>
    public double Accuracy => Ratio(TruePositives + TrueNegatives, Total);

    /// <summary>Purity: TP / (TP + FP), the fraction of selected events that are signal.</summary>
    public double Precision => Ratio(TruePositives, TruePositives + FalsePositives);

    /// <summary>TP / (TP + FN): the fraction of signal selected; the same number as <see cref="Sensitivity"/> and <see cref="SignalEfficiency"/>.</summary>
    public double Recall => Ratio(TruePositives, TruePositives + FalseNegatives);

    /// <summary>The medical name of <see cref="Recall"/>.</summary>
    public double Sensitivity => Recall;

    /// <summary>The particle-physics name of <see cref="Recall"/>: the fraction of signal kept by the cut.</summary>
    public double SignalEfficiency => Recall;

    /// <summary>TN / (TN + FP): the fraction of background rejected.</summary>
    public double Specificity => Ratio(TrueNegatives, TrueNegatives + FalsePositives);

    /// <summary>FP / (TN + FP) = 1 − <see cref="Specificity"/>: the fraction of background wrongly kept (false-positive rate).</summary>
    public double MistagRate => Ratio(FalsePositives, TrueNegatives + FalsePositives);

    /// <summary>The harmonic mean of precision and recall, 2·TP / (2·TP + FP + FN).</summary>
    public double F1 => Ratio(2 * TruePositives, 2 * TruePositives + FalsePositives + FalseNegatives);

    /// <summary>
    /// Counts the decisions of a cut: a sample with score ≥ <paramref name="threshold"/> is called
    /// signal, the convention of <see cref="RocCurve.Thresholds"/>, so a <see cref="WorkingPoint"/>'s
    /// threshold reproduces its efficiency and mistag rate here.
    /// </summary>
    /// <param name="scores">One score per sample; larger means more signal-like.</param>
    /// <param name="labels">One label per sample: 1 for signal, 0 for background.</param>
    /// <param name="threshold">The cut.</param>
    /// <exception cref="ArgumentException">Lengths differ or a label is not 0 or 1.</exception>
    public static BinaryClassification FromScores(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels, double threshold = 0.5)
    {
        if (scores.Length != labels.Length)
        {
            throw new ArgumentException($"scores has {scores.Length} values but labels has {labels.Length}.", nameof(labels));
        }

        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            bool selected = scores[i] >= threshold;
            switch (labels[i])
            {
                case 1 when selected: tp++; break;
                case 1: fn++; break;
                case 0 when selected: fp++; break;
                case 0: tn++; break;
                default: throw new ArgumentException($"Label {labels[i]} of sample {i} is not 0 (background) or 1 (signal).", nameof(labels));
            }
        }

        return new BinaryClassification(tp, fp, tn, fn);
    }

    /// <summary>The counts of a two-class confusion matrix, class 1 being signal.</summary>
    /// <param name="matrix">A confusion matrix of two classes.</param>
    /// <exception cref="ArgumentException">The matrix does not have two classes.</exception>
    public static BinaryClassification FromConfusionMatrix(ConfusionMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.ClassCount != 2)
        {
            throw new ArgumentException($"The confusion matrix has {matrix.ClassCount} classes; binary metrics need 2.", nameof(matrix));
        }

        return new BinaryClassification(matrix[1, 1], matrix[0, 1], matrix[0, 0], matrix[1, 0]);
    }

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? 0 : (double)numerator / denominator;
}
