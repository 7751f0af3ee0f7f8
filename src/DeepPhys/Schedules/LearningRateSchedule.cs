namespace DeepPhys.Schedules;

/// <summary>What a schedule counts: epochs or optimizer steps.</summary>
public enum ScheduleUnit
{
    /// <summary>The rate changes between epochs; t is the epoch about to run, from 0.</summary>
    Epoch,

    /// <summary>The rate changes between steps; t is the optimizer's step count before the step, from 0.</summary>
    Step,
}

/// <summary>
/// A learning rate as a function of time: <c>Fit</c> sets the optimizer's
/// <see cref="Optimizers.Optimizer.LearningRate"/> to <see cref="Rate(double, long)"/> of its
/// <see cref="Optimizers.Optimizer.BaseLearningRate"/> before every step. The formulas are PyTorch's
/// <c>lr_scheduler</c> ones, as closed forms of t.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>Sets what the schedule counts.</summary>
    /// <param name="unit">Epochs or optimizer steps.</param>
    protected LearningRateSchedule(ScheduleUnit unit) => Unit = unit;

    /// <summary>What t counts.</summary>
    public ScheduleUnit Unit { get; }

    /// <summary>The rate at time <paramref name="t"/>.</summary>
    /// <param name="baseRate">The optimizer's base rate (for one-cycle, the peak).</param>
    /// <param name="t">Epochs or steps since the schedule started, from 0.</param>
    public abstract double Rate(double baseRate, long t);

    /// <summary>The rate before a step, t taken from <paramref name="epoch"/> or <paramref name="step"/> by <see cref="Unit"/>.</summary>
    /// <param name="baseRate">The optimizer's base rate.</param>
    /// <param name="epoch">The epoch about to run, from 0.</param>
    /// <param name="step">The optimizer's steps so far.</param>
    public double Rate(double baseRate, int epoch, long step) => Rate(baseRate, Unit == ScheduleUnit.Epoch ? epoch : step);

    /// <summary>This schedule for <paramref name="length"/> units of time, then <paramref name="next"/> from its own t = 0 (warm-up then cosine).</summary>
    /// <param name="length">How long this schedule runs, in its unit.</param>
    /// <param name="next">The schedule that follows, counting the same unit.</param>
    public LearningRateSchedule Then(long length, LearningRateSchedule next) => new SequentialSchedule(this, length, next);

    /// <summary>Checks a positive count.</summary>
    private protected static void Positive(long value, string name)
    {
        if (value < 1) throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1.");
    }

    /// <summary>Checks a factor in (0, 1] or another open-closed range.</summary>
    private protected static void Factor(double value, string name, double max = 1)
    {
        if (!(value > 0 && value <= max)) throw new ArgumentOutOfRangeException(name, value, $"{name} must be in (0, {max}].");
    }
}

/// <summary>One schedule for a while, then another restarting at t = 0: PyTorch's <c>SequentialLR</c> with one milestone.</summary>
public sealed class SequentialSchedule : LearningRateSchedule
{
    /// <summary>Chains two schedules that count the same unit.</summary>
    /// <param name="first">The schedule for t below <paramref name="length"/>.</param>
    /// <param name="length">Where the second schedule takes over.</param>
    /// <param name="second">The schedule from then on, at <c>t − length</c>.</param>
    /// <exception cref="ArgumentException">The two count different units.</exception>
    public SequentialSchedule(LearningRateSchedule first, long length, LearningRateSchedule second)
        : base(first?.Unit ?? throw new ArgumentNullException(nameof(first)))
    {
        ArgumentNullException.ThrowIfNull(second);
        Positive(length, nameof(length));
        if (second.Unit != first.Unit)
        {
            throw new ArgumentException($"Both schedules must count the same unit; the first counts {first.Unit}s, the second {second.Unit}s.", nameof(second));
        }

        First = first;
        Length = length;
        Second = second;
    }

    /// <summary>The schedule that runs first.</summary>
    public LearningRateSchedule First { get; }

    /// <summary>How long the first one runs.</summary>
    public long Length { get; }

    /// <summary>The schedule that follows.</summary>
    public LearningRateSchedule Second { get; }

    /// <inheritdoc/>
    public override double Rate(double baseRate, long t) => t < Length ? First.Rate(baseRate, t) : Second.Rate(baseRate, t - Length);
}
