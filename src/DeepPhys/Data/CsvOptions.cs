namespace DeepPhys.Data;

/// <summary>What a feature column of a CSV file holds, and so how it becomes network inputs.</summary>
public enum ColumnKind
{
    /// <summary>A number (invariant culture); a missing value is imputed.</summary>
    Numeric,

    /// <summary>A category (string) that becomes one 0/1 input per category seen in training.</summary>
    OneHot,

    /// <summary>A category that becomes one input, its index among the training categories (ordinal order): for ordered categories such as a ticket class.</summary>
    Label,

    /// <summary>Not used (e.g. a name or an id).</summary>
    Ignore,
}

/// <summary>The schema of a CSV file for <see cref="DataTable.ReadCsv"/>.</summary>
public sealed class CsvOptions
{
    /// <summary>The header name of the target column.</summary>
    public required string Target { get; init; }

    /// <summary>How the target column becomes targets.</summary>
    public TargetEncoding TargetEncoding { get; init; } = TargetEncoding.Auto;

    /// <summary>
    /// The target's classes in output order, the same for a training and a test file (a file in which a class does not
    /// occur still gets its column); null takes the distinct labels of the file, in numeric order when every label is a
    /// number, otherwise in ordinal order. A label not listed is a <see cref="DataFormatException"/>.
    /// </summary>
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>The kind of each named column; a column not listed here is <see cref="ColumnKind.Numeric"/>.</summary>
    public IReadOnlyDictionary<string, ColumnKind> Columns { get; init; } = new Dictionary<string, ColumnKind>();

    /// <summary>Field texts that mean "missing" (compared after trimming, case-sensitively); by default the empty field and <c>NA</c>.</summary>
    public IReadOnlyList<string> MissingValues { get; init; } = ["", "NA"];

    /// <summary>
    /// Skip rows that cannot be read (wrong field count, a number that is not one, a missing target)
    /// instead of stopping at the first; <see cref="DataTable.SkippedRows"/> then lists each with its
    /// file, line, column and text. Off by default: nothing is dropped or coerced silently.
    /// </summary>
    public bool SkipBadRows { get; init; }
}
