using DeepPhys.Kernels;

namespace DeepPhys.Runtime.Tests.Kernels;

/// <summary>Allocation checks of steady-state work: kernels, training steps, predictions.</summary>
internal static class SteadyState
{
    /// <summary>The bytes this thread allocates over <paramref name="rounds"/> calls of <paramref name="step"/>, the least of three windows (see <see cref="LeastOfThreeWindows"/>).</summary>
    public static long AllocatedBytes(Action step, int rounds) =>
        LeastOfThreeWindows(GC.GetAllocatedBytesForCurrentThread, step, rounds);

    /// <summary>
    /// The bytes this thread and the <see cref="KernelThreads"/> workers allocate over <paramref name="rounds"/> calls of
    /// <paramref name="step"/>, the least of three windows. Each worker reads its own count, because the process-wide
    /// <c>GC.GetTotalAllocatedBytes(precise: true)</c> also counts the test host, which allocates about 170 bytes every
    /// 100 ms while it polls for its parent process's exit. Only for tests in a collection with
    /// <c>DisableParallelization = true</c>: the probe needs the workers to itself.
    /// </summary>
    public static long AllocatedBytesWithKernelWorkers(Action step, int rounds) =>
        LeastOfThreeWindows(WorkerAllocationProbe.Instance.AllocatedBytes, step, rounds);

    /// <summary>
    /// The least growth of <paramref name="allocatedBytes"/> over three windows of <paramref name="rounds"/> steps: a step that
    /// allocates shows in every window, while a one-time effect of the runtime on a loaded machine (the first long wait for a
    /// worker being compiled on stack, a worker's first block on its event) shows in one at most.
    /// </summary>
    private static long LeastOfThreeWindows(Func<long> allocatedBytes, Action step, int rounds)
    {
        long least = long.MaxValue;
        for (int window = 0; window < 3; window++)
        {
            long before = allocatedBytes();
            for (int i = 0; i < rounds; i++) step();
            least = Math.Min(least, allocatedBytes() - before);
        }

        return least;
    }

    /// <summary>A kernel job whose part p records the bytes allocated so far by the thread running it: the caller for part 0, worker p − 1 for the others.</summary>
    private sealed class WorkerAllocationProbe : KernelJob
    {
        public static readonly WorkerAllocationProbe Instance = new();

        private long[] bytes = [];

        /// <summary>The bytes allocated by the caller and by each worker a kernel call uses at the current <see cref="KernelThreads.Count"/>.</summary>
        public long AllocatedBytes()
        {
            int parts = KernelThreads.Count;
            if (bytes.Length < parts) bytes = new long[parts];
            if (!KernelThreads.TryRun(this, parts)) throw new InvalidOperationException("Another caller holds the kernel workers.");
            long total = 0;
            for (int part = 0; part < parts; part++) total += bytes[part];
            return total;
        }

        internal override void Run(int part, int parts) => bytes[part] = GC.GetAllocatedBytesForCurrentThread();
    }
}
