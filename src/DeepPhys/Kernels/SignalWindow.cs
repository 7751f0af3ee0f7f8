namespace DeepPhys.Kernels;

/// <summary>
/// Where a window slides along a batch of signals or sequences (<c>[batch, channels, length]</c>, row-major):
/// the input's sizes, the window and its stride, the zeros before the first value (any after the last
/// follow from the output length), and the output length. The generator computes it at compile time
/// and passes it as literals; it is <see cref="ImageWindow"/> with one axis.
/// </summary>
/// <param name="Channels">Input channels.</param>
/// <param name="Length">Input values per channel.</param>
/// <param name="Size">The window's length.</param>
/// <param name="Stride">The step between windows.</param>
/// <param name="PadLeft">Zeros before the signal.</param>
/// <param name="OutLength">Output values per channel.</param>
public readonly record struct SignalWindow(int Channels, int Length, int Size, int Stride, int PadLeft, int OutLength)
{
    /// <summary>Values per input sample: channels × length.</summary>
    public int InputSize => Channels * Length;

    /// <summary>
    /// The outputs <c>o</c> whose input index <c>o · Stride + tap − PadLeft</c> lies in <c>[0, Length)</c>: the ones
    /// for which window tap <paramref name="tap"/> reads the signal rather than its zero padding.
    /// </summary>
    internal (int Start, int End) Inside(int tap) => ImageWindow.Inside(tap - PadLeft, Length, OutLength, Stride);
}
