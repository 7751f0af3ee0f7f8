using DeepPhys;
using DeepPhys.Optimizers;
using DeepPhys.Samples.Shared;
using DeepPhys.Training;

namespace DeepPhys.Samples.LearningRates;

/// <summary>A small regression network for y = sin 3x: two ReLU layers of 32 and a linear output.</summary>
[Network(Loss = Loss.MeanSquaredError)]
[Input(1)]
[Dense(32, Activation.ReLU)]
[Dense(32, Activation.ReLU)]
[Dense(1)]
public partial class SineRegressor;

/// <summary>
/// The learning-rate picture: the same network, data and seed trained with plain SGD at a rate
/// too small to get anywhere, one that converges, and one so large that the steps overshoot,
/// grow and overflow, where <see cref="TerminateOnNaN"/> stops training and names the layer.
/// </summary>
public static class LearningRateDemo
{
    /// <summary>The epoch limit of every run.</summary>
    public const int Epochs = 200;

    /// <summary>The three rates: too small, just right, too large.</summary>
    public static readonly (string Name, double Rate)[] Rates = [("too small", 1e-4), ("just right", 0.05), ("too large", 5)];

    /// <summary>One rate's run.</summary>
    /// <param name="Name">too small, just right or too large.</param>
    /// <param name="Rate">The SGD learning rate.</param>
    /// <param name="History">Training and validation loss per epoch, and why it stopped early if it did.</param>
    /// <param name="StepLosses">The loss of every step, in order, up to the one that stopped training.</param>
    public sealed record Run(string Name, double Rate, History History, IReadOnlyList<double> StepLosses);

    /// <summary>Trains one network per rate on 200 noisy points (σ = 0.1), validating on 200 more.</summary>
    /// <param name="seed">Seeds the data, the initialisation and the shuffling.</param>
    /// <param name="progress">Makes each run's progress reporter from its title and epoch limit.</param>
    public static IReadOnlyList<Run> RunAll(int seed, ShowTraining progress)
    {
        var (train, validation) = ToyData.NoisySineSplit(200, 200, noise: 0.1, seed);
        return Rates.Select(r =>
        {
            var steps = new List<double>();
            var history = progress($"SGD {r.Rate:G3}", Epochs, reporter => new SineRegressor(seed).Fit(train, new Sgd(r.Rate), new FitOptions<float>
            {
                Epochs = Epochs, BatchSize = 16, Validation = validation, Progress = reporter,
                Callbacks = [new LambdaCallback { BatchEnd = (_, _, loss) => steps.Add(loss) }, new TerminateOnNaN()],
            }));
            return new Run(r.Name, r.Rate, history, steps);
        }).ToList();
    }
}
