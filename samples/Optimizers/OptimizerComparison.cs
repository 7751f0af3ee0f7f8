using DeepPhys;
using DeepPhys.Optimizers;
using DeepPhys.Samples.Shared;
using DeepPhys.Training;

namespace DeepPhys.Samples.Optimizers;

/// <summary>The regression network every optimizer trains: two tanh layers of 32 and a linear output for y = sin 3x.</summary>
[Network(Loss = Loss.MeanSquaredError)]
[Input(1)]
[Dense(32, Activation.Tanh)]
[Dense(32, Activation.Tanh)]
[Dense(1)]
public partial class SineNetwork;

/// <summary>
/// SGD, SGD with momentum, RMSProp and Adam on the same data from the same initial parameters
/// and the same shuffling seed, each at its usual learning rate, for the same number of epochs.
/// </summary>
public static class OptimizerComparison
{
    /// <summary>The epoch limit of every run.</summary>
    public const int Epochs = 100;

    /// <summary>The optimizers, by the name the table prints, made fresh per run.</summary>
    public static readonly (string Name, Func<Optimizer> Create)[] Optimizers =
    [
        ("SGD η=0.01", () => new Sgd(0.01)),
        ("SGD η=0.01 momentum 0.9", () => new Sgd(0.01, momentum: 0.9)),
        ("RMSProp η=0.001", () => new RmsProp(0.001)),
        ("Adam η=0.001", () => new Adam(0.001)),
    ];

    /// <summary>One optimizer's run.</summary>
    /// <param name="Name">The optimizer and its rate.</param>
    /// <param name="History">Training and validation loss per epoch.</param>
    public sealed record Run(string Name, History History);

    /// <summary>Trains one network per optimizer on 200 noisy points (σ = 0.1), validating on 200 more.</summary>
    /// <param name="seed">Seeds the data, the initialisation and the shuffling; the same for every optimizer.</param>
    /// <param name="progress">Runs a training with a progress reporter, given a title and the epoch limit.</param>
    public static IReadOnlyList<Run> RunAll(int seed, ShowTraining progress)
    {
        var (train, validation) = ToyData.NoisySineSplit(200, 200, noise: 0.1, seed);
        return Optimizers.Select(o => new Run(o.Name, progress(o.Name, Epochs, reporter =>
            new SineNetwork(seed).Fit(train, o.Create(), new FitOptions<float> { Epochs = Epochs, BatchSize = 16, Validation = validation, Progress = reporter })))).ToList();
    }

    /// <summary>The first epoch whose validation loss is at most <paramref name="target"/>, or null if none is.</summary>
    public static int? EpochsTo(History history, double target) =>
        history.FirstOrDefault(e => e.Validation!.Loss <= target)?.Epoch;
}
