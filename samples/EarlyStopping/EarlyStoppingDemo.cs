using DeepPhys;
using DeepPhys.Optimizers;
using DeepPhys.Samples.Shared;
using DeepPhys.Training;

namespace DeepPhys.Samples.EarlyStopping;

/// <summary>Far too large for 15 points: two ReLU layers of 256, 66 561 parameters.</summary>
[Network(Loss = Loss.MeanSquaredError)]
[Input(1)]
[Dense(256, Activation.ReLU)]
[Dense(256, Activation.ReLU)]
[Dense(1)]
public partial class OverParameterised;

/// <summary>
/// Early stopping on an over-parameterised network: 15 noisy training points of y = sin 3x, 300
/// validation points. The training loss keeps falling as the network learns the noise; the
/// validation loss turns up, and <see cref="Training.EarlyStopping"/> stops training after
/// <see cref="Patience"/> epochs without improvement and restores the best epoch's parameters.
/// </summary>
public static class EarlyStoppingDemo
{
    /// <summary>The epoch limit.</summary>
    public const int Epochs = 2000;

    /// <summary>Epochs without improvement of <c>val_loss</c> before stopping.</summary>
    public const int Patience = 100;

    /// <summary>What the run gives.</summary>
    /// <param name="History">Training and validation loss per epoch, and the stop reason.</param>
    /// <param name="Stopper">The callback: its best and stopping epochs.</param>
    /// <param name="Restored">The validation loss of the restored parameters.</param>
    public sealed record Result(History History, Training.EarlyStopping Stopper, double Restored);

    /// <summary>Trains with Adam (η = 3e-3, full batch) until early stopping or the epoch limit.</summary>
    /// <param name="seed">Seeds the data, the initialisation and the shuffling.</param>
    /// <param name="progress">Runs a training with a progress reporter, given a title and the epoch limit.</param>
    public static Result Run(int seed, ShowTraining progress)
    {
        var (train, validation) = ToyData.NoisySineSplit(15, 300, noise: 0.3, seed);
        var network = new OverParameterised(seed);
        var stopper = new Training.EarlyStopping("val_loss", patience: Patience, restoreBestWeights: true);
        var history = progress("66 561 parameters, 15 points", Epochs, reporter => network.Fit(train, new Adam(3e-3), new FitOptions<float>
        {
            Epochs = Epochs, BatchSize = 15, Validation = validation, Progress = reporter, Callbacks = [stopper],
        }));
        return new Result(history, stopper, network.Evaluate(validation).Loss);
    }
}
