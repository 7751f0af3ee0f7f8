using System.Numerics;
using DeepPhys.Data;
using DeepPhys.Optimizers;

namespace DeepPhys.Training;

/// <summary>
/// Mini-batch training on an <see cref="IBatchSource{T}"/> that does not fit in memory. What
/// shuffling means for a stream: each epoch visits the chunks in a fresh random order and
/// shuffles the samples within each chunk, both from the network's random stream; samples of
/// different chunks never share a batch. That is as random as one chunk in memory allows; if the
/// file is sorted (e.g. all signal, then all background), chunks must be mixed when writing it.
/// </summary>
public static class StreamingTraining
{
    /// <summary>
    /// Trains <paramref name="network"/> for <paramref name="epochs"/> passes over
    /// <paramref name="source"/>; batches do not cross chunk boundaries (a chunk's last batch may
    /// be smaller). Reports the mean training loss per epoch (no accuracy: the outputs of a
    /// stream are not kept).
    /// </summary>
    /// <param name="network">The network to train.</param>
    /// <param name="source">The chunks, read again each epoch.</param>
    /// <param name="optimizer">Updates the parameters after each batch.</param>
    /// <param name="epochs">Passes over the source.</param>
    /// <param name="batchSize">Samples per step.</param>
    /// <param name="shuffle">Visit chunks in random order and shuffle samples within each chunk.</param>
    /// <exception cref="ArgumentException">The source's shape does not match the network, or it yields no sample.</exception>
    public static History Fit<T>(Network<T> network, IBatchSource<T> source, Optimizer optimizer, int epochs, int batchSize = 32, bool shuffle = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentOutOfRangeException.ThrowIfNegative(epochs);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (source.FeatureCount != network.InputSize || source.TargetCount != network.OutputSize)
        {
            throw new ArgumentException(
                $"The source has {source.FeatureCount} features and {source.TargetCount} targets per sample; {network.Definition.Name} has {network.InputSize} inputs and {network.OutputSize} outputs.",
                nameof(source));
        }

        optimizer.BindNetwork(network);
        var history = new History(epochs);
        var inputs = new T[batchSize * network.InputSize];
        var targets = new T[batchSize * network.OutputSize];
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            double lossSum = 0;
            long samples = 0;
            foreach (var chunk in source.ReadChunks(shuffle ? network.Random : null))
            {
                var order = Enumerable.Range(0, chunk.Count).ToArray();
                if (shuffle) network.Random.Shuffle(order.AsSpan());
                for (int first = 0; first < order.Length; first += batchSize)
                {
                    int batch = Math.Min(batchSize, order.Length - first);
                    var x = inputs.AsSpan(0, batch * network.InputSize);
                    var y = targets.AsSpan(0, batch * network.OutputSize);
                    chunk.Gather(order.AsSpan(first, batch), x, y);
                    T loss = network.TrainStep(x, y);
                    optimizer.Step(network.Parameters, network.Gradients);
                    lossSum += double.CreateTruncating(loss) * batch;
                }

                samples += chunk.Count;
            }

            if (samples == 0) throw new ArgumentException("The source yielded no sample.", nameof(source));
            history.Add(new EpochResult(epoch, lossSum / samples, null, null, System.Diagnostics.Stopwatch.GetElapsedTime(start)));
        }

        return history;
    }
}
