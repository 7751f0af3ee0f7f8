using System.Numerics;
using System.Numerics.Tensors;

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
    private const int Velocity = 0, LookAhead = 0;

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

    private protected override int ScratchCount => Nesterov ? 1 : 0;

    private protected override void Update<T>(Span<T> parameters, ReadOnlySpan<T> gradients, OptimizerState<T> state, long step)
    {
        T rate = T.CreateChecked(-LearningRate);
        if (Momentum == 0)
        {
            TensorPrimitives.MultiplyAdd(gradients, rate, parameters, parameters);
            return;
        }

        Span<T> velocity = state.Buffers[Velocity];
        if (step == 1) gradients.CopyTo(velocity);
        else
        {
            TensorPrimitives.Multiply(velocity, T.CreateChecked(Momentum), velocity);
            TensorPrimitives.MultiplyAdd(gradients, T.CreateChecked(1 - Dampening), velocity, velocity);
        }

        if (Nesterov)
        {
            Span<T> direction = state.Scratch[LookAhead];
            TensorPrimitives.MultiplyAdd(velocity, T.CreateChecked(Momentum), gradients, direction);
            TensorPrimitives.MultiplyAdd(direction, rate, parameters, parameters);
        }
        else
        {
            TensorPrimitives.MultiplyAdd(velocity, rate, parameters, parameters);
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
