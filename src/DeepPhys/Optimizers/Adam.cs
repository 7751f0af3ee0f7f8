using System.Numerics;
using System.Numerics.Tensors;

namespace DeepPhys.Optimizers;

/// <summary>
/// Adam (Kingma &amp; Ba, 2015) with PyTorch's formula:
/// <c>m ← β₁m + (1−β₁)g</c>, <c>v ← β₂v + (1−β₂)g²</c>,
/// <c>θ ← θ − η/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε)</c>.
/// </summary>
public class Adam : AdaptiveMomentOptimizer
{
    private const int Work = 0;

    /// <summary>Creates an Adam optimizer; the defaults are Keras's and PyTorch's except ε, which is PyTorch's.</summary>
    /// <param name="learningRate">The step size η.</param>
    /// <param name="beta1">Decay of the first-moment average, in [0, 1).</param>
    /// <param name="beta2">Decay of the second-moment average, in [0, 1).</param>
    /// <param name="epsilon">Added to the denominator for stability, positive.</param>
    public Adam(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
        : this(learningRate, beta1, beta2, epsilon, weightDecay: 0)
    {
    }

    /// <summary>Adam with decoupled weight decay, for <see cref="AdamW"/>.</summary>
    private protected Adam(double learningRate, double beta1, double beta2, double epsilon, double weightDecay)
        : base(learningRate, beta1, beta2, epsilon)
    {
        if (!(weightDecay >= 0 && double.IsFinite(weightDecay)))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "The weight decay must be non-negative and finite.");
        }

        DecoupledWeightDecay = weightDecay;
    }

    /// <summary>The decoupled weight decay λ: each step first scales the parameters by <c>1 − ηλ</c>; 0 for Adam.</summary>
    public double DecoupledWeightDecay { get; }

    private protected override int ScratchCount => 1;

    private protected override void Update<T>(Span<T> parameters, ReadOnlySpan<T> gradients, OptimizerState<T> state, long step)
    {
        Span<T> m = state.Buffers[FirstMoment], v = state.Buffers[SecondMoment], scratch = state.Scratch[Work];
        var (stepSize, inverseRootCorrection) = Corrections(step);
        if (DecoupledWeightDecay > 0) TensorPrimitives.Multiply(parameters, T.CreateChecked(1 - LearningRate * DecoupledWeightDecay), parameters);

        UpdateMoments(state, gradients, scratch);
        TensorPrimitives.Sqrt(v, scratch);
        TensorPrimitives.Multiply(scratch, T.CreateChecked(inverseRootCorrection), scratch);
        TensorPrimitives.Add(scratch, T.CreateChecked(Epsilon), scratch);
        TensorPrimitives.Divide(m, scratch, scratch);
        TensorPrimitives.MultiplyAdd(scratch, T.CreateChecked(-stepSize), parameters, parameters);
    }

    private protected override void ScalarUpdate<T>(Span<T> parameters, ReadOnlySpan<T> gradients, OptimizerState<T> state, long step)
    {
        var (stepSize, inverseRootCorrection) = Corrections(step);
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] *= T.CreateChecked(1 - LearningRate * DecoupledWeightDecay);
            var (m, v) = UpdateMoments(state, i, gradients[i]);
            T denominator = T.Sqrt(v) * T.CreateChecked(inverseRootCorrection) + T.CreateChecked(Epsilon);
            parameters[i] -= T.CreateChecked(stepSize) * (m / denominator);
        }
    }

    /// <summary>Bias corrections of step <paramref name="step"/>, in double whatever the network's type.</summary>
    private (double StepSize, double InverseRootCorrection) Corrections(long step) =>
        (LearningRate / (1 - Math.Pow(Beta1, step)), 1 / Math.Sqrt(1 - Math.Pow(Beta2, step)));
}

/// <summary>
/// AdamW (Loshchilov &amp; Hutter, 2019) with PyTorch's formula: the parameters first decay,
/// <c>θ ← θ(1 − ηλ)</c>, then take Adam's step. The decay does not pass through the moments, so
/// it is not the L2 penalty Adam would see as part of the gradient.
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates an AdamW optimizer with PyTorch's defaults.</summary>
    /// <param name="learningRate">The step size η.</param>
    /// <param name="beta1">Decay of the first-moment average, in [0, 1).</param>
    /// <param name="beta2">Decay of the second-moment average, in [0, 1).</param>
    /// <param name="epsilon">Added to the denominator for stability, positive.</param>
    /// <param name="weightDecay">The decoupled decay λ, non-negative.</param>
    public AdamW(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 1e-2)
        : base(learningRate, beta1, beta2, epsilon, weightDecay)
    {
    }
}
