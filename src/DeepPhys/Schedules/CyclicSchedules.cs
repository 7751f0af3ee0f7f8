namespace DeepPhys.Schedules;

/// <summary>
/// PyTorch's <c>CosineAnnealingWarmRestarts</c> (SGDR, Loshchilov &amp; Hutter 2017):
/// <c>η = η_min + (η₀ − η_min)(1 + cos(π·T_cur/T_i))/2</c>, restarting at η₀ after each period;
/// the first period is T₀ and each next one T_mult times longer. With T₀ the whole run it is plain
/// cosine annealing.
/// </summary>
public sealed class CosineAnnealingWarmRestarts : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="period">T₀, the length of the first period.</param>
    /// <param name="periodMultiplier">T_mult, the growth of each next period, at least 1.</param>
    /// <param name="minimumRate">η_min, the rate at the bottom of each period, non-negative.</param>
    /// <param name="unit">What t counts.</param>
    public CosineAnnealingWarmRestarts(int period, int periodMultiplier = 1, double minimumRate = 0, ScheduleUnit unit = ScheduleUnit.Epoch)
        : base(unit)
    {
        Positive(period, nameof(period));
        Positive(periodMultiplier, nameof(periodMultiplier));
        if (!(minimumRate >= 0 && double.IsFinite(minimumRate)))
        {
            throw new ArgumentOutOfRangeException(nameof(minimumRate), minimumRate, "The minimum rate must be non-negative and finite.");
        }

        Period = period;
        PeriodMultiplier = periodMultiplier;
        MinimumRate = minimumRate;
    }

    /// <summary>T₀, the first period.</summary>
    public int Period { get; }

    /// <summary>T_mult, the growth of each next period.</summary>
    public int PeriodMultiplier { get; }

    /// <summary>η_min, the rate at the bottom of each period.</summary>
    public double MinimumRate { get; }

    /// <inheritdoc/>
    public override double Rate(double baseRate, long t)
    {
        // Equal periods: one modulo. Growing periods: the loop runs log_Tmult(t) times.
        long length = Period, position = PeriodMultiplier == 1 ? t % Period : t;
        while (position >= length)
        {
            position -= length;
            length *= PeriodMultiplier;
        }

        return MinimumRate + (baseRate - MinimumRate) * (1 + Math.Cos(Math.PI * position / length)) / 2;
    }
}

/// <summary>PyTorch's <c>LinearLR</c> as a warm-up: the factor rises linearly from <c>startFactor</c> to 1 over <c>length</c> units, then stays at 1.</summary>
public sealed class LinearWarmup : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="length">Units until the full rate.</param>
    /// <param name="startFactor">The fraction of the base rate at t = 0, in (0, 1].</param>
    /// <param name="unit">What t counts.</param>
    public LinearWarmup(int length, double startFactor = 1.0 / 3, ScheduleUnit unit = ScheduleUnit.Epoch) : base(unit)
    {
        Positive(length, nameof(length));
        Factor(startFactor, nameof(startFactor));
        Length = length;
        StartFactor = startFactor;
    }

    /// <summary>Units until the full rate.</summary>
    public int Length { get; }

    /// <summary>The fraction of the base rate at t = 0.</summary>
    public double StartFactor { get; }

    /// <inheritdoc/>
    public override double Rate(double baseRate, long t) =>
        baseRate * (StartFactor + (1 - StartFactor) * Math.Min(t, Length) / Length);
}

/// <summary>
/// PyTorch's <c>OneCycleLR</c> (Smith, 2018) with its defaults, in steps: from <c>η₀/div</c> up to the
/// base rate η₀ over the first <c>pctStart</c> of the run, then down to <c>η₀/(div·finalDiv)</c>,
/// both halves along a cosine.
/// </summary>
public sealed class OneCycle : LearningRateSchedule
{
    /// <summary>Creates the schedule; the optimizer's base rate is the peak (PyTorch's <c>max_lr</c>).</summary>
    /// <param name="totalSteps">Steps in the whole run.</param>
    /// <param name="pctStart">The fraction of the run spent rising, in (0, 1).</param>
    /// <param name="divFactor">The peak over the initial rate, at least 1.</param>
    /// <param name="finalDivFactor">The initial rate over the final one, at least 1.</param>
    /// <param name="unit">What t counts; steps by default, as PyTorch.</param>
    public OneCycle(int totalSteps, double pctStart = 0.3, double divFactor = 25, double finalDivFactor = 1e4, ScheduleUnit unit = ScheduleUnit.Step)
        : base(unit)
    {
        Positive(totalSteps, nameof(totalSteps));
        if (!(pctStart > 0 && pctStart < 1 && pctStart * totalSteps > 1))
        {
            throw new ArgumentOutOfRangeException(nameof(pctStart), pctStart, "pctStart must be in (0, 1) and leave more than one step for the rise.");
        }

        if (!(divFactor >= 1 && double.IsFinite(divFactor))) throw new ArgumentOutOfRangeException(nameof(divFactor), divFactor, "divFactor must be at least 1.");
        if (!(finalDivFactor >= 1 && double.IsFinite(finalDivFactor))) throw new ArgumentOutOfRangeException(nameof(finalDivFactor), finalDivFactor, "finalDivFactor must be at least 1.");
        TotalSteps = totalSteps;
        PctStart = pctStart;
        DivFactor = divFactor;
        FinalDivFactor = finalDivFactor;
    }

    /// <summary>Steps in the whole run; past it the rate stays at the final value.</summary>
    public int TotalSteps { get; }

    /// <summary>The fraction of the run spent rising.</summary>
    public double PctStart { get; }

    /// <summary>The peak over the initial rate.</summary>
    public double DivFactor { get; }

    /// <summary>The initial rate over the final one.</summary>
    public double FinalDivFactor { get; }

    /// <inheritdoc/>
    public override double Rate(double baseRate, long t)
    {
        double initial = baseRate / DivFactor, final = initial / FinalDivFactor;
        double peakStep = PctStart * TotalSteps - 1, lastStep = TotalSteps - 1;
        return t <= peakStep
            ? Anneal(initial, baseRate, t / peakStep)
            : Anneal(baseRate, final, Math.Min(1, (t - peakStep) / (lastStep - peakStep)));
    }

    private static double Anneal(double start, double end, double fraction) => end + (start - end) / 2 * (Math.Cos(Math.PI * fraction) + 1);
}
