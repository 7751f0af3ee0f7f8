using DeepPhys.Samples.Shared;
using DeepPhys.Training;

namespace DeepPhys.Samples.Tests;

public sealed class TrainingProgressTests
{
    private static readonly EpochResult Fourth = new(4, 0.41234, 0.8667, new Evaluation(0.39119, 0.9, null), TimeSpan.FromSeconds(2));

    [Fact]
    public void TheDescriptionHasTheEpochLossAndMetrics()
    {
        Assert.Equal("Iris  epoch 4/10  loss 0.4123  acc 0.867  val_loss 0.3912  val_acc 0.900", TrainingProgress.Describe("Iris", Fourth, 10));
        var regression = new EpochResult(1, 2.5, null, null, TimeSpan.FromSeconds(1));
        Assert.Equal("fit  epoch 1/3  loss 2.5000", TrainingProgress.Describe("fit", regression, 3));
    }

    [Fact]
    public void RedirectedOutput_GetsOnePlainLinePerEpochWithTheTimeLeft()
    {
        // The test host's output is redirected, so Run takes the plain-line path.
        Assert.False(TrainingProgress.IsLiveTerminal);
        var writer = new StringWriter();
        new TrainingProgress.LineProgress(writer, "Iris", 10).Report(Fourth);
        // 2 s for 4 epochs: 6 more take 3 s.
        Assert.Equal("Iris  epoch 4/10  loss 0.4123  acc 0.867  val_loss 0.3912  val_acc 0.900  left 00:03.0" + Environment.NewLine, writer.ToString());
        Assert.Equal(42, TrainingProgress.Run("x", 1, progress => 42));
    }
}
