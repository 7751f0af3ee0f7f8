using System.Text.Json;
using DeepPhys;
using DeepPhys.Data;
using DeepPhys.Optimizers;
using DeepPhys.Training;

namespace DeepPhys.Tests;

public class CallbackTests
{
    [Fact]
    public void ReduceOnPlateau_ReproducesPyTorchsRates()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "schedules_torch.json")));
        var fixture = json.RootElement.GetProperty("plateau");
        double[] metrics = Doubles(fixture.GetProperty("metrics")), expected = Doubles(fixture.GetProperty("rates"));
        var callback = new ReduceLearningRateOnPlateau(
            factor: fixture.GetProperty("factor").GetDouble(), patience: fixture.GetProperty("patience").GetInt32(),
            minDelta: fixture.GetProperty("minDelta").GetDouble(), cooldown: fixture.GetProperty("cooldown").GetInt32(),
            minimumRate: fixture.GetProperty("minimumRate").GetDouble());
        var context = Context(new MseTanhHidden(1), new Sgd(json.RootElement.GetProperty("baseRate").GetDouble()));

        for (int epoch = 0; epoch < metrics.Length; epoch++)
        {
            callback.OnEpochEnd(context, WithValidationLoss(epoch + 1, metrics[epoch]));
            Assert.Equal(expected[epoch], context.Optimizer.LearningRate, 1e-15);
        }
    }

    [Fact]
    public void EarlyStopping_KerasSemantics_StopsAfterPatienceAndRestoresTheBestEpoch()
    {
        // val_loss 1.0, 0.8 (best), 0.81, 0.79: 0.79 is not better than 0.8 by more than 0.02, so the
        // third epoch without improvement ends training at epoch 4 with epoch 2's parameters back.
        var network = new MseTanhHidden(1);
        var context = Context(network, new Sgd());
        var stopping = new EarlyStopping("val_loss", minDelta: 0.02, patience: 2, restoreBestWeights: true);
        stopping.OnTrainBegin(context);
        double[] losses = [1.0, 0.8, 0.81, 0.79];
        for (int epoch = 1; epoch <= losses.Length; epoch++)
        {
            network.Parameters.Fill(epoch);
            stopping.OnEpochEnd(context, WithValidationLoss(epoch, losses[epoch - 1]));
            Assert.Equal(epoch == 4, context.StopReason is not null);
        }

        Assert.Equal(4, stopping.StoppedEpoch);
        Assert.Equal(2, stopping.BestEpoch);
        Assert.Equal(0.8, stopping.Best);
        Assert.All(network.Parameters.ToArray(), p => Assert.Equal(2.0, p));
        Assert.Equal(
            "Early stopping at epoch 4: val_loss has not improved on 0.8 (epoch 2) for 2 epochs; the parameters of epoch 2 are restored.",
            context.StopReason);
    }

    [Fact]
    public void EarlyStopping_MaxModeAndStartFromEpoch()
    {
        var context = Context(new MseTanhHidden(1), new Sgd());
        var stopping = new EarlyStopping("val_accuracy", patience: 1, startFromEpoch: 2);
        stopping.OnTrainBegin(context);
        // Epochs 1 and 2 are warm-up (0-based 0 and 1 < 2); from epoch 3 accuracy must rise.
        double[] accuracies = [0.9, 0.1, 0.5, 0.6, 0.6];
        for (int epoch = 1; epoch <= accuracies.Length; epoch++)
        {
            stopping.OnEpochEnd(context, new EpochResult(epoch, 1, null, new Evaluation(1, accuracies[epoch - 1], null), TimeSpan.Zero));
        }

        Assert.Equal(4, stopping.BestEpoch);
        Assert.Equal(5, stopping.StoppedEpoch);
    }

    [Fact]
    public void EarlyStopping_InFit_EndsTrainingWithTheBestValidationLossRestored()
    {
        var (train, validation) = NoisyRegression();
        var network = new MseTanhHidden(3);
        var stopping = new EarlyStopping("val_loss", minDelta: 1e-4, patience: 3, restoreBestWeights: true);

        var history = network.Fit(train, new Adam(0.05), new FitOptions<double>
        {
            Epochs = 500, BatchSize = 8, Validation = validation, Callbacks = [stopping],
        });

        Assert.InRange(stopping.StoppedEpoch, 2, 499);
        Assert.Equal(stopping.StoppedEpoch, history.Count);
        Assert.Equal(history.ValidationLoss.Min(), stopping.Best);
        Assert.Equal(stopping.Best, network.Evaluate(validation).Loss, 1e-12);
        Assert.StartsWith($"Early stopping at epoch {stopping.StoppedEpoch}", history.StopReason);
    }

    [Fact]
    public void TerminateOnNaN_NamesTheFirstLayerWithNonFiniteActivations()
    {
        var network = new MseTanhHidden(1);
        network.Parameters[MseTanhHidden.Layout.Dense1Weights + 3] = double.NaN;   // dense_1 reads a NaN weight
        var (train, _) = NoisyRegression();
        var logger = new LearningRateLogger();

        var history = network.Fit(train, new Sgd(0.01), new FitOptions<double> { Epochs = 5, Callbacks = [new TerminateOnNaN(), logger] });

        Assert.Single(history);
        Assert.Single(logger.StepRates);   // stopped after the first step
        Assert.Equal(
            "Training diverged at epoch 1, batch 1: the loss is NaN and the activations of layer dense_1 (layer 2 of 2) are the first that are not finite. "
            + "Try a smaller learning rate or gradient clipping.",
            history.StopReason);
    }

    [Fact]
    public void TerminateOnNaN_StopsADivergingRunWithinAFewEpochs()
    {
        var (train, _) = NoisyRegression();
        var network = new MseReluHidden(2);

        var history = network.Fit(train, new Sgd(5.0), new FitOptions<double> { Epochs = 1000, BatchSize = 4, Callbacks = [new TerminateOnNaN()] });

        Assert.True(history.Count < 100, $"ran {history.Count} epochs");
        Assert.StartsWith($"Training diverged at epoch {history.Count}", history.StopReason);
    }

    [Fact]
    public void LambdaCallback_SeesEveryHookInOrder()
    {
        var (train, _) = NoisyRegression();
        var calls = new List<string>();
        var callback = new LambdaCallback
        {
            TrainBegin = _ => calls.Add("begin"),
            EpochBegin = c => calls.Add($"epoch {c.Epoch}"),
            BatchEnd = (_, batch, _) => calls.Add($"batch {batch}"),
            EpochEnd = (_, r) => calls.Add($"end {r.Epoch}"),
            TrainEnd = _ => calls.Add("done"),
        };

        new MseTanhHidden(1).Fit(train, new Sgd(), new FitOptions<double> { Epochs = 2, BatchSize = 16, Callbacks = [callback] });

        // 40 samples in batches of 16: 3 batches per epoch.
        Assert.Equal(["begin", "epoch 1", "batch 0", "batch 1", "batch 2", "end 1", "epoch 2", "batch 0", "batch 1", "batch 2", "end 2", "done"], calls);
    }

    [Fact]
    public void UnknownMonitor_ListsTheKnownQuantities()
    {
        var error = Assert.Throws<ArgumentException>(() => new EarlyStopping("val_acc"));

        Assert.Contains("Unknown quantity 'val_acc'; the known ones are loss, accuracy, val_loss, val_accuracy, lr", error.Message);
    }

    [Fact]
    public void MonitoringValidation_WithoutAValidationSet_SaysWhatToPass()
    {
        var (train, _) = NoisyRegression();

        var error = Assert.Throws<InvalidOperationException>(() =>
            new MseTanhHidden(1).Fit(train, new Sgd(), new FitOptions<double> { Epochs = 2, Callbacks = [new EarlyStopping()] }));

        Assert.Equal("The monitored quantity 'val_loss' is not available: pass a validation set to Fit.", error.Message);
    }

    internal static (Dataset<double> Train, Dataset<double> Validation) NoisyRegression()
    {
        // y = (sin x₀, x₁·x₂) plus noise, 40 training and 40 validation samples.
        var random = new RandomStream(17);
        Dataset<double> Make(int count)
        {
            var x = new double[count * 3];
            var y = new double[count * 2];
            for (int i = 0; i < count; i++)
            {
                for (int j = 0; j < 3; j++) x[3 * i + j] = random.NextNormal();
                y[2 * i] = Math.Sin(x[3 * i]) + 0.3 * random.NextNormal();
                y[2 * i + 1] = x[3 * i + 1] * x[3 * i + 2] + 0.3 * random.NextNormal();
            }

            return new Dataset<double>(x, 3, y, 2);
        }

        return (Make(40), Make(40));
    }

    internal static TrainingContext<double> Context(Network<double> network, Optimizer optimizer) => new(network, optimizer, 100, new History(0));

    private static EpochResult WithValidationLoss(int epoch, double loss) => new(epoch, loss, null, new Evaluation(loss, null, null), TimeSpan.Zero);

    private static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();
}
