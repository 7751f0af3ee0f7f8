using System.Globalization;
using System.Numerics;
using PureHDF;
using PureHDF.VOL.Native;

namespace DeepPhys.Data;

/// <summary>
/// Features and targets from two datasets of an HDF5 file (as h5py or Keras write them), read a slice of samples at a
/// time (a hyperslab along the first axis), so a sample larger than memory can be trained on with
/// <see cref="Training.StreamingTraining.Fit"/>. The features dataset is <c>[N, F]</c> or <c>[N, d1, d2, …]</c>
/// (flattened row-major per sample: <c>[N, 19, 4]</c> feeds <c>[Input(19, 4)]</c>); with <c>channelsLast</c> a Keras
/// <c>[N, H, W, C]</c> image becomes our <c>[C, H, W]</c>. Targets are integer class labels <c>[N]</c> (one-hot
/// encoded), one-hot or regression rows <c>[N, K]</c>, or one value per sample. Datasets may be contiguous or
/// chunked and gzip-compressed; elements float16/32/64 or integers; every value must be finite.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Hdf5BatchSource<T> : IBatchSource<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Values per chunk when no chunk size is given: 4 Mi values (16 MB of floats).</summary>
    private const int DefaultChunkValues = 1 << 22;

    private readonly Hdf5Array<T> features;
    private readonly Hdf5Array<T> targets;
    private readonly ClassLabels<T>? labels;
    private readonly int chunkSamples;
    private readonly bool channelsLast;

    /// <summary>Opens <paramref name="path"/> and checks the two datasets: numeric, the same number of samples, shapes that fit.</summary>
    /// <param name="path">The HDF5 file.</param>
    /// <param name="featuresDataset">The features dataset, e.g. <c>"features"</c> or <c>"jets/constituents"</c>.</param>
    /// <param name="targetsDataset">The targets dataset, e.g. <c>"labels"</c>.</param>
    /// <param name="encoding">
    /// <see cref="TargetEncoding.Auto"/>: an integer <c>[N]</c> dataset is class labels, anything else values as stored;
    /// <see cref="TargetEncoding.OneHot"/>: an <c>[N]</c> dataset of whole numbers is class labels;
    /// <see cref="TargetEncoding.Numeric"/>: values as stored.
    /// </param>
    /// <param name="classes">
    /// The class labels in output order (e.g. <c>["0", "1", "2"]</c>), so a training and a test file get the same
    /// one-hot columns; by default the distinct labels in the file, in numeric order.
    /// </param>
    /// <param name="channelsLast">The features are channels-last (<c>[N, …, C]</c>, Keras's default); each sample becomes channels-first (<c>[C, …]</c>).</param>
    /// <param name="chunkSamples">Samples per chunk; by default as many as hold about 4 Mi values.</param>
    /// <exception cref="FormatException">The file is not HDF5, or a dataset is missing, of a type or rank that does not fit, or of another length than the other (naming file and dataset).</exception>
    public Hdf5BatchSource(string path, string featuresDataset, string targetsDataset, TargetEncoding encoding = TargetEncoding.Auto,
        IReadOnlyList<string>? classes = null, bool channelsLast = false, int? chunkSamples = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(featuresDataset);
        ArgumentNullException.ThrowIfNull(targetsDataset);
        if (!Enum.IsDefined(encoding)) throw new ArgumentOutOfRangeException(nameof(encoding), encoding, null);
        if (chunkSamples is < 1) throw new ArgumentOutOfRangeException(nameof(chunkSamples), chunkSamples, "A chunk holds at least one sample.");
        Path = path;
        this.channelsLast = channelsLast;
        using var file = Open(path);
        features = Hdf5Array<T>.Open(file, path, featuresDataset);
        targets = Hdf5Array<T>.Open(file, path, targetsDataset);
        if (targets.Count != features.Count)
        {
            throw new FormatException(
                $"{path}: dataset '{targetsDataset}' has {targets.Count} samples {targets.Shape} but '{featuresDataset}' has {features.Count} {features.Shape}; both count the same samples along their first axis.");
        }

        if (channelsLast && features.Dimensions.Length < 3)
        {
            throw new FormatException(
                $"{path}: dataset '{featuresDataset}' is {features.Shape}; channelsLast needs samples with channels, [N, …, C] of rank 3 or more.");
        }

        if (targets.Dimensions.Length > 2)
        {
            throw new FormatException(
                $"{path}: dataset '{targetsDataset}' is {targets.Shape}; expected targets [N] (class labels or one value) or [N, K].");
        }

        bool isLabels = targets.Dimensions.Length == 1
            && (encoding == TargetEncoding.OneHot || (encoding == TargetEncoding.Auto && (targets.IsInteger || classes is not null)));
        if (classes is not null && !isLabels)
        {
            throw new ArgumentException(
                $"classes is given but dataset '{targetsDataset}' {targets.Shape} ({targets.Type}) is read as values, not class labels.", nameof(classes));
        }

        this.chunkSamples = chunkSamples ?? Math.Max(1, DefaultChunkValues / features.ValuesPerSample);
        SampleShape = SampleShapeOf(features.Dimensions, channelsLast);
        if (isLabels)
        {
            var dataset = targets.In(file);
            labels = classes is null ? ClassLabels<T>.Distinct(Slices(dataset)) : ClassLabels<T>.FromList(classes, nameof(classes));
        }
    }

    /// <summary>The file, as it was given.</summary>
    public string Path { get; }

    /// <summary>Number of samples (the first dimension of both datasets).</summary>
    public int Count => features.Count;

    /// <summary>
    /// The shape of one sample's features as the network sees it: <c>[F]</c> for a table, <c>[19, 4]</c> for
    /// <c>[N, 19, 4]</c>, <c>[C, H, W]</c> for a channels-last image read with <c>channelsLast</c>.
    /// </summary>
    public IReadOnlyList<int> SampleShape { get; }

    /// <summary>The class names in one-hot column order when the targets are class labels; null otherwise.</summary>
    public IReadOnlyList<string>? ClassNames => labels?.Names;

    /// <summary>Number of chunks a pass reads.</summary>
    public int ChunkCount => (Count + chunkSamples - 1) / chunkSamples;

    /// <inheritdoc/>
    public int FeatureCount => features.ValuesPerSample;

    /// <inheritdoc/>
    public int TargetCount => labels?.Names.Count ?? targets.ValuesPerSample;

    /// <inheritdoc/>
    public IEnumerable<Dataset<T>> ReadChunks(RandomStream? random)
    {
        var order = Enumerable.Range(0, ChunkCount).ToArray();
        random?.Shuffle(order.AsSpan());
        using var file = Open(Path);
        var featureData = features.In(file);
        var targetData = targets.In(file);
        foreach (int chunk in order)
        {
            int start = chunk * chunkSamples;
            yield return Read(featureData, targetData, start, Math.Min(chunkSamples, Count - start));
        }
    }

    /// <summary>Reads every sample into one dataset, for a validation or test file that fits in memory.</summary>
    public Dataset<T> ReadAll()
    {
        using var file = Open(Path);
        return Read(features.In(file), targets.In(file), 0, Count);
    }

    private Dataset<T> Read(NativeDataset featureData, NativeDataset targetData, int start, int count)
    {
        var x = new T[count * FeatureCount];
        features.Read(featureData, start, count, x);
        if (channelsLast) x = ToChannelsFirst(x, count, SampleShape[0]);
        var y = new T[count * TargetCount];
        if (labels is null)
        {
            targets.Read(targetData, start, count, y);
        }
        else
        {
            var values = new T[count];
            targets.Read(targetData, start, count, values);
            labels.OneHot(Path, targets.Name, start, values, y);
        }

        return new Dataset<T>(x, FeatureCount, y, TargetCount, classNames: labels?.Names);
    }

    /// <summary>The label dataset a chunk at a time, for the scan of distinct labels.</summary>
    private IEnumerable<T[]> Slices(NativeDataset dataset)
    {
        for (int start = 0; start < Count; start += chunkSamples)
        {
            var slice = new T[Math.Min(chunkSamples, Count - start)];
            targets.Read(dataset, start, slice.Length, slice);
            yield return slice;
        }
    }

    /// <summary>Moves each sample's last axis (channels) to the front: <c>[count, S, C]</c> → <c>[count, C, S]</c>.</summary>
    private static T[] ToChannelsFirst(T[] values, int count, int channels)
    {
        int perSample = values.Length / Math.Max(count, 1);
        int positions = perSample / channels;
        var result = new T[values.Length];
        for (int n = 0; n < count; n++)
        {
            int offset = n * perSample;
            for (int p = 0; p < positions; p++)
            {
                for (int c = 0; c < channels; c++) result[offset + c * positions + p] = values[offset + p * channels + c];
            }
        }

        return result;
    }

    private static int[] SampleShapeOf(ulong[] dimensions, bool channelsLast)
    {
        if (dimensions.Length == 1) return [1];
        var shape = dimensions.Skip(1).Select(d => (int)d).ToArray();
        return channelsLast ? [shape[^1], .. shape[..^1]] : shape;
    }

    private static NativeFile Open(string path)
    {
        try
        {
            return H5File.OpenRead(path);
        }
        catch (Exception e) when (e is not IOException and not UnauthorizedAccessException)
        {
            throw new FormatException($"{path}: not an HDF5 file ({e.Message}).", e);
        }
    }
}
