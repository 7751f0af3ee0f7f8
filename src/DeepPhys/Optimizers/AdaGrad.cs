using System.Numerics;
using System.Numerics.Tensors;

namespace DeepPhys.Optimizers;

/// <summary>
/// AdaGrad (Duchi, Hazan &amp; Singer, 2011) with PyTorch's formula: <c>s ← s + g²</c>,
/// <c>θ ← θ − η·g/(√s + ε)</c>. Each parameter's rate falls with its own gradient history.
/// </summary>
public sealed class AdaGrad : Optimizer
{
    private const int SquareSum = 0, Work = 0;

    /// <summary>Creates an AdaGrad optimizer with PyTorch's defaults.</summary>
    /// <param name="learningRate">The step size η.</param>
    /// <param name="epsilon">Added to the denominator for stability, positive.</param>
    public AdaGrad(double learningRate = 1e-2, double epsilon = 1e-10)
        : base(learningRate)
    {
        if (!(epsilon > 0 && double.IsFinite(epsilon))) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be positive and finite.");
        Epsilon = epsilon;
    }

    /// <summary>Added to the denominator for stability.</summary>
    public double Epsilon { get; }

    private protected override int BufferCount => 1;

    private protected override int ScratchCount => 1;

    private protected override void Update<T>(Span<T> parameters, ReadOnlySpan<T> gradients, StateSlice<T> state, long step)
    {
        Span<T> sum = state.Buffer(SquareSum), work = state.Scratch(Work);
        TensorPrimitives.MultiplyAdd(gradients, gradients, sum, sum);
        TensorPrimitives.Sqrt(sum, work);
        TensorPrimitives.Add(work, T.CreateChecked(Epsilon), work);
        TensorPrimitives.Divide(gradients, work, work);
        TensorPrimitives.MultiplyAdd(work, T.CreateChecked(-LearningRate), parameters, parameters);
    }

    private protected override void ScalarUpdate<T>(Span<T> parameters, ReadOnlySpan<T> gradients, OptimizerState<T> state, long step)
    {
        Span<T> sum = state.Buffers[SquareSum];
        for (int i = 0; i < parameters.Length; i++)
        {
            sum[i] += gradients[i] * gradients[i];
            parameters[i] -= T.CreateChecked(LearningRate) * (gradients[i] / (T.Sqrt(sum[i]) + T.CreateChecked(Epsilon)));
        }
    }
}
