using System.Globalization;
using System.Numerics;

namespace DeepPhys.Data;

/// <summary>Numeric class labels (0, 1, 2, 10, …) and their one-hot columns, in numeric order or the order given.</summary>
internal sealed class ClassLabels<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Dictionary<T, int> columns;

    private ClassLabels(T[] labels)
    {
        columns = new Dictionary<T, int>(labels.Length);
        for (int i = 0; i < labels.Length; i++) columns.Add(labels[i], i);
        Names = labels.Select(label => label.ToString(null, CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>One name per one-hot column: the label as invariant text.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The distinct labels of every slice, in numeric order.</summary>
    public static ClassLabels<T> Distinct(IEnumerable<T[]> slices)
    {
        var seen = new SortedSet<T>();
        foreach (var slice in slices) seen.UnionWith(slice);
        return new ClassLabels<T>([.. seen]);
    }

    /// <summary>The labels as listed (numbers in invariant text), in that order.</summary>
    /// <exception cref="ArgumentException">A class is not a finite number, or is listed twice.</exception>
    public static ClassLabels<T> FromList(IReadOnlyList<string> classes, string parameter)
    {
        if (classes.Count == 0) throw new ArgumentException("List at least one class.", parameter);
        var labels = new T[classes.Count];
        for (int i = 0; i < labels.Length; i++)
        {
            if (!T.TryParse(classes[i], NumberStyles.Float, CultureInfo.InvariantCulture, out labels[i]) || !T.IsFinite(labels[i]))
            {
                throw new ArgumentException($"Class '{classes[i]}' is not a number; the labels of an HDF5 dataset are numbers.", parameter);
            }

            if (Array.IndexOf(labels, labels[i], 0, i) >= 0) throw new ArgumentException($"Class '{classes[i]}' is listed twice.", parameter);
        }

        return new ClassLabels<T>(labels);
    }

    /// <summary>Writes one one-hot row per label into <paramref name="oneHot"/> (zeroed, <c>labels.Length × Names.Count</c>).</summary>
    /// <exception cref="FormatException">A label is not one of the classes (naming file, dataset and sample).</exception>
    public void OneHot(string path, string dataset, int start, ReadOnlySpan<T> labels, Span<T> oneHot)
    {
        for (int i = 0; i < labels.Length; i++)
        {
            if (!columns.TryGetValue(labels[i], out int column))
            {
                throw new FormatException(
                    $"{path}: dataset '{dataset}', sample {start + i}: label {labels[i].ToString(null, CultureInfo.InvariantCulture)} is not one of the classes {string.Join(", ", Names)}.");
            }

            oneHot[i * Names.Count + column] = T.One;
        }
    }
}
