using System.Numerics;
using DeepPhys.Data;
using DeepPhys.Regularization;
using DeepPhys.Schedules;

namespace DeepPhys.Training;

/// <summary>Everything <c>Fit</c> can be told besides the data and the optimizer.</summary>
/// <typeparam name="T">The network's element type.</typeparam>
public sealed class FitOptions<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Passes over the training set.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Samples per step: 1 is stochastic gradient descent, the whole set batch gradient descent.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Evaluated after every epoch when given; its figures are <c>val_loss</c> and <c>val_accuracy</c>.</summary>
    public Dataset<T>? Validation { get; init; }

    /// <summary>Reshuffle the samples every epoch with the network's random stream.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Receives each epoch's figures as soon as they are known.</summary>
    public IProgress<EpochResult>? Progress { get; init; }

    /// <summary>Called at the start and end of training, of each epoch, and after each step, in order.</summary>
    public IReadOnlyList<Callback> Callbacks { get; init; } = [];

    /// <summary>Sets the optimizer's learning rate before every step from its base rate; none keeps the rate as it is.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>Penalties on the weights, added to the reported loss and their gradients to the gradient.</summary>
    public IReadOnlyList<WeightPenalty> Regularizers { get; init; } = [];

    /// <summary>Clips the gradient before each step (after the penalties); none leaves it as it is.</summary>
    public GradientClipping? Clipping { get; init; }
}
