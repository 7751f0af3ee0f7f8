namespace DeepPhys.Training;

/// <summary>Whether a monitored quantity should fall or rise.</summary>
public enum MonitorMode
{
    /// <summary>Rise for names containing <c>accuracy</c>, fall otherwise (Keras's rule).</summary>
    Auto,

    /// <summary>Lower is better (losses).</summary>
    Min,

    /// <summary>Higher is better (accuracies).</summary>
    Max,
}

/// <summary>A monitored quantity of <see cref="EpochResult"/> and the test of improvement the callbacks share.</summary>
internal sealed class Monitor
{
    public Monitor(string quantity, MonitorMode mode, double minDelta)
    {
        EpochResult.CheckQuantity(quantity);
        if (!(minDelta >= 0 && double.IsFinite(minDelta))) throw new ArgumentOutOfRangeException(nameof(minDelta), minDelta, "minDelta must be non-negative and finite.");
        Quantity = quantity;
        Maximize = mode == MonitorMode.Max || (mode == MonitorMode.Auto && quantity.Contains("accuracy", StringComparison.Ordinal));
        MinDelta = minDelta;
    }

    public string Quantity { get; }

    public bool Maximize { get; }

    public double MinDelta { get; }

    /// <summary>The worst possible value: any finite value improves on it.</summary>
    public double Worst => Maximize ? double.NegativeInfinity : double.PositiveInfinity;

    /// <summary>Whether <paramref name="current"/> beats <paramref name="best"/> by more than <see cref="MinDelta"/>.</summary>
    public bool Improves(double current, double best) => Maximize ? current - MinDelta > best : current + MinDelta < best;

    /// <summary>The quantity in <paramref name="result"/>; an error naming the option to set when it is not there (no validation set, regression loss).</summary>
    public double Read(EpochResult result) => result.Quantity(Quantity)
        ?? throw new InvalidOperationException(
            $"The monitored quantity '{Quantity}' is not available: "
            + (Quantity.StartsWith("val_", StringComparison.Ordinal) ? "pass a validation set to Fit." : "accuracy needs a classification loss."));
}
