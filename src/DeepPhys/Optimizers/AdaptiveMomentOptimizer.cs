using System.Numerics;
using System.Numerics.Tensors;

namespace DeepPhys.Optimizers;

/// <summary>
/// What Adam, AdamW and NAdam share: the running averages <c>m ← β₁m + (1−β₁)g</c> and
/// <c>v ← β₂v + (1−β₂)g²</c>, kept as the state's first two buffers.
/// </summary>
public abstract class AdaptiveMomentOptimizer : Optimizer
{
    /// <summary>Slots of the two averages in the state.</summary>
    private protected const int FirstMoment = 0, SecondMoment = 1;

    /// <summary>Checks and keeps the hyper-parameters.</summary>
    /// <param name="learningRate">The step size η.</param>
    /// <param name="beta1">Decay of the first-moment average, in [0, 1).</param>
    /// <param name="beta2">Decay of the second-moment average, in [0, 1).</param>
    /// <param name="epsilon">Added to the denominator for stability, positive.</param>
    private protected AdaptiveMomentOptimizer(double learningRate, double beta1, double beta2, double epsilon)
        : base(learningRate)
    {
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "β₁ must be in [0, 1).");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "β₂ must be in [0, 1).");
        if (!(epsilon > 0 && double.IsFinite(epsilon))) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be positive and finite.");
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
    }

    /// <summary>Decay of the first-moment average.</summary>
    public double Beta1 { get; }

    /// <summary>Decay of the second-moment average.</summary>
    public double Beta2 { get; }

    /// <summary>Added to the denominator for stability.</summary>
    public double Epsilon { get; }

    private protected override int BufferCount => 2;

    /// <summary>Updates both averages in the state; <paramref name="scratch"/> receives g².</summary>
    private protected void UpdateMoments<T>(StateSlice<T> state, ReadOnlySpan<T> gradients, Span<T> scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> m = state.Buffer(FirstMoment), v = state.Buffer(SecondMoment);
        TensorPrimitives.Multiply(m, T.CreateChecked(Beta1), m);
        TensorPrimitives.MultiplyAdd(gradients, T.CreateChecked(1 - Beta1), m, m);
        TensorPrimitives.Multiply(gradients, gradients, scratch);
        TensorPrimitives.Multiply(v, T.CreateChecked(Beta2), v);
        TensorPrimitives.MultiplyAdd(scratch, T.CreateChecked(1 - Beta2), v, v);
    }

    /// <summary>The same for parameter <paramref name="i"/>, as the scalar twins write it; returns (m, v).</summary>
    private protected (T M, T V) UpdateMoments<T>(OptimizerState<T> state, int i, T gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T m = ref state.Buffers[FirstMoment][i];
        ref T v = ref state.Buffers[SecondMoment][i];
        m = T.CreateChecked(Beta1) * m + T.CreateChecked(1 - Beta1) * gradient;
        v = T.CreateChecked(Beta2) * v + T.CreateChecked(1 - Beta2) * gradient * gradient;
        return (m, v);
    }
}
