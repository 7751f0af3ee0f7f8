using DeepPhys.Optimizers;
using DeepPhys.Regularization;
using DeepPhys.Samples.Iris;
using DeepPhys.Schedules;
using DeepPhys.Training;

namespace DeepPhys.Tests;

public class TrainingLoopTests
{
    [Fact]
    public void Cancellation_LeavesTheParametersOfTheLastCompletedStep()
    {
        var (train, _) = CallbackTests.NoisyRegression();
        var afterStep = new List<double[]>();
        var reference = new MseTanhHidden(8);
        reference.Fit(train, new Adam(0.01), new FitOptions<double>
        {
            Epochs = 2, BatchSize = 8,
            Callbacks = [new LambdaCallback { BatchEnd = (_, _, _) => afterStep.Add(reference.Parameters.ToArray()) }],
        });

        using var cancellation = new CancellationTokenSource();
        var network = new MseTanhHidden(8);
        var adam = new Adam(0.01);
        var cancelAfterSeventhStep = new LambdaCallback { BatchEnd = (c, _, _) => { if (c.Optimizer.Steps == 7) cancellation.Cancel(); } };

        Assert.Throws<OperationCanceledException>(() => network.Fit(
            train, adam, new FitOptions<double> { Epochs = 2, BatchSize = 8, Callbacks = [cancelAfterSeventhStep] }, cancellation.Token));

        Assert.Equal(7, adam.Steps);
        Assert.Equal(afterStep[6], network.Parameters.ToArray());

        // The network and the optimizer go on from there as if never interrupted.
        network.Fit(train, adam, new FitOptions<double> { Epochs = 1, BatchSize = 8, Shuffle = false });
        Assert.Equal(12, adam.Steps);
    }

    [Fact]
    public void SameSeed_WithScheduleCallbacksPenaltiesAndClipping_GivesBitIdenticalWeightsAfterTwentyEpochs()
    {
        float[] first = Train(seed: 11), second = Train(seed: 11), other = Train(seed: 12);

        Assert.Equal(Bits(first), Bits(second));
        Assert.NotEqual(Bits(first), Bits(other));

        static float[] Train(int seed)
        {
            var data = Data.Dataset<float>.FromCsv(Path.Combine(AppContext.BaseDirectory, "Data", "iris.csv"), target: "species");
            var (train, validation, _) = data.Split(0.6, 0.2, 0.2, seed: 3);
            var network = new IrisClassifier(seed);
            network.Fit(train, new NAdam(0.01), new FitOptions<float>
            {
                Epochs = 20, BatchSize = 16, Validation = validation,
                Schedule = new LinearWarmup(3, 0.1).Then(3, new CosineAnnealingWarmRestarts(5, 2)),
                Regularizers = [WeightPenalty.L2(1e-4)], Clipping = GradientClipping.ByGlobalNorm(1),
                Callbacks = [new ReduceLearningRateOnPlateau(patience: 2), new EarlyStopping(patience: 50), new TerminateOnNaN()],
            });
            return network.Parameters.ToArray();
        }

        static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();
    }

    [Fact]
    public void Schedule_SetsTheRateBeforeEveryStep()
    {
        var (train, _) = CallbackTests.NoisyRegression();
        var rates = new LearningRateLogger();
        var schedule = new OneCycle(totalSteps: 15);

        new MseTanhHidden(1).Fit(train, new Sgd(0.2), new FitOptions<double> { Epochs = 3, BatchSize = 8, Schedule = schedule, Callbacks = [rates] });

        Assert.Equal(Enumerable.Range(0, 15).Select(t => schedule.Rate(0.2, t)), rates.StepRates);
        Assert.Equal(0.2 / 25, rates.StepRates[0], 1e-17);
        // The rise ends at t = 0.3·15 − 1 = 3.5: t = 3 is 6/7 of the way along the cosine from 0.008 to 0.2.
        Assert.Equal(0.2 + (0.008 - 0.2) / 2 * (Math.Cos(Math.PI * 6 / 7) + 1), rates.StepRates[3], 1e-16);
    }
}
