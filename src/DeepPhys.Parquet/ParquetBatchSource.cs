using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Parquet;
using Parquet.Schema;

namespace DeepPhys.Data;

/// <summary>
/// A Parquet file of numeric columns read one row group at a time, so an event sample larger than
/// memory can be trained on with <see cref="Training.StreamingTraining.Fit"/>. Feature and target
/// columns are named; each is a double, float, (unsigned) 8/16/32-bit or 64-bit integer or bool column,
/// required or nullable as pandas and pyarrow write them, and every value finite. A null is an error unless
/// <c>nullFill</c> gives its value. A row group is one chunk: write files with row groups of a size that fits in memory
/// (e.g. 10⁵–10⁶ events).
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class ParquetBatchSource<T> : IBatchSource<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly Type[] SupportedTypes =
        [typeof(double), typeof(float), typeof(long), typeof(int), typeof(short), typeof(sbyte), typeof(uint), typeof(ushort), typeof(byte), typeof(bool)];

    private readonly DataField[] featureFields;
    private readonly DataField[] targetFields;

    /// <summary>Opens <paramref name="path"/> and checks that the named columns exist and are numeric.</summary>
    /// <param name="path">The Parquet file.</param>
    /// <param name="features">The feature columns, in input order.</param>
    /// <param name="targets">The target columns (one for a regression or a 0/1 label; one per class for one-hot targets).</param>
    /// <param name="nullFill">The value a null becomes (imputation by a constant, e.g. 0 or a sentinel); null makes a null an error naming row group, row and column.</param>
    /// <exception cref="FormatException">A column is missing or not numeric (the message names the file and the column).</exception>
    public ParquetBatchSource(string path, IReadOnlyList<string> features, IReadOnlyList<string> targets, double? nullFill = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        if (features.Count == 0 || targets.Count == 0) throw new ArgumentException("Name at least one feature and one target column.");
        if (nullFill is { } fill && !double.IsFinite(fill)) throw new ArgumentOutOfRangeException(nameof(nullFill), fill, "The fill must be finite.");
        Path = path;
        NullFill = nullFill;
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

    /// <summary>The value a null becomes, or null when a null is an error.</summary>
    public double? NullFill { get; }

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
        var features = new List<T>();
        var targets = new List<T>();
        foreach (var chunk in ReadChunks(random: null))
        {
            features.AddRange(chunk.Features);
            targets.AddRange(chunk.Targets);
        }

        return new Dataset<T>([.. features], FeatureCount, [.. targets], TargetCount, featureFields.Select(f => f.Name).ToArray());
    }

    private void Fill(ParquetRowGroupReader rowGroup, DataField[] fields, T[] destination, int rows, int group)
    {
        for (int j = 0; j < fields.Length; j++)
        {
            var column = new Column(fields[j], destination, j, fields.Length, rows, group);
            var type = fields[j].ClrType;
            if (type == typeof(double)) Read<double, double>(rowGroup, column);
            else if (type == typeof(float)) Read<float, float>(rowGroup, column);
            else if (type == typeof(long)) Read<long, long>(rowGroup, column);
            else if (type == typeof(int)) Read<int, int>(rowGroup, column);
            else if (type == typeof(short)) Read<short, short>(rowGroup, column);
            else if (type == typeof(sbyte)) Read<sbyte, sbyte>(rowGroup, column);
            else if (type == typeof(uint)) Read<uint, uint>(rowGroup, column);
            else if (type == typeof(ushort)) Read<ushort, ushort>(rowGroup, column);
            else if (type == typeof(byte)) Read<byte, byte>(rowGroup, column);
            else Read<bool, byte>(rowGroup, column);   // a bool is one byte, 0 or 1 (bool? and byte? share their layout too)
        }
    }

    /// <summary>
    /// Reads one column into a pooled buffer of the type Parquet.Net reads (<typeparamref name="TColumn"/>), then
    /// converts each value, seen as the number <typeparamref name="TValue"/> of the same bytes, into its place.
    /// </summary>
    private void Read<TColumn, TValue>(ParquetRowGroupReader rowGroup, Column column)
        where TColumn : struct where TValue : unmanaged, INumberBase<TValue>
    {
        if (column.Field.IsNullable)
        {
            var buffer = ArrayPool<TColumn?>.Shared.Rent(column.Rows);
            try
            {
                rowGroup.ReadAsync<TColumn>(column.Field, buffer.AsMemory(0, column.Rows)).AsTask().GetAwaiter().GetResult();
                var values = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<TColumn?, TValue?>(ref MemoryMarshal.GetArrayDataReference(buffer)), column.Rows);
                for (int i = 0; i < values.Length; i++)
                {
                    Store(column, i, values[i] is { } value ? T.CreateTruncating(value) : Fill(column, i));
                }
            }
            finally
            {
                ArrayPool<TColumn?>.Shared.Return(buffer);
            }
        }
        else
        {
            var buffer = ArrayPool<TColumn>.Shared.Rent(column.Rows);
            try
            {
                rowGroup.ReadAsync<TColumn>(column.Field, buffer.AsMemory(0, column.Rows)).AsTask().GetAwaiter().GetResult();
                var values = MemoryMarshal.Cast<TColumn, TValue>(buffer.AsSpan(0, column.Rows));
                for (int i = 0; i < values.Length; i++) Store(column, i, T.CreateTruncating(values[i]));
            }
            finally
            {
                ArrayPool<TColumn>.Shared.Return(buffer);
            }
        }
    }

    private void Store(Column column, int row, T value)
    {
        if (!T.IsFinite(value))
        {
            throw new FormatException(
                $"{Path}: row group {column.Group}, row {row}, column '{column.Field.Name}': {value.ToString(null, CultureInfo.InvariantCulture)} is not finite; every value must be.");
        }

        column.Destination[row * column.Width + column.Index] = value;
    }

    /// <summary>The value a null becomes: <see cref="NullFill"/>, or an error naming the place when there is none.</summary>
    private T Fill(Column column, int row) => NullFill is { } fill ? T.CreateTruncating(fill)
        : throw new FormatException(
            $"{Path}: row group {column.Group}, row {row}, column '{column.Field.Name}' is null; fill missing values when writing the file, or pass nullFill.");

    private DataField Field(DataField[] fields, string name)
    {
        var field = fields.FirstOrDefault(f => f.Name == name)
            ?? throw new FormatException($"{Path}: no column '{name}'; columns are: {string.Join(", ", fields.Select(f => f.Name))}.");
        if (field.IsArray || !SupportedTypes.Contains(field.ClrType))
        {
            string type = field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>) ? "text" : field.ClrType.Name;
            throw new FormatException(
                $"{Path}: column '{name}' is {(field.IsArray ? "a list of " : "")}{type}; expected a numeric or bool column: double, float, (u)int8/16/32, int64, bool.");
        }

        return field;
    }

    /// <summary>Where one column's values go: every <c>Width</c>-th place of <c>Destination</c> from <c>Index</c>.</summary>
    private readonly record struct Column(DataField Field, T[] Destination, int Index, int Width, int Rows, int Group);
}
