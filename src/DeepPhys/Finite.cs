using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;

namespace DeepPhys;

/// <summary>The one scan for NaN and infinity, shared by the data checks, TrainStep's arguments and TerminateOnNaN's layer search.</summary>
internal static class Finite
{
    /// <summary>The index of the first NaN or infinity, or −1 when every value is finite.</summary>
    /// <remarks>A vectorised pass (Vector512, 256 or 128 as the machine has them) answers the common case; the loop only finds the index.</remarks>
    public static int IndexOfNonFinite<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (TensorPrimitives.IsFiniteAll(values)) return -1;
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i])) return i;
        }

        return -1;
    }

    /// <summary>Throws when a sample weight is NaN, infinite or negative, naming <paramref name="name"/> and the first such index.</summary>
    public static void CheckWeights<T>(ReadOnlySpan<T> weights, string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (weights.IsEmpty || (TensorPrimitives.IsFiniteAll(weights) && TensorPrimitives.Min(weights) >= T.Zero)) return;
        int bad = 0;
        while (T.IsFinite(weights[bad]) && weights[bad] >= T.Zero) bad++;
        throw new ArgumentException(
            string.Create(CultureInfo.InvariantCulture, $"{name}[{bad}] is {weights[bad]}; weights must be finite and at least 0."), name);
    }
}
