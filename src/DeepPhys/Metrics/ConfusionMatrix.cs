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

    /// <summary>
    /// The fraction of class <paramref name="actual"/> predicted as <paramref name="predicted"/>:
    /// the count over its row's total, as scikit-learn's <c>confusion_matrix(normalize="true")</c>;
    /// 0 for a class with no sample. The diagonal holds each class's efficiency (recall).
    /// </summary>
    public double Fraction(int actual, int predicted)
    {
        long row = 0;
        for (int c = 0; c < ClassCount; c++) row += this[actual, c];
        return row == 0 ? 0 : (double)this[actual, predicted] / row;
    }

    /// <summary>A table with true classes as rows and predicted classes as columns, as the lectures print it.</summary>
    public override string ToString() =>
        Table((actual, predicted) => this[actual, predicted].ToString(CultureInfo.InvariantCulture));

    /// <summary>The table of <see cref="ToString"/> with each row's fractions (<see cref="Fraction"/>) to three decimals instead of counts.</summary>
    public string ToFractionString() =>
        Table((actual, predicted) => Fraction(actual, predicted).ToString("F3", CultureInfo.InvariantCulture));

    private string Table(Func<int, int, string> cell)
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
                table.Append(cell(actual, predicted).PadLeft(width + 2));
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
