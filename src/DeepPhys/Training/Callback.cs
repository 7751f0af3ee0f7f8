using System.Numerics;
using System.Numerics.Tensors;
using DeepPhys.Optimizers;

namespace DeepPhys.Training;

/// <summary>
/// Hooks into <c>Fit</c>, in Keras's order: <see cref="OnTrainBegin"/>, then per epoch
/// <see cref="OnEpochBegin"/>, <see cref="OnBatchEnd"/> after every optimizer step and
/// <see cref="OnEpochEnd"/>, and <see cref="OnTrainEnd"/>. A callback stops training with
/// <see cref="TrainingContext.Stop"/>.
/// </summary>
public abstract class Callback
{
    /// <summary>Before the first epoch.</summary>
    /// <param name="context">The training run.</param>
    public virtual void OnTrainBegin(TrainingContext context)
    {
    }

    /// <summary>Before an epoch's first step; <see cref="TrainingContext.Epoch"/> is the epoch about to run.</summary>
    /// <param name="context">The training run.</param>
    public virtual void OnEpochBegin(TrainingContext context)
    {
    }

    /// <summary>After each optimizer step.</summary>
    /// <param name="context">The training run.</param>
    /// <param name="batch">The batch's index in the epoch, from 0.</param>
    /// <param name="loss">The batch's reported loss (penalties included).</param>
    public virtual void OnBatchEnd(TrainingContext context, int batch, double loss)
    {
    }

    /// <summary>After an epoch, its figures (and validation) known and already in <see cref="TrainingContext.History"/>.</summary>
    /// <param name="context">The training run.</param>
    /// <param name="result">The epoch's figures.</param>
    public virtual void OnEpochEnd(TrainingContext context, EpochResult result)
    {
    }

    /// <summary>After the last epoch, or after a callback stopped training.</summary>
    /// <param name="context">The training run.</param>
    public virtual void OnTrainEnd(TrainingContext context)
    {
    }
}

/// <summary>A callback made of delegates, for the odd job that needs no class of its own.</summary>
public sealed class LambdaCallback : Callback
{
    /// <summary>Called by <see cref="Callback.OnTrainBegin"/>.</summary>
    public Action<TrainingContext>? TrainBegin { get; init; }

    /// <summary>Called by <see cref="Callback.OnEpochBegin"/>.</summary>
    public Action<TrainingContext>? EpochBegin { get; init; }

    /// <summary>Called by <see cref="Callback.OnBatchEnd"/> with the batch index and loss.</summary>
    public Action<TrainingContext, int, double>? BatchEnd { get; init; }

    /// <summary>Called by <see cref="Callback.OnEpochEnd"/>.</summary>
    public Action<TrainingContext, EpochResult>? EpochEnd { get; init; }

    /// <summary>Called by <see cref="Callback.OnTrainEnd"/>.</summary>
    public Action<TrainingContext>? TrainEnd { get; init; }

    /// <inheritdoc/>
    public override void OnTrainBegin(TrainingContext context) => TrainBegin?.Invoke(context);

    /// <inheritdoc/>
    public override void OnEpochBegin(TrainingContext context) => EpochBegin?.Invoke(context);

    /// <inheritdoc/>
    public override void OnBatchEnd(TrainingContext context, int batch, double loss) => BatchEnd?.Invoke(context, batch, loss);

    /// <inheritdoc/>
    public override void OnEpochEnd(TrainingContext context, EpochResult result) => EpochEnd?.Invoke(context, result);

    /// <inheritdoc/>
    public override void OnTrainEnd(TrainingContext context) => TrainEnd?.Invoke(context);
}

/// <summary>Where a non-finite value was found: the layer and whether in its activations or its gradients.</summary>
/// <param name="Layer">The layer's name.</param>
/// <param name="LayerNumber">The layer's position, from 1.</param>
/// <param name="Quantity"><c>activations</c> or <c>gradients</c>.</param>
public sealed record NonFiniteLocation(string Layer, int LayerNumber, string Quantity);

/// <summary>What a callback sees of a training run: the network's description, the optimizer, the epoch, the history so far, and ways to stop, save and restore.</summary>
public abstract class TrainingContext
{
    private protected TrainingContext(NetworkDefinition definition, Optimizer optimizer, int epochs, History history)
    {
        Definition = definition;
        Optimizer = optimizer;
        Epochs = epochs;
        History = history;
    }

    /// <summary>The network's sizes, layers and offsets.</summary>
    public NetworkDefinition Definition { get; }

    /// <summary>The optimizer; a callback may change its <see cref="Optimizer.LearningRate"/>.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The current epoch, from 1.</summary>
    public int Epoch { get; internal set; }

    /// <summary>The epochs asked for.</summary>
    public int Epochs { get; }

    /// <summary>The epochs finished so far.</summary>
    public History History { get; }

    /// <summary>Why training stops early, once a callback said so; null while it goes on.</summary>
    public string? StopReason { get; private set; }

    /// <summary>Ends training after the current step (the epoch's figures are still computed and reported); the first reason given is kept.</summary>
    /// <param name="reason">A sentence for the user, e.g. which quantity stopped improving.</param>
    public void Stop(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        StopReason ??= reason;
    }

    /// <summary>Copies the parameters, converted to double (exactly, for float networks).</summary>
    /// <param name="destination"><see cref="NetworkDefinition.ParameterCount"/> values.</param>
    public abstract void CopyParameters(Span<double> destination);

    /// <summary>Overwrites the parameters from a copy made by <see cref="CopyParameters"/>.</summary>
    /// <param name="source"><see cref="NetworkDefinition.ParameterCount"/> values.</param>
    public abstract void RestoreParameters(ReadOnlySpan<double> source);

    /// <summary>Writes the parameters and the optimizer's state to <paramref name="path"/> atomically (see <see cref="Checkpoint"/>).</summary>
    /// <param name="path">The checkpoint file.</param>
    public abstract void SaveCheckpoint(string path);

    /// <summary>The first layer whose activations (forward order) or, failing that, gradients (backward order) of the last batch hold a NaN or infinity; null when all are finite.</summary>
    public abstract NonFiniteLocation? FindNonFinite();

    /// <summary>The first parameter, state or optimizer value a checkpoint cannot hold (not finite), described; null when all are finite.</summary>
    internal abstract string? FindUnsavable();
}

/// <summary>The context <c>Fit</c> hands its callbacks, over a network of element type <typeparamref name="T"/>.</summary>
internal sealed class TrainingContext<T>(Network<T> network, Optimizer optimizer, int epochs, History history)
    : TrainingContext(network.Definition, optimizer, epochs, history) where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Rows in the last batch trained, to read its part of the workspace.</summary>
    internal int LastBatch { get; set; }

    public override void CopyParameters(Span<double> destination)
    {
        CheckLength(destination.Length);
        TensorPrimitives.ConvertTruncating<T, double>(network.Parameters, destination);
    }

    public override void RestoreParameters(ReadOnlySpan<double> source)
    {
        CheckLength(source.Length);
        TensorPrimitives.ConvertTruncating<double, T>(source, network.Parameters);
    }

    public override void SaveCheckpoint(string path) => Checkpoint.Save(network, path, Optimizer);

    public override NonFiniteLocation? FindNonFinite() => network.FindNonFinite(LastBatch);

    internal override string? FindUnsavable() => Checkpoint.FindNonFinite(network, Optimizer.ExportState());

    private void CheckLength(int length)
    {
        if (length != Definition.ParameterCount)
        {
            throw new ArgumentException($"The buffer has {length} values; {Definition.Name} has {Definition.ParameterCount} parameters.");
        }
    }
}
