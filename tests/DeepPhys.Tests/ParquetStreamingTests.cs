using DeepPhys.Data;
using DeepPhys.Optimizers;
using DeepPhys.Training;
using Parquet;
using Parquet.Schema;

namespace DeepPhys.Tests;

/// <summary>A Parquet event file of several row groups, read chunk by chunk and trained on as a stream.</summary>
public sealed class ParquetStreamingTests : IDisposable
{
    private const int RowsPerGroup = 150;
    private const int Groups = 4;
    private readonly string folder = Directory.CreateTempSubdirectory("deepphys-parquet-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>Writes x0 (double), x1 (float), label (int: 1 when x0 + x1 > 0), and an optional nullable column, in <see cref="Groups"/> row groups.</summary>
    private string WriteEvents()
    {
        var x0 = new DataField<double>("x0");
        var x1 = new DataField<float>("x1");
        var label = new DataField<int>("label");
        var weight = new DataField<double?>("weight");
        string path = Path.Combine(folder, "events.parquet");
        var random = new RandomStream(11);
        using var stream = File.Create(path);
        var writer = ParquetWriter.CreateAsync(new ParquetSchema(x0, x1, label, weight), stream).GetAwaiter().GetResult();
        for (int g = 0; g < Groups; g++)
        {
            var a = Enumerable.Range(0, RowsPerGroup).Select(_ => random.NextNormal()).ToArray();
            var b = Enumerable.Range(0, RowsPerGroup).Select(_ => (float)random.NextNormal()).ToArray();
            using var group = writer.CreateRowGroup();
            group.WriteAsync<double>(x0, a).GetAwaiter().GetResult();
            group.WriteAsync<float>(x1, b).GetAwaiter().GetResult();
            group.WriteAsync<int>(label, a.Zip(b, (p, q) => p + q > 0 ? 1 : 0).ToArray()).GetAwaiter().GetResult();
            group.WriteAsync<double>(weight, new double?[RowsPerGroup]).GetAwaiter().GetResult();
        }

        writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return path;
    }

    [Fact]
    public void RowGroups_AreChunks_InStoredOrderOrShuffled()
    {
        var source = new ParquetBatchSource<float>(WriteEvents(), ["x0", "x1"], ["label"]);

        var stored = source.ReadChunks(random: null).ToArray();
        var shuffled = source.ReadChunks(new RandomStream(3)).ToArray();

        Assert.Equal(Groups, source.RowGroupCount);
        Assert.All(stored, chunk => Assert.Equal(RowsPerGroup, chunk.Count));
        Assert.Equal(["x0", "x1"], stored[0].FeatureNames!);
        var all = source.ReadAll();
        Assert.Equal(stored.SelectMany(c => c.Features.ToArray()), all.Features.ToArray());
        var first = stored.Select(c => c.FeatureRow(0)[0]).ToArray();
        var shuffledFirst = shuffled.Select(c => c.FeatureRow(0)[0]).ToArray();
        Assert.Equal(first.Order(), shuffledFirst.Order());
        Assert.NotEqual(first, shuffledFirst);
        Assert.All(Enumerable.Range(0, all.Count), i => Assert.Equal(all.FeatureRow(i)[0] + all.FeatureRow(i)[1] > 0 ? 1f : 0f, all.TargetRow(i)[0]));
    }

    [Fact]
    public void StreamingFit_LearnsTheBoundary_AndIsReproducible()
    {
        var source = new ParquetBatchSource<float>(WriteEvents(), ["x0", "x1"], ["label"]);

        var network = new FloatLogistic(seed: 1);
        var history = StreamingTraining.Fit(network, source, new Sgd(learningRate: 0.5), epochs: 20, batchSize: 16);
        var again = new FloatLogistic(seed: 1);
        StreamingTraining.Fit(again, source, new Sgd(learningRate: 0.5), epochs: 20, batchSize: 16);

        Assert.Equal(20, history.Count);
        Assert.True(history[^1].Loss < history[0].Loss / 2, $"loss {history[0].Loss} → {history[^1].Loss}");
        Assert.True(network.Evaluate(source.ReadAll()).Accuracy >= 0.97);
        Assert.Equal(network.Parameters.ToArray(), again.Parameters.ToArray());
    }

    [Fact]
    public void BadColumns_AreNamed()
    {
        string path = WriteEvents();

        Assert.Contains("no column 'energy'", Assert.Throws<FormatException>(() => new ParquetBatchSource<float>(path, ["energy"], ["label"])).Message);
        Assert.Equal($"{path}: row group 0, row 0, column 'weight' is null; fill missing values when writing the file, or pass nullFill.",
            Assert.Throws<FormatException>(() => new ParquetBatchSource<float>(path, ["weight"], ["label"]).ReadAll()).Message);
        Assert.Contains("FloatLogistic has 2 inputs", Assert.Throws<ArgumentException>(() =>
            StreamingTraining.Fit(new FloatLogistic(), new ParquetBatchSource<float>(path, ["x0"], ["label"]), new Sgd(0.1), 1)).Message);
    }
}
