using DeepPhys.Data;
using Parquet;
using Parquet.Schema;

namespace DeepPhys.Tests;

/// <summary>Issue 19: Parquet columns as pandas and pyarrow write them (nullable fields, bool, small and unsigned integers).</summary>
public sealed class ParquetTypesTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("deepphys-parquet-types-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>Writes one row group of the given columns.</summary>
    private string Write(params (DataField Field, Action<ParquetRowGroupWriter> Write)[] columns)
    {
        string path = Path.Combine(folder, $"types{Directory.GetFiles(folder).Length}.parquet");
        using var stream = File.Create(path);
        var writer = ParquetWriter.CreateAsync(new ParquetSchema(columns.Select(c => (Field)c.Field).ToArray()), stream).GetAwaiter().GetResult();
        using (var group = writer.CreateRowGroup())
        {
            foreach (var column in columns) column.Write(group);
        }

        writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return path;
    }

    private static (DataField, Action<ParquetRowGroupWriter>) Required<TValue>(string name, params TValue[] values) where TValue : struct
    {
        var field = new DataField<TValue>(name);
        return (field, group => group.WriteAsync<TValue>(field, values).GetAwaiter().GetResult());
    }

    /// <summary>An optional column, as pyarrow writes every column of a pandas frame.</summary>
    private static (DataField, Action<ParquetRowGroupWriter>) Optional<TValue>(string name, params TValue?[] values) where TValue : struct
    {
        var field = new DataField<TValue?>(name);
        return (field, group => group.WriteAsync<TValue>(field, values).GetAwaiter().GetResult());
    }

    [Fact]
    public void EveryNumericAndBoolType_RequiredOrNullable_ReadsExactly()
    {
        string path = Write(
            Required("flag", true, false, true),
            Required<sbyte>("i8", -128, 0, 127),
            Required<short>("i16", -32768, 5, 32767),
            Required<byte>("u8", 0, 200, 255),
            Required<ushort>("u16", 0, 1, 65535),
            Required<uint>("u32", 0, 7, 4294967295),
            Optional<double>("pt", 1.25, 2.5, -3.75),
            Optional<bool>("flag_n", false, true, true),
            Optional<int>("label", 1, 0, 1));
        string[] features = ["flag", "i8", "i16", "u8", "u16", "u32", "pt", "flag_n"];

        var data = new ParquetBatchSource<double>(path, features, ["label"]).ReadAll();

        Assert.Equal(
            [
                1, -128, -32768, 0, 0, 0, 1.25, 0,
                0, 0, 5, 200, 1, 7, 2.5, 1,
                1, 127, 32767, 255, 65535, 4294967295, -3.75, 1,
            ],
            data.Features.ToArray());
        Assert.Equal([1.0, 0, 1], data.Targets.ToArray());
    }

    [Fact]
    public void Null_IsAnErrorNamingRowAndColumn_OrTheFillWhenOneIsGiven()
    {
        string path = Write(
            Optional<float>("eta", 0.5f, null, 1.5f),
            Optional<byte>("label", 1, 0, null));

        var error = Assert.Throws<FormatException>(() => new ParquetBatchSource<float>(path, ["eta"], ["label"]).ReadAll());
        var filled = new ParquetBatchSource<float>(path, ["eta"], ["label"], nullFill: -9).ReadAll();

        Assert.Equal($"{path}: row group 0, row 1, column 'eta' is null; fill missing values when writing the file, or pass nullFill.", error.Message);
        Assert.Equal([0.5f, -9f, 1.5f], filled.Features.ToArray());
        Assert.Equal([1f, 0f, -9f], filled.Targets.ToArray());
    }

    [Fact]
    public void TextColumn_IsAFormatErrorNamingFileAndColumn()
    {
        var name = new DataField<string>("name");
        string path = Write((name, group => group.WriteAsync(name, new[] { "a", "b" }).GetAwaiter().GetResult()), Required("label", 0, 1));

        var error = Assert.Throws<FormatException>(() => new ParquetBatchSource<float>(path, ["name"], ["label"]));

        Assert.Equal($"{path}: column 'name' is text; expected a numeric or bool column: double, float, (u)int8/16/32, int64, bool.", error.Message);
    }
}
