using System.Globalization;

namespace DeepPhys.Data;

/// <summary>The classes of a text target column: their order, and each label's one-hot column.</summary>
internal sealed class ClassList
{
    private readonly Dictionary<string, int> columns;

    private ClassList(string[] names)
    {
        Names = names;
        columns = new Dictionary<string, int>(names.Length, StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++) columns.Add(names[i], i);
    }

    /// <summary>The class names in one-hot column order.</summary>
    public string[] Names { get; }

    /// <summary>
    /// <paramref name="given"/> as listed, or else the distinct <paramref name="labels"/>: in numeric order when every
    /// label is a number (0, 1, 2, 10, not 0, 1, 10, 2), otherwise in ordinal order.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="given"/> is empty or lists a class twice.</exception>
    public static ClassList Of(IReadOnlyList<string>? given, IEnumerable<string> labels)
    {
        if (given is not null)
        {
            if (given.Count == 0) throw new ArgumentException("List at least one class.", "classes");
            var repeat = given.GroupBy(name => name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (repeat is not null) throw new ArgumentException($"Class '{repeat.Key}' is listed twice.", "classes");
            return new ClassList([.. given]);
        }

        string[] distinct = labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var numbers = new double[distinct.Length];
        for (int i = 0; i < distinct.Length; i++)
        {
            if (!double.TryParse(distinct[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i])) return new ClassList(distinct);
        }

        // OrderBy is stable: labels of equal value written differently ("1", "1.0") keep their ordinal order.
        return new ClassList(Enumerable.Range(0, distinct.Length).OrderBy(i => numbers[i]).Select(i => distinct[i]).ToArray());
    }

    /// <summary>The one-hot column of <paramref name="field"/>'s label.</summary>
    /// <exception cref="DataFormatException">The label is not one of the classes (naming file, line, column and label).</exception>
    public int Column(string path, CsvField field, int column)
    {
        if (columns.TryGetValue(field.Text, out int index)) return index;
        throw new DataFormatException(path, field.Line, column, field.Text,
            $"label '{field.Text}' is not one of the classes {string.Join(", ", Names)}");
    }
}
