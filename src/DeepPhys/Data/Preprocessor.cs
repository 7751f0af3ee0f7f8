using DeepPhys.IO;
using DeepPhys.Serialization;
using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace DeepPhys.Data;

/// <summary>How a <see cref="Preprocessor"/> fills a missing number.</summary>
public enum Imputation
{
    /// <summary>The mean of the column's training values.</summary>
    Mean,

    /// <summary>The median of the column's training values (the mean of the two middle ones for an even count), robust to outliers.</summary>
    Median,
}

/// <summary>How a <see cref="Preprocessor"/> scales the numeric and label-encoded inputs; one-hot inputs stay 0/1.</summary>
public enum Scaling
{
    /// <summary>Unscaled.</summary>
    None,

    /// <summary><see cref="StandardScaler"/>: mean 0, standard deviation 1.</summary>
    Standard,

    /// <summary><see cref="MinMaxScaler"/>: training range onto [0, 1].</summary>
    MinMax,
}

/// <summary>
/// Everything between a raw table row and network inputs, fitted on the training part only:
/// missing numbers imputed (mean or median), missing categories filled with the most frequent
/// training category, categories one-hot or label encoded, then scaled. Save it beside the
/// network (<see cref="Save"/>, <see cref="Load"/>) so prediction applies the same transformation.
/// </summary>
public sealed class Preprocessor
{
    private readonly ColumnState[] columns;
    private readonly FeatureScaler? scaler;

    private Preprocessor(ColumnState[] columns, IReadOnlyList<string>? classNames, FeatureScaler? scaler)
    {
        this.columns = columns;
        this.scaler = scaler;
        ClassNames = classNames;
        FeatureNames = columns.SelectMany(c => c.Kind == ColumnKind.OneHot ? c.Categories.Select(v => $"{c.Name}={v}") : [c.Name]).ToArray();
    }

    /// <summary>The network inputs in order: a numeric or label column's name, or <c>column=category</c> per one-hot category.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The target classes (one-hot targets), or null for a numeric target.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>The value each column's missing entries get: a number, or for a categorical column the index of its most frequent category.</summary>
    public IReadOnlyDictionary<string, double> Fills => columns.ToDictionary(c => c.Name, c => c.Fill);

    /// <summary>The categories of each categorical column, ordinally sorted, as seen in training.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Categories =>
        columns.Where(c => c.Kind != ColumnKind.Numeric).ToDictionary(c => c.Name, c => (IReadOnlyList<string>)c.Categories);

    /// <summary>The scaler applied last, or null without scaling.</summary>
    public FeatureScaler? Scaler => scaler;

    /// <summary>Fits imputation, encodings and scaling on <paramref name="train"/>, which must be the training part only.</summary>
    /// <param name="train">The training rows.</param>
    /// <param name="imputation">How missing numbers are filled.</param>
    /// <param name="scaling">How numeric and label inputs are scaled.</param>
    /// <exception cref="ArgumentException">A column has no value in the training rows, so nothing can be learned for it.</exception>
    public static Preprocessor Fit(DataTable train, Imputation imputation = Imputation.Mean, Scaling scaling = Scaling.Standard)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (!Enum.IsDefined(imputation)) throw new ArgumentOutOfRangeException(nameof(imputation), imputation, null);
        if (!Enum.IsDefined(scaling)) throw new ArgumentOutOfRangeException(nameof(scaling), scaling, null);
        var states = train.Columns.Select(column => FitColumn(train.Path, column, imputation)).ToArray();
        var unscaled = new Preprocessor(states, train.ClassNames, scaler: null);
        if (scaling == Scaling.None) return unscaled;

        var inputs = unscaled.Transform<double>(train);
        FeatureScaler fitted = scaling == Scaling.Standard ? StandardScaler.Fit(inputs) : MinMaxScaler.Fit(inputs);

        // One-hot inputs keep their 0/1 meaning: centre 0, scale 1.
        var state = fitted.State;
        int feature = 0;
        foreach (var column in states)
        {
            int width = column.Kind == ColumnKind.OneHot ? column.Categories.Length : 1;
            if (column.Kind == ColumnKind.OneHot)
            {
                Array.Fill(state.Center, 0, feature, width);
                Array.Fill(state.Scale, 1, feature, width);
            }

            feature += width;
        }

        return new Preprocessor(states, train.ClassNames, FeatureScaler.FromState(state));
    }

    /// <summary>The network inputs and targets of every row of <paramref name="table"/>.</summary>
    /// <param name="table">Rows with the columns the preprocessor was fitted on.</param>
    /// <exception cref="DataFormatException">A category or class was not seen in training; the message names file, line and column.</exception>
    public Dataset<T> Transform<T>(DataTable table) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(table);
        var tableColumns = columns.Select(c => Matching(table, c)).ToArray();
        int width = FeatureNames.Count;
        var features = new T[table.Count * width];
        var row = new double[width];
        for (int i = 0; i < table.Count; i++)
        {
            int offset = 0;
            for (int c = 0; c < columns.Length; c++)
            {
                var column = tableColumns[c];
                string? text = column.Texts?[i];
                offset += columns[c].Encode(column.Numbers?[i] ?? double.NaN, text, row.AsSpan(offset),
                    category => new DataFormatException(table.Path, table.Lines[i], column.CsvColumn, category, UnknownCategory(columns[c], category)));
            }

            Scale(row, features.AsSpan(i * width, width));
        }

        if (ClassNames is null)
        {
            var targets = table.Targets.Select(t => T.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
            return new Dataset<T>(features, width, targets, 1, FeatureNames);
        }

        var classIndex = ClassNames.Select((name, index) => (name, index)).ToDictionary(p => p.name, p => p.index, StringComparer.Ordinal);
        var labels = new int[table.Count];
        for (int i = 0; i < labels.Length; i++)
        {
            if (!classIndex.TryGetValue(table.Targets[i], out labels[i]))
            {
                throw new DataFormatException(table.Path, table.Lines[i], 0, table.Targets[i],
                    $"the class '{table.Targets[i]}' was not among the training classes: {string.Join(", ", ClassNames)}");
            }
        }

        return Dataset<T>.FromClassLabels(features, width, labels, ClassNames.Count, FeatureNames, ClassNames);
    }

    /// <summary>
    /// The network inputs of one new sample given as text by column name, e.g. a passenger to
    /// predict: missing values (absent, null, or an <paramref name="missingValues"/> text) are
    /// imputed as in training.
    /// </summary>
    /// <param name="values">The raw field text of each column, by column name.</param>
    /// <param name="missingValues">Texts meaning "missing"; by default the empty text and <c>NA</c>.</param>
    /// <exception cref="ArgumentException">A number is not one, or a category was not seen in training.</exception>
    public T[] TransformRow<T>(IReadOnlyDictionary<string, string?> values, IReadOnlyList<string>? missingValues = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(values);
        var missing = (missingValues ?? ["", "NA"]).ToHashSet(StringComparer.Ordinal);
        var row = new double[FeatureNames.Count];
        int offset = 0;
        foreach (var column in columns)
        {
            string? text = values.GetValueOrDefault(column.Name)?.Trim();
            if (text is not null && missing.Contains(text)) text = null;
            double number = double.NaN;
            if (column.Kind == ColumnKind.Numeric && text is not null
                && !(double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number)))
            {
                throw new ArgumentException($"'{text}' for column '{column.Name}' is not a finite number.", nameof(values));
            }

            offset += column.Encode(number, text, row.AsSpan(offset), category => new ArgumentException(UnknownCategory(column, category), nameof(values)));
        }

        var features = new T[row.Length];
        Scale(row, features);
        return features;
    }

    /// <summary>The fitted preprocessor as JSON (round-trip exact doubles).</summary>
    public string ToJson() => JsonSerializer.Serialize(
        new PreprocessorState(columns, ClassNames?.ToArray(), scaler?.State), PreprocessingJson.Default.PreprocessorState);

    /// <summary>Reads a preprocessor written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <exception cref="FormatException">The text is not a preprocessor.</exception>
    public static Preprocessor FromJson(string json)
    {
        var state = ScalerState.Read(json, PreprocessingJson.Default.PreprocessorState, "preprocessor");
        if (state.Columns is null || state.Columns.Any(c => c.Name is null || c.Categories is null || !Enum.IsDefined(c.Kind) || c.Kind == ColumnKind.Ignore))
        {
            throw new FormatException("Not a preprocessor: expected 'columns', each with a name, a kind (Numeric, OneHot or Label) and categories.");
        }

        foreach (var column in state.Columns) column.Check();
        var loaded = new Preprocessor(state.Columns, state.ClassNames, state.Scaler is null ? null : FeatureScaler.FromState(state.Scaler));
        if (loaded.scaler is not null && loaded.scaler.FeatureCount != loaded.FeatureNames.Count)
        {
            throw new FormatException($"The scaler has {loaded.scaler.FeatureCount} features but the columns give {loaded.FeatureNames.Count}.");
        }

        return loaded;
    }

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/> atomically: the previous file survives a failed save.</summary>
    /// <param name="path">The file to write.</param>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson());

    /// <summary>Reads a preprocessor saved with <see cref="Save"/>.</summary>
    /// <param name="path">The file to read.</param>
    public static Preprocessor Load(string path) => FromJson(File.ReadAllText(path));

    private static ColumnState FitColumn(string path, TableColumn column, Imputation imputation)
    {
        if (column.MissingCount == column.Numbers?.Length || column.MissingCount == column.Texts?.Length)
        {
            throw new ArgumentException($"Column '{column.Name}' (column {column.CsvColumn} of {path}) has no value in the training rows; nothing can be learned for it.");
        }

        if (column.Numbers is { } numbers)
        {
            var present = numbers.Where(x => !double.IsNaN(x)).Order().ToArray();
            double fill = imputation == Imputation.Mean
                ? present.Sum() / present.Length
                : (present[(present.Length - 1) / 2] + present[present.Length / 2]) / 2;
            return new ColumnState(column.Name, column.Kind, fill, []);
        }

        var counts = column.Texts!.OfType<string>().GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        string[] categories = counts.Keys.Order(StringComparer.Ordinal).ToArray();
        int mostFrequent = Array.IndexOf(categories, categories.MaxBy(c => counts[c]));
        return new ColumnState(column.Name, column.Kind, mostFrequent, categories);
    }

    private static TableColumn Matching(DataTable table, ColumnState state)
    {
        var column = table.Column(state.Name);
        if (column.Kind != state.Kind)
        {
            throw new ArgumentException($"Column '{state.Name}' of {table.Path} is {column.Kind}; the preprocessor was fitted on it as {state.Kind}.", nameof(table));
        }

        return column;
    }

    private static string UnknownCategory(ColumnState column, string category) =>
        $"'{category}' in column '{column.Name}' was not seen in training; the categories are: {string.Join(", ", column.Categories)}";

    private void Scale<T>(double[] row, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        scaler?.Transform<double>(row, row);
        for (int j = 0; j < row.Length; j++) destination[j] = T.CreateTruncating(row[j]);
    }
}

/// <summary>What a <see cref="Preprocessor"/> learned about one column; also its JSON form.</summary>
/// <param name="Name">The column's header name.</param>
/// <param name="Kind">Numeric, one-hot or label.</param>
/// <param name="Fill">The imputed number, or the index of the most frequent category.</param>
/// <param name="Categories">The training categories, ordinally sorted; empty for a numeric column.</param>
internal sealed record ColumnState(string Name, ColumnKind Kind, double Fill, string[] Categories)
{
    /// <summary>Throws when a read column could not encode a value: a fill that is not a category's index, categories out of order.</summary>
    public void Check()
    {
        if (Kind == ColumnKind.Numeric)
        {
            if (!double.IsFinite(Fill)) throw new FormatException($"Not a preprocessor: column '{Name}' fills a missing value with {Fill.ToString(CultureInfo.InvariantCulture)}.");
            return;
        }

        if (Fill < 0 || Fill >= Categories.Length || Fill != Math.Floor(Fill))
        {
            throw new FormatException(
                $"Not a preprocessor: column '{Name}' fills a missing value with category {Fill.ToString(CultureInfo.InvariantCulture)}; it has {Categories.Length} categories.");
        }

        // Encode finds a category by binary search.
        for (int i = 1; i < Categories.Length; i++)
        {
            if (string.CompareOrdinal(Categories[i - 1], Categories[i]) >= 0)
            {
                throw new FormatException($"Not a preprocessor: column '{Name}': the categories must be distinct and in ordinal order ('{Categories[i - 1]}' before '{Categories[i]}').");
            }
        }
    }

    /// <summary>Writes the column's inputs for one value (NaN or null when missing) and returns how many it wrote.</summary>
    public int Encode(double number, string? text, Span<double> destination, Func<string, Exception> unknown)
    {
        if (Kind == ColumnKind.Numeric)
        {
            destination[0] = double.IsNaN(number) ? Fill : number;
            return 1;
        }

        int category = text is null ? (int)Fill : Array.BinarySearch(Categories, text, StringComparer.Ordinal);
        if (category < 0) throw unknown(text!);
        if (Kind == ColumnKind.Label)
        {
            destination[0] = category;
            return 1;
        }

        destination[..Categories.Length].Clear();
        destination[category] = 1;
        return Categories.Length;
    }
}

/// <summary>The JSON form of a <see cref="Preprocessor"/>.</summary>
internal sealed record PreprocessorState(ColumnState[] Columns, string[]? ClassNames, ScalerState? Scaler);
