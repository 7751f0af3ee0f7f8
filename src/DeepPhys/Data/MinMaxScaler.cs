using System.Numerics;

namespace DeepPhys.Data;

/// <summary>
/// Maps each feature's training range onto [0, 1]: <c>(x − Min) / (Max − Min)</c>, as
/// scikit-learn's <c>MinMaxScaler</c> with its default range. Values outside the training range
/// map outside [0, 1]; a constant feature gets scale 1 and becomes 0.
/// </summary>
public sealed class MinMaxScaler : FeatureScaler
{
    internal const string KindName = "minmax";

    internal MinMaxScaler(double[] min, double[] range)
        : base(KindName, min, range)
    {
    }

    /// <summary>Per-feature minimum of the fitted data (the <see cref="FeatureScaler.Center"/>).</summary>
    public IReadOnlyList<double> Min => Center;

    /// <summary>Computes each feature's minimum and range from <paramref name="data"/>, which should be the training part only.</summary>
    /// <param name="data">The training samples, at least one.</param>
    /// <exception cref="ArgumentException"><paramref name="data"/> is empty.</exception>
    public static MinMaxScaler Fit<T>(Dataset<T> data) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var columns = Columns(data);
        var min = columns.Select(c => c.Min()).ToArray();
        var range = columns.Select((c, j) => c.Max() - min[j]).Select(r => r == 0 ? 1 : r).ToArray();
        return new MinMaxScaler(min, range);
    }
}
