using System.Numerics;
using System.Numerics.Tensors;
using System.Text.Json;
using DeepPhys.Data;
using DeepPhys.IO;
using DeepPhys.Optimizers;
using DeepPhys.Serialization;

namespace DeepPhys.Training;

/// <summary>
/// Saves and loads a network's parameters (and its non-trainable <see cref="Network{T}.State"/>: batch norm's running statistics) with its optimizer's state and the preprocessing its
/// inputs need (a fitted scaler or preprocessor, so prediction uses the training transformation), as a self-describing JSON
/// file (format <c>deepphys-checkpoint</c>, version 1; values in double, exact for float networks).
/// A save goes through <see cref="DeepPhys.IO.AtomicFile"/> (a temporary file, flushed, renamed over <c>path</c>), so a crash
/// mid-save never leaves a corrupt or missing last-good file.
/// </summary>
public static class Checkpoint
{
    private const string Format = "deepphys-checkpoint";
    private const int Version = 1;

    /// <summary>The file's JSON form.</summary>
    internal sealed record File(
        string Format, int Version, string Network, string Precision, double[] Parameters, OptimizerSnapshot? Optimizer,
        JsonElement? Scaler = null, JsonElement? Preprocessor = null, double[]? State = null);

    /// <summary>Writes the parameters and, when given, the optimizer's state to <paramref name="path"/> atomically.</summary>
    /// <param name="network">The network.</param>
    /// <param name="path">The file; its folder must exist.</param>
    /// <param name="optimizer">The optimizer training the network, or null for the parameters alone.</param>
    /// <param name="scaler">The scaler fitted on the training inputs, saved with the model.</param>
    /// <param name="preprocessor">The preprocessor fitted on the training table, saved with the model.</param>
    /// <exception cref="ArgumentException">A parameter, state or optimizer value is not finite (a diverged network is not a checkpoint); nothing is written.</exception>
    public static void Save<T>(
        Network<T> network, string path, Optimizer? optimizer = null, FeatureScaler? scaler = null, Preprocessor? preprocessor = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var parameters = new double[network.ParameterCount];
        TensorPrimitives.ConvertTruncating<T, double>(network.Parameters, parameters);
        var state = new double[network.Definition.StateCount];
        TensorPrimitives.ConvertTruncating<T, double>(network.State, state);
        var snapshot = optimizer?.ExportState();
        if (FindNonFinite(network, snapshot) is { } bad)
        {
            throw new ArgumentException($"{path} was not written: {bad} is not finite, and a diverged network is not a checkpoint.", nameof(network));
        }

        var content = new File(
            Format, Version, network.Definition.Name, typeof(T).Name, parameters, snapshot,
            Embed(scaler?.ToJson()), Embed(preprocessor?.ToJson()), state.Length > 0 ? state : null);

        AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, content, CompactJson.Default.File));
    }

    /// <summary>Reads a checkpoint into <paramref name="network"/> and, when given, <paramref name="optimizer"/>; nothing changes unless the whole file is valid.</summary>
    /// <param name="network">A network of the class that was saved.</param>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="optimizer">Receives the saved optimizer state; must be of the saved type.</param>
    /// <returns>The scaler and preprocessor saved with the model; null where none was saved.</returns>
    /// <exception cref="FormatException">The file is not a checkpoint, is of another network, or its sizes or preprocessing do not fit; the message says which.</exception>
    public static SavedPreprocessing Load<T>(Network<T> network, string path, Optimizer? optimizer = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        File content;
        try
        {
            using var stream = System.IO.File.OpenRead(path);
            content = JsonSerializer.Deserialize(stream, CompactJson.Default.File) ?? throw new JsonException("the file holds null");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path} is not a DeepPhys checkpoint: {e.Message}", e);
        }

        if (content.Format != Format || content.Version != Version)
        {
            throw new FormatException($"{path} is not a DeepPhys checkpoint (format '{content.Format}', version {content.Version}; expected '{Format}', version {Version}).");
        }

        if (content.Precision is not (nameof(Single) or nameof(Double)))
        {
            throw new FormatException($"{path} has the precision '{content.Precision}'; expected Single or Double.");
        }

        if (content.Network != network.Definition.Name || content.Parameters is null || content.Parameters.Length != network.ParameterCount)
        {
            throw new FormatException(
                $"{path} holds {content.Parameters?.Length ?? 0} parameters of {content.Network}; "
                + $"{network.Definition.Name} has {network.ParameterCount}.");
        }

        if ((content.State?.Length ?? 0) != network.Definition.StateCount)
        {
            throw new FormatException($"{path} holds {content.State?.Length ?? 0} state values (batch norm's running statistics); {network.Definition.Name} has {network.Definition.StateCount}.");
        }

        // Everything that can still fail comes before the first change: preprocessing, then the optimizer
        // (whose import checks the whole snapshot before it touches its state).
        var preprocessing = SavedPreprocessing.Parse(content.Scaler?.GetRawText(), content.Preprocessor?.GetRawText(), path);
        if (preprocessing.Scaler is { } saved && saved.FeatureCount != network.InputSize)
        {
            throw new FormatException($"{path}: the saved scaler has {saved.FeatureCount} features; {network.Definition.Name} has {network.InputSize} inputs.");
        }

        if (optimizer is not null)
        {
            if (content.Optimizer is null) throw new FormatException($"{path} was saved without an optimizer state.");
            try
            {
                optimizer.ImportState(content.Optimizer);
            }
            catch (ArgumentException e)
            {
                throw new FormatException($"{path}: {e.Message}", e);
            }
        }

        TensorPrimitives.ConvertTruncating<double, T>(content.Parameters, network.Parameters);
        TensorPrimitives.ConvertTruncating<double, T>(content.State ?? [], network.State);
        return preprocessing;
    }

    /// <summary>The first value of the parameters, the state or the optimizer's buffers that is NaN or infinite, described; null when all are finite.</summary>
    internal static string? FindNonFinite<T>(Network<T> network, OptimizerSnapshot? optimizer) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int index = Finite.IndexOfNonFinite<T>(network.Parameters);
        if (index >= 0)
        {
            string layer = network.Definition.Layers.First(l => index >= l.ParameterOffset && index < l.ParameterOffset + l.ParameterCount).Name;
            return FormattableString.Invariant($"parameter {index} of {network.Definition.Name} (layer {layer}), {network.Parameters[index]},");
        }

        index = Finite.IndexOfNonFinite<T>(network.State);
        if (index >= 0) return FormattableString.Invariant($"state value {index} of {network.Definition.Name}, {network.State[index]},");
        for (int buffer = 0; optimizer is not null && buffer < optimizer.Buffers.Count; buffer++)
        {
            index = Finite.IndexOfNonFinite<double>(optimizer.Buffers[buffer]);
            if (index >= 0) return FormattableString.Invariant($"value {index} of {optimizer.Optimizer}'s state buffer {buffer}, {optimizer.Buffers[buffer][index]},");
        }

        return null;
    }

    private static JsonElement? Embed(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
}

/// <summary>The preprocessing saved with a model by <see cref="Checkpoint.Save{T}"/>.</summary>
/// <param name="Scaler">The saved scaler, or null.</param>
/// <param name="Preprocessor">The saved preprocessor, or null.</param>
public sealed record SavedPreprocessing(FeatureScaler? Scaler, Preprocessor? Preprocessor)
{
    /// <summary>Parses the saved JSON of each (null: none saved); an invalid one is a <see cref="FormatException"/> naming <paramref name="source"/>.</summary>
    internal static SavedPreprocessing Parse(string? scaler, string? preprocessor, string source) =>
        new(ParseOne(scaler, FeatureScaler.FromJson, source, "scaler"), ParseOne(preprocessor, Preprocessor.FromJson, source, "preprocessor"));

    private static TValue? ParseOne<TValue>(string? json, Func<string, TValue> parse, string source, string what)
        where TValue : class
    {
        if (json is null) return null;
        try
        {
            return parse(json);
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            throw new FormatException($"{source}: the saved {what} is not valid: {e.Message.TrimEnd('.')}.", e);
        }
    }
}
