using System.Numerics;
using System.Numerics.Tensors;

namespace DeepPhys.Optimizers;

/// <summary>
/// Adam (Kingma &amp; Ba, 2015) with PyTorch's formula:
/// <c>m ← β₁m + (1−β₁)g</c>, <c>v ← β₂v + (1−β₂)g²</c>,
/// <c>θ ← θ − η/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε)</c>.
/// </summary>
public sealed class Adam : Optimizer
{
    private const int FirstMoment = 0, SecondMoment = 1, Scratch = 2;

    /// <summary>Creates an Adam optimizer; the defaults are Keras's and PyTorch's except ε, which is PyTorch's.</summary>
    /// <param name="learningRate">The step size η.</param>
    /// <param name="beta1">Decay of the first-moment average, in [0, 1).</param>
    /// <param name="beta2">Decay of the second-moment average, in [0, 1).</param>
    /// <param name="epsilon">Added to the denominator for stability, positive.</param>
    public Adam(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
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

    private protected override OptimizerState<T> CreateState<T>(int length) => new([new T[length], new T[length], new T[length]]);

    private protected override void Update<T>(Span<T> parameters, ReadOnlySpan<T> gradients, OptimizerState<T> state, long step)
    {
        Span<T> m = state.Buffers[FirstMoment], v = state.Buffers[SecondMoment], scratch = state.Buffers[Scratch];
        var (stepSize, inverseRootCorrection) = Corrections(step);

        TensorPrimitives.Multiply(m, T.CreateChecked(Beta1), m);
        TensorPrimitives.MultiplyAdd(gradients, T.CreateChecked(1 - Beta1), m, m);
        TensorPrimitives.Multiply(gradients, gradients, scratch);
        TensorPrimitives.Multiply(v, T.CreateChecked(Beta2), v);
        TensorPrimitives.MultiplyAdd(scratch, T.CreateChecked(1 - Beta2), v, v);

        TensorPrimitives.Sqrt(v, scratch);
        TensorPrimitives.Multiply(scratch, T.CreateChecked(inverseRootCorrection), scratch);
        TensorPrimitives.Add(scratch, T.CreateChecked(Epsilon), scratch);
        TensorPrimitives.Divide(m, scratch, scratch);
        TensorPrimitives.MultiplyAdd(scratch, T.CreateChecked(-stepSize), parameters, parameters);
    }

    /// <summary>The textbook loop the vectorised update is tested against; <paramref name="m"/> and <paramref name="v"/> are updated.</summary>
    internal void ScalarUpdate<T>(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> m, Span<T> v, long step)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (stepSize, inverseRootCorrection) = Corrections(step);
        for (int i = 0; i < parameters.Length; i++)
        {
            m[i] = T.CreateChecked(Beta1) * m[i] + T.CreateChecked(1 - Beta1) * gradients[i];
            v[i] = T.CreateChecked(Beta2) * v[i] + T.CreateChecked(1 - Beta2) * gradients[i] * gradients[i];
            T denominator = T.Sqrt(v[i]) * T.CreateChecked(inverseRootCorrection) + T.CreateChecked(Epsilon);
            parameters[i] -= T.CreateChecked(stepSize) * (m[i] / denominator);
        }
    }

    /// <summary>Bias corrections of step <paramref name="step"/>, in double whatever the network's type.</summary>
    private (double StepSize, double InverseRootCorrection) Corrections(long step) =>
        (LearningRate / (1 - Math.Pow(Beta1, step)), 1 / Math.Sqrt(1 - Math.Pow(Beta2, step)));
}
