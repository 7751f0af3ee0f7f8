using System.Buffers;
using System.Globalization;
using System.Numerics;
using PureHDF;
using PureHDF.Selections;
using PureHDF.VOL.Native;

namespace DeepPhys.Data;

/// <summary>
/// One numeric HDF5 dataset of shape <c>[N, …]</c>, read as slices of whole samples (a hyperslab along the
/// first axis), converted to <typeparamref name="T"/>.
/// </summary>
internal sealed class Hdf5Array<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly string path;
    private readonly Action<NativeDataset, Selection, Span<T>> read;

    private Hdf5Array(string path, string name, ulong[] dimensions, string type, bool isInteger, Action<NativeDataset, Selection, Span<T>> read)
    {
        this.path = path;
        Name = name;
        Dimensions = dimensions;
        Type = type;
        IsInteger = isInteger;
        this.read = read;
        Count = checked((int)dimensions[0]);
        ValuesPerSample = 1;
        foreach (ulong d in dimensions.AsSpan(1)) ValuesPerSample = checked(ValuesPerSample * (int)d);
    }

    public string Name { get; }

    /// <summary>The shape as stored, samples first.</summary>
    public ulong[] Dimensions { get; }

    /// <summary>The stored element type, as h5py names it (<c>float32</c>, <c>uint8</c>, …).</summary>
    public string Type { get; }

    public bool IsInteger { get; }

    /// <summary>Samples: the first dimension.</summary>
    public int Count { get; }

    /// <summary>Values per sample: the product of the other dimensions.</summary>
    public int ValuesPerSample { get; }

    public string Shape => "[" + string.Join(", ", Dimensions) + "]";

    /// <summary>Opens dataset <paramref name="name"/> of <paramref name="file"/> and checks it is a numeric array with a sample axis.</summary>
    /// <exception cref="FormatException">It is missing, not a dataset, a scalar or not float/integer (naming file and dataset).</exception>
    public static Hdf5Array<T> Open(NativeFile file, string path, string name)
    {
        if (!file.LinkExists(name) || file.Get(name) is not NativeDataset dataset)
        {
            string existing = string.Join(", ", file.Children().Select(child => child.Name));
            throw new FormatException($"{path}: no dataset '{name}'; the file's top level holds: {existing}.");
        }

        ulong[] dimensions = dataset.Space.Dimensions;
        if (dimensions.Length == 0)
        {
            throw new FormatException($"{path}: dataset '{name}' is a scalar; expected an array of samples [N, …].");
        }

        var type = dataset.Type;
        var (typeName, isInteger, reader) = (type.Class, type.Size, type.Class == H5DataTypeClass.FixedPoint && type.FixedPoint.IsSigned) switch
        {
            (H5DataTypeClass.FloatingPoint, 2, _) => ("float16", false, Reader<Half>()),
            (H5DataTypeClass.FloatingPoint, 4, _) => ("float32", false, Reader<float>()),
            (H5DataTypeClass.FloatingPoint, 8, _) => ("float64", false, Reader<double>()),
            (H5DataTypeClass.FixedPoint, 1, true) => ("int8", true, Reader<sbyte>()),
            (H5DataTypeClass.FixedPoint, 2, true) => ("int16", true, Reader<short>()),
            (H5DataTypeClass.FixedPoint, 4, true) => ("int32", true, Reader<int>()),
            (H5DataTypeClass.FixedPoint, 8, true) => ("int64", true, Reader<long>()),
            (H5DataTypeClass.FixedPoint, 1, false) => ("uint8", true, Reader<byte>()),
            (H5DataTypeClass.FixedPoint, 2, false) => ("uint16", true, Reader<ushort>()),
            (H5DataTypeClass.FixedPoint, 4, false) => ("uint32", true, Reader<uint>()),
            (H5DataTypeClass.FixedPoint, 8, false) => ("uint64", true, Reader<ulong>()),
            _ => throw new FormatException(
                $"{path}: dataset '{name}' holds {type.Class} values of {type.Size} bytes; expected float16/32/64 or (unsigned) integers of 1–8 bytes."),
        };
        return new Hdf5Array<T>(path, name, dimensions, typeName, isInteger, reader);
    }

    /// <summary>This dataset in <paramref name="file"/>, an open copy of the file it was checked in.</summary>
    public NativeDataset In(NativeFile file) => (NativeDataset)file.Get(Name);

    /// <summary>Reads samples <c>[start, start + count)</c> into <paramref name="destination"/> (<c>count × ValuesPerSample</c> values).</summary>
    public void Read(NativeDataset dataset, int start, int count, Span<T> destination)
    {
        int rank = Dimensions.Length;
        var starts = new ulong[rank];
        var blocks = (ulong[])Dimensions.Clone();
        starts[0] = (ulong)start;
        blocks[0] = (ulong)count;
        read(dataset, new HyperslabSelection(rank, starts, blocks), destination);
        int bad = IndexOfNonFinite(destination);
        if (bad >= 0)
        {
            throw new FormatException(
                $"{path}: dataset '{Name}', sample {start + bad / ValuesPerSample}: {destination[bad].ToString(null, CultureInfo.InvariantCulture)} is not finite; every value must be.");
        }
    }

    /// <summary>Reads the stored elements into a pooled buffer of their own type, then converts each to <typeparamref name="T"/>.</summary>
    private static Action<NativeDataset, Selection, Span<T>> Reader<TFile>() where TFile : unmanaged, INumberBase<TFile> =>
        (dataset, selection, destination) =>
        {
            if (typeof(TFile) == typeof(T))
            {
                dataset.Read(System.Runtime.InteropServices.MemoryMarshal.Cast<T, TFile>(destination), selection);
                return;
            }

            var buffer = ArrayPool<TFile>.Shared.Rent(destination.Length);
            try
            {
                var stored = buffer.AsSpan(0, destination.Length);
                dataset.Read(stored, selection);
                for (int i = 0; i < stored.Length; i++) destination[i] = T.CreateTruncating(stored[i]);
            }
            finally
            {
                ArrayPool<TFile>.Shared.Return(buffer);
            }
        };

    private static int IndexOfNonFinite(ReadOnlySpan<T> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i])) return i;
        }

        return -1;
    }
}
