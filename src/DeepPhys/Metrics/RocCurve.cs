using System.Collections.ObjectModel;

namespace DeepPhys.Metrics;

/// <summary>A threshold on the score and what it gives: events with a score ≥ <see cref="Threshold"/> are called signal.</summary>
/// <param name="Threshold">The cut on the score; +∞ calls nothing signal.</param>
/// <param name="SignalEfficiency">True-positive rate (recall, sensitivity) at the cut.</param>
/// <param name="MistagRate">False-positive rate (1 − specificity) at the cut.</param>
public sealed record WorkingPoint(double Threshold, double SignalEfficiency, double MistagRate);

/// <summary>
/// The exact receiver operating characteristic of scores against binary labels, computed as
/// scikit-learn's <c>roc_curve</c>: one point per distinct score (tied scores move together, as
/// one step), from the strictest cut to the loosest, with a first point (0, 0) at threshold +∞.
/// The area (<see cref="Auc"/>) is the trapezoid rule over the points, equal to
/// <c>roc_auc_score</c>.
/// </summary>
public sealed class RocCurve
{
    private readonly double[] falsePositiveRates;
    private readonly double[] truePositiveRates;
    private readonly double[] thresholds;
    private readonly double[] allFalsePositiveRates;
    private readonly double[] allTruePositiveRates;
    private readonly double[] allThresholds;

    private RocCurve(double[] fpr, double[] tpr, double[] thresholds, int[] kept, long positives, long negatives)
    {
        allFalsePositiveRates = fpr;
        allTruePositiveRates = tpr;
        allThresholds = thresholds;
        falsePositiveRates = kept.Select(i => fpr[i]).ToArray();
        truePositiveRates = kept.Select(i => tpr[i]).ToArray();
        this.thresholds = kept.Select(i => thresholds[i]).ToArray();
        FalsePositiveRates = new ReadOnlyCollection<double>(falsePositiveRates);
        TruePositiveRates = new ReadOnlyCollection<double>(truePositiveRates);
        Thresholds = new ReadOnlyCollection<double>(this.thresholds);
        Positives = positives;
        Negatives = negatives;
        Auc = Trapezoid(falsePositiveRates, truePositiveRates);
    }

    /// <summary>False-positive rate (mistag rate, 1 − specificity) of each point, non-decreasing from 0 to 1.</summary>
    public IReadOnlyList<double> FalsePositiveRates { get; }

    /// <summary>True-positive rate (signal efficiency, recall) of each point, non-decreasing from 0 to 1.</summary>
    public IReadOnlyList<double> TruePositiveRates { get; }

    /// <summary>The cut of each point (score ≥ threshold is signal), decreasing; the first is +∞.</summary>
    public IReadOnlyList<double> Thresholds { get; }

    /// <summary>Number of signal (label 1) samples.</summary>
    public long Positives { get; }

    /// <summary>Number of background (label 0) samples.</summary>
    public long Negatives { get; }

    /// <summary>Area under the curve by the trapezoid rule: the probability that a random signal event scores above a random background event, ties counting one half.</summary>
    public double Auc { get; }

    /// <summary>
    /// The curve of <paramref name="scores"/> against <paramref name="labels"/>, as scikit-learn's
    /// <c>roc_curve(labels, scores, drop_intermediate=dropIntermediate)</c>. With
    /// <paramref name="dropIntermediate"/> (scikit-learn's default) a point that lies on the straight
    /// line between its neighbours is left out; the area does not change. Scikit-learn before 1.3
    /// gave the first threshold as <c>max(score) + 1</c>; here it is +∞, as in later versions.
    /// </summary>
    /// <param name="scores">One score per sample; larger means more signal-like. Must not be NaN.</param>
    /// <param name="labels">One label per sample: 1 for signal (positive), 0 for background (negative).</param>
    /// <param name="dropIntermediate">Leave out points that are collinear with their neighbours.</param>
    /// <exception cref="ArgumentException">Lengths differ, a label is not 0 or 1, a score is NaN, or one class is absent (the curve is then undefined).</exception>
    public static RocCurve Compute(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels, bool dropIntermediate = true)
    {
        if (scores.Length != labels.Length)
        {
            throw new ArgumentException($"scores has {scores.Length} values but labels has {labels.Length}.", nameof(labels));
        }

        long positives = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] is not (0 or 1))
            {
                throw new ArgumentException($"Label {labels[i]} of sample {i} is not 0 (background) or 1 (signal).", nameof(labels));
            }

            if (double.IsNaN(scores[i])) throw new ArgumentException($"Score of sample {i} is NaN.", nameof(scores));
            positives += labels[i];
        }

        long negatives = labels.Length - positives;
        if (positives == 0 || negatives == 0)
        {
            throw new ArgumentException(
                $"A ROC curve needs both classes; the labels hold {positives} signal and {negatives} background samples.", nameof(labels));
        }

        // Descending by score; ties are one step, so their order does not matter.
        var order = Enumerable.Range(0, scores.Length).ToArray();
        var keys = scores.ToArray();
        Array.Sort(keys, order, Comparer<double>.Create((a, b) => b.CompareTo(a)));

        var fps = new List<long> { 0 };
        var tps = new List<long> { 0 };
        var cuts = new List<double> { double.PositiveInfinity };
        long truePositives = 0;
        for (int i = 0; i < order.Length; i++)
        {
            truePositives += labels[order[i]];
            if (i + 1 < order.Length && keys[i + 1] == keys[i]) continue;
            tps.Add(truePositives);
            fps.Add(i + 1 - truePositives);
            cuts.Add(keys[i]);
        }

        var fpr = fps.Select(f => (double)f / negatives).ToArray();
        var tpr = tps.Select(t => (double)t / positives).ToArray();
        return new RocCurve(fpr, tpr, cuts.ToArray(), Kept(fps, tps, dropIntermediate), positives, negatives);
    }

    /// <summary>
    /// The best signal efficiency reachable with a real cut while the mistag rate stays at most
    /// <paramref name="mistagRate"/>: the point of the full curve (every distinct score, none
    /// dropped) with the largest true-positive rate among those with false-positive rate ≤
    /// <paramref name="mistagRate"/>. No interpolation: the efficiency between two points is only
    /// reached by randomly mixing two cuts, which a physics analysis does not do.
    /// </summary>
    /// <param name="mistagRate">The largest acceptable false-positive rate, in [0, 1].</param>
    public WorkingPoint AtMistagRate(double mistagRate)
    {
        if (!(mistagRate >= 0 && mistagRate <= 1)) throw new ArgumentOutOfRangeException(nameof(mistagRate), mistagRate, "A mistag rate is in [0, 1].");
        int best = 0;
        for (int i = 1; i < allThresholds.Length && allFalsePositiveRates[i] <= mistagRate; i++)
        {
            if (allTruePositiveRates[i] > allTruePositiveRates[best]) best = i;
        }

        return Point(best);
    }

    /// <summary>
    /// The cut maximising Youden's J = signal efficiency − mistag rate (the point farthest above
    /// the diagonal); among equal J the strictest cut, as NumPy's <c>argmax</c> over the full curve.
    /// </summary>
    public WorkingPoint BestThreshold()
    {
        int best = 0;
        for (int i = 1; i < allThresholds.Length; i++)
        {
            if (allTruePositiveRates[i] - allFalsePositiveRates[i] > allTruePositiveRates[best] - allFalsePositiveRates[best]) best = i;
        }

        return Point(best);
    }

    private WorkingPoint Point(int index) => new(allThresholds[index], allTruePositiveRates[index], allFalsePositiveRates[index]);

    /// <summary>
    /// Which points to keep: all, or (as scikit-learn) the first (0, 0) point, the ends of the
    /// score-derived points, and each of those where the curve's direction changes. As in
    /// scikit-learn the test runs before the (0, 0) point is added, so it never drops the first cut.
    /// </summary>
    private static int[] Kept(List<long> fps, List<long> tps, bool dropIntermediate)
    {
        if (!dropIntermediate || fps.Count <= 3) return Enumerable.Range(0, fps.Count).ToArray();
        var kept = new List<int> { 0, 1 };
        for (int i = 2; i < fps.Count - 1; i++)
        {
            // Second differences of the counts, as numpy.diff(x, 2): zero for both means a straight continuation.
            if (fps[i + 1] - 2 * fps[i] + fps[i - 1] != 0 || tps[i + 1] - 2 * tps[i] + tps[i - 1] != 0) kept.Add(i);
        }

        kept.Add(fps.Count - 1);
        return kept.ToArray();
    }

    /// <summary>The trapezoid rule as <c>numpy.trapz(y, x)</c>.</summary>
    internal static double Trapezoid(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double area = 0;
        for (int i = 1; i < x.Length; i++) area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2.0;
        return area;
    }
}
