using System.Numerics;

namespace DeepPhys.Data;

/// <summary>
/// Samples that arrive in chunks (a Parquet row group, a file of a large event sample) rather than
/// all in memory, for <see cref="Training.StreamingTraining.Fit"/>. Only one chunk need be in
/// memory at a time, so a file larger than memory can be trained on in a streaming epoch.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public interface IBatchSource<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Features per sample.</summary>
    int FeatureCount { get; }

    /// <summary>Target values per sample.</summary>
    int TargetCount { get; }

    /// <summary>
    /// The chunks of one pass over the data. When <paramref name="random"/> is given the source
    /// visits its chunks in an order drawn from it (the chunks themselves stay whole); null keeps
    /// the stored order.
    /// </summary>
    /// <param name="random">Draws the chunk order, or null for the stored order.</param>
    IEnumerable<Dataset<T>> ReadChunks(RandomStream? random);
}
