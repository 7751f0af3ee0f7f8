using DeepPhys;
using DeepPhys.Data;
using DeepPhys.Optimizers;

namespace DeepPhys.Tests;

/// <summary>A multilayer perceptron above the small-network limit: its dense layers go through the GEMM.</summary>
[Network(Loss = Loss.MeanSquaredError)]
[Input(64)]
[Dense(256, Activation.ReLU)]
[Dense(256, Activation.Tanh)]
[Dense(8)]
public partial class LargeMlp;

/// <summary>Issue 20, item 1: one network shared by several threads predicts and evaluates as one thread does; training is not shared.</summary>
public class ConcurrencyTests
{
    private const int Threads = 4;

    public static TheoryData<string> Networks => [nameof(ThreadedCnn), nameof(LargeMlp), nameof(FloatRecurrentNet)];

    [Theory]
    [MemberData(nameof(Networks))]
    public void Predict_FromFourThreads_GivesTheSingleThreadedBits(string name)
    {
        var network = Trained(name);
        const int Samples = 16;
        var inputs = RandomInputs(network, Samples, seed: 11);
        // The single-threaded answer of every call the threads make: a GEMM's blocking may depend on the rows, so each (first, rows) on its own.
        var expected = new Dictionary<(int First, int Rows), float[]>();
        for (int rows = 1; rows <= 3; rows++)
        {
            for (int first = 0; first + rows <= Samples; first++) expected[(first, rows)] = network.Predict(inputs.AsSpan(first * network.InputSize, rows * network.InputSize));
        }

        int calls = network.InputSize > 500 ? 200 : 3000;
        int wrong = RunOnThreads(thread =>
        {
            int mistakes = 0;
            var outputs = new float[3 * network.OutputSize];
            for (int call = 0; call < calls; call++)
            {
                // One to three rows from a place that differs between threads and calls.
                int rows = 1 + (call + thread) % 3, first = (call * 7 + thread * 5) % (Samples - rows + 1);
                var output = outputs.AsSpan(0, rows * network.OutputSize);
                network.Predict(inputs.AsSpan(first * network.InputSize, rows * network.InputSize), output);
                if (!output.SequenceEqual(expected[(first, rows)])) mistakes++;
            }

            return mistakes;
        });

        Assert.Equal(0, wrong);
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Evaluate_FromFourThreads_GivesTheSingleThreadedLoss(string name)
    {
        var network = Trained(name);
        var data = new Dataset<float>(RandomInputs(network, 24, seed: 12), network.InputSize, RandomInputs(network, 24, seed: 13)[..(24 * network.OutputSize)], network.OutputSize);
        double expected = network.Evaluate(data, batchSize: 5).Loss;

        int wrong = RunOnThreads(_ =>
        {
            int mistakes = 0;
            for (int call = 0; call < (network.InputSize > 500 ? 10 : 100); call++)
            {
                if (network.Evaluate(data, batchSize: 5).Loss != expected) mistakes++;
            }

            return mistakes;
        });

        Assert.Equal(0, wrong);
    }

    [Fact]
    public void TrainStep_WhileAnotherThreadTrains_ThrowsNamingTheNetwork()
    {
        var network = new LargeMlp(seed: 1);
        var inputs = RandomInputs(network, 64, seed: 2);
        var targets = new float[64 * network.OutputSize];
        using var inStep = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var blocker = new Thread(() =>
        {
            var data = new Dataset<float>(inputs, network.InputSize, targets, network.OutputSize);
            network.Fit(data, new Sgd(), new Training.FitOptions<float>
            {
                Epochs = 1,
                BatchSize = 64,
                Callbacks = [new Training.LambdaCallback { BatchEnd = (_, _, _) => { inStep.Set(); release.Wait(); } }],
            });
        });
        blocker.Start();
        inStep.Wait();

        var error = Assert.Throws<InvalidOperationException>(() => network.TrainStep(inputs, targets));
        release.Set();
        blocker.Join();

        Assert.Contains("LargeMlp", error.Message);
        Assert.Contains("one thread", error.Message);
        network.TrainStep(inputs, targets);
    }

    [Fact]
    public void Predict_AfterWarmUp_AllocatesNothing()
    {
        var network = new LargeMlp(seed: 1);
        var inputs = RandomInputs(network, 3, seed: 2);
        var outputs = new float[3 * network.OutputSize];
        network.Predict(inputs, outputs);
        network.Predict(inputs.AsSpan(0, network.InputSize), outputs.AsSpan(0, network.OutputSize));

        Assert.Equal(0, Runtime.Tests.Kernels.SteadyState.AllocatedBytes(
            () =>
            {
                network.Predict(inputs, outputs);
                network.Predict(inputs.AsSpan(0, network.InputSize), outputs.AsSpan(0, network.OutputSize));
            },
            rounds: 50));
    }

    /// <summary>The network after a few Adam steps, so its parameters are not the initial ones.</summary>
    private static Network<float> Trained(string name)
    {
        Network<float> network = name switch
        {
            nameof(ThreadedCnn) => new ThreadedCnn(seed: 1),
            nameof(LargeMlp) => new LargeMlp(seed: 1),
            _ => new FloatRecurrentNet(seed: 1),
        };
        var inputs = RandomInputs(network, 8, seed: 3);
        var targets = new float[8 * network.OutputSize];
        for (int row = 0; row < 8; row++) targets[row * network.OutputSize + row % network.OutputSize] = 1;
        var adam = new Adam(1e-2);
        for (int step = 0; step < 5; step++)
        {
            network.TrainStep(inputs, targets);
            adam.Step(network.Parameters, network.Gradients);
        }

        return network;
    }

    private static float[] RandomInputs(Network<float> network, int rows, int seed)
    {
        var random = new RandomStream(seed);
        var inputs = new float[rows * network.InputSize];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = (float)random.NextNormal();
        return inputs;
    }

    /// <summary>Runs <paramref name="work"/> on <see cref="Threads"/> threads started together; the sum of what they return.</summary>
    private static int RunOnThreads(Func<int, int> work)
    {
        using var start = new Barrier(Threads);
        var results = new int[Threads];
        var threads = Enumerable.Range(0, Threads).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            results[i] = work(i);
        })).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();
        return results.Sum();
    }
}
