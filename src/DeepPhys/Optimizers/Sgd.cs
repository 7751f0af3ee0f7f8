using System.Numerics;
using System.Numerics.Tensors;

namespace DeepPhys.Optimizers;

/// <summary>
/// Plain gradient descent, <c>θ ← θ − η·g</c>. With <c>Fit</c>'s batch size it is stochastic
/// (1), mini-batch, or full-batch gradient descent (the whole training set).
/// </summary>
/// <param name="learningRate">The step size η.</param>
public sealed class Sgd(double learningRate = 0.01) : Optimizer(learningRate)
{
    private protected override OptimizerState<T> CreateState<T>(int length) => new([]);

    private protected override void Update<T>(Span<T> parameters, ReadOnlySpan<T> gradients, OptimizerState<T> state, long step) =>
        TensorPrimitives.MultiplyAdd(gradients, T.CreateChecked(-LearningRate), parameters, parameters);

    /// <summary>The textbook loop the vectorised update is tested against.</summary>
    internal static void ScalarUpdate<T>(Span<T> parameters, ReadOnlySpan<T> gradients, double learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < parameters.Length; i++) parameters[i] -= T.CreateChecked(learningRate) * gradients[i];
    }
}
