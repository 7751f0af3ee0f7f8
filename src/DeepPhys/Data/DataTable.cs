using System.Globalization;

namespace DeepPhys.Data;

/// <summary>
/// Raw typed columns read from a CSV file, before any fitting: numbers (NaN where missing),
/// category strings (null where missing) and the target. Split it first, fit a
/// <see cref="Preprocessor"/> on the training part only, then turn every part into a
/// <see cref="Dataset{T}"/> with it.
/// </summary>
public sealed class DataTable
{
    private readonly TableColumn[] columns;
    private readonly string[] targets;
    private readonly int[] lines;

    private DataTable(string path, TableColumn[] columns, string[] targets, int[] lines, IReadOnlyList<string>? classNames,
        IReadOnlyList<DataFormatException> skippedRows)
    {
        Path = path;
        this.columns = columns;
        this.targets = targets;
        this.lines = lines;
        ClassNames = classNames;
        SkippedRows = skippedRows;
    }

    /// <summary>The file the rows come from, as it was given.</summary>
    public string Path { get; }

    /// <summary>Number of rows.</summary>
    public int Count => targets.Length;

    /// <summary>The feature columns kept (not ignored, not the target), in file order.</summary>
    public IReadOnlyList<TableColumn> Columns => columns;

    /// <summary>The target classes, ordinally sorted, when the target is a class; null for a numeric target.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>The rows skipped under <see cref="CsvOptions.SkipBadRows"/>, each as the error it would have raised; empty otherwise.</summary>
    public IReadOnlyList<DataFormatException> SkippedRows { get; }

    /// <summary>The target of each row as written in the file.</summary>
    public IReadOnlyList<string> Targets => targets;

    /// <summary>The file line each row starts on.</summary>
    public IReadOnlyList<int> Lines => lines;

    /// <summary>
    /// Reads a CSV file with a header row as <paramref name="options"/> describe it. Fields may be
    /// quoted as in RFC 4180; LF or CRLF line ends; blank lines are skipped.
    /// </summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="options">Target, column kinds, missing-value markers, bad-row policy.</param>
    /// <exception cref="DataFormatException">The file does not have this form; the message names file, line, column and the text.</exception>
    public static DataTable ReadCsv(string path, CsvOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        if (!Enum.IsDefined(options.TargetEncoding)) throw new ArgumentOutOfRangeException(nameof(options), options.TargetEncoding, "Unknown target encoding.");

        var reader = new CsvReader(path, File.ReadAllText(path));
        var fields = new List<CsvField>();
        string[] header = reader.ReadHeader(fields);
        int targetColumn = Array.IndexOf(header, options.Target);
        if (targetColumn < 0)
        {
            throw new DataFormatException(path, reader.RecordLine, 0, options.Target,
                $"no target column '{options.Target}'; columns are: {string.Join(", ", header)}");
        }

        foreach (var name in options.Columns.Keys.Where(name => Array.IndexOf(header, name) < 0))
        {
            throw new DataFormatException(path, reader.RecordLine, 0, name, $"the schema names a column '{name}' the header does not have; columns are: {string.Join(", ", header)}");
        }

        var kept = Enumerable.Range(0, header.Length)
            .Where(c => c != targetColumn && options.Columns.GetValueOrDefault(header[c]) != ColumnKind.Ignore)
            .ToArray();
        if (kept.Length == 0)
        {
            throw new DataFormatException(path, reader.RecordLine, 0, reader.RecordText, $"no feature columns besides the target '{options.Target}'");
        }

        var missing = options.MissingValues.ToHashSet(StringComparer.Ordinal);
        var numbers = kept.Select(_ => new List<double>()).ToArray();
        var texts = kept.Select(_ => new List<string?>()).ToArray();
        var targetFields = new List<CsvField>();
        var lines = new List<int>();
        var skipped = new List<DataFormatException>();
        var row = new (double Number, string? Text)[kept.Length];
        while (reader.ReadRecord(fields))
        {
            try
            {
                if (fields.Count != header.Length)
                {
                    throw new DataFormatException(path, reader.RecordLine, 0, reader.RecordText,
                        $"expected {header.Length} fields as in the header, found {fields.Count}");
                }

                var target = fields[targetColumn];
                if (missing.Contains(target.Text))
                {
                    throw new DataFormatException(path, target.Line, targetColumn + 1, target.Text,
                        $"the target '{options.Target}' is missing; a row without a target cannot be used");
                }

                // Under Auto a target that reads as NaN or an infinity is neither a usable number nor a class name: a bad row here, where SkipBadRows sees it.
                if (options.TargetEncoding == TargetEncoding.Numeric
                    || (options.TargetEncoding == TargetEncoding.Auto && double.TryParse(target.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
                {
                    ParseNumber(path, target, targetColumn, options.Target);
                }
                for (int k = 0; k < kept.Length; k++)
                {
                    var field = fields[kept[k]];
                    bool isMissing = missing.Contains(field.Text);
                    row[k] = options.Columns.GetValueOrDefault(header[kept[k]]) == ColumnKind.Numeric
                        ? (isMissing ? double.NaN : ParseNumber(path, field, kept[k], header[kept[k]]), null)
                        : (double.NaN, isMissing ? null : field.Text);
                }

                for (int k = 0; k < kept.Length; k++)
                {
                    numbers[k].Add(row[k].Number);
                    texts[k].Add(row[k].Text);
                }

                targetFields.Add(target);
                lines.Add(reader.RecordLine);
            }
            catch (DataFormatException error) when (options.SkipBadRows)
            {
                skipped.Add(error);
            }
        }

        if (targetFields.Count == 0)
        {
            throw new DataFormatException(path, reader.RecordLine, 0, reader.RecordText,
                skipped.Count == 0 ? "no data rows after the header" : $"every one of the {skipped.Count} data rows is bad; the first: {skipped[0].Message}");
        }

        var columns = kept.Select((c, k) =>
        {
            var kind = options.Columns.GetValueOrDefault(header[c]);
            return new TableColumn(header[c], kind, c + 1, kind == ColumnKind.Numeric ? numbers[k].ToArray() : null, kind == ColumnKind.Numeric ? null : texts[k].ToArray());
        }).ToArray();
        if (options.Classes is not null && options.TargetEncoding == TargetEncoding.Numeric)
        {
            throw new ArgumentException("Classes needs class targets; TargetEncoding.Numeric reads the target as a number.", nameof(options));
        }

        bool classes = options.TargetEncoding == TargetEncoding.OneHot || options.Classes is not null
            || (options.TargetEncoding == TargetEncoding.Auto && targetFields.Exists(f => !double.TryParse(f.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)));
        string[]? classNames = null;
        if (classes)
        {
            var classList = ClassList.Of(options.Classes, targetFields.Select(f => f.Text));
            foreach (var field in targetFields) classList.Column(path, field, targetColumn + 1);
            classNames = classList.Names;
        }
        else
        {
            foreach (var field in targetFields) ParseNumber(path, field, targetColumn, options.Target);
        }

        return new DataTable(path, columns, targetFields.Select(f => f.Text).ToArray(), lines.ToArray(), classNames, skipped);
    }

    /// <summary>A table of the rows <paramref name="indices"/> names, in that order; the same columns, classes and path, no skipped rows.</summary>
    /// <param name="indices">0-based row indices.</param>
    public DataTable Rows(ReadOnlySpan<int> indices)
    {
        int[] rows = indices.ToArray();
        foreach (int row in rows) ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)Count, nameof(indices));
        var subset = columns.Select(c => c.Rows(rows)).ToArray();
        return new DataTable(Path, subset, rows.Select(r => targets[r]).ToArray(), rows.Select(r => lines[r]).ToArray(), ClassNames, []);
    }

    /// <summary>Splits the rows into training, validation and test tables as <see cref="Splitting.TrainValidationTest"/> does, stratified by class when the target is a class and <paramref name="stratify"/> is set.</summary>
    /// <param name="train">Fraction for training.</param>
    /// <param name="validation">Fraction for validation.</param>
    /// <param name="test">Fraction for testing.</param>
    /// <param name="seed">Seeds the shuffle.</param>
    /// <param name="stratify">Keep the class proportions in each part.</param>
    public (DataTable Train, DataTable Validation, DataTable Test) Split(double train, double validation, double test, int seed, bool stratify = true)
    {
        var (trainRows, validationRows, testRows) = Splitting.TrainValidationTest(Count, StratificationLabels(stratify), train, validation, test, seed);
        return (Rows(trainRows), Rows(validationRows), Rows(testRows));
    }

    /// <summary><paramref name="k"/> folds as <see cref="Splitting.KFold"/> makes them, stratified by class when the target is a class and <paramref name="stratify"/> is set.</summary>
    /// <param name="k">Number of folds.</param>
    /// <param name="seed">Seeds the shuffle.</param>
    /// <param name="stratify">Keep the class proportions in each fold.</param>
    public Fold[] KFold(int k, int seed, bool stratify = true) => Splitting.KFold(Count, StratificationLabels(stratify), k, seed);

    /// <summary>The class index of each row's target (its place in <see cref="ClassNames"/>).</summary>
    /// <exception cref="InvalidOperationException">The target is numeric.</exception>
    public int[] ClassLabels()
    {
        var classNames = ClassNames ?? throw new InvalidOperationException("The target is numeric; it has no classes.");
        var index = classNames.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        return targets.Select(t => index[t]).ToArray();
    }

    /// <summary>The column named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No kept column has that name.</exception>
    public TableColumn Column(string name) =>
        columns.FirstOrDefault(c => c.Name == name)
        ?? throw new KeyNotFoundException($"{Path} has no feature column '{name}'; its columns are: {string.Join(", ", columns.Select(c => c.Name))}.");

    private int[] StratificationLabels(bool stratify) => stratify && ClassNames is not null ? ClassLabels() : [];

    internal static double ParseNumber(string path, CsvField field, int column, string columnName)
    {
        if (!double.TryParse(field.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            throw new DataFormatException(path, field.Line, column + 1, field.Text, $"'{field.Text}' in column '{columnName}' is not a number");
        }

        if (!double.IsFinite(value))
        {
            throw new DataFormatException(path, field.Line, column + 1, field.Text,
                $"'{field.Text}' in column '{columnName}' is not a finite number; NaN and infinities are not allowed (mark a missing value as empty or NA)");
        }

        return value;
    }
}

/// <summary>One feature column of a <see cref="DataTable"/>.</summary>
/// <param name="Name">The header name.</param>
/// <param name="Kind">Numeric, one-hot or label-encoded.</param>
/// <param name="CsvColumn">The 1-based column in the file, for messages.</param>
/// <param name="Numbers">The values of a numeric column, NaN where missing; null otherwise.</param>
/// <param name="Texts">The categories of a categorical column, null where missing; null for a numeric column.</param>
public sealed record TableColumn(string Name, ColumnKind Kind, int CsvColumn, double[]? Numbers, string?[]? Texts)
{
    /// <summary>Whether row <paramref name="row"/> has no value.</summary>
    /// <param name="row">0-based row.</param>
    public bool IsMissing(int row) => Numbers is not null ? double.IsNaN(Numbers[row]) : Texts![row] is null;

    /// <summary>The number of missing values.</summary>
    public int MissingCount => Numbers?.Count(double.IsNaN) ?? Texts!.Count(t => t is null);

    internal TableColumn Rows(int[] rows) =>
        this with { Numbers = Numbers is null ? null : rows.Select(r => Numbers[r]).ToArray(), Texts = Texts is null ? null : rows.Select(r => Texts[r]).ToArray() };
}
