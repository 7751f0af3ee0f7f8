using System.Numerics;

namespace DeepPhys.Optimizers;

/// <summary>
/// Updates a flat parameter buffer from its gradient buffer. An optimizer binds to the first
/// buffer it steps and keeps its state (moments, step count) for it across <c>Fit</c> calls, as a
/// Keras optimizer does: use one optimizer per network.
/// </summary>
public abstract class Optimizer
{
    private double learningRate;
    private object? state;
    private int boundLength = -1;

    /// <summary>Sets the learning rate.</summary>
    /// <param name="learningRate">The step size, positive and finite.</param>
    protected Optimizer(double learningRate) => LearningRate = learningRate;

    /// <summary>The step size; may be changed between steps (a schedule does).</summary>
    public double LearningRate
    {
        get => learningRate;
        set
        {
            if (!double.IsFinite(value) || value <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The learning rate must be positive and finite.");
            }

            learningRate = value;
        }
    }

    /// <summary>How many steps this optimizer has taken.</summary>
    public long Steps { get; private set; }

    /// <summary>Applies one update to <paramref name="parameters"/> from <paramref name="gradients"/>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <exception cref="ArgumentException">The buffers differ in length.</exception>
    /// <exception cref="InvalidOperationException">The optimizer is already bound to buffers of another length or type.</exception>
    public void Step<T>(Span<T> parameters, ReadOnlySpan<T> gradients) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (parameters.Length != gradients.Length)
        {
            throw new ArgumentException(
                $"gradients has {gradients.Length} values but parameters has {parameters.Length}.", nameof(gradients));
        }

        if (state is null)
        {
            state = CreateState<T>(parameters.Length);
            boundLength = parameters.Length;
        }
        else if (state is not OptimizerState<T> || boundLength != parameters.Length)
        {
            throw new InvalidOperationException(
                $"This {GetType().Name} already trains {boundLength} parameters of another network or type; "
                + $"it was now given {parameters.Length} of {typeof(T).Name}. Use one optimizer per network.");
        }

        Steps++;
        Update(parameters, gradients, (OptimizerState<T>)state, Steps);
    }

    /// <summary>Allocates the per-parameter state (moments, scratch) once, when the optimizer first steps.</summary>
    private protected abstract OptimizerState<T> CreateState<T>(int length) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>The update rule: <paramref name="step"/> counts from 1.</summary>
    private protected abstract void Update<T>(Span<T> parameters, ReadOnlySpan<T> gradients, OptimizerState<T> state, long step)
        where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>Per-parameter buffers an optimizer keeps between steps, all as long as the parameter buffer.</summary>
/// <param name="Buffers">The named slots, e.g. Adam's first and second moments and a scratch buffer.</param>
internal sealed record OptimizerState<T>(T[][] Buffers);
