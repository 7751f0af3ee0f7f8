using System.Globalization;
using System.Numerics;

using DeepPhys.Metrics;

namespace DeepPhys.Data;

/// <summary>
/// Samples as two row-major buffers: <see cref="FeatureCount"/> features and
/// <see cref="TargetCount"/> target values per sample. Every value is finite, so training never
/// meets a NaN it did not make itself.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Dataset<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] features;
    private readonly T[] targets;

    /// <summary>Wraps the buffers (they are not copied) after checking their shapes and that every value is finite.</summary>
    /// <param name="features">Row-major <c>[Count, featureCount]</c>.</param>
    /// <param name="featureCount">Features per sample, at least 1.</param>
    /// <param name="targets">Row-major <c>[Count, targetCount]</c>.</param>
    /// <param name="targetCount">Target values per sample, at least 1.</param>
    /// <param name="featureNames">One name per feature, used in messages; optional.</param>
    /// <param name="classNames">One name per class when the targets are one-hot classes; null otherwise.</param>
    /// <exception cref="ArgumentException">A shape does not fit, or a value is NaN or infinite (the message names sample and column).</exception>
    public Dataset(T[] features, int featureCount, T[] targets, int targetCount,
        IReadOnlyList<string>? featureNames = null, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetCount, 1);
        int count = Rows(features.Length, featureCount, "features");
        if (Rows(targets.Length, targetCount, "targets") != count)
        {
            throw new ArgumentException(
                $"features has {count} samples but targets has {targets.Length / targetCount}.", nameof(targets));
        }

        CheckNames(featureNames, featureCount, "featureNames", "features");
        CheckNames(classNames, targetCount, "classNames", "target values (one-hot classes)");
        CheckFinite(features, featureCount, featureNames, "Feature", "input", nameof(features));
        CheckFinite(targets, targetCount, classNames, "Target", "target", nameof(targets));

        this.features = features;
        this.targets = targets;
        Count = count;
        FeatureCount = featureCount;
        TargetCount = targetCount;
        FeatureNames = featureNames;
        ClassNames = classNames;
    }

    /// <summary>Number of samples.</summary>
    public int Count { get; }

    /// <summary>Features per sample.</summary>
    public int FeatureCount { get; }

    /// <summary>Target values per sample: the number of classes for one-hot classification.</summary>
    public int TargetCount { get; }

    /// <summary>All features, row-major <c>[Count, FeatureCount]</c>.</summary>
    public ReadOnlySpan<T> Features => features;

    /// <summary>All targets, row-major <c>[Count, TargetCount]</c>.</summary>
    public ReadOnlySpan<T> Targets => targets;

    /// <summary>One name per feature, or null when unknown.</summary>
    public IReadOnlyList<string>? FeatureNames { get; }

    /// <summary>One name per class for one-hot classification; null otherwise.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>The target buffer, so a transformed copy of the features can share it.</summary>
    internal T[] TargetBuffer => targets;

    /// <summary>The features of sample <paramref name="index"/>.</summary>
    /// <param name="index">0-based sample index.</param>
    public ReadOnlySpan<T> FeatureRow(int index) => features.AsSpan(CheckIndex(index) * FeatureCount, FeatureCount);

    /// <summary>The targets of sample <paramref name="index"/>.</summary>
    /// <param name="index">0-based sample index.</param>
    public ReadOnlySpan<T> TargetRow(int index) => targets.AsSpan(CheckIndex(index) * TargetCount, TargetCount);

    /// <summary>
    /// One-hot targets from class labels: sample <c>i</c> belongs to class <c>labels[i]</c>.
    /// </summary>
    /// <param name="features">Row-major <c>[labels.Length, featureCount]</c>; not copied.</param>
    /// <param name="featureCount">Features per sample.</param>
    /// <param name="labels">One label per sample in <c>[0, classCount)</c>.</param>
    /// <param name="classCount">Number of classes.</param>
    /// <param name="featureNames">One name per feature; optional.</param>
    /// <param name="classNames">One name per class; the labels as text when omitted.</param>
    /// <exception cref="ArgumentException">A label is out of range, or the constructor's checks fail.</exception>
    public static Dataset<T> FromClassLabels(T[] features, int featureCount, ReadOnlySpan<int> labels, int classCount,
        IReadOnlyList<string>? featureNames = null, IReadOnlyList<string>? classNames = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        var targets = new T[labels.Length * classCount];
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
            {
                throw new ArgumentException(
                    $"Label {labels[i]} of sample {i} is outside [0, {classCount}); labels number the classes from 0.", nameof(labels));
            }

            targets[i * classCount + labels[i]] = T.One;
        }

        classNames ??= Scoring.DefaultNames(classCount);
        return new Dataset<T>(features, featureCount, targets, classCount, featureNames, classNames);
    }

    /// <summary>
    /// Reads a CSV file with a header row. Every column except <paramref name="target"/> is a numeric
    /// feature (invariant culture: '.' decimals); the target column becomes one-hot classes or a
    /// numeric value as <paramref name="encoding"/> says. Fields may be quoted as in RFC 4180; LF or
    /// CRLF line ends; blank lines are skipped.
    /// </summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="target">The header name of the target column.</param>
    /// <param name="encoding">How to turn the target column into targets.</param>
    /// <param name="classes">
    /// The classes in output order, the same for a training and a test file (a file in which a class does not occur
    /// still gets its one-hot column); null takes the file's distinct labels, in numeric order when every label is a
    /// number (0, 1, 2, 10), otherwise in ordinal order.
    /// </param>
    /// <exception cref="DataFormatException">The file does not have this form, or a label is not in <paramref name="classes"/>; the message names line, column and the text.</exception>
    /// <exception cref="ArgumentException"><paramref name="classes"/> lists a class twice, or is given with <see cref="TargetEncoding.Numeric"/>.</exception>
    public static Dataset<T> FromCsv(string path, string target, TargetEncoding encoding = TargetEncoding.Auto, IReadOnlyList<string>? classes = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(target);
        if (!Enum.IsDefined(encoding)) throw new ArgumentOutOfRangeException(nameof(encoding), encoding, null);

        var reader = new CsvReader(path, File.ReadAllText(path));
        var fields = new List<CsvField>();
        string[] header = reader.ReadHeader(fields);
        int targetColumn = Array.IndexOf(header, target);
        if (targetColumn < 0)
        {
            throw new DataFormatException(path, reader.RecordLine, 0, target,
                $"no column '{target}'; columns are: {string.Join(", ", header)}");
        }

        if (header.Length == 1)
        {
            throw new DataFormatException(path, reader.RecordLine, 0, reader.RecordText,
                $"no feature columns besides the target '{target}'");
        }

        var featureValues = new List<T>();
        var targetFields = new List<CsvField>();
        while (reader.ReadRecord(fields))
        {
            if (fields.Count != header.Length)
            {
                throw new DataFormatException(path, reader.RecordLine, 0, reader.RecordText,
                    $"expected {header.Length} fields as in the header, found {fields.Count}");
            }

            for (int column = 0; column < fields.Count; column++)
            {
                var field = fields[column];
                if (field.Text.Length == 0)
                {
                    throw new DataFormatException(path, field.Line, column + 1, "",
                        $"empty field in column '{header[column]}'; missing values are not supported yet");
                }

                if (column == targetColumn) targetFields.Add(field);
                else featureValues.Add(ParseNumber(path, field, column, header[column]));
            }
        }

        if (targetFields.Count == 0)
        {
            throw new DataFormatException(path, reader.RecordLine, 0, reader.RecordText, "no data rows after the header");
        }

        var featureArray = featureValues.ToArray();
        string[] featureNames = header.Where((_, column) => column != targetColumn).ToArray();
        if (classes is not null && encoding == TargetEncoding.Numeric)
        {
            throw new ArgumentException("classes needs class targets; TargetEncoding.Numeric reads the target as a number.", nameof(classes));
        }

        bool oneHot = encoding == TargetEncoding.OneHot || classes is not null
            || (encoding == TargetEncoding.Auto && targetFields.Exists(f => !TryParse(f.Text, out _)));
        if (!oneHot)
        {
            var values = targetFields.Select(f => ParseNumber(path, f, targetColumn, target)).ToArray();
            return new Dataset<T>(featureArray, featureNames.Length, values, 1, featureNames);
        }

        var classList = ClassList.Of(classes, targetFields.Select(f => f.Text));
        int[] labels = targetFields.Select(f => classList.Column(path, f, targetColumn + 1)).ToArray();
        return FromClassLabels(featureArray, featureNames.Length, labels, classList.Names.Length, featureNames, classList.Names);
    }

    /// <summary>
    /// Copies the rows <paramref name="indices"/> names, in that order, into the two buffers.
    /// Allocates nothing, so the training loop can call it every step.
    /// </summary>
    /// <param name="indices">0-based sample indices.</param>
    /// <param name="features">Receives <c>indices.Length × FeatureCount</c> values.</param>
    /// <param name="targets">Receives <c>indices.Length × TargetCount</c> values.</param>
    public void Gather(ReadOnlySpan<int> indices, Span<T> features, Span<T> targets)
    {
        CheckBuffer(features.Length, indices.Length, FeatureCount, nameof(features));
        CheckBuffer(targets.Length, indices.Length, TargetCount, nameof(targets));
        for (int i = 0; i < indices.Length; i++)
        {
            FeatureRow(indices[i]).CopyTo(features.Slice(i * FeatureCount, FeatureCount));
            TargetRow(indices[i]).CopyTo(targets.Slice(i * TargetCount, TargetCount));
        }
    }

    /// <summary>A new dataset with copies of the rows <paramref name="indices"/> names, in that order, and the same names.</summary>
    /// <param name="indices">0-based sample indices; repeats are allowed.</param>
    public Dataset<T> Subset(ReadOnlySpan<int> indices)
    {
        var subsetFeatures = new T[indices.Length * FeatureCount];
        var subsetTargets = new T[indices.Length * TargetCount];
        Gather(indices, subsetFeatures, subsetTargets);
        return new Dataset<T>(subsetFeatures, FeatureCount, subsetTargets, TargetCount, FeatureNames, ClassNames);
    }

    /// <summary>The class of every sample: the index of the largest value in its one-hot target row.</summary>
    /// <exception cref="InvalidOperationException">The dataset is not one-hot classification (<see cref="ClassNames"/> is null).</exception>
    public int[] ClassLabels()
    {
        if (ClassNames is null)
        {
            throw new InvalidOperationException(
                "ClassLabels needs one-hot classification targets (ClassNames set); this dataset has numeric targets.");
        }

        var labels = new int[Count];
        for (int i = 0; i < Count; i++) labels[i] = Scoring.ArgMax(TargetRow(i));

        return labels;
    }

    /// <summary>
    /// Splits the samples into training, validation and test parts after shuffling them with
    /// <c>new RandomStream(seed)</c>. Part sizes are rounded, the remainder going to training.
    /// A classification dataset is split class by class when <paramref name="stratify"/> is set,
    /// so each part keeps the class proportions. The same seed gives the same parts.
    /// </summary>
    /// <param name="train">Fraction for training.</param>
    /// <param name="validation">Fraction for validation.</param>
    /// <param name="test">Fraction for testing.</param>
    /// <param name="seed">Seeds the shuffle.</param>
    /// <param name="stratify">Split each class separately (ignored for numeric targets).</param>
    /// <exception cref="ArgumentException">A fraction is negative or they do not sum to 1.</exception>
    public (Dataset<T> Train, Dataset<T> Validation, Dataset<T> Test) Split(
        double train, double validation, double test, int seed, bool stratify = true)
    {
        var (trainRows, validationRows, testRows) = Splitting.TrainValidationTest(Count, StratificationLabels(stratify), train, validation, test, seed);
        return (Subset(trainRows), Subset(validationRows), Subset(testRows));
    }

    /// <summary>
    /// <paramref name="k"/> folds for cross-validation (see <see cref="Splitting.KFold"/>), stratified
    /// by class for a classification dataset when <paramref name="stratify"/> is set.
    /// </summary>
    /// <param name="k">Number of folds, from 2 to <see cref="Count"/>.</param>
    /// <param name="seed">Seeds the shuffle.</param>
    /// <param name="stratify">Keep the class proportions in every fold (ignored for numeric targets).</param>
    public Fold[] KFold(int k, int seed, bool stratify = true) => Splitting.KFold(Count, StratificationLabels(stratify), k, seed);

    private int[] StratificationLabels(bool stratify) => stratify && ClassNames is not null ? ClassLabels() : [];

    private static bool TryParse(string text, out T value) =>
        T.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    private static T ParseNumber(string path, CsvField field, int column, string columnName)
    {
        if (!TryParse(field.Text, out T value))
        {
            throw new DataFormatException(path, field.Line, column + 1, field.Text, $"'{field.Text}' in column '{columnName}' is not a number");
        }

        if (!T.IsFinite(value))
        {
            throw new DataFormatException(path, field.Line, column + 1, field.Text,
                $"'{field.Text}' in column '{columnName}' is not a finite number; NaN and infinities are not allowed");
        }

        return value;
    }

    private static int Rows(int length, int width, string name)
    {
        if (length % width != 0)
        {
            throw new ArgumentException($"{name} has {length} values, not a whole number of rows of {width}.", name);
        }

        return length / width;
    }

    private static void CheckNames(IReadOnlyList<string>? names, int expected, string name, string what)
    {
        if (names is not null && names.Count != expected)
        {
            throw new ArgumentException($"{name} has {names.Count} names for {expected} {what}.", name);
        }
    }

    private static void CheckFinite(T[] values, int width, IReadOnlyList<string>? names, string kind, string role, string name)
    {
        int i = Finite.IndexOfNonFinite<T>(values);
        if (i < 0) return;
        int column = i % width;
        string columnText = names is null ? column.ToString(CultureInfo.InvariantCulture) : $"'{names[column]}'";
        throw new ArgumentException(
            $"{kind} {columnText} of sample {i / width} is {values[i].ToString(null, CultureInfo.InvariantCulture)}; every {role} must be finite.",
            name);
    }

    private static void CheckBuffer(int length, int rows, int width, string name)
    {
        if (length != rows * width)
        {
            throw new ArgumentException($"{name} has {length} values; expected {rows * width} ({rows} samples × {width}).", name);
        }
    }

    private int CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Sample index must be in [0, {Count}).");
        }

        return index;
    }
}
