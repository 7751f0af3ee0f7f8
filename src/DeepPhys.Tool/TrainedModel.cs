using System.Numerics;
using System.Text.Json;
using DeepPhys.Data;
using DeepPhys.Training;

namespace DeepPhys.Tool;

/// <summary>
/// What <c>evaluate</c> and <c>export</c> read: a run folder <c>deepphys train</c> wrote, or a checkpoint file
/// (<see cref="Checkpoint.Save{T}"/>, from the tool or a program) with its network's .dph given by <c>--network</c>.
/// </summary>
/// <param name="Network">The .dph file.</param>
/// <param name="Checkpoint">The checkpoint file.</param>
/// <param name="Precision">The precision the checkpoint was saved in.</param>
/// <param name="Settings">The run's settings; null for a loose checkpoint.</param>
internal sealed record TrainedModel(string Network, string Checkpoint, Precision Precision, RunSettings? Settings)
{
    /// <summary>The run folder or checkpoint <paramref name="path"/>, the latter with the .dph file <paramref name="network"/>.</summary>
    public static TrainedModel Open(string path, string? network)
    {
        if (Directory.Exists(path))
        {
            if (network is not null) throw new ToolException($"--network is for a checkpoint file; the run folder {path} has its own {RunFolder.Network}.");
            var settings = RunFolder.Load(path);
            return new TrainedModel(Path.Combine(path, RunFolder.Network), Path.Combine(path, RunFolder.Checkpoint), settings.Precision, settings);
        }

        if (!File.Exists(path)) throw new ToolException($"{path}: no such run folder or checkpoint file.");
        if (network is null) throw new ToolException($"{path} is a file: give a run folder, or the checkpoint's network with --network net.dph.");
        return new TrainedModel(network, path, PrecisionOf(path), Settings: null);
    }

    /// <summary>The network compiled in the checkpoint's precision and the checkpoint loaded into it.</summary>
    /// <returns>The network and the scaler its inputs need (null when none was saved).</returns>
    public (Network<T> Network, FeatureScaler? Scaler) Load<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var network = NetworkFile.Load<T>(Network, seed: 0);
        try
        {
            return (network, DeepPhys.Training.Checkpoint.Load(network, Checkpoint).Scaler);
        }
        catch (FormatException e)
        {
            throw new ToolException(e.Message);
        }
    }

    /// <summary>The checkpoint's <c>Precision</c> field (<c>Single</c> or <c>Double</c>); <see cref="Load{T}"/> checks the rest.</summary>
    private static Precision PrecisionOf(string checkpoint)
    {
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(checkpoint));
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("Precision", out var precision)
                && precision.ValueKind == JsonValueKind.String
                && precision.GetString() is nameof(Precision.Single) or nameof(Precision.Double))
            {
                return Enum.Parse<Precision>(precision.GetString()!);
            }
        }
        catch (JsonException)
        {
        }

        throw new ToolException($"{checkpoint} is not a DeepPhys checkpoint: it has no Precision Single or Double.");
    }
}
