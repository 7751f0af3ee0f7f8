namespace DeepPhys.Schedules;

/// <summary>PyTorch's <c>StepLR</c>: <c>η = η₀·γ^⌊t/n⌋</c>, the rate multiplied by γ every n units.</summary>
public sealed class StepDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="stepSize">n, units between drops.</param>
    /// <param name="gamma">γ, the factor of each drop, in (0, 1].</param>
    /// <param name="unit">What t counts.</param>
    public StepDecay(int stepSize, double gamma = 0.1, ScheduleUnit unit = ScheduleUnit.Epoch) : base(unit)
    {
        Positive(stepSize, nameof(stepSize));
        Factor(gamma, nameof(gamma));
        StepSize = stepSize;
        Gamma = gamma;
    }

    /// <summary>Units between drops.</summary>
    public int StepSize { get; }

    /// <summary>The factor of each drop.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public override double Rate(double baseRate, long t) => baseRate * Math.Pow(Gamma, t / StepSize);
}

/// <summary>PyTorch's <c>MultiStepLR</c>: the rate multiplied by γ at each milestone passed, <c>η = η₀·γ^#{m ≤ t}</c>.</summary>
public sealed class MultiStepDecay : LearningRateSchedule
{
    private readonly long[] milestones;

    /// <summary>Creates the schedule.</summary>
    /// <param name="milestones">Increasing times at which the rate drops.</param>
    /// <param name="gamma">γ, the factor of each drop, in (0, 1].</param>
    /// <param name="unit">What t counts.</param>
    public MultiStepDecay(IEnumerable<long> milestones, double gamma = 0.1, ScheduleUnit unit = ScheduleUnit.Epoch) : base(unit)
    {
        ArgumentNullException.ThrowIfNull(milestones);
        this.milestones = milestones.ToArray();
        for (int i = 0; i < this.milestones.Length; i++)
        {
            if (this.milestones[i] < 1 || (i > 0 && this.milestones[i] <= this.milestones[i - 1]))
            {
                throw new ArgumentException($"Milestones must be positive and increasing; got {string.Join(", ", this.milestones)}.", nameof(milestones));
            }
        }

        Factor(gamma, nameof(gamma));
        Gamma = gamma;
    }

    /// <summary>The times at which the rate drops.</summary>
    public IReadOnlyList<long> Milestones => milestones;

    /// <summary>The factor of each drop.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public override double Rate(double baseRate, long t)
    {
        int passed = 0;
        while (passed < milestones.Length && milestones[passed] <= t) passed++;
        return baseRate * Math.Pow(Gamma, passed);
    }
}

/// <summary>PyTorch's <c>ExponentialLR</c>: <c>η = η₀·γ^t</c>.</summary>
public sealed class ExponentialDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="gamma">γ, the factor per unit, in (0, 1].</param>
    /// <param name="unit">What t counts.</param>
    public ExponentialDecay(double gamma, ScheduleUnit unit = ScheduleUnit.Epoch) : base(unit)
    {
        Factor(gamma, nameof(gamma));
        Gamma = gamma;
    }

    /// <summary>The factor per unit of time.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public override double Rate(double baseRate, long t) => baseRate * Math.Pow(Gamma, t);
}

/// <summary>
/// The lecture's 1/t decay (Keras's <c>InverseTimeDecay</c>): <c>η = η₀ / (1 + k·t/s)</c>, with
/// <c>⌊t/s⌋</c> in place of <c>t/s</c> when <see cref="Staircase"/>.
/// </summary>
public sealed class InverseTimeDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="decayRate">k, positive and finite.</param>
    /// <param name="decaySteps">s, the units per decay period.</param>
    /// <param name="staircase">Drop in steps at multiples of s rather than continuously.</param>
    /// <param name="unit">What t counts.</param>
    public InverseTimeDecay(double decayRate, int decaySteps = 1, bool staircase = false, ScheduleUnit unit = ScheduleUnit.Epoch) : base(unit)
    {
        Factor(decayRate, nameof(decayRate), double.MaxValue);
        Positive(decaySteps, nameof(decaySteps));
        DecayRate = decayRate;
        DecaySteps = decaySteps;
        Staircase = staircase;
    }

    /// <summary>k in <c>η₀ / (1 + k·t/s)</c>.</summary>
    public double DecayRate { get; }

    /// <summary>s in <c>η₀ / (1 + k·t/s)</c>.</summary>
    public int DecaySteps { get; }

    /// <summary>Whether t/s is rounded down.</summary>
    public bool Staircase { get; }

    /// <inheritdoc/>
    public override double Rate(double baseRate, long t) =>
        baseRate / (1 + DecayRate * (Staircase ? t / DecaySteps : (double)t / DecaySteps));
}
