namespace DeepPhys.Metrics;

/// <summary>
/// Mean squared error, mean absolute error and the coefficient of determination R² of
/// predictions against true values, as scikit-learn's <c>mean_squared_error</c>,
/// <c>mean_absolute_error</c> and <c>r2_score</c>. With several outputs per sample each figure
/// is computed per output and averaged uniformly (scikit-learn's <c>"uniform_average"</c>).
/// </summary>
/// <param name="MeanSquaredError">Mean of (prediction − truth)².</param>
/// <param name="MeanAbsoluteError">Mean of |prediction − truth|.</param>
/// <param name="R2">1 − Σ(prediction − truth)² / Σ(truth − mean truth)²; for a constant truth 1 when predicted exactly, else 0.</param>
public sealed record RegressionMetrics(double MeanSquaredError, double MeanAbsoluteError, double R2)
{
    /// <summary>The figures of <paramref name="predictions"/> against <paramref name="truth"/>.</summary>
    /// <param name="predictions">Row-major <c>[samples, outputs]</c>.</param>
    /// <param name="truth">Laid out like <paramref name="predictions"/>.</param>
    /// <param name="outputs">Values per sample.</param>
    /// <exception cref="ArgumentException">Lengths differ, are not whole rows, or there are no samples.</exception>
    public static RegressionMetrics Compute(ReadOnlySpan<double> predictions, ReadOnlySpan<double> truth, int outputs = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        if (predictions.Length != truth.Length)
        {
            throw new ArgumentException($"predictions has {predictions.Length} values but truth has {truth.Length}.", nameof(truth));
        }

        if (truth.Length == 0 || truth.Length % outputs != 0)
        {
            throw new ArgumentException($"truth has {truth.Length} values; expected a positive multiple of {outputs} outputs.", nameof(truth));
        }

        int samples = truth.Length / outputs;
        double mse = 0, mae = 0, r2 = 0;
        for (int j = 0; j < outputs; j++)
        {
            double mean = 0;
            for (int i = j; i < truth.Length; i += outputs) mean += truth[i];
            mean /= samples;
            double squared = 0, absolute = 0, total = 0;
            for (int i = j; i < truth.Length; i += outputs)
            {
                double error = truth[i] - predictions[i];
                squared += error * error;
                absolute += Math.Abs(error);
                total += (truth[i] - mean) * (truth[i] - mean);
            }

            mse += squared / samples;
            mae += absolute / samples;
            r2 += total != 0 ? 1 - squared / total : squared == 0 ? 1 : 0;
        }

        return new RegressionMetrics(mse / outputs, mae / outputs, r2 / outputs);
    }
}
