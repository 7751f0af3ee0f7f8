using System.Numerics;
using DeepPhys.Kernels;

namespace DeepPhys.Optimizers;

/// <summary>
/// Updates a flat parameter buffer from its gradient buffer. An optimizer binds to the first
/// buffer it steps and keeps its state (moments, step count) for it across <c>Fit</c> calls, as a
/// Keras optimizer does: use one optimizer per network. <see cref="ExportState"/> and
/// <see cref="ImportState"/> carry that state through a checkpoint.
/// </summary>
public abstract class Optimizer
{
    private double learningRate;
    private IOptimizerState? state;
    private OptimizerSnapshot? pending;

    /// <summary>The network whose buffers <c>Fit</c> first stepped: two networks of one class have buffers of the same length and type.</summary>
    private object? network;
    private string networkName = string.Empty;

    /// <summary>Sets the learning rate.</summary>
    /// <param name="learningRate">The step size, positive and finite.</param>
    protected Optimizer(double learningRate)
    {
        LearningRate = learningRate;
        BaseLearningRate = learningRate;
    }

    /// <summary>The step size used by the next step; a schedule changes it between steps.</summary>
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

    /// <summary>The learning rate the optimizer was created with: schedules scale this one.</summary>
    public double BaseLearningRate { get; }

    /// <summary>How many steps this optimizer has taken.</summary>
    public long Steps { get; private set; }

    /// <summary>Per-parameter buffers kept between steps (moments, momentum), in the order <see cref="OptimizerSnapshot.Buffers"/> lists them.</summary>
    private protected virtual int BufferCount => 0;

    /// <summary>Per-parameter scratch buffers, not part of the state.</summary>
    private protected virtual int ScratchCount => 0;

    /// <summary>Scalar state besides the step count (NAdam's product of momentum coefficients), at its initial values.</summary>
    private protected virtual double[] InitialScalars => [];

    /// <summary>Applies one update to <paramref name="parameters"/> from <paramref name="gradients"/>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <exception cref="ArgumentException">The buffers differ in length.</exception>
    /// <exception cref="InvalidOperationException">The optimizer is already bound to buffers of another length or type.</exception>
    /// <remarks>
    /// From 65,536 parameters on, the update is shared over <see cref="KernelThreads.Count"/> threads in
    /// contiguous chunks. Every value goes through the same operations whichever thread updates it, so any
    /// thread count gives bit-identical parameters and state.
    /// </remarks>
    public void Step<T>(Span<T> parameters, ReadOnlySpan<T> gradients) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var bound = Bind(parameters, gradients);
        long step = ++Steps;
        BeginStep(bound, step);
        int parts = KernelJob.ElementParts(parameters.Length);
        if (parts > 1 && UpdateJob<T>.TryRun(this, parameters, gradients, bound, step, parts)) return;
        Update(parameters, gradients, new StateSlice<T>(bound, 0, parameters.Length), step);
    }

    /// <summary>The same step through the optimizer's scalar twin, the textbook loop the vectorised update is tested against.</summary>
    internal void ScalarStep<T>(Span<T> parameters, ReadOnlySpan<T> gradients) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var bound = Bind(parameters, gradients);
        long step = ++Steps;
        BeginStep(bound, step);
        ScalarUpdate(parameters, gradients, bound, step);
    }

    /// <summary>Advances scalar state once per step, before the element-wise update (which may run in chunks on several threads).</summary>
    private protected virtual void BeginStep<T>(OptimizerState<T> state, long step)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
    }

    /// <summary>
    /// A copy of everything the next steps depend on: the step count, the learning rate and the
    /// per-parameter buffers (empty before the first step), for a checkpoint.
    /// </summary>
    public OptimizerSnapshot ExportState() =>
        state?.Export(GetType().Name, Steps, LearningRate)
        ?? pending
        ?? new OptimizerSnapshot(GetType().Name, Steps, LearningRate, 0, InitialScalars, []);

    /// <summary>
    /// Restores a state written by <see cref="ExportState"/> of the same kind of optimizer. Before the
    /// first step the buffers are kept until the optimizer binds, and their length is checked then.
    /// </summary>
    /// <param name="snapshot">The state to restore.</param>
    /// <exception cref="ArgumentException">The snapshot comes from another optimizer type or configuration, or does not fit the bound buffers.</exception>
    public void ImportState(OptimizerSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        string name = GetType().Name;
        if (snapshot.Optimizer != name)
        {
            throw new ArgumentException($"The snapshot holds the state of {snapshot.Optimizer}; this optimizer is {name}.", nameof(snapshot));
        }

        bool empty = snapshot.ParameterCount == 0;
        if ((!empty && snapshot.Buffers.Count != BufferCount) || snapshot.Scalars.Count != InitialScalars.Length)
        {
            throw new ArgumentException(
                $"The {name} snapshot has {snapshot.Buffers.Count} buffers and {snapshot.Scalars.Count} scalars; this configuration keeps "
                + $"{BufferCount} and {InitialScalars.Length} (momentum, centering or the optimizer's options differ).", nameof(snapshot));
        }

        if (snapshot.Buffers.Any(b => b.Length != snapshot.ParameterCount))
        {
            throw new ArgumentException($"Every buffer of the snapshot must hold {snapshot.ParameterCount} values.", nameof(snapshot));
        }

        if (!(double.IsFinite(snapshot.LearningRate) && snapshot.LearningRate > 0) || snapshot.Steps < 0)
        {
            throw new ArgumentException(
                $"The {name} snapshot has learning rate {snapshot.LearningRate} and {snapshot.Steps} steps; the rate must be positive and finite, the steps not negative.",
                nameof(snapshot));
        }

        if (state is not null && !empty) state.Import(snapshot);
        else if (state is not null) throw new ArgumentException("The snapshot was taken before the first step; this optimizer is already bound.", nameof(snapshot));
        else pending = empty ? null : snapshot;

        Steps = snapshot.Steps;
        LearningRate = snapshot.LearningRate;
    }

    /// <summary>Binds to <paramref name="network"/> on the first call; <c>Fit</c> calls it before any step.</summary>
    /// <exception cref="InvalidOperationException">The optimizer already trains another network.</exception>
    internal void BindNetwork<T>(Network<T> network) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (this.network is null) (this.network, networkName) = (network, network.Definition.Name);
        if (ReferenceEquals(this.network, network)) return;
        throw new InvalidOperationException(
            $"This {GetType().Name} already trains an instance of {networkName} (the network of its first Fit); it was now given another network, an instance of {network.Definition.Name}. "
            + "Its moments and step count belong to the first: use one optimizer per network.");
    }

    private OptimizerState<T> Bind<T>(Span<T> parameters, ReadOnlySpan<T> gradients) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (parameters.Length != gradients.Length)
        {
            throw new ArgumentException(
                $"gradients has {gradients.Length} values but parameters has {parameters.Length}.", nameof(gradients));
        }

        if (state is null)
        {
            var created = new OptimizerState<T>(parameters.Length, BufferCount, ScratchCount, InitialScalars);
            if (pending is not null) created.Import(pending);
            pending = null;
            state = created;
        }

        if (state is not OptimizerState<T> typed || typed.Length != parameters.Length)
        {
            throw new InvalidOperationException(
                $"This {GetType().Name} already trains {state.Length} parameters of another network or type; "
                + $"it was now given {parameters.Length} of {typeof(T).Name}. Use one optimizer per network.");
        }

        return typed;
    }

    /// <summary>
    /// The update rule through <c>TensorPrimitives</c> over one chunk of the parameters and the matching
    /// slice of the state: <paramref name="step"/> counts from 1. Element-wise only, so chunks are independent.
    /// </summary>
    private protected abstract void Update<T>(Span<T> parameters, ReadOnlySpan<T> gradients, StateSlice<T> state, long step)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>The same rule as a plain loop over the parameters.</summary>
    private protected abstract void ScalarUpdate<T>(Span<T> parameters, ReadOnlySpan<T> gradients, OptimizerState<T> state, long step)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>An update's chunk shared with the <see cref="KernelThreads"/> workers, one per calling thread and element type.</summary>
    private sealed class UpdateJob<T> : PinnedJob<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        private static UpdateJob<T>? current;

        private Optimizer? optimizer;
        private OptimizerState<T>? state;
        private long step;

        public static bool TryRun(Optimizer optimizer, Span<T> parameters, ReadOnlySpan<T> gradients, OptimizerState<T> state, long step, int parts)
        {
            var job = current ??= new UpdateJob<T>();
            (job.optimizer, job.state, job.step) = (optimizer, state, step);
            bool ran = job.TryRun(gradients, default, default, parameters, parts);
            (job.optimizer, job.state) = (null, null);
            return ran;
        }

        protected override void Run(ReadOnlySpan<T> gradients, ReadOnlySpan<T> unused, ReadOnlySpan<T> alsoUnused, Span<T> parameters, int part, int parts)
        {
            var (start, end) = KernelJob.ShareElements(part, parts, parameters.Length);
            optimizer!.Update(parameters[start..end], gradients[start..end], new StateSlice<T>(state!, start, end - start), step);
        }
    }
}

/// <summary>The values <c>[start, start + length)</c> of every per-parameter buffer of a state: what one chunk's update reads and writes.</summary>
internal readonly struct StateSlice<T>(OptimizerState<T> state, int start, int length)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The chunk of state slot <paramref name="slot"/> (moments, momentum).</summary>
    public Span<T> Buffer(int slot) => state.Buffers[slot].AsSpan(start, length);

    /// <summary>The chunk of scratch buffer <paramref name="slot"/>.</summary>
    public Span<T> Scratch(int slot) => state.Scratch[slot].AsSpan(start, length);

    /// <summary>Scalar state <paramref name="slot"/>, whole (it is not per parameter).</summary>
    public double Scalar(int slot) => state.Scalars[slot];
}

/// <summary>An optimizer's state as a checkpoint stores it: values in double, whatever the network's type.</summary>
/// <param name="Optimizer">The optimizer's type name (<c>Adam</c>, <c>Sgd</c>, …).</param>
/// <param name="Steps">Steps taken.</param>
/// <param name="LearningRate">The learning rate of the next step.</param>
/// <param name="ParameterCount">The length of the bound parameter buffer; 0 before the first step.</param>
/// <param name="Scalars">Scalar state besides the step count (NAdam's momentum product).</param>
/// <param name="Buffers">The per-parameter buffers (moments, momentum), each <paramref name="ParameterCount"/> long.</param>
public sealed record OptimizerSnapshot(
    string Optimizer, long Steps, double LearningRate, int ParameterCount, IReadOnlyList<double> Scalars, IReadOnlyList<double[]> Buffers);

/// <summary>What the base class needs of a state without knowing its element type.</summary>
internal interface IOptimizerState
{
    int Length { get; }

    OptimizerSnapshot Export(string optimizer, long steps, double learningRate);

    void Import(OptimizerSnapshot snapshot);
}

/// <summary>Per-parameter buffers an optimizer keeps between steps, all as long as the parameter buffer, and its scalar state.</summary>
internal sealed class OptimizerState<T> : IOptimizerState where T : unmanaged, IFloatingPointIeee754<T>
{
    public OptimizerState(int length, int buffers, int scratch, double[] scalars)
    {
        Length = length;
        Buffers = new T[buffers][];
        for (int i = 0; i < buffers; i++) Buffers[i] = new T[length];
        Scratch = new T[scratch][];
        for (int i = 0; i < scratch; i++) Scratch[i] = new T[length];
        Scalars = (double[])scalars.Clone();
    }

    public int Length { get; }

    /// <summary>The state slots, e.g. Adam's first and second moments.</summary>
    public T[][] Buffers { get; }

    /// <summary>Work space, not saved.</summary>
    public T[][] Scratch { get; }

    /// <summary>Scalar state, e.g. NAdam's product of momentum coefficients.</summary>
    public double[] Scalars { get; }

    public OptimizerSnapshot Export(string optimizer, long steps, double learningRate) => new(
        optimizer, steps, learningRate, Length, (double[])Scalars.Clone(),
        Buffers.Select(b => b.Select(double.CreateChecked).ToArray()).ToArray());

    public void Import(OptimizerSnapshot snapshot)
    {
        if (snapshot.ParameterCount != Length)
        {
            throw new ArgumentException(
                $"The {snapshot.Optimizer} snapshot holds state for {snapshot.ParameterCount} parameters; the optimizer trains {Length}.", nameof(snapshot));
        }

        for (int b = 0; b < Buffers.Length; b++)
        {
            for (int i = 0; i < Length; i++) Buffers[b][i] = T.CreateChecked(snapshot.Buffers[b][i]);
        }

        snapshot.Scalars.ToArray().CopyTo(Scalars, 0);
    }
}
