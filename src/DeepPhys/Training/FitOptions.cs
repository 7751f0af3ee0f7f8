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

    /// <summary>
    /// What <c>Fit</c> draws on the console: by default (<see cref="ProgressMode.Auto"/>) a bar when the output is an interactive
    /// terminal and no <see cref="Progress"/> is given, nothing when the output is redirected; <see cref="ProgressMode.None"/> turns it off.
    /// </summary>
    public ProgressMode Display { get; init; } = ProgressMode.Auto;

    /// <summary>Called at the start and end of training, of each epoch, and after each step, in order.</summary>
    public IReadOnlyList<Callback> Callbacks { get; init; } = [];

    /// <summary>Sets the optimizer's learning rate before every step from its base rate; none keeps the rate as it is.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>Penalties on the weights, added to the reported loss and their gradients to the gradient.</summary>
    public IReadOnlyList<WeightPenalty> Regularizers { get; init; } = [];

    /// <summary>
    /// One weight per training sample, in the training set's order: sample <c>i</c>'s loss is
    /// multiplied by it (times its class weight), and the batch loss is <c>Σ wᵢℓᵢ / batch</c>, as
    /// Keras's <c>sample_weight</c>. None weighs every sample 1. Weights are finite and ≥ 0.
    /// </summary>
    public IReadOnlyList<T>? SampleWeights { get; init; }

    /// <summary>
    /// One weight per class, as Keras's <c>class_weight</c>: each sample's loss is multiplied by the
    /// weight of its true class. Categorical cross-entropy: one weight per output, the class being the
    /// target's largest entry. Binary cross-entropy with one output: two weights, for targets below
    /// 0.5 and from 0.5 up. Not for mean squared error or several outputs. Validation loss stays unweighted.
    /// </summary>
    public IReadOnlyList<T>? ClassWeights { get; init; }

    /// <summary>Clips the gradient before each step (after the penalties); none leaves it as it is.</summary>
    public GradientClipping? Clipping { get; init; }
}
