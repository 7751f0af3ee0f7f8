namespace DeepPhys.Runtime.Tests.Kernels;

/// <summary>Allocation checks of steady-state work: kernels, training steps, predictions.</summary>
internal static class SteadyState
{
    /// <summary>
    /// The bytes this thread allocates over <paramref name="rounds"/> calls of <paramref name="step"/>, the least of
    /// three windows: a step that allocates shows in every window, while a one-time effect of the runtime on a
    /// loaded machine (the first long wait for a worker being compiled on stack) shows in one at most.
    /// </summary>
    public static long AllocatedBytes(Action step, int rounds)
    {
        long least = long.MaxValue;
        for (int window = 0; window < 3; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < rounds; i++) step();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }
}
