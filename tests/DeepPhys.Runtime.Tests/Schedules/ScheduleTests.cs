using System.Text.Json;
using DeepPhys.Schedules;

namespace DeepPhys.Runtime.Tests.Schedules;

public class ScheduleTests
{
    private static readonly Dictionary<string, LearningRateSchedule> Cases = new()
    {
        ["step"] = new StepDecay(stepSize: 7, gamma: 0.5),
        ["multistep"] = new MultiStepDecay([5, 12, 30], gamma: 0.3),
        ["exponential"] = new ExponentialDecay(0.9),
        ["cosine_restarts"] = new CosineAnnealingWarmRestarts(period: 10, minimumRate: 0.001),
        ["cosine_restarts_doubling"] = new CosineAnnealingWarmRestarts(period: 3, periodMultiplier: 2),
        ["linear_warmup"] = new LinearWarmup(length: 8, startFactor: 0.1),
        ["one_cycle"] = new OneCycle(totalSteps: 40, unit: ScheduleUnit.Epoch),
        ["warmup_then_cosine"] = new LinearWarmup(5, startFactor: 0.01).Then(5, new CosineAnnealingWarmRestarts(35, minimumRate: 1e-4)),
    };

    public static TheoryData<string> Names => new(Cases.Keys);

    internal static JsonElement Fixture() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "schedules_torch.json"))).RootElement;

    [Theory]
    [MemberData(nameof(Names))]
    public void FortySteps_ReproducePyTorchsScheduler(string name)
    {
        var root = Fixture();
        double baseRate = root.GetProperty("baseRate").GetDouble();
        double[] expected = root.GetProperty("cases").EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == name)
            .GetProperty("rates").EnumerateArray().Select(e => e.GetDouble()).ToArray();

        for (int t = 0; t < expected.Length; t++)
        {
            double rate = Cases[name].Rate(baseRate, t);
            Assert.True(Math.Abs(expected[t] - rate) <= 1e-12 * baseRate, $"{name}, t = {t}: PyTorch {expected[t]:R}, DeepPhys {rate:R}");
        }
    }

    [Theory]
    [InlineData(0, 0.1)]
    [InlineData(1, 0.1 / 1.5)]     // η₀ / (1 + 0.5·1)
    [InlineData(4, 0.1 / 3)]
    public void InverseTimeDecay_IsOneOverT(int t, double expected) =>
        Assert.Equal(expected, new InverseTimeDecay(decayRate: 0.5).Rate(0.1, t), 1e-17);

    [Theory]
    [InlineData(0, 0.1)]
    [InlineData(2, 0.1)]
    [InlineData(3, 0.1 / 1.5)]     // ⌊3/3⌋ = 1
    [InlineData(8, 0.1 / 2)]       // ⌊8/3⌋ = 2
    public void InverseTimeDecay_Staircase_DropsEveryDecaySteps(int t, double expected) =>
        Assert.Equal(expected, new InverseTimeDecay(decayRate: 0.5, decaySteps: 3, staircase: true).Rate(0.1, t), 1e-17);

    /// <summary>Equal periods repeat exactly, however late in training (a step-counted run reaches millions of steps).</summary>
    [Fact]
    public void CosineWithEqualPeriods_IsPeriodicAtAnyStep()
    {
        var schedule = new CosineAnnealingWarmRestarts(period: 10, minimumRate: 0.001, unit: ScheduleUnit.Step);

        Assert.Equal(schedule.Rate(0.1, 3), schedule.Rate(0.1, 1_000_000_000_003));
        Assert.Equal(0.1, schedule.Rate(0.1, 1_000_000_000_000));
    }

    [Fact]
    public void Rate_ReadsEpochOrStepByUnit()
    {
        Assert.Equal(0.05, new StepDecay(2, 0.5).Rate(0.1, epoch: 2, step: 0));
        Assert.Equal(0.1, new StepDecay(2, 0.5, ScheduleUnit.Step).Rate(0.1, epoch: 2, step: 1));
    }

    [Fact]
    public void Then_WithDifferentUnits_IsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new LinearWarmup(5).Then(5, new OneCycle(100)));

        Assert.Contains("the first counts Epochs, the second Steps", error.Message);
    }

    [Fact]
    public void BadParameters_AreRejectedWithTheirName()
    {
        Assert.Equal("gamma", Assert.Throws<ArgumentOutOfRangeException>(() => new StepDecay(3, gamma: 0)).ParamName);
        Assert.Equal("stepSize", Assert.Throws<ArgumentOutOfRangeException>(() => new StepDecay(0)).ParamName);
        Assert.Equal("milestones", Assert.Throws<ArgumentException>(() => new MultiStepDecay([5, 5])).ParamName);
        Assert.Equal("pctStart", Assert.Throws<ArgumentOutOfRangeException>(() => new OneCycle(2)).ParamName);
    }
}
