using System.Collections.ObjectModel;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DeepPhys.Serialization;

namespace DeepPhys.Data;

/// <summary>
/// A per-feature affine transformation <c>(x − Center) / Scale</c> fitted on training data:
/// <see cref="StandardScaler"/> or <see cref="MinMaxScaler"/>. Fit it on the training part only and
/// apply it unchanged to validation, test and new data; save it beside the network
/// (<see cref="ToJson"/>, <see cref="FromJson"/>) so prediction uses the same transformation.
/// </summary>
public abstract class FeatureScaler
{
    private readonly double[] center;
    private readonly double[] scale;

    private protected FeatureScaler(string kind, double[] center, double[] scale)
    {
        Kind = kind;
        this.center = center;
        this.scale = scale;
        Center = new ReadOnlyCollection<double>(center);
        Scale = new ReadOnlyCollection<double>(scale);
    }

    /// <summary>Per-feature value subtracted first.</summary>
    public IReadOnlyList<double> Center { get; }

    /// <summary>Per-feature divisor, never 0 (a constant feature gets 1 and is only shifted).</summary>
    public IReadOnlyList<double> Scale { get; }

    /// <summary>The number of features the scaler was fitted on.</summary>
    public int FeatureCount => center.Length;

    /// <summary>A new dataset with scaled features; the targets and names are shared with <paramref name="data"/>.</summary>
    /// <param name="data">Samples with as many features as the fitted data.</param>
    /// <exception cref="ArgumentException">The feature count differs from the fitted data's.</exception>
    public Dataset<T> Transform<T>(Dataset<T> data) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.FeatureCount != center.Length)
        {
            throw new ArgumentException(
                $"The data has {data.FeatureCount} features; the scaler was fitted on {center.Length}.", nameof(data));
        }

        var features = new T[data.Features.Length];
        Transform(data.Features, features);
        return new Dataset<T>(features, data.FeatureCount, data.TargetBuffer, data.TargetCount, data.FeatureNames, data.ClassNames);
    }

    /// <summary>Scales raw rows, e.g. new samples before <c>Predict</c>; <paramref name="destination"/> may be <paramref name="features"/> itself.</summary>
    /// <param name="features">Row-major rows of the fitted feature count.</param>
    /// <param name="destination">Receives as many values as <paramref name="features"/> has.</param>
    /// <exception cref="ArgumentException">The lengths are not whole rows or differ.</exception>
    public void Transform<T>(ReadOnlySpan<T> features, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (features.Length % center.Length != 0)
        {
            throw new ArgumentException(
                $"features has {features.Length} values, not a whole number of rows of {center.Length}.", nameof(features));
        }

        if (destination.Length != features.Length)
        {
            throw new ArgumentException(
                $"destination has {destination.Length} values; expected {features.Length}.", nameof(destination));
        }

        for (int i = 0; i < features.Length; i++)
        {
            int j = i % center.Length;
            destination[i] = T.CreateTruncating((double.CreateTruncating(features[i]) - center[j]) / scale[j]);
        }
    }

    /// <summary>The scaler as JSON: <c>{"kind": "standard" | "minmax", "center": […], "scale": […]}</c>, doubles written round-trip exact.</summary>
    public string ToJson() => JsonSerializer.Serialize(State, PreprocessingJson.Default.ScalerState);

    /// <summary>Reads a scaler written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <exception cref="FormatException">The text is not a scaler of a known kind with matching, finite, non-zero scales.</exception>
    public static FeatureScaler FromJson(string json)
    {
        var state = ScalerState.Read(json, PreprocessingJson.Default.ScalerState, "scaler");
        return FromState(state);
    }

    /// <summary>The saved form of the scaler (copies of its arrays).</summary>
    internal ScalerState State => new(Kind, center.ToArray(), scale.ToArray());

    /// <summary>"standard" or "minmax".</summary>
    private string Kind { get; }

    /// <summary>A scaler from its saved form, after checking it.</summary>
    internal static FeatureScaler FromState(ScalerState state)
    {
        if (state.Center is null || state.Scale is null || state.Center.Length != state.Scale.Length || state.Center.Length == 0)
        {
            throw new FormatException("A scaler needs 'center' and 'scale' arrays of the same, non-zero length.");
        }

        if (state.Center.Any(c => !double.IsFinite(c)) || state.Scale.Any(s => !double.IsFinite(s) || s == 0))
        {
            throw new FormatException("A scaler's centers must be finite and its scales finite and non-zero.");
        }

        return state.Kind switch
        {
            StandardScaler.KindName => new StandardScaler(state.Center, state.Scale),
            MinMaxScaler.KindName => new MinMaxScaler(state.Center, state.Scale),
            _ => throw new FormatException($"Unknown scaler kind '{state.Kind}'; expected '{StandardScaler.KindName}' or '{MinMaxScaler.KindName}'."),
        };
    }

    /// <summary>Per-feature columns of <paramref name="data"/> in double, checked to be non-empty.</summary>
    private protected static double[][] Columns<T>(Dataset<T> data) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0) throw new ArgumentException("Cannot fit a scaler on an empty dataset.", nameof(data));
        var columns = new double[data.FeatureCount][];
        var features = data.Features;
        for (int j = 0; j < columns.Length; j++)
        {
            columns[j] = new double[data.Count];
            for (int i = 0; i < data.Count; i++) columns[j][i] = double.CreateTruncating(features[i * data.FeatureCount + j]);
        }

        return columns;
    }
}

/// <summary>The JSON form of a <see cref="FeatureScaler"/>.</summary>
internal sealed record ScalerState(string Kind, double[] Center, double[] Scale)
{
    /// <summary>Deserialises a saved <paramref name="what"/>, turning malformed JSON into a <see cref="FormatException"/>.</summary>
    public static TState Read<TState>(string json, JsonTypeInfo<TState> form, string what)
        where TState : class
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize(json, form) ?? throw new FormatException($"Not a {what}: the JSON is null.");
        }
        catch (JsonException error)
        {
            throw new FormatException($"Not a {what}: {error.Message}", error);
        }
    }
}
