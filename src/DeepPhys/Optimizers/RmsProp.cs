using System.Numerics;
using System.Numerics.Tensors;

namespace DeepPhys.Optimizers;

/// <summary>
/// RMSProp (Hinton's lecture 6e) with PyTorch's formula: <c>v ← αv + (1−α)g²</c>,
/// <c>d = √v + ε</c> (centered: <c>ḡ ← αḡ + (1−α)g</c>, <c>d = √(v − ḡ²) + ε</c>), then
/// <c>θ ← θ − η·g/d</c>, or with momentum μ <c>b ← μb + g/d</c>, <c>θ ← θ − η·b</c>.
/// </summary>
public sealed class RmsProp : Optimizer
{
    /// <summary>Slots of the state: the gradient average exists when centered.</summary>
    private const int SquareAverage = 0, GradientAverage = 1, Work = 0;

    /// <summary>Creates an RMSProp optimizer with PyTorch's defaults.</summary>
    /// <param name="learningRate">The step size η.</param>
    /// <param name="alpha">Decay α of the squared-gradient average, in [0, 1).</param>
    /// <param name="epsilon">Added to the denominator for stability, positive.</param>
    /// <param name="momentum">Momentum μ in [0, 1); 0 for none.</param>
    /// <param name="centered">Divide by the estimated variance of the gradient rather than its raw second moment.</param>
    public RmsProp(double learningRate = 1e-2, double alpha = 0.99, double epsilon = 1e-8, double momentum = 0, bool centered = false)
        : base(learningRate)
    {
        if (!(alpha >= 0 && alpha < 1)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "α must be in [0, 1).");
        if (!(epsilon > 0 && double.IsFinite(epsilon))) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be positive and finite.");
        if (!(momentum >= 0 && momentum < 1)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "The momentum must be in [0, 1).");
        Alpha = alpha;
        Epsilon = epsilon;
        Momentum = momentum;
        Centered = centered;
    }

    /// <summary>Decay of the squared-gradient average.</summary>
    public double Alpha { get; }

    /// <summary>Added to the denominator for stability.</summary>
    public double Epsilon { get; }

    /// <summary>The momentum μ; 0 for none.</summary>
    public double Momentum { get; }

    /// <summary>Whether the denominator uses the gradient's variance (its mean subtracted).</summary>
    public bool Centered { get; }

    private protected override int BufferCount => 1 + (Centered ? 1 : 0) + (Momentum > 0 ? 1 : 0);

    private protected override int ScratchCount => 1;

    /// <summary>Slot of the momentum buffer (momentum only): after the gradient average when there is one.</summary>
    private int Velocity => Centered ? 2 : 1;

    private protected override void Update<T>(Span<T> parameters, ReadOnlySpan<T> gradients, StateSlice<T> state, long step)
    {
        Span<T> v = state.Buffer(SquareAverage), work = state.Scratch(Work);
        T alpha = T.CreateChecked(Alpha), share = T.CreateChecked(1 - Alpha);
        TensorPrimitives.Multiply(gradients, gradients, work);
        TensorPrimitives.Multiply(v, alpha, v);
        TensorPrimitives.MultiplyAdd(work, share, v, v);
        if (Centered)
        {
            Span<T> mean = state.Buffer(GradientAverage);
            TensorPrimitives.Multiply(mean, alpha, mean);
            TensorPrimitives.MultiplyAdd(gradients, share, mean, mean);
            TensorPrimitives.Multiply(mean, mean, work);
            TensorPrimitives.Subtract(v, work, work);
            TensorPrimitives.Sqrt(work, work);
        }
        else
        {
            TensorPrimitives.Sqrt(v, work);
        }

        TensorPrimitives.Add(work, T.CreateChecked(Epsilon), work);
        TensorPrimitives.Divide(gradients, work, work);
        if (Momentum > 0)
        {
            Span<T> velocity = state.Buffer(Velocity);
            TensorPrimitives.MultiplyAdd(velocity, T.CreateChecked(Momentum), work, velocity);
            work = velocity;
        }

        TensorPrimitives.MultiplyAdd(work, T.CreateChecked(-LearningRate), parameters, parameters);
    }

    private protected override void ScalarUpdate<T>(Span<T> parameters, ReadOnlySpan<T> gradients, OptimizerState<T> state, long step)
    {
        T alpha = T.CreateChecked(Alpha), share = T.CreateChecked(1 - Alpha);
        for (int i = 0; i < parameters.Length; i++)
        {
            T g = gradients[i];
            ref T v = ref state.Buffers[SquareAverage][i];
            v = alpha * v + share * g * g;
            T variance = v;
            if (Centered)
            {
                ref T mean = ref state.Buffers[GradientAverage][i];
                mean = alpha * mean + share * g;
                variance = v - mean * mean;
            }

            T direction = g / (T.Sqrt(variance) + T.CreateChecked(Epsilon));
            if (Momentum > 0)
            {
                ref T velocity = ref state.Buffers[Velocity][i];
                velocity = T.CreateChecked(Momentum) * velocity + direction;
                direction = velocity;
            }

            parameters[i] -= T.CreateChecked(LearningRate) * direction;
        }
    }
}
