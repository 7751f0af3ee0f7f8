using BenchmarkDotNet.Attributes;
using DeepPhys.Data;
using Parquet;
using Parquet.Schema;

namespace DeepPhys.Benchmarks;

/// <summary>
/// Issue 19: a pass over a Parquet file of 100,000 rows (8 float features and an int label, 4 row groups) through
/// <see cref="ParquetBatchSource{T}"/> against reading the same columns with Parquet.Net directly, each column into
/// an array of its own type: the source's cost over the bare read (target: within 1.3×), in time and bytes allocated.
/// Rows/s = 100,000 / mean; bytes per row = Allocated / 100,000.
/// </summary>
[MemoryDiagnoser]
public class ParquetBenchmarks
{
    private const int Rows = 100_000;
    private const int Groups = 4;
    private static readonly string[] Features = Enumerable.Range(0, 8).Select(i => $"x{i}").ToArray();
    private string path = "";
    private ParquetBatchSource<float> source = null!;

    /// <summary>Columns optional, as pyarrow writes a DataFrame, or required.</summary>
    [Params(false, true)]
    public bool Nullable { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        path = Path.Combine(Path.GetTempPath(), $"deepphys-bench-{Nullable}.parquet");
        var fields = Features.Select(name => Nullable ? (DataField)new DataField<float?>(name) : new DataField<float>(name)).Append(new DataField<int>("label")).ToArray();
        var random = new RandomStream(1);
        using (var stream = File.Create(path))
        {
            var writer = ParquetWriter.CreateAsync(new ParquetSchema(fields), stream).GetAwaiter().GetResult();
            for (int g = 0; g < Groups; g++)
            {
                using var group = writer.CreateRowGroup();
                foreach (var field in fields[..^1])
                {
                    var values = Enumerable.Range(0, Rows / Groups).Select(_ => (float)random.NextNormal()).ToArray();
                    if (Nullable) group.WriteAsync<float>(field, values.Select(v => (float?)v).ToArray()).GetAwaiter().GetResult();
                    else group.WriteAsync<float>(field, values).GetAwaiter().GetResult();
                }

                group.WriteAsync<int>(fields[^1], Enumerable.Range(0, Rows / Groups).Select(i => i % 2).ToArray()).GetAwaiter().GetResult();
            }

            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        source = new ParquetBatchSource<float>(path, Features, ["label"]);
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(path);

    /// <summary>Every row group as a <see cref="Dataset{T}"/>: what a streaming epoch reads.</summary>
    [Benchmark]
    public int Source()
    {
        int rows = 0;
        foreach (var chunk in source.ReadChunks(random: null)) rows += chunk.Count;
        return rows;
    }

    /// <summary>The same columns with Parquet.Net alone, each into a fresh array of its type.</summary>
    [Benchmark(Baseline = true)]
    public int DirectParquetNet()
    {
        int rows = 0;
        var reader = ParquetReader.CreateAsync(path).GetAwaiter().GetResult();
        try
        {
            var fields = reader.Schema.GetDataFields();
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                int count = checked((int)group.RowCount);
                foreach (var field in fields[..^1])
                {
                    if (Nullable) group.ReadAsync<float>(field, new float?[count]).AsTask().GetAwaiter().GetResult();
                    else group.ReadAsync<float>(field, new float[count]).AsTask().GetAwaiter().GetResult();
                }

                group.ReadAsync<int>(fields[^1], new int[count]).AsTask().GetAwaiter().GetResult();
                rows += count;
            }
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        return rows;
    }
}
