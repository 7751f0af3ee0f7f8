namespace DeepPhys.Kernels;

/// <summary>
/// Where a square window slides over a batch of images (<c>[batch, channels, height, width]</c>,
/// row-major, NCHW): the input's sizes, the window and its stride, the padding before the first row
/// and column (any padding after the last ones follows from the output size), and the output's sizes.
/// The generator computes it at compile time and passes it as literals.
/// </summary>
/// <param name="Channels">Input channels.</param>
/// <param name="Height">Input rows.</param>
/// <param name="Width">Input columns.</param>
/// <param name="Size">The window's height and width.</param>
/// <param name="Stride">The step between windows, in both directions.</param>
/// <param name="PadTop">Zero rows above the image.</param>
/// <param name="PadLeft">Zero columns left of the image.</param>
/// <param name="OutHeight">Output rows.</param>
/// <param name="OutWidth">Output columns.</param>
public readonly record struct ImageWindow(int Channels, int Height, int Width, int Size, int Stride, int PadTop, int PadLeft, int OutHeight, int OutWidth)
{
    /// <summary>Values per input image: channels × height × width.</summary>
    public int InputSize => Channels * Height * Width;

    /// <summary>Values per output channel: output height × width.</summary>
    public int OutputPlane => OutHeight * OutWidth;

    /// <summary>
    /// The outputs <c>o</c> along one axis whose input index <c>o · Stride + offset</c> lies in
    /// <c>[0, extent)</c>: the taps that read the image rather than its zero padding.
    /// </summary>
    /// <param name="offset">The window tap minus the padding before the axis.</param>
    /// <param name="extent">The input's length along the axis.</param>
    /// <param name="outputs">The output's length along the axis.</param>
    internal (int Start, int End) Inside(int offset, int extent, int outputs)
    {
        int start = offset >= 0 ? 0 : (-offset + Stride - 1) / Stride;
        int last = extent - 1 - offset;
        int end = last < 0 ? 0 : Math.Min(outputs, last / Stride + 1);
        return (start, Math.Max(start, end));
    }
}
