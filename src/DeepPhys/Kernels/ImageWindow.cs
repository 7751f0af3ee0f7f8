namespace DeepPhys.Kernels;

/// <summary>
/// Where a window slides over a batch of images (<c>[batch, channels, height, width]</c>, row-major, NCHW):
/// the input's sizes, the window's height and width and its stride along each axis (PyTorch's
/// <c>kernel_size=(kh, kw)</c>, <c>stride=(sh, sw)</c>), the padding before the first row and column
/// (any padding after the last ones follows from the output size), and the output's sizes.
/// The generator computes it at compile time and passes it as literals.
/// </summary>
/// <param name="Channels">Input channels.</param>
/// <param name="Height">Input rows.</param>
/// <param name="Width">Input columns.</param>
/// <param name="KernelHeight">The window's rows.</param>
/// <param name="KernelWidth">The window's columns.</param>
/// <param name="StrideHeight">The step between windows down the rows.</param>
/// <param name="StrideWidth">The step between windows along the columns.</param>
/// <param name="PadTop">Zero rows above the image.</param>
/// <param name="PadLeft">Zero columns left of the image.</param>
/// <param name="OutHeight">Output rows.</param>
/// <param name="OutWidth">Output columns.</param>
public readonly record struct ImageWindow(
    int Channels, int Height, int Width, int KernelHeight, int KernelWidth, int StrideHeight, int StrideWidth, int PadTop, int PadLeft, int OutHeight, int OutWidth)
{
    /// <summary>Values per input image: channels × height × width.</summary>
    public int InputSize => Channels * Height * Width;

    /// <summary>Values per output channel: output height × width.</summary>
    public int OutputPlane => OutHeight * OutWidth;

    /// <summary>Taps per channel: kernel height × width.</summary>
    public int KernelPlane => KernelHeight * KernelWidth;

    /// <summary>The output rows for which window row <paramref name="ky"/> reads the image rather than its zero padding.</summary>
    internal (int Start, int End) InsideRows(int ky) => Inside(ky - PadTop, Height, OutHeight, StrideHeight);

    /// <summary>The output columns for which window column <paramref name="kx"/> reads the image rather than its zero padding.</summary>
    internal (int Start, int End) InsideColumns(int kx) => Inside(kx - PadLeft, Width, OutWidth, StrideWidth);

    /// <summary>
    /// The outputs <c>o</c> along one axis whose input index <c>o · stride + offset</c> lies in
    /// <c>[0, extent)</c>: the taps that read the input rather than its zero padding.
    /// </summary>
    /// <param name="offset">The window tap minus the padding before the axis.</param>
    /// <param name="extent">The input's length along the axis.</param>
    /// <param name="outputs">The output's length along the axis.</param>
    /// <param name="stride">The step between windows along the axis.</param>
    internal static (int Start, int End) Inside(int offset, int extent, int outputs, int stride)
    {
        int start = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
        int last = extent - 1 - offset;
        int end = last < 0 ? 0 : Math.Min(outputs, last / stride + 1);
        return (start, Math.Max(start, end));
    }
}
