using DeepPhys.Data;
using PureHDF;
using PureHDF.Filters;
using PureHDF.VOL.Native;

namespace DeepPhys.Hdf5.Tests;

/// <summary>Files h5py wrote (exact values from its own view) and files PureHDF writes here, read in slices.</summary>
public sealed class Hdf5BatchSourceTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("deepphys-hdf5-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void FeatureTable_Float32_WithIntegerLabels_OneHotInNumericOrder()
    {
        var (shape, x) = Hdf5Fixture.Array("table/features");
        var (_, labels) = Hdf5Fixture.Array("table/labels");

        var data = Dataset<float>.FromHdf5(Hdf5Fixture.PathOf("table.h5"), "features", "labels");

        Assert.Equal(shape[1], data.FeatureCount);
        Assert.Equal(x.Select(v => (float)v), data.Features.ToArray());
        Assert.Equal(["0", "1", "2", "10", "11"], data.ClassNames!);
        int[] expected = labels.Select(l => l switch { 10 => 3, 11 => 4, _ => (int)l }).ToArray();
        Assert.Equal(expected, data.ClassLabels());
        Assert.Equal([0f, 0f, 0f, 1f, 0f], data.TargetRow(1).ToArray());
    }

    [Fact]
    public void DatasetInAGroup_AndFloat64Values_ReadAsDouble()
    {
        var (_, x) = Hdf5Fixture.Array("table/train/features");
        var (_, energy) = Hdf5Fixture.Array("table/energy");

        var data = Dataset<double>.FromHdf5(Hdf5Fixture.PathOf("table.h5"), "train/features", "energy");

        Assert.Equal(x, data.Features.ToArray());
        Assert.Equal(energy, data.Targets.ToArray());
        Assert.Null(data.ClassNames);
    }

    [Fact]
    public void Float16Targets_AreReadAsTheirExactValues()
    {
        var (_, half) = Hdf5Fixture.Array("table/half");

        var data = Dataset<double>.FromHdf5(Hdf5Fixture.PathOf("table.h5"), "features", "half");

        Assert.Equal(half, data.Targets.ToArray());
    }

    [Fact]
    public void GzipChunkedJets_StreamInSlicesOfWholeJets_InStoredOrderOrShuffled()
    {
        var (shape, jets) = Hdf5Fixture.Array("jets/jets");
        var (_, onehot) = Hdf5Fixture.Array("jets/labels");
        var source = new Hdf5BatchSource<float>(Hdf5Fixture.PathOf("jets.h5"), "jets", "labels", chunkSamples: 4);

        var stored = source.ReadChunks(random: null).ToArray();
        var shuffled = source.ReadChunks(new RandomStream(5)).ToArray();

        Assert.Equal([19, 4], source.SampleShape);
        Assert.Equal((76, 3, 10, 3), (source.FeatureCount, source.TargetCount, source.Count, source.ChunkCount));
        Assert.Equal([4, 4, 2], stored.Select(c => c.Count));
        Assert.Equal(jets.Select(v => (float)v), stored.SelectMany(c => c.Features.ToArray()));
        Assert.Equal(onehot.Select(v => (float)v), stored.SelectMany(c => c.Targets.ToArray()));
        Assert.Equal(shape[0], shuffled.Sum(c => c.Count));
        Assert.NotEqual(stored.Select(c => c.Count), shuffled.Select(c => c.Count));
        Assert.Equal(stored.SelectMany(c => c.Features.ToArray()).Order(), shuffled.SelectMany(c => c.Features.ToArray()).Order());
        Assert.Equal(jets, Dataset<double>.FromHdf5(Hdf5Fixture.PathOf("jets.h5"), "jets", "labels").Features.ToArray());
    }

    [Fact]
    public void KerasImages_ChannelsLast_BecomeChannelsFirst_Uint8Pixels()
    {
        var (shape, pixels) = Hdf5Fixture.Array("images/images");
        var (n, h, w, c) = (shape[0], shape[1], shape[2], shape[3]);

        var source = new Hdf5BatchSource<float>(Hdf5Fixture.PathOf("images.h5"), "images", "y", channelsLast: true);
        var data = source.ReadAll();

        Assert.Equal([c, h, w], source.SampleShape);
        for (int sample = 0; sample < n; sample++)
        {
            for (int channel = 0; channel < c; channel++)
            {
                for (int y = 0; y < h; y++)
                {
                    for (int x = 0; x < w; x++)
                    {
                        double nhwc = pixels[((sample * h + y) * w + x) * c + channel];
                        Assert.Equal((float)nhwc, data.FeatureRow(sample)[(channel * h + y) * w + x]);
                    }
                }
            }
        }
    }

    [Fact]
    public void ClassList_GivesEveryColumn_ToAFileMissingAClass()
    {
        var (_, y) = Hdf5Fixture.Array("images/y");

        var data = Dataset<float>.FromHdf5(Hdf5Fixture.PathOf("images.h5"), "images", "y", classes: ["0", "1", "2"]);
        var without = Dataset<float>.FromHdf5(Hdf5Fixture.PathOf("images.h5"), "images", "y");

        Assert.Equal(["0", "1", "2"], data.ClassNames!);
        Assert.Equal(y.Select(l => (int)l), data.ClassLabels());
        Assert.Equal(["0", "1"], without.ClassNames!);
    }

    [Fact]
    public void LabelOutsideTheClassList_NamesFileDatasetSampleAndLabel()
    {
        string path = Hdf5Fixture.PathOf("images.h5");

        var error = Assert.Throws<FormatException>(() => Dataset<float>.FromHdf5(path, "images", "y", classes: ["0", "2"]));

        Assert.Equal($"{path}: dataset 'y', sample 0: label 1 is not one of the classes 0, 2.", error.Message);
    }

    [Fact]
    public void PureHdfFile_Int16FeaturesGzipChunked_Float64RegressionTargets()
    {
        short[] x = [1, -2, 3, 400, -500, 600, 7, 8, 9, -32768, 32767, 0, 5, 6, 7];
        double[] target = [0.5, -1.25, 3, 1e-3, 42];
        string path = Path.Combine(folder, "purehdf.h5");
        new H5File
        {
            ["x"] = new H5Dataset(x, chunks: [2, 3], fileDims: [5, 3], datasetCreation: new H5DatasetCreation(Filters: [DeflateFilter.Id])),
            ["target"] = new H5Dataset(target),
        }.Write(path);

        var source = new Hdf5BatchSource<double>(path, "x", "target", chunkSamples: 2);

        Assert.Equal((3, 1, 3), (source.FeatureCount, source.TargetCount, source.ChunkCount));
        Assert.Equal(x.Select(v => (double)v), source.ReadChunks(null).SelectMany(c => c.Features.ToArray()));
        Assert.Equal(target, source.ReadAll().Targets.ToArray());
    }

    [Fact]
    public void NonFiniteValue_NamesFileDatasetAndSample()
    {
        string path = Path.Combine(folder, "nan.h5");
        new H5File { ["x"] = new H5Dataset(new[] { 1f, 2f, 3f, float.NaN }, fileDims: [2, 2]), ["y"] = new H5Dataset(new[] { 0, 1 }) }.Write(path);

        var error = Assert.Throws<FormatException>(() => Dataset<float>.FromHdf5(path, "x", "y"));

        Assert.Equal($"{path}: dataset 'x', sample 1: NaN is not finite; every value must be.", error.Message);
    }

    [Theory]
    [InlineData("not_hdf5.h5", "features", "labels", false, ": not an HDF5 file (")]
    [InlineData("table.h5", "missing", "labels", false, ": no dataset 'missing'; the file's top level holds: ")]
    [InlineData("table.h5", "features", "names", false, ": dataset 'names' holds String values of 1 bytes; expected float16/32/64")]
    [InlineData("table.h5", "features", "short_labels", false, ": dataset 'short_labels' has 3 samples [3] but 'features' has 7 [7, 3]")]
    [InlineData("table.h5", "features", "labels", true, ": dataset 'features' is [7, 3]; channelsLast needs samples with channels")]
    [InlineData("jets.h5", "labels", "jets", false, ": dataset 'jets' is [10, 19, 4]; expected targets [N] (class labels or one value) or [N, K].")]
    public void BadFile_FormatException_NamesFileAndDataset(string file, string features, string targets, bool channelsLast, string expected)
    {
        string path = Hdf5Fixture.PathOf(file);

        var error = Assert.Throws<FormatException>(() => new Hdf5BatchSource<float>(path, features, targets, channelsLast: channelsLast));

        Assert.StartsWith(path, error.Message);
        Assert.Contains(expected, error.Message);
    }
}
