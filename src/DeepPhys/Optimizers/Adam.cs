using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DeepPhys.Optimizers;

/// <summary>
/// Adam (Kingma &amp; Ba, 2015) with PyTorch's formula:
/// <c>m ← β₁m + (1−β₁)g</c>, <c>v ← β₂v + (1−β₂)g²</c>,
/// <c>θ ← θ − η/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε)</c>.
/// </summary>
public class Adam : AdaptiveMomentOptimizer
{
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

    private protected override void Update<T>(Span<T> parameters, ReadOnlySpan<T> gradients, StateSlice<T> state, long step)
    {
        var (stepSize, inverseRootCorrection) = Corrections(step);
        var c = new Coefficients<T>(
            T.CreateChecked(1 - LearningRate * DecoupledWeightDecay), T.CreateChecked(Beta1), T.CreateChecked(1 - Beta1), T.CreateChecked(Beta2),
            T.CreateChecked(1 - Beta2), T.CreateChecked(inverseRootCorrection), T.CreateChecked(Epsilon), T.CreateChecked(-stepSize));
        Span<T> m = state.Buffer(FirstMoment), v = state.Buffer(SecondMoment);
        bool decay = DecoupledWeightDecay > 0;
        ref T p0 = ref MemoryMarshal.GetReference(parameters);
        ref T g0 = ref MemoryMarshal.GetReference(gradients);
        ref T m0 = ref MemoryMarshal.GetReference(m);
        ref T v0 = ref MemoryMarshal.GetReference(v);
        int i = 0;
        // One pass instead of one library call per operation: each value goes through the same operations in the
        // same order as the vectorised passes (θ·(1−ηλ); m·β₁ + g·(1−β₁); v·β₂ + g²·(1−β₂); m / (√v·c + ε) · (−η') + θ).
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= parameters.Length - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var g = Vector512.LoadUnsafe(ref g0, (nuint)i);
                var p = Vector512.LoadUnsafe(ref p0, (nuint)i);
                if (decay) p *= c.Decay;
                var mi = (g * c.OneMinusBeta1) + (Vector512.LoadUnsafe(ref m0, (nuint)i) * c.Beta1);
                var vi = (g * g * c.OneMinusBeta2) + (Vector512.LoadUnsafe(ref v0, (nuint)i) * c.Beta2);
                mi.StoreUnsafe(ref m0, (nuint)i);
                vi.StoreUnsafe(ref v0, (nuint)i);
                ((mi / ((Vector512.Sqrt(vi) * c.InverseRootCorrection) + Vector512.Create(c.Epsilon)) * c.NegativeStep) + p).StoreUnsafe(ref p0, (nuint)i);
            }
        }

        for (; i < parameters.Length; i++)
        {
            T p = Unsafe.Add(ref p0, i);
            T g = Unsafe.Add(ref g0, i);
            if (decay) p *= c.Decay;
            T mi = (g * c.OneMinusBeta1) + (Unsafe.Add(ref m0, i) * c.Beta1);
            T vi = (g * g * c.OneMinusBeta2) + (Unsafe.Add(ref v0, i) * c.Beta2);
            Unsafe.Add(ref m0, i) = mi;
            Unsafe.Add(ref v0, i) = vi;
            Unsafe.Add(ref p0, i) = (mi / ((T.Sqrt(vi) * c.InverseRootCorrection) + c.Epsilon) * c.NegativeStep) + p;
        }
    }

    /// <summary>The step's constants in the network's type.</summary>
    private readonly record struct Coefficients<T>(
        T Decay, T Beta1, T OneMinusBeta1, T Beta2, T OneMinusBeta2, T InverseRootCorrection, T Epsilon, T NegativeStep);

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
