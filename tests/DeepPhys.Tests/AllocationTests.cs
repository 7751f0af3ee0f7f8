using DeepPhys.Optimizers;
using DeepPhys.Runtime.Tests.Kernels;
using DeepPhys.Regularization;
using DeepPhys.Schedules;
using DeepPhys.Samples.Iris;
using DeepPhys.Training;

namespace DeepPhys.Tests;

/// <summary>Steady-state training and inference allocate nothing: the workspace and optimizer state exist after the first step.</summary>
public class AllocationTests
{
    [Fact]
    public void TrainStepAndAdamStep_AfterWarmUp_AllocateNothing()
    {
        var network = new IrisClassifier(seed: 1);
        var adam = new Adam();
        var (inputs, targets) = IrisBatch();
        network.TrainStep(inputs, targets);
        adam.Step(network.Parameters, network.Gradients);

        Assert.Equal(0, SteadyState.AllocatedBytes(
            () =>
            {
                network.TrainStep(inputs, targets);
                adam.Step(network.Parameters, network.Gradients);
            },
            rounds: 100));
    }

    /// <summary>Batch norm and dropout, 1-D convolutions and pooling, a DenseNet block, concatenation along every axis.</summary>
    [Theory]
    [InlineData(nameof(NormalizedCnn))]
    [InlineData(nameof(SignalCnn))]
    [InlineData(nameof(DenseBlockCnn))]
    [InlineData(nameof(AxisConcatCnn))]
    public void ConvolutionalNetworks_TrainStepAndPredict_AfterWarmUp_AllocateNothing(string name)
    {
        var network = TestNetworkCatalog.All[name](1);
        var (inputs, targets) = GradientCheck.RandomBatch(network, 8, seed: 3);
        AssertTrainingAndPredictionAllocateNothing(network, inputs, targets);
    }

    [Fact]
    public void RecurrentNetwork_TrainStepAndPredict_AfterWarmUp_AllocateNothing()
    {
        var network = new FloatRecurrentNet(seed: 1);
        var inputs = new float[8 * network.InputSize];
        inputs.AsSpan().Fill(0.5f);
        AssertTrainingAndPredictionAllocateNothing(network, inputs, new float[8]);
    }

    /// <summary>After one warm-up step, 20 rounds of TrainStep, an Adam step and Predict allocate nothing.</summary>
    private static void AssertTrainingAndPredictionAllocateNothing<T>(Network<T> network, T[] inputs, T[] targets)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var adam = new Adam();
        var outputs = new T[targets.Length];
        network.TrainStep(inputs, targets);
        adam.Step(network.Parameters, network.Gradients);
        network.Predict(inputs, outputs);

        Assert.Equal(0, SteadyState.AllocatedBytes(
            () =>
            {
                network.TrainStep(inputs, targets);
                adam.Step(network.Parameters, network.Gradients);
                network.Predict(inputs, outputs);
            },
            rounds: 20));
    }

    [Fact]
    public void WeightedTrainStep_WithFitsClassWeighting_AfterWarmUp_AllocatesNothing()
    {
        var network = new IrisClassifier(seed: 1);
        var adam = new Adam();
        var (inputs, targets) = IrisBatch();
        var train = new DeepPhys.Data.Dataset<float>(inputs, 4, targets, 3);
        var weighting = DeepPhys.Training.SampleWeighting<float>.For(
            new() { ClassWeights = [1, 2, 3], SampleWeights = Enumerable.Repeat(0.5f, 32).ToArray() }, train, network.Definition)!;
        int[] rows = [.. Enumerable.Range(0, 32)];
        var weights = new float[32];
        void Step()
        {
            weighting.Fill(rows, targets, weights);
            network.TrainStep(inputs, targets, weights);
            adam.Step(network.Parameters, network.Gradients);
        }

        Step();
        Assert.Equal([0.5f, 1, 1.5f], weights[..3]);
        Assert.Equal(0, SteadyState.AllocatedBytes(Step, rounds: 100));
    }

    [Fact]
    public void FitsStepWork_PenaltyClippingScheduleAndEveryOptimizer_AfterWarmUp_AllocatesNothing()
    {
        var network = new IrisClassifier(seed: 1);
        var penalty = WeightPenalty.L1L2(1e-3, 1e-3, "dense_1");
        var ranges = penalty.Ranges(network.Definition);
        var clipping = GradientClipping.ByGlobalNorm(1);
        var schedule = new LinearWarmup(5).Then(5, new MultiStepDecay([3, 6]));
        Optimizer[] optimizers = [new Sgd(0.1, momentum: 0.9, nesterov: true), new AdaGrad(), new RmsProp(momentum: 0.5, centered: true), new AdamW(), new NAdam()];
        var (inputs, targets) = IrisBatch();
        var gradients = new float[network.ParameterCount];
        void Step(int epoch)
        {
            network.TrainStep(inputs, targets);
            network.Gradients.CopyTo(gradients);
            penalty.Apply<float>(ranges, network.Parameters, gradients);
            clipping.Apply<float>(gradients);
            foreach (var optimizer in optimizers)
            {
                optimizer.LearningRate = schedule.Rate(optimizer.BaseLearningRate, epoch, optimizer.Steps);
                optimizer.Step<float>(network.Parameters, gradients);
            }
        }

        Step(0);
        int epoch = 0;
        Assert.Equal(0, SteadyState.AllocatedBytes(() => Step(epoch++ % 20), rounds: 20));
    }

    /// <summary>
    /// Inside a real Fit, with callbacks, a penalty, clipping and a schedule: the bytes allocated
    /// between one batch's end and the next are zero once the first batches have run.
    /// </summary>
    [Fact]
    public void FitsBatchLoop_WithCallbacks_AllocatesNothingBetweenBatches()
    {
        var features = new float[64 * 4];
        var labels = new int[64];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = i % 3;
            features[i * 4 + labels[i]] = 1;
        }

        var probe = new AllocationProbe(batchesPerEpoch: 8);
        var options = new FitOptions<float>
        {
            Epochs = 2,
            BatchSize = 8,
            Callbacks = [new TerminateOnNaN(), new EarlyStopping(monitor: "loss", patience: 5), probe],
            Regularizers = [WeightPenalty.L2(1e-3)],
            Clipping = GradientClipping.ByValue(5),
            Schedule = new LinearWarmup(3),
        };

        new IrisClassifier(seed: 1).Fit(Data.Dataset<float>.FromClassLabels(features, 4, labels, 3), new Adam(), options);

        Assert.Equal(new long[probe.Between.Length], probe.Between);
    }

    /// <summary>
    /// Each epoch of a fit with validation allocates its small records (the epoch's result, its evaluation), not
    /// the validation outputs: 4,000 rows × 3 classes would be 48 kB of garbage per epoch.
    /// </summary>
    [Fact]
    public void FitWithValidation_KeepsItsEvaluationOutputsBetweenEpochs()
    {
        const int rows = 4000;
        var features = new float[rows * 4];
        var labels = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            labels[i] = i % 3;
            features[i * 4 + labels[i]] = 1;
        }

        var train = Data.Dataset<float>.FromClassLabels(features[..(32 * 4)], 4, labels[..32], 3);
        var validation = Data.Dataset<float>.FromClassLabels(features, 4, labels, 3);
        long Allocated(int epochs)
        {
            var network = new IrisClassifier(seed: 1);
            var options = new FitOptions<float> { Epochs = epochs, BatchSize = 32, Validation = validation };
            network.Fit(train, new Adam(), options); // first fit: the buffers and the code are ready
            long before = GC.GetAllocatedBytesForCurrentThread();
            network.Fit(train, new Adam(), options);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        long perEpoch = (Allocated(12) - Allocated(2)) / 10;
        Assert.True(perEpoch < 4096, $"{perEpoch} bytes per epoch");
    }

    [Fact]
    public void PredictIntoABuffer_AfterWarmUp_AllocatesNothing()
    {
        var network = new IrisClassifier(seed: 1);
        float[] sample = [0.1f, -0.2f, 0.3f, 0.4f], probabilities = new float[3];
        network.Predict(sample, probabilities);

        Assert.Equal(0, SteadyState.AllocatedBytes(() => network.Predict(sample, probabilities), rounds: 100));
    }

    /// <summary>32 zero inputs for the Iris network with one-hot targets cycling through its 3 classes.</summary>
    private static (float[] Inputs, float[] Targets) IrisBatch()
    {
        var targets = new float[32 * 3];
        for (int row = 0; row < 32; row++) targets[row * 3 + row % 3] = 1;
        return (new float[32 * 4], targets);
    }

    /// <summary>Records the bytes allocated between consecutive batch ends of the second epoch, without allocating itself.</summary>
    private sealed class AllocationProbe(int batchesPerEpoch) : Callback
    {
        private long last;

        public long[] Between { get; } = new long[batchesPerEpoch - 1];

        public override void OnBatchEnd(TrainingContext context, int batch, double loss)
        {
            long now = GC.GetAllocatedBytesForCurrentThread();
            if (context.Epoch == 2 && batch > 0) Between[batch - 1] = now - last;
            last = now;
        }
    }
}
