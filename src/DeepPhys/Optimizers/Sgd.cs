using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DeepPhys.Optimizers;

/// <summary>
/// Gradient descent, with optional momentum in PyTorch's form: without momentum
/// <c>θ ← θ − η·g</c>; with momentum μ, <c>b ← g</c> on the first step and
/// <c>b ← μb + (1−τ)g</c> after (τ the dampening), then <c>θ ← θ − η·b</c>, or
/// <c>θ ← θ − η·(g + μb)</c> with Nesterov's look-ahead. With <c>Fit</c>'s batch size it is
/// stochastic (1), mini-batch, or full-batch gradient descent (the whole training set).
/// </summary>
public sealed class Sgd : Optimizer
{
    private const int Velocity = 0;

    /// <summary>Creates gradient descent, plain by default.</summary>
    /// <param name="learningRate">The step size η.</param>
    /// <param name="momentum">The momentum μ in [0, 1); 0 is plain gradient descent.</param>
    /// <param name="dampening">The dampening τ in [0, 1] of the gradient's share in the velocity.</param>
    /// <param name="nesterov">Nesterov's accelerated gradient; needs momentum and no dampening, as in PyTorch.</param>
    public Sgd(double learningRate = 0.01, double momentum = 0, double dampening = 0, bool nesterov = false)
        : base(learningRate)
    {
        if (!(momentum >= 0 && momentum < 1)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "The momentum must be in [0, 1).");
        if (!(dampening >= 0 && dampening <= 1)) throw new ArgumentOutOfRangeException(nameof(dampening), dampening, "The dampening must be in [0, 1].");
        if (nesterov && (momentum == 0 || dampening != 0))
        {
            throw new ArgumentException("Nesterov momentum needs a positive momentum and zero dampening.", nameof(nesterov));
        }

        Momentum = momentum;
        Dampening = dampening;
        Nesterov = nesterov;
    }

    /// <summary>The momentum μ; 0 for plain gradient descent.</summary>
    public double Momentum { get; }

    /// <summary>The dampening τ of the gradient's share in the velocity.</summary>
    public double Dampening { get; }

    /// <summary>Whether the step looks ahead along the velocity (Nesterov).</summary>
    public bool Nesterov { get; }

    private protected override int BufferCount => Momentum > 0 ? 1 : 0;

    private protected override void Update<T>(Span<T> parameters, ReadOnlySpan<T> gradients, StateSlice<T> state, long step)
    {
        T rate = T.CreateChecked(-LearningRate);
        if (Momentum == 0)
        {
            TensorPrimitives.MultiplyAdd(gradients, rate, parameters, parameters);
            return;
        }

        T momentum = T.CreateChecked(Momentum), share = T.CreateChecked(1 - Dampening);
        bool first = step == 1;
        ref T p0 = ref MemoryMarshal.GetReference(parameters);
        ref T g0 = ref MemoryMarshal.GetReference(gradients);
        ref T v0 = ref MemoryMarshal.GetReference(state.Buffer(Velocity));
        int i = 0;
        // One pass over the three buffers instead of three library passes (it is memory-bound), each value through
        // the same operations in the same order: b ← g or g·(1−τ) + b·μ; θ ← (b or b·μ + g)·(−η) + θ.
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= parameters.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var g = Vector.LoadUnsafe(ref g0, (nuint)i);
                var velocity = first ? g : (g * share) + (Vector.LoadUnsafe(ref v0, (nuint)i) * momentum);
                velocity.StoreUnsafe(ref v0, (nuint)i);
                var direction = Nesterov ? (velocity * momentum) + g : velocity;
                ((direction * rate) + Vector.LoadUnsafe(ref p0, (nuint)i)).StoreUnsafe(ref p0, (nuint)i);
            }
        }

        for (; i < parameters.Length; i++)
        {
            T g = Unsafe.Add(ref g0, i);
            T velocity = first ? g : (g * share) + (Unsafe.Add(ref v0, i) * momentum);
            Unsafe.Add(ref v0, i) = velocity;
            T direction = Nesterov ? (velocity * momentum) + g : velocity;
            Unsafe.Add(ref p0, i) = (direction * rate) + Unsafe.Add(ref p0, i);
        }
    }

    private protected override void ScalarUpdate<T>(Span<T> parameters, ReadOnlySpan<T> gradients, OptimizerState<T> state, long step)
    {
        T rate = T.CreateChecked(LearningRate), momentum = T.CreateChecked(Momentum), share = T.CreateChecked(1 - Dampening);
        for (int i = 0; i < parameters.Length; i++)
        {
            T direction = gradients[i];
            if (Momentum > 0)
            {
                ref T velocity = ref state.Buffers[Velocity][i];
                velocity = step == 1 ? gradients[i] : momentum * velocity + share * gradients[i];
                direction = Nesterov ? gradients[i] + momentum * velocity : velocity;
            }

            parameters[i] -= rate * direction;
        }
    }
}
