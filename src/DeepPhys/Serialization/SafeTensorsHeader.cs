using System.Buffers.Binary;
using System.Text.Json;

namespace DeepPhys.Serialization;

/// <summary>One tensor entry of a safetensors header, already checked against the file.</summary>
/// <param name="Name">The tensor's name.</param>
/// <param name="DType">The element type (<c>F32</c>, <c>F64</c>, …).</param>
/// <param name="Shape">The dimensions.</param>
/// <param name="Begin">Start of the bytes, relative to the data buffer.</param>
/// <param name="End">End of the bytes (exclusive), relative to the data buffer.</param>
internal sealed record SafeTensorEntry(string Name, string DType, long[] Shape, long Begin, long End);

/// <summary>
/// A safetensors header read and checked against the spec before any tensor is read: the 8-byte
/// little-endian length N (at most 100 MB and at most the file's size − 8), N bytes of UTF-8 JSON
/// holding one object, an optional <c>__metadata__</c> string→string map, and per tensor exactly
/// <c>dtype</c> (known), <c>shape</c> (non-negative integers) and <c>data_offsets</c> whose span equals
/// the shape's product times the dtype's size (overflow-checked), the spans covering the data buffer
/// without gap or overlap. Every failure is a <see cref="FormatException"/> naming the source and tensor.
/// </summary>
internal sealed class SafeTensorsHeader
{
    /// <summary>The spec's bound on the header length.</summary>
    public const long MaxHeaderLength = 100_000_000;

    private const string MetadataKey = "__metadata__";

    private static readonly Dictionary<string, int> DTypeSizes = new()
    {
        ["BOOL"] = 1, ["U8"] = 1, ["I8"] = 1, ["F8_E5M2"] = 1, ["F8_E4M3"] = 1,
        ["I16"] = 2, ["U16"] = 2, ["F16"] = 2, ["BF16"] = 2,
        ["I32"] = 4, ["U32"] = 4, ["F32"] = 4,
        ["I64"] = 8, ["U64"] = 8, ["F64"] = 8,
    };

    private SafeTensorsHeader(string source, long dataStart, Dictionary<string, SafeTensorEntry> tensors, Dictionary<string, string> metadata)
    {
        Source = source;
        DataStart = dataStart;
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>The file name (or description) used in error messages.</summary>
    public string Source { get; }

    /// <summary>Byte position of the data buffer in the stream: 8 + N.</summary>
    public long DataStart { get; }

    /// <summary>The tensors by name.</summary>
    public IReadOnlyDictionary<string, SafeTensorEntry> Tensors { get; }

    /// <summary>The <c>__metadata__</c> map; empty when absent.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The size in bytes of one element of <paramref name="dtype"/>, for a dtype the spec knows.</summary>
    public static int SizeOf(string dtype) => DTypeSizes[dtype];

    /// <summary>Reads and checks the header of the safetensors content in <paramref name="stream"/> (seekable, positioned anywhere).</summary>
    /// <exception cref="FormatException">The header breaks a rule; the message names <paramref name="source"/> and the tensor.</exception>
    public static SafeTensorsHeader Read(Stream stream, string source)
    {
        long length = stream.Length;
        if (length < 8) throw Error(source, $"the file has {length} bytes; a safetensors file starts with an 8-byte header length");
        stream.Position = 0;
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        ulong claimed = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (claimed > MaxHeaderLength || claimed > (ulong)(length - 8))
        {
            throw Error(source, $"the header claims {claimed} bytes; the file has {length - 8} after the length and the limit is {MaxHeaderLength}");
        }

        var json = new byte[(int)claimed];
        stream.ReadExactly(json);
        long dataStart = 8 + (long)claimed;
        if (!System.Text.Unicode.Utf8.IsValid(json)) throw Error(source, "the header is not valid UTF-8");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw Error(source, $"the header is not valid UTF-8 JSON: {e.Message}");
        }

        using (document)
        {
            try
            {
                return Interpret(document.RootElement, source, dataStart, length);
            }
            catch (InvalidOperationException e)
            {
                // A name or string holding an escaped lone surrogate cannot become a .NET string.
                throw Error(source, $"the header holds a string that is not valid Unicode: {e.Message}");
            }
        }
    }

    /// <summary>A format error naming the source.</summary>
    public static FormatException Error(string source, string message) => new($"{source}: {message}.");

    private static SafeTensorsHeader Interpret(JsonElement root, string source, long dataStart, long length)
    {
        {
            if (root.ValueKind != JsonValueKind.Object) throw Error(source, "the header is not a JSON object");
            var tensors = new Dictionary<string, SafeTensorEntry>(StringComparer.Ordinal);
            Dictionary<string, string>? metadata = null;
            foreach (var property in root.EnumerateObject())
            {
                if (property.Name == MetadataKey)
                {
                    if (metadata is not null) throw Error(source, "the header has __metadata__ twice");
                    metadata = ReadMetadata(property.Value, source);
                }
                else if (!tensors.TryAdd(property.Name, ReadEntry(property.Name, property.Value, source)))
                {
                    throw Error(source, $"tensor '{property.Name}' appears twice in the header");
                }
            }

            CheckCoverage(tensors.Values, length - dataStart, source);
            return new SafeTensorsHeader(source, dataStart, tensors, metadata ?? []);
        }
    }

    private static Dictionary<string, string> ReadMetadata(JsonElement element, string source)
    {
        if (element.ValueKind != JsonValueKind.Object) throw Error(source, "__metadata__ is not a JSON object");
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in element.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String) throw Error(source, $"__metadata__ entry '{entry.Name}' is not a string");
            if (!metadata.TryAdd(entry.Name, entry.Value.GetString()!)) throw Error(source, $"__metadata__ entry '{entry.Name}' appears twice");
        }

        return metadata;
    }

    private static SafeTensorEntry ReadEntry(string name, JsonElement element, string source)
    {
        if (element.ValueKind != JsonValueKind.Object) throw Error(source, $"tensor '{name}' is not a JSON object");
        string? dtype = null;
        long[]? shape = null, offsets = null;
        foreach (var field in element.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype" when dtype is null && field.Value.ValueKind == JsonValueKind.String:
                    dtype = field.Value.GetString()!;
                    break;
                case "shape" when shape is null:
                    shape = ReadIntegers(field.Value, name, "shape", source);
                    break;
                case "data_offsets" when offsets is null:
                    offsets = ReadIntegers(field.Value, name, "data_offsets", source);
                    break;
                default:
                    throw Error(source, $"tensor '{name}' has an unexpected, repeated or mistyped field '{field.Name}'");
            }
        }

        if (dtype is null || shape is null || offsets is null) throw Error(source, $"tensor '{name}' needs dtype, shape and data_offsets");
        if (!DTypeSizes.TryGetValue(dtype, out int size)) throw Error(source, $"tensor '{name}' has the unknown dtype '{dtype}'");
        if (offsets.Length != 2 || offsets[0] > offsets[1]) throw Error(source, $"tensor '{name}' has data_offsets [{string.Join(", ", offsets)}]; expected [begin, end] with begin ≤ end");
        long bytes;
        try
        {
            bytes = shape.Aggregate((long)size, (product, dimension) => checked(product * dimension));
        }
        catch (OverflowException)
        {
            throw Error(source, $"tensor '{name}' has the shape [{string.Join(", ", shape)}], whose size overflows");
        }

        if (bytes != offsets[1] - offsets[0])
        {
            throw Error(source, $"tensor '{name}' of {dtype} [{string.Join(", ", shape)}] needs {bytes} bytes; data_offsets [{offsets[0]}, {offsets[1]}] span {offsets[1] - offsets[0]}");
        }

        return new SafeTensorEntry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] ReadIntegers(JsonElement element, string name, string field, string source)
    {
        if (element.ValueKind != JsonValueKind.Array) throw Error(source, $"tensor '{name}': {field} is not an array");
        var values = new long[element.GetArrayLength()];
        int i = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long value) || value < 0)
            {
                throw Error(source, $"tensor '{name}': {field} holds {item.GetRawText()}, not a non-negative 64-bit integer");
            }

            values[i++] = value;
        }

        return values;
    }

    private static void CheckCoverage(IEnumerable<SafeTensorEntry> tensors, long bufferLength, string source)
    {
        long expected = 0;
        foreach (var tensor in tensors.OrderBy(t => t.Begin).ThenBy(t => t.End))
        {
            if (tensor.Begin < expected) throw Error(source, $"tensor '{tensor.Name}' at bytes [{tensor.Begin}, {tensor.End}] overlaps the previous tensor");
            if (tensor.Begin > expected) throw Error(source, $"tensor '{tensor.Name}' starts at byte {tensor.Begin}, leaving a gap after byte {expected}");
            expected = tensor.End;
        }

        if (expected != bufferLength)
        {
            throw Error(source, $"the tensors cover {expected} bytes of the data buffer, which holds {bufferLength} (truncated or padded file)");
        }
    }
}
