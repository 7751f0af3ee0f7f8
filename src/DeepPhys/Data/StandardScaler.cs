using System.Numerics;

namespace DeepPhys.Data;

/// <summary>
/// Standardises features to mean 0 and standard deviation 1: <c>(x − Mean) / Scale</c> per feature.
/// Fit it on the training part only and apply the same transform to validation, test and new
/// data, so no information from those leaks into training.
/// </summary>
public sealed class StandardScaler : FeatureScaler
{
    internal const string KindName = "standard";

    // As scikit-learn: a standard deviation this small relative to the mean is rounding noise of a constant column.
    private const double ZeroScaleTolerance = 10 * 2.220446049250313e-16;

    internal StandardScaler(double[] mean, double[] scale)
        : base(KindName, mean, scale)
    {
    }

    /// <summary>Per-feature mean of the fitted data (the <see cref="FeatureScaler.Center"/>).</summary>
    public IReadOnlyList<double> Mean => Center;

    /// <summary>Computes each feature's mean and population standard deviation (in double) from <paramref name="data"/>, which should be the training part only; a constant feature gets scale 1 and is only centred.</summary>
    /// <param name="data">The training samples, at least one.</param>
    /// <exception cref="ArgumentException"><paramref name="data"/> is empty.</exception>
    public static StandardScaler Fit<T>(Dataset<T> data) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var columns = Columns(data);
        var mean = new double[columns.Length];
        var scale = new double[columns.Length];
        for (int j = 0; j < columns.Length; j++)
        {
            mean[j] = columns[j].Sum() / columns[j].Length;

            // Two passes: summing squared deviations avoids the cancellation of E[x²] − E[x]².
            double std = Math.Sqrt(columns[j].Sum(x => (x - mean[j]) * (x - mean[j])) / columns[j].Length);
            scale[j] = std <= ZeroScaleTolerance * Math.Abs(mean[j]) ? 1 : std;
        }

        return new StandardScaler(mean, scale);
    }
}
