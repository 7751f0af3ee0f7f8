using System.Numerics;

namespace DeepPhys;

/// <summary>The one scan for NaN and infinity, shared by the data checks and TerminateOnNaN's layer search.</summary>
internal static class Finite
{
    /// <summary>The index of the first NaN or infinity, or −1 when every value is finite.</summary>
    public static int IndexOfNonFinite<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i])) return i;
        }

        return -1;
    }
}
