using System.Collections.ObjectModel;
using System.Numerics;

namespace DeepPhys.Data;

/// <summary>
/// Standardises features to mean 0 and standard deviation 1: <c>(x − Mean) / Scale</c> per feature.
/// Fit it on the training part only and apply the same transform to validation, test and new
/// data, so no information from those leaks into training.
/// </summary>
public sealed class StandardScaler
{
    // As scikit-learn: a standard deviation this small relative to the mean is rounding noise of a constant column.
    private const double ZeroScaleTolerance = 10 * 2.220446049250313e-16;

    private readonly double[] mean;
    private readonly double[] scale;

    private StandardScaler(double[] mean, double[] scale)
    {
        this.mean = mean;
        this.scale = scale;
        Mean = new ReadOnlyCollection<double>(mean);
        Scale = new ReadOnlyCollection<double>(scale);
    }

    /// <summary>Per-feature mean of the fitted data.</summary>
    public IReadOnlyList<double> Mean { get; }

    /// <summary>Per-feature population standard deviation of the fitted data; 1 for a constant feature, which then is only centred.</summary>
    public IReadOnlyList<double> Scale { get; }

    /// <summary>Computes each feature's mean and population standard deviation (in double) from <paramref name="data"/>, which should be the training part only.</summary>
    /// <param name="data">The training samples, at least one.</param>
    /// <exception cref="ArgumentException"><paramref name="data"/> is empty.</exception>
    public static StandardScaler Fit<T>(Dataset<T> data) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0) throw new ArgumentException("Cannot fit a scaler on an empty dataset.", nameof(data));

        int width = data.FeatureCount;
        var features = data.Features;
        var mean = new double[width];
        var scale = new double[width];
        for (int i = 0; i < features.Length; i++) mean[i % width] += double.CreateTruncating(features[i]);
        for (int j = 0; j < width; j++) mean[j] /= data.Count;

        // Two passes: summing squared deviations avoids the cancellation of E[x²] − E[x]².
        for (int i = 0; i < features.Length; i++)
        {
            double deviation = double.CreateTruncating(features[i]) - mean[i % width];
            scale[i % width] += deviation * deviation;
        }

        for (int j = 0; j < width; j++)
        {
            double std = Math.Sqrt(scale[j] / data.Count);
            scale[j] = std <= ZeroScaleTolerance * Math.Abs(mean[j]) ? 1 : std;
        }

        return new StandardScaler(mean, scale);
    }

    /// <summary>A new dataset with standardised features; the targets and names are shared with <paramref name="data"/>.</summary>
    /// <param name="data">Samples with as many features as the fitted data.</param>
    /// <exception cref="ArgumentException">The feature count differs from the fitted data's.</exception>
    public Dataset<T> Transform<T>(Dataset<T> data) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.FeatureCount != mean.Length)
        {
            throw new ArgumentException(
                $"The data has {data.FeatureCount} features; the scaler was fitted on {mean.Length}.", nameof(data));
        }

        var features = new T[data.Features.Length];
        Transform(data.Features, features);
        return new Dataset<T>(features, data.FeatureCount, data.TargetBuffer, data.TargetCount, data.FeatureNames, data.ClassNames);
    }

    /// <summary>Standardises raw rows, e.g. new samples before <c>Predict</c>; <paramref name="destination"/> may be <paramref name="features"/> itself.</summary>
    /// <param name="features">Row-major rows of the fitted feature count.</param>
    /// <param name="destination">Receives as many values as <paramref name="features"/> has.</param>
    /// <exception cref="ArgumentException">The lengths are not whole rows or differ.</exception>
    public void Transform<T>(ReadOnlySpan<T> features, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (features.Length % mean.Length != 0)
        {
            throw new ArgumentException(
                $"features has {features.Length} values, not a whole number of rows of {mean.Length}.", nameof(features));
        }

        if (destination.Length != features.Length)
        {
            throw new ArgumentException(
                $"destination has {destination.Length} values; expected {features.Length}.", nameof(destination));
        }

        for (int i = 0; i < features.Length; i++)
        {
            int j = i % mean.Length;
            destination[i] = T.CreateTruncating((double.CreateTruncating(features[i]) - mean[j]) / scale[j]);
        }
    }
}
