using System.Numerics;
using Parquet;
using Parquet.Schema;

namespace DeepPhys.Data;

/// <summary>
/// A Parquet file of numeric columns read one row group at a time, so an event sample larger than
/// memory can be trained on with <see cref="Training.StreamingTraining.Fit"/>. Feature and target
/// columns are named; each must be a required (non-nullable) double, float, int or long column,
/// and every value finite (fill missing values when writing the file). A row group is one chunk: write files with row groups of a size that fits in memory
/// (e.g. 10⁵–10⁶ events).
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class ParquetBatchSource<T> : IBatchSource<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly DataField[] featureFields;
    private readonly DataField[] targetFields;

    /// <summary>Opens <paramref name="path"/> and checks that the named columns exist and are numeric.</summary>
    /// <param name="path">The Parquet file.</param>
    /// <param name="features">The feature columns, in input order.</param>
    /// <param name="targets">The target columns (one for a regression or a 0/1 label; one per class for one-hot targets).</param>
    /// <exception cref="FormatException">A column is missing, nullable or not numeric (the message names the file and the column).</exception>
    public ParquetBatchSource(string path, IReadOnlyList<string> features, IReadOnlyList<string> targets)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        if (features.Count == 0 || targets.Count == 0) throw new ArgumentException("Name at least one feature and one target column.");
        Path = path;
        var reader = ParquetReader.CreateAsync(path).GetAwaiter().GetResult();
        try
        {
            var fields = reader.Schema.GetDataFields();
            featureFields = features.Select(name => Field(fields, name)).ToArray();
            targetFields = targets.Select(name => Field(fields, name)).ToArray();
            RowGroupCount = reader.RowGroupCount;
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>The file, as it was given.</summary>
    public string Path { get; }

    /// <summary>Number of row groups (chunks) in the file.</summary>
    public int RowGroupCount { get; }

    /// <inheritdoc/>
    public int FeatureCount => featureFields.Length;

    /// <inheritdoc/>
    public int TargetCount => targetFields.Length;

    /// <inheritdoc/>
    public IEnumerable<Dataset<T>> ReadChunks(RandomStream? random)
    {
        var order = Enumerable.Range(0, RowGroupCount).ToArray();
        random?.Shuffle(order.AsSpan());
        var reader = ParquetReader.CreateAsync(Path).GetAwaiter().GetResult();
        try
        {
            foreach (int group in order)
            {
                using var rowGroup = reader.OpenRowGroupReader(group);
                int rows = checked((int)rowGroup.RowCount);
                var features = new T[rows * FeatureCount];
                var targets = new T[rows * TargetCount];
                Fill(rowGroup, featureFields, features, rows, group);
                Fill(rowGroup, targetFields, targets, rows, group);
                yield return new Dataset<T>(features, FeatureCount, targets, TargetCount, featureFields.Select(f => f.Name).ToArray());
            }
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Reads every row group into one dataset, for a validation or test file that fits in memory.</summary>
    public Dataset<T> ReadAll()
    {
        var chunks = ReadChunks(random: null).ToArray();
        var features = chunks.SelectMany(c => c.Features.ToArray()).ToArray();
        var targets = chunks.SelectMany(c => c.Targets.ToArray()).ToArray();
        return new Dataset<T>(features, FeatureCount, targets, TargetCount, featureFields.Select(f => f.Name).ToArray());
    }

    private void Fill(ParquetRowGroupReader rowGroup, DataField[] fields, T[] destination, int rows, int group)
    {
        int width = fields.Length;
        for (int j = 0; j < width; j++)
        {
            double[] values = fields[j].ClrType == typeof(float) ? Read<float>(rowGroup, fields[j], rows)
                : fields[j].ClrType == typeof(int) ? Read<int>(rowGroup, fields[j], rows)
                : fields[j].ClrType == typeof(long) ? Read<long>(rowGroup, fields[j], rows)
                : Read<double>(rowGroup, fields[j], rows);
            for (int i = 0; i < rows; i++)
            {
                if (!double.IsFinite(values[i]))
                {
                    throw new FormatException($"{Path}: row group {group}, row {i}, column '{fields[j].Name}': {values[i]} is not finite; every value must be.");
                }

                destination[i * width + j] = T.CreateTruncating(values[i]);
            }
        }
    }

    private static double[] Read<TColumn>(ParquetRowGroupReader rowGroup, DataField field, int rows) where TColumn : struct, INumberBase<TColumn>
    {
        var buffer = new TColumn[rows];
        rowGroup.ReadAsync<TColumn>(field, buffer).AsTask().GetAwaiter().GetResult();
        return buffer.Select(double.CreateTruncating).ToArray();
    }

    private DataField Field(DataField[] fields, string name)
    {
        var field = fields.FirstOrDefault(f => f.Name == name)
            ?? throw new FormatException($"{Path}: no column '{name}'; columns are: {string.Join(", ", fields.Select(f => f.Name))}.");
        if (field.IsNullable || !(field.ClrType == typeof(double) || field.ClrType == typeof(float) || field.ClrType == typeof(int) || field.ClrType == typeof(long)))
        {
            throw new FormatException(
                $"{Path}: column '{name}' is {(field.IsNullable ? "nullable " : "")}{field.ClrType.Name}; expected a required (non-nullable) double, float, int or long column.");
        }

        return field;
    }
}
