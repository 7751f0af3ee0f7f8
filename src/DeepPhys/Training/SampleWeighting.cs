using System.Numerics;
using DeepPhys.Data;
using DeepPhys.Metrics;

namespace DeepPhys.Training;

/// <summary>
/// The per-sample weights <c>Fit</c> passes to the loss: a sample's weight from
/// <see cref="FitOptions{T}.SampleWeights"/> times the weight of its true class from
/// <see cref="FitOptions{T}.ClassWeights"/>, looked up batch by batch without allocating.
/// </summary>
/// <typeparam name="T">The network's element type.</typeparam>
internal sealed class SampleWeighting<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[]? sampleWeights;
    private readonly T[]? classWeights;

    private SampleWeighting(T[]? sampleWeights, T[]? classWeights)
    {
        this.sampleWeights = sampleWeights;
        this.classWeights = classWeights;
    }

    /// <summary>The weighting <paramref name="options"/> ask for on <paramref name="train"/>, or null when they ask for none.</summary>
    /// <exception cref="ArgumentException">Weights of the wrong count, negative or not finite; class weights for a loss without classes.</exception>
    public static SampleWeighting<T>? For(FitOptions<T> options, Dataset<T> train, NetworkDefinition definition)
    {
        if (options.SampleWeights is null && options.ClassWeights is null) return null;
        var samples = options.SampleWeights is { } s ? Checked(s, train.Count, "one per training sample", nameof(options.SampleWeights)) : null;
        T[]? classes = null;
        if (options.ClassWeights is { } c)
        {
            int count = definition.Loss switch
            {
                Loss.CategoricalCrossEntropy => definition.OutputSize,
                Loss.BinaryCrossEntropy when definition.OutputSize == 1 => 2,
                _ => throw new ArgumentException(
                    $"Class weights need categorical cross-entropy or binary cross-entropy with one output; {definition.Name} has {definition.Loss} with {definition.OutputSize} outputs.",
                    nameof(options.ClassWeights)),
            };
            classes = Checked(c, count, definition.Loss == Loss.BinaryCrossEntropy ? "two: for targets 0 and 1" : "one per class", nameof(options.ClassWeights));
        }

        return new SampleWeighting<T>(samples, classes);
    }

    /// <summary>Writes the weights of the samples <paramref name="rows"/> of the training set, whose gathered targets are <paramref name="targets"/>.</summary>
    public void Fill(ReadOnlySpan<int> rows, ReadOnlySpan<T> targets, Span<T> weights)
    {
        int width = targets.Length / rows.Length;
        for (int i = 0; i < rows.Length; i++)
        {
            T weight = sampleWeights is null ? T.One : sampleWeights[rows[i]];
            if (classWeights is not null) weight *= classWeights[Scoring.ClassOf(targets.Slice(i * width, width))];
            weights[i] = weight;
        }
    }

    private static T[] Checked(IReadOnlyList<T> weights, int count, string expected, string name)
    {
        if (weights.Count != count) throw new ArgumentException($"{name} has {weights.Count} weights; expected {count} ({expected}).", name);
        var copy = weights.ToArray();
        Finite.CheckWeights<T>(copy, name);
        return copy;
    }
}
