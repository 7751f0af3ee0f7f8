using System.Globalization;
using System.Text;

namespace DeepPhys.Metrics;

/// <summary>Counts of samples by true class (rows) and predicted class (columns).</summary>
public sealed class ConfusionMatrix
{
    private readonly long[] counts;

    /// <summary>Creates an empty matrix.</summary>
    /// <param name="classNames">One name per class, in class-index order.</param>
    public ConfusionMatrix(IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count < 2) throw new ArgumentException("A confusion matrix needs at least two classes.", nameof(classNames));
        ClassNames = classNames;
        counts = new long[classNames.Count * classNames.Count];
    }

    /// <summary>The class names, in class-index order.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The number of classes.</summary>
    public int ClassCount => ClassNames.Count;

    /// <summary>The number of samples of class <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    public long this[int actual, int predicted] => counts[Index(actual, predicted)];

    /// <summary>All samples counted.</summary>
    public long Total => counts.Sum();

    /// <summary>The fraction on the diagonal.</summary>
    public double Accuracy
    {
        get
        {
            long diagonal = 0;
            for (int c = 0; c < ClassCount; c++) diagonal += this[c, c];
            return Total == 0 ? double.NaN : (double)diagonal / Total;
        }
    }

    /// <summary>Counts one sample.</summary>
    public void Add(int actual, int predicted) => counts[Index(actual, predicted)]++;

    /// <summary>A table with true classes as rows and predicted classes as columns, as the lectures print it.</summary>
    public override string ToString()
    {
        int width = Math.Max(ClassNames.Max(n => n.Length), Math.Max(counts.Max().ToString(CultureInfo.InvariantCulture).Length, 6));
        var table = new StringBuilder();
        table.Append("true \\ predicted".PadRight(width + 2));
        foreach (var name in ClassNames) table.Append(name.PadLeft(width + 2));
        table.AppendLine();
        for (int actual = 0; actual < ClassCount; actual++)
        {
            table.Append(ClassNames[actual].PadRight(width + 2).PadRight(Math.Max(width + 2, 16)));
            for (int predicted = 0; predicted < ClassCount; predicted++)
            {
                table.Append(this[actual, predicted].ToString(CultureInfo.InvariantCulture).PadLeft(width + 2));
            }

            table.AppendLine();
        }

        return table.ToString();
    }

    private int Index(int actual, int predicted)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(actual);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(actual, ClassCount);
        ArgumentOutOfRangeException.ThrowIfNegative(predicted);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(predicted, ClassCount);
        return actual * ClassCount + predicted;
    }
}
