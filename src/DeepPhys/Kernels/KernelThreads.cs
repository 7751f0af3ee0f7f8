using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace DeepPhys.Kernels;

/// <summary>
/// How many threads the large kernels (the GEMM behind dense layers, im2col convolution) use,
/// like PyTorch's <c>torch.set_num_threads</c>. The default is 1.
/// </summary>
/// <remarks>
/// Work is split by output tiles or images in a way fixed by the sizes alone, and no reduction is
/// ever split across threads: every output value is computed by one thread in the same order, so
/// any thread count gives bit-identical results. The extra threads are background threads started
/// when <see cref="Count"/> is raised and then reused, so a training step allocates nothing, however
/// its first calls happened to meet the workers. While one caller uses them,
/// a concurrent caller (another network on another thread) runs its parts itself, in order.
/// </remarks>
public static class KernelThreads
{
    private static readonly Lock Gate = new();
    private static Worker[] workers = [];
    private static int count = 1;

    /// <summary>
    /// The largest <see cref="Count"/>: 4 × <see cref="Environment.ProcessorCount"/>. Past the cores, threads only wait for
    /// each other (64 on 2 cores made a training step 14 times slower); the margin leaves room to test the splits.
    /// </summary>
    public static int MaxCount { get; } = 4 * Environment.ProcessorCount;

    /// <summary>Threads per kernel call, from 1 (the caller's own thread counts as one) to <see cref="MaxCount"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1 or above <see cref="MaxCount"/>.</exception>
    public static int Count
    {
        get => Volatile.Read(ref count);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            if (value > MaxCount)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(value), value,
                    $"KernelThreads.Count is {value}; at most {MaxCount} (KernelThreads.MaxCount, 4 × the {Environment.ProcessorCount} cores): more threads than that only wait for each other.");
            }

            // Start the workers before the new count is visible: no call can ask for more parts than there are threads.
            lock (Gate)
            {
                if (workers.Length < value - 1)
                {
                    var grown = new Worker[value - 1];
                    workers.CopyTo(grown, 0);
                    for (int i = workers.Length; i < grown.Length; i++) grown[i] = new Worker();
                    workers = grown;
                }
            }

            Volatile.Write(ref count, value);
        }
    }

    /// <summary>
    /// Runs parts <c>0 … parts − 1</c> of <paramref name="job"/>, part 0 on the caller and one part on
    /// each worker; false (nothing run) when another caller holds the workers.
    /// </summary>
    internal static bool TryRun(KernelJob job, int parts)
    {
        if (!Gate.TryEnter()) return false;
        try
        {
            for (int part = 1; part < parts; part++) workers[part - 1].Begin(job, part, parts);
            Exception? error = null;
            try
            {
                job.Run(0, parts);
            }
            catch (Exception e)
            {
                error = e;
            }

            for (int part = 1; part < parts; part++) error ??= workers[part - 1].End();
            if (error is not null) ExceptionDispatchInfo.Throw(error);
            return true;
        }
        finally
        {
            Gate.Exit();
        }
    }

    /// <summary>One background thread that runs one part of a job each time it is started.</summary>
    private sealed class Worker
    {
        /// <summary>How long an idle worker spins before it blocks: 1 ms.</summary>
        private static readonly long SpinTicks = Stopwatch.Frequency / 1000;

        /// <summary>Pause instructions between two looks at <see cref="pending"/>.</summary>
        private const int SpinIterations = 20;

        private readonly ManualResetEventSlim start = new(false);
        private volatile bool finished;
        private volatile bool pending;
        private KernelJob? job;
        private int part, parts;
        private Exception? error;

        public Worker() => new Thread(Loop) { IsBackground = true, Name = "DeepPhys kernel worker" }.Start();

        public void Begin(KernelJob job, int part, int parts)
        {
            (this.job, this.part, this.parts) = (job, part, parts);
            finished = false;
            pending = true;
            start.Set();
        }

        /// <summary>
        /// Waits for the part and returns what it threw, if anything. Spins and yields rather than
        /// blocking: the parts are balanced, so the wait is short, and an event's first block would
        /// allocate its lock object on the caller's thread in the middle of a training step.
        /// </summary>
        /// <remarks>Optimised from the first call: a long wait in tier-0 code would be compiled on stack (OSR) mid-step, which allocates on the caller's thread.</remarks>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public Exception? End()
        {
            var spinner = default(SpinWait);
            while (!finished) spinner.SpinOnce(sleep1Threshold: -1);
            var thrown = error;
            error = null;
            return thrown;
        }

        /// <summary>
        /// Returns once <see cref="Begin"/> has handed over a part. Spins for up to <see cref="SpinTicks"/> first, as OpenMP
        /// runtimes do: a training step's kernels come a few hundred microseconds apart, and waking a blocked thread costs
        /// tens of microseconds each time. The event only wakes; <see cref="pending"/> says whether there is a part.
        /// </summary>
        private void AwaitPart()
        {
            long deadline = Stopwatch.GetTimestamp() + SpinTicks;
            while (!pending && Stopwatch.GetTimestamp() < deadline) Thread.SpinWait(SpinIterations);
            while (!pending)
            {
                start.Wait();
                start.Reset();
            }
        }

        private void Loop()
        {
            while (true)
            {
                AwaitPart();
                pending = false;
                try
                {
                    job!.Run(part, parts);
                }
                catch (Exception e)
                {
                    error = e;
                }
                finally
                {
                    job = null;
                    finished = true;
                }
            }
        }
    }
}

/// <summary>Work that <see cref="KernelThreads"/> splits into numbered parts; each part writes outputs no other part touches.</summary>
internal abstract class KernelJob
{
    internal abstract void Run(int part, int parts);

    /// <summary>Part <paramref name="part"/>'s share <c>[start, end)</c> of <paramref name="units"/> equal units of <paramref name="unitSize"/> items, the last unit clipped to <paramref name="total"/>.</summary>
    internal static (int Start, int End) Share(int part, int parts, int units, int unitSize, int total)
    {
        int first = (int)((long)units * part / parts), last = (int)((long)units * (part + 1) / parts);
        return (Math.Min(total, first * unitSize), Math.Min(total, last * unitSize));
    }

    /// <summary>
    /// Element-wise passes (optimizer steps, ReLU) shorter than this stay on one thread: they are memory-bound,
    /// and two threads halve a 65,536-value SGD or Adam step but gain nothing on 32,768 values.
    /// </summary>
    internal const int ParallelElements = 1 << 16;

    /// <summary>Element-wise parts take whole chunks of this many values, a multiple of every vector width, so only the last part ends in a scalar tail.</summary>
    internal const int ElementChunk = 1024;

    /// <summary>How many parts an element-wise pass over <paramref name="total"/> values is split into.</summary>
    internal static int ElementParts(int total) => total < ParallelElements ? 1 : KernelThreads.Count;

    /// <summary>Part <paramref name="part"/>'s share <c>[start, end)</c> of an element-wise pass over <paramref name="total"/> values, in whole chunks.</summary>
    internal static (int Start, int End) ShareElements(int part, int parts, int total) =>
        Share(part, parts, (total + ElementChunk - 1) / ElementChunk, ElementChunk, total);
}

/// <summary>
/// A job over up to three input spans and one output span, pinned for the duration of one
/// <see cref="KernelThreads.TryRun"/> so the workers can read and write them. One instance per
/// calling thread and job kind, reused, so dispatching allocates nothing.
/// </summary>
internal abstract unsafe class PinnedJob<T> : KernelJob
    where T : unmanaged
{
    private T* first, second, third, output;
    private int firstLength, secondLength, thirdLength, outputLength;

    /// <summary>Pins the spans and runs <paramref name="parts"/> parts; false (nothing run) when the workers are busy.</summary>
    protected bool TryRun(ReadOnlySpan<T> first, ReadOnlySpan<T> second, ReadOnlySpan<T> third, Span<T> output, int parts)
    {
        fixed (T* pFirst = first, pSecond = second, pThird = third, pOutput = output)
        {
            this.first = pFirst;
            this.second = pSecond;
            this.third = pThird;
            this.output = pOutput;
            (firstLength, secondLength, thirdLength, outputLength) = (first.Length, second.Length, third.Length, output.Length);
            bool ran = KernelThreads.TryRun(this, parts);
            this.first = this.second = this.third = this.output = null;
            return ran;
        }
    }

    internal sealed override void Run(int part, int parts) =>
        Run(new ReadOnlySpan<T>(first, firstLength), new ReadOnlySpan<T>(second, secondLength), new ReadOnlySpan<T>(third, thirdLength),
            new Span<T>(output, outputLength), part, parts);

    /// <summary>Part <paramref name="part"/> of <paramref name="parts"/> over the pinned spans.</summary>
    protected abstract void Run(ReadOnlySpan<T> first, ReadOnlySpan<T> second, ReadOnlySpan<T> third, Span<T> output, int part, int parts);
}
