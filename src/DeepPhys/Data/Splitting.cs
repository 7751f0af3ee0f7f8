using System.Globalization;

namespace DeepPhys.Data;

/// <summary>Which samples go to training and which to testing in one fold of a cross-validation.</summary>
/// <param name="Index">The fold number, from 0.</param>
/// <param name="Train">Indices of the training samples, in shuffled order.</param>
/// <param name="Test">Indices of the held-out samples, in shuffled order.</param>
public sealed record Fold(int Index, int[] Train, int[] Test);

/// <summary>
/// Seeded index-level splits shared by <see cref="Dataset{T}"/> and <see cref="DataTable"/>: samples
/// are shuffled with <c>new RandomStream(seed)</c>, then (when stratifying) dealt out class by class,
/// so every part or fold keeps the class proportions. The same seed gives the same indices.
/// </summary>
public static class Splitting
{
    /// <summary>
    /// Training, validation and test indices. Part sizes are rounded per class (or overall), the
    /// remainder going to training.
    /// </summary>
    /// <param name="count">Number of samples.</param>
    /// <param name="labels">One class per sample to stratify by, or null for a plain shuffle.</param>
    /// <param name="train">Fraction for training.</param>
    /// <param name="validation">Fraction for validation.</param>
    /// <param name="test">Fraction for testing.</param>
    /// <param name="seed">Seeds the shuffle.</param>
    /// <exception cref="ArgumentException">A fraction is negative, they do not sum to 1, a part with a positive fraction gets no sample (the message gives the sizes), or the labels do not match the count.</exception>
    public static (int[] Train, int[] Validation, int[] Test) TrainValidationTest(
        int count, ReadOnlySpan<int> labels, double train, double validation, double test, int seed)
    {
        if (!(train >= 0 && validation >= 0 && test >= 0) || Math.Abs(train + validation + test - 1) > 1e-9)
        {
            throw new ArgumentException(
                FormattableString.Invariant($"The split fractions {train}, {validation} and {test} must each be at least 0 and sum to 1."));
        }

        var (order, groups) = Groups(count, labels, seed);

        // 0 = train, 1 = validation, 2 = test; the first shuffled members of each group go to validation, then test.
        var part = new int[count];
        foreach (var group in groups)
        {
            int validationCount = (int)Math.Round(group.Count * validation);
            int testCount = Math.Min((int)Math.Round(group.Count * test), group.Count - validationCount);
            for (int i = 0; i < validationCount + testCount; i++) part[group[i]] = i < validationCount ? 1 : 2;
        }

        // Collecting in shuffled order keeps each part mixed rather than grouped by class.
        int[][] parts = [Collect(order, part, p => p == 0), Collect(order, part, p => p == 1), Collect(order, part, p => p == 2)];
        double[] fractions = [train, validation, test];
        string[] names = ["training", "validation", "test"];
        for (int i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length > 0 || fractions[i] == 0) continue;
            throw new ArgumentException(string.Create(
                CultureInfo.InvariantCulture,
                $"Splitting {count} samples {train}/{validation}/{test} gives {parts[0].Length} training, {parts[1].Length} validation and {parts[2].Length} test samples: the {names[i]} part asked for is empty. Use more samples, larger fractions, or a fraction of 0 for a part you do not want."));
        }

        return (parts[0], parts[1], parts[2]);
    }

    /// <summary>
    /// <paramref name="k"/> folds: each sample is held out in exactly one. Samples are shuffled and
    /// dealt round-robin to the folds (class after class when stratifying), so fold sizes differ by
    /// at most one, and so do each class's counts across folds.
    /// </summary>
    /// <param name="count">Number of samples.</param>
    /// <param name="labels">One class per sample for stratified k-fold, or empty for plain k-fold.</param>
    /// <param name="k">Number of folds, from 2 to <paramref name="count"/>.</param>
    /// <param name="seed">Seeds the shuffle.</param>
    /// <exception cref="ArgumentException"><paramref name="k"/> is out of range or the labels do not match the count.</exception>
    public static Fold[] KFold(int count, ReadOnlySpan<int> labels, int k, int seed)
    {
        if (k < 2 || k > count)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k-fold needs 2 ≤ k ≤ the {count} samples.");
        }

        var (order, groups) = Groups(count, labels, seed);
        var fold = new int[count];
        int dealt = 0;
        foreach (var group in groups)
        {
            foreach (int index in group) fold[index] = dealt++ % k;
        }

        return Enumerable.Range(0, k)
            .Select(f => new Fold(f, Collect(order, fold, g => g != f), Collect(order, fold, g => g == f)))
            .ToArray();
    }

    /// <summary>The shuffled order and, in it, the members of each class (one group of all when there are no labels).</summary>
    private static (int[] Order, List<int>[] Groups) Groups(int count, ReadOnlySpan<int> labels, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!labels.IsEmpty && labels.Length != count)
        {
            throw new ArgumentException($"labels has {labels.Length} values for {count} samples.", nameof(labels));
        }

        var order = Enumerable.Range(0, count).ToArray();
        new RandomStream(seed).Shuffle(order.AsSpan());
        if (labels.IsEmpty) return (order, [[.. order]]);

        var groups = new SortedDictionary<int, List<int>>();
        foreach (int index in order)
        {
            if (!groups.TryGetValue(labels[index], out var group)) groups[labels[index]] = group = [];
            group.Add(index);
        }

        return (order, groups.Values.ToArray());
    }

    private static int[] Collect(int[] order, int[] assignment, Func<int, bool> take) =>
        order.Where(index => take(assignment[index])).ToArray();
}
