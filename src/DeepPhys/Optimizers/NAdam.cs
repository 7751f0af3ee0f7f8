using System.Numerics;
using System.Numerics.Tensors;

namespace DeepPhys.Optimizers;

/// <summary>
/// NAdam (Dozat, 2016): Adam with Nesterov momentum, in PyTorch's formula (as fixed in PyTorch 2.0).
/// With <c>μₜ = β₁(1 − ½·0.96^(tψ))</c> (ψ the momentum decay) and <c>Πₜ = μ₁⋯μₜ</c>:
/// <c>m, v</c> as Adam, <c>d = √(v/(1−β₂ᵗ)) + ε</c>,
/// <c>θ ← θ − η(1−μₜ)/(1−Πₜ) · g/d − ημₜ₊₁/(1−Πₜμₜ₊₁) · m/d</c>.
/// </summary>
public sealed class NAdam : AdaptiveMomentOptimizer
{
    private const int Denominator = 0, Work = 1, MomentumProduct = 0;

    /// <summary>Creates a NAdam optimizer with PyTorch's defaults.</summary>
    /// <param name="learningRate">The step size η.</param>
    /// <param name="beta1">Decay of the first-moment average, in [0, 1).</param>
    /// <param name="beta2">Decay of the second-moment average, in [0, 1).</param>
    /// <param name="epsilon">Added to the denominator for stability, positive.</param>
    /// <param name="momentumDecay">ψ, how fast the momentum coefficient rises towards β₁; non-negative.</param>
    public NAdam(double learningRate = 2e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double momentumDecay = 4e-3)
        : base(learningRate, beta1, beta2, epsilon)
    {
        if (!(momentumDecay >= 0 && double.IsFinite(momentumDecay)))
        {
            throw new ArgumentOutOfRangeException(nameof(momentumDecay), momentumDecay, "The momentum decay must be non-negative and finite.");
        }

        MomentumDecay = momentumDecay;
    }

    /// <summary>ψ in the momentum schedule <c>μₜ = β₁(1 − ½·0.96^(tψ))</c>.</summary>
    public double MomentumDecay { get; }

    private protected override int ScratchCount => 2;

    private protected override double[] InitialScalars => [1.0];

    /// <summary>Advances the product of momentum coefficients by this step's μ, once before the chunks' updates read it.</summary>
    private protected override void BeginStep<T>(OptimizerState<T> state, long step) => state.Scalars[MomentumProduct] *= Mu(step);

    private protected override void Update<T>(Span<T> parameters, ReadOnlySpan<T> gradients, StateSlice<T> state, long step)
    {
        Span<T> m = state.Buffer(FirstMoment), v = state.Buffer(SecondMoment);
        Span<T> denominator = state.Scratch(Denominator), work = state.Scratch(Work);
        var (gradientRate, momentRate, secondCorrection) = Coefficients(state.Scalar(MomentumProduct), step);

        UpdateMoments(state, gradients, work);
        TensorPrimitives.Divide(v, T.CreateChecked(secondCorrection), denominator);
        TensorPrimitives.Sqrt(denominator, denominator);
        TensorPrimitives.Add(denominator, T.CreateChecked(Epsilon), denominator);
        TensorPrimitives.Divide(gradients, denominator, work);
        TensorPrimitives.MultiplyAdd(work, T.CreateChecked(-gradientRate), parameters, parameters);
        TensorPrimitives.Divide(m, denominator, work);
        TensorPrimitives.MultiplyAdd(work, T.CreateChecked(-momentRate), parameters, parameters);
    }

    private protected override void ScalarUpdate<T>(Span<T> parameters, ReadOnlySpan<T> gradients, OptimizerState<T> state, long step)
    {
        var (gradientRate, momentRate, secondCorrection) = Coefficients(state.Scalars[MomentumProduct], step);
        for (int i = 0; i < parameters.Length; i++)
        {
            var (m, v) = UpdateMoments(state, i, gradients[i]);
            T denominator = T.Sqrt(v / T.CreateChecked(secondCorrection)) + T.CreateChecked(Epsilon);
            parameters[i] -= T.CreateChecked(gradientRate) * (gradients[i] / denominator);
            parameters[i] -= T.CreateChecked(momentRate) * (m / denominator);
        }
    }

    /// <summary>The step's two rates and <c>1 − β₂ᵗ</c>, in double, from the momentum product already advanced by this step.</summary>
    private (double GradientRate, double MomentRate, double SecondCorrection) Coefficients(double product, long step)
    {
        double mu = Mu(step), muNext = Mu(step + 1);
        return (
            LearningRate * (1 - mu) / (1 - product),
            LearningRate * muNext / (1 - product * muNext),
            1 - Math.Pow(Beta2, step));
    }

    /// <summary>The momentum coefficient μₜ of step <paramref name="step"/>.</summary>
    private double Mu(long step) => Beta1 * (1 - 0.5 * Math.Pow(0.96, step * MomentumDecay));
}
