using DeepPhys.Samples.EarlyStopping;
using DeepPhys.Samples.LearningRates;
using DeepPhys.Samples.Optimizers;
using DeepPhys.Samples.Shared;
using DeepPhys.Training;

namespace DeepPhys.Samples.Tests;

/// <summary>The three training samples, run as the programs run them (without the display).</summary>
public sealed class TrainingSampleTests
{
    private static readonly ShowTraining Quietly = (_, _, train) => train(new Progress<EpochResult>());

    [Fact]
    public void LearningRates_TooSmallCrawls_JustRightConverges_TooLargeIsStoppedByTerminateOnNaNNamingTheLayer()
    {
        var runs = LearningRateDemo.RunAll(seed: 3, Quietly);
        var (small, right, large) = (runs[0].History, runs[1].History, runs[2].History);

        Assert.Equal(LearningRateDemo.Epochs, small.Count);
        Assert.Equal(LearningRateDemo.Epochs, right.Count);
        Assert.True(right.Loss[^1] < 0.02 && small.Loss[^1] > 5 * right.Loss[^1], $"final losses: too small {small.Loss[^1]}, just right {right.Loss[^1]}");
        Assert.Single(large);
        Assert.StartsWith("Training diverged at epoch 1, batch ", large.StopReason);
        Assert.Matches(@"the (activations|gradients) of layer dense(_\d)? \(layer \d of 3\) are the first that are not finite", large.StopReason);
        Assert.False(double.IsFinite(runs[2].StepLosses[^1]));
    }

    [Fact]
    public void Optimizers_MomentumAndAdaptiveMethodsBeatPlainSgdOnTheSameProblem()
    {
        var runs = OptimizerComparison.RunAll(seed: 3, Quietly);
        double sgd = runs[0].History.ValidationLoss[^1];
        Assert.Equal(["SGD η=0.01", "SGD η=0.01 momentum 0.9", "RMSProp η=0.001", "Adam η=0.001"], runs.Select(r => r.Name));
        Assert.Null(OptimizerComparison.EpochsTo(runs[0].History, 0.02));
        foreach (var run in runs.Skip(1))
        {
            Assert.True(run.History.ValidationLoss[^1] < sgd / 3, $"{run.Name}: val_loss {run.History.ValidationLoss[^1]} against SGD's {sgd}");
            Assert.NotNull(OptimizerComparison.EpochsTo(run.History, 0.025));
        }
    }

    [Fact]
    public void EarlyStopping_StopsBeforeTheLimitAndRestoresTheBestEpoch()
    {
        var (history, stopper, restored) = EarlyStoppingDemo.Run(seed: 5, Quietly);

        Assert.True(history.Count < EarlyStoppingDemo.Epochs, $"ran all {history.Count} epochs");
        Assert.Equal(stopper.BestEpoch + EarlyStoppingDemo.Patience, stopper.StoppedEpoch);
        Assert.Equal(history.Count, stopper.StoppedEpoch);
        Assert.Equal(history.ValidationLoss.Min(), history[stopper.BestEpoch - 1].Validation!.Loss);
        Assert.Equal(history[stopper.BestEpoch - 1].Validation!.Loss, restored, 1e-6);
        // Over-fitting: by the stop the training loss is far below the noise (σ² = 0.09), the validation loss above it.
        Assert.True(history.Loss[^1] < 0.03 && history.ValidationLoss[^1] > 0.09, $"loss {history.Loss[^1]}, val_loss {history.ValidationLoss[^1]}");
    }
}
