using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Text;
using System.Text.Json;
using DeepPhys.Data;
using DeepPhys.IO;
using DeepPhys.Optimizers;
using DeepPhys.Training;

namespace DeepPhys.Serialization;

/// <summary>
/// Saves and loads a network in the safetensors format (an 8-byte little-endian header length, a
/// UTF-8 JSON header, raw little-endian tensors), readable by Python's <c>safetensors</c> and so by
/// PyTorch. Tensors follow <see cref="ParameterTensor"/>, named as a PyTorch <c>state_dict</c>: <c>&lt;layer&gt;.weight</c>
/// <c>[units, inputs]</c> and <c>&lt;layer&gt;.bias</c> <c>[units]</c> as <c>nn.Linear</c> keeps them, a convolution's
/// <c>[filters, channels, kh, kw]</c> weight, a batch norm's γ, β and its <c>running_mean</c>/<c>running_var</c> from
/// <see cref="Network{T}.State"/>, in <c>F32</c> for float networks and <c>F64</c> for double ones. An optimizer's
/// per-parameter buffers are tensors of the same layout named <c>optimizer.state&lt;k&gt;.&lt;layer&gt;.weight</c>/<c>.bias</c>; its type, step count,
/// learning rate and scalars, the network's name and precision, the format version and the scaler's or
/// preprocessor's JSON live in the header's <c>__metadata__</c> map.
/// </summary>
public static class SafeTensors
{
    /// <summary>The <c>format</c> entry of the metadata.</summary>
    public const string Format = "deepphys";

    /// <summary>The <c>format_version</c> entry of the metadata.</summary>
    public const int Version = 1;

    private const string OptimizerPrefix = "optimizer.";

    /// <summary>Writes the network (and the optimizer's state, scaler or preprocessor when given) to <paramref name="path"/> atomically.</summary>
    /// <param name="network">The network.</param>
    /// <param name="path">The file; written aside, flushed and renamed over it (<see cref="AtomicFile"/>).</param>
    /// <param name="optimizer">The optimizer training the network, or null.</param>
    /// <param name="scaler">The scaler fitted on the training inputs, or null.</param>
    /// <param name="preprocessor">The preprocessor fitted on the training table, or null.</param>
    /// <exception cref="ArgumentException">The optimizer trains a buffer of another length.</exception>
    /// <exception cref="NotSupportedException">A node of a kind that cannot be stored yet owns parameters; the message names it.</exception>
    public static void Save<T>(
        Network<T> network, string path, Optimizer? optimizer = null, FeatureScaler? scaler = null, Preprocessor? preprocessor = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        var content = ToBytes(network, optimizer, scaler, preprocessor);
        AtomicFile.Write(path, stream => stream.Write(content));
    }

    /// <summary>The safetensors bytes <see cref="Save{T}"/> writes, in memory.</summary>
    /// <param name="network">The network.</param>
    /// <param name="optimizer">The optimizer training the network, or null.</param>
    /// <param name="scaler">The scaler fitted on the training inputs, or null.</param>
    /// <param name="preprocessor">The preprocessor fitted on the training table, or null.</param>
    /// <exception cref="ArgumentException">The optimizer trains a buffer of another length.</exception>
    /// <exception cref="NotSupportedException">A node of a kind that cannot be stored yet owns parameters; the message names it.</exception>
    public static byte[] ToBytes<T>(
        Network<T> network, Optimizer? optimizer = null, FeatureScaler? scaler = null, Preprocessor? preprocessor = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        var layout = ParameterTensor.Of(network.Definition);
        var metadata = new Dictionary<string, string>
        {
            ["format"] = Format,
            ["format_version"] = Version.ToString(CultureInfo.InvariantCulture),
            ["network"] = network.Definition.Name,
            ["precision"] = typeof(T).Name,
            ["layout"] = "PyTorch state_dict: <layer>.weight [out, in] (conv [out, in, kh, kw]), <layer>.bias [out], <layer>.running_mean/running_var",
        };
        var tensors = new List<(string Name, ParameterTensor Layout, double[] Flat)>();
        var parameters = new double[network.ParameterCount];
        TensorPrimitives.ConvertTruncating<T, double>(network.Parameters, parameters);
        tensors.AddRange(layout.Select(t => (t.Name, t, parameters)));
        var state = new double[network.Definition.StateCount];
        TensorPrimitives.ConvertTruncating<T, double>(network.State, state);
        tensors.AddRange(ParameterTensor.StateOf(network.Definition).Select(t => (t.Name, t, state)));

        if (optimizer?.ExportState() is { } snapshot)
        {
            if (snapshot.ParameterCount != 0 && snapshot.ParameterCount != network.ParameterCount)
            {
                throw new ArgumentException(
                    $"The {snapshot.Optimizer} trains {snapshot.ParameterCount} parameters; {network.Definition.Name} has {network.ParameterCount}.", nameof(optimizer));
            }

            metadata["optimizer"] = snapshot.Optimizer;
            metadata["optimizer.steps"] = snapshot.Steps.ToString(CultureInfo.InvariantCulture);
            metadata["optimizer.learning_rate"] = snapshot.LearningRate.ToString("R", CultureInfo.InvariantCulture);
            metadata["optimizer.scalars"] = JsonSerializer.Serialize(snapshot.Scalars, CompactJson.Default.IReadOnlyListDouble);
            metadata["optimizer.buffers"] = snapshot.Buffers.Count.ToString(CultureInfo.InvariantCulture);
            for (int k = 0; k < snapshot.Buffers.Count; k++)
            {
                var buffer = snapshot.Buffers[k];
                tensors.AddRange(layout.Select(t => (StateName(k, t), t, buffer)));
            }
        }

        if (scaler is not null) metadata["scaler"] = scaler.ToJson();
        if (preprocessor is not null) metadata["preprocessor"] = preprocessor.ToJson();

        string dtype = DType<T>();
        int size = SafeTensorsHeader.SizeOf(dtype);
        var header = new MemoryStream();
        using (var writer = new Utf8JsonWriter(header))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("__metadata__");
            foreach (var (key, value) in metadata) writer.WriteString(key, value);
            writer.WriteEndObject();
            long offset = 0;
            foreach (var (name, tensor, _) in tensors)
            {
                writer.WriteStartObject(name);
                writer.WriteString("dtype", dtype);
                writer.WriteStartArray("shape");
                foreach (int dimension in tensor.Shape) writer.WriteNumberValue(dimension);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(offset += (long)tensor.Count * size);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        // Spaces pad the header so the data buffer starts 8-byte aligned, as the spec allows.
        while (header.Length % 8 != 0) header.WriteByte((byte)' ');
        var output = new MemoryStream();
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        output.Write(prefix);
        header.WriteTo(output);
        foreach (var (_, tensor, flat) in tensors)
        {
            var stored = new double[tensor.Count];
            tensor.Gather<double>(flat, stored);
            var bytes = new byte[stored.Length * size];
            for (int i = 0; i < stored.Length; i++)
            {
                if (size == 4) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), (float)stored[i]);
                else BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * 8), stored[i]);
            }

            output.Write(bytes);
        }

        return output.ToArray();
    }

    /// <summary>
    /// Reads a safetensors file into <paramref name="network"/> (and <paramref name="optimizer"/>):
    /// the header, every offset and every expected name, shape and dtype are checked before any tensor
    /// is read, and nothing changes unless the whole file is valid.
    /// </summary>
    /// <param name="network">A network with the saved layers; F32 and F64 tensors are both accepted.</param>
    /// <param name="path">The file.</param>
    /// <param name="optimizer">Receives the saved optimizer state, or null to ignore it.</param>
    /// <param name="rejectNonFinite">Reject a NaN or infinite value.</param>
    /// <returns>The scaler and preprocessor saved with the model; null where none was saved.</returns>
    /// <exception cref="FormatException">The file is truncated, corrupt, hostile or of another network; the message names the file and the tensor.</exception>
    public static SavedPreprocessing Load<T>(Network<T> network, string path, Optimizer? optimizer = null, bool rejectNonFinite = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Load(network, stream, path, optimizer, rejectNonFinite);
    }

    /// <summary>Reads safetensors content from a seekable stream, as <see cref="Load{T}(Network{T}, string, Optimizer?, bool)"/> reads a file.</summary>
    /// <param name="network">A network with the saved layers.</param>
    /// <param name="stream">The content; must be seekable.</param>
    /// <param name="source">Names the content in error messages.</param>
    /// <param name="optimizer">Receives the saved optimizer state, or null to ignore it.</param>
    /// <param name="rejectNonFinite">Reject a NaN or infinite value.</param>
    /// <returns>The scaler and preprocessor saved with the model; null where none was saved.</returns>
    /// <exception cref="FormatException">The content is truncated, corrupt, hostile or of another network.</exception>
    public static SavedPreprocessing Load<T>(
        Network<T> network, Stream stream, string source, Optimizer? optimizer = null, bool rejectNonFinite = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek) throw new ArgumentException("The stream must be seekable.", nameof(stream));
        var header = SafeTensorsHeader.Read(stream, source);
        var metadata = header.Metadata;
        var layout = ParameterTensor.Of(network.Definition);
        string name = network.Definition.Name;
        if (metadata.TryGetValue("network", out var saved) && saved != name)
        {
            throw SafeTensorsHeader.Error(source, $"it holds the network {saved}; expected {name}");
        }

        // A file of another writer (PyTorch's "pt") has its own format entry; a DeepPhys file must be a version this reads.
        if (metadata.GetValueOrDefault("format") == Format && metadata.GetValueOrDefault("format_version") is { } version
            && version != Version.ToString(CultureInfo.InvariantCulture))
        {
            throw SafeTensorsHeader.Error(source, $"it is DeepPhys safetensors version {version}; this DeepPhys reads version {Version}");
        }

        var stateLayout = ParameterTensor.StateOf(network.Definition);
        var expected = layout.Concat(stateLayout).ToDictionary(t => t.Name);
        foreach (var present in header.Tensors.Keys)
        {
            bool optimizerTensor = present.StartsWith(OptimizerPrefix, StringComparison.Ordinal);
            if (!optimizerTensor && !expected.ContainsKey(present))
            {
                throw SafeTensorsHeader.Error(source, $"tensor '{present}' is not a parameter of {name} (expected {string.Join(", ", expected.Keys)})");
            }
        }

        var parameters = new double[network.ParameterCount];
        foreach (var tensor in layout) ReadTensor(stream, header, tensor.Name, tensor, parameters, rejectNonFinite);
        var state = new double[network.Definition.StateCount];
        foreach (var tensor in stateLayout) ReadTensor(stream, header, tensor.Name, tensor, state, rejectNonFinite);
        var snapshot = optimizer is null ? null : ReadOptimizer(stream, header, layout, network.ParameterCount, rejectNonFinite);
        var preprocessing = SavedPreprocessing.Parse(metadata.GetValueOrDefault("scaler"), metadata.GetValueOrDefault("preprocessor"), source);
        if (preprocessing.Scaler is { } scaler && scaler.FeatureCount != network.InputSize)
        {
            throw SafeTensorsHeader.Error(source, $"the saved scaler has {scaler.FeatureCount} features; {name} has {network.InputSize} inputs");
        }

        if (snapshot is not null)
        {
            try
            {
                optimizer!.ImportState(snapshot);
            }
            catch (ArgumentException e)
            {
                throw SafeTensorsHeader.Error(source, e.Message.TrimEnd('.'));
            }
        }

        TensorPrimitives.ConvertTruncating<double, T>(parameters, network.Parameters);
        TensorPrimitives.ConvertTruncating<double, T>(state, network.State);
        return preprocessing;
    }

    private static string StateName(int slot, ParameterTensor tensor) => $"{OptimizerPrefix}state{slot}.{tensor.Name}";

    private static string DType<T>() => typeof(T) == typeof(float) ? "F32" : "F64";

    private static OptimizerSnapshot ReadOptimizer(
        Stream stream, SafeTensorsHeader header, IReadOnlyList<ParameterTensor> layout, int parameterCount, bool rejectNonFinite)
    {
        string source = header.Source;
        string Entry(string key) => header.Metadata.TryGetValue(key, out var value)
            ? value
            : throw SafeTensorsHeader.Error(source, $"the optimizer was asked for, but __metadata__ has no '{key}'");
        long steps = ParseNumber<long>(Entry("optimizer.steps"), "optimizer.steps", source);
        double learningRate = ParseNumber<double>(Entry("optimizer.learning_rate"), "optimizer.learning_rate", source);
        int buffers = ParseNumber<int>(Entry("optimizer.buffers"), "optimizer.buffers", source);
        double[] scalars;
        try
        {
            scalars = JsonSerializer.Deserialize(Entry("optimizer.scalars"), CompactJson.Default.DoubleArray) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw SafeTensorsHeader.Error(source, $"optimizer.scalars is not an array of numbers: {e.Message}");
        }

        if (buffers < 0 || buffers > 16) throw SafeTensorsHeader.Error(source, $"optimizer.buffers is {buffers}; expected 0 to 16");
        var state = new double[buffers][];
        for (int k = 0; k < buffers; k++)
        {
            state[k] = new double[parameterCount];
            foreach (var tensor in layout) ReadTensor(stream, header, StateName(k, tensor), tensor, state[k], rejectNonFinite);
        }

        return new OptimizerSnapshot(Entry("optimizer"), steps, learningRate, buffers == 0 ? 0 : parameterCount, scalars, state);
    }

    private static TNumber ParseNumber<TNumber>(string text, string key, string source) where TNumber : INumber<TNumber> =>
        TNumber.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && !TNumber.IsNaN(value)
            ? value
            : throw SafeTensorsHeader.Error(source, $"{key} is '{text}', not a number");

    private static void ReadTensor(
        Stream stream, SafeTensorsHeader header, string name, ParameterTensor tensor, double[] flat, bool rejectNonFinite)
    {
        string source = header.Source;
        if (!header.Tensors.TryGetValue(name, out var entry)) throw SafeTensorsHeader.Error(source, $"tensor '{name}' is missing");
        if (entry.DType is not ("F32" or "F64")) throw SafeTensorsHeader.Error(source, $"tensor '{name}' is {entry.DType}; expected F32 or F64");
        if (!entry.Shape.SequenceEqual(tensor.Shape.Select(d => (long)d)))
        {
            throw SafeTensorsHeader.Error(source, $"tensor '{name}' has the shape [{string.Join(", ", entry.Shape)}]; expected [{string.Join(", ", tensor.Shape)}]");
        }

        // The shape equals the network's, so this allocation is bounded by the network, not by the file.
        int size = SafeTensorsHeader.SizeOf(entry.DType);
        var bytes = new byte[tensor.Count * size];
        stream.Position = header.DataStart + entry.Begin;
        try
        {
            stream.ReadExactly(bytes);
        }
        catch (EndOfStreamException)
        {
            throw SafeTensorsHeader.Error(source, $"tensor '{name}' ends past the end of the file");
        }

        var stored = new double[tensor.Count];
        for (int i = 0; i < stored.Length; i++)
        {
            stored[i] = size == 4 ? BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4)) : BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(i * 8));
            if (rejectNonFinite && !double.IsFinite(stored[i]))
            {
                throw SafeTensorsHeader.Error(source, $"tensor '{name}' holds {stored[i]} at index {i}");
            }
        }

        tensor.Scatter<double>(stored, flat);
    }
}
