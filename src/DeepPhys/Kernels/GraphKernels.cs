using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;

namespace DeepPhys.Kernels;

/// <summary>
/// Element-wise merges and column moves for networks that are graphs rather than chains: skip
/// connections (add, subtract, multiply), concatenation, several inputs and outputs packed side
/// by side in a row. Matrices are row-major <c>[batch, width]</c>; outputs may alias inputs
/// element for element (<c>z</c> may be <c>x</c>), as <see cref="TensorPrimitives"/> allows.
/// </summary>
/// <remarks>
/// The column kernels also concatenate along any per-sample axis: with <c>outer</c> the product of the axes
/// before the concatenated one, a sample is <c>outer</c> rows of (concatenated axis × the axes after it), so
/// passing <c>batch · outer</c> as the row count moves the blocks (forward) and splits the gradient (backward).
/// </remarks>
public static class GraphKernels
{
    /// <summary><c>z = x + y</c>.</summary>
    public static void Add<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> z)
        where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Add(x, y, z);

    /// <summary><c>z = x − y</c>.</summary>
    public static void Subtract<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> z)
        where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Subtract(x, y, z);

    /// <summary><c>z = −x</c>.</summary>
    public static void Negate<T>(ReadOnlySpan<T> x, Span<T> z)
        where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Negate(x, z);

    /// <summary><c>z = x · y</c>, element-wise.</summary>
    public static void Multiply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> z)
        where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(x, y, z);

    /// <summary><c>z = x · y + addend</c>, element-wise: the accumulating backward step of a product.</summary>
    public static void MultiplyAdd<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> addend, Span<T> z)
        where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.MultiplyAdd(x, y, addend, z);

    /// <summary><c>x = factor · x</c>: a loss gradient times the loss's weight.</summary>
    public static void Scale<T>(Span<T> x, T factor)
        where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(x, factor, x);

    /// <summary><c>destination[b, :] = source[b, offset .. offset + width]</c>: one block of columns out of packed rows.</summary>
    public static void CopyColumns<T>(ReadOnlySpan<T> source, int sourceWidth, int offset, Span<T> destination, int width, int batch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertColumns(source.Length, sourceWidth, offset, destination.Length, width, batch);
        for (int b = 0; b < batch; b++) source.Slice(b * sourceWidth + offset, width).CopyTo(destination.Slice(b * width, width));
    }

    /// <summary><c>destination[b, :] += source[b, offset .. offset + width]</c>: the accumulating backward step of a concatenation.</summary>
    public static void AddColumns<T>(ReadOnlySpan<T> source, int sourceWidth, int offset, Span<T> destination, int width, int batch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertColumns(source.Length, sourceWidth, offset, destination.Length, width, batch);
        for (int b = 0; b < batch; b++)
        {
            var row = destination.Slice(b * width, width);
            TensorPrimitives.Add(row, source.Slice(b * sourceWidth + offset, width), row);
        }
    }

    /// <summary>
    /// Each sample's <paramref name="rows"/> × <paramref name="columns"/> matrix transposed: <c>y[b, c, r] = x[b, r, c]</c>
    /// (with <paramref name="accumulate"/>, <c>+=</c>): a signal <c>[channels, length]</c> as a sequence <c>[time, features]</c>,
    /// and the gradient back.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">Inputs, <c>[batch, rows, columns]</c>.</param>
    /// <param name="y">Receives (or accumulates) the transposes, <c>[batch, columns, rows]</c>; must not overlap <paramref name="x"/>.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="rows">Rows of each sample in <paramref name="x"/>.</param>
    /// <param name="columns">Columns of each sample in <paramref name="x"/>.</param>
    /// <param name="accumulate">Add into <paramref name="y"/> instead of overwriting it.</param>
    public static void Transpose<T>(ReadOnlySpan<T> x, Span<T> y, int batch, int rows, int columns, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Debug.Assert(x.Length == batch * rows * columns && y.Length == x.Length, "x must be [batch, rows, columns] and y [batch, columns, rows].");
        int size = rows * columns;
        for (int b = 0; b < batch; b++)
        {
            var sample = x.Slice(b * size, size);
            var transposed = y.Slice(b * size, size);
            if (!accumulate)
            {
                MatrixTranspose.Write(sample, transposed, rows, columns);
                continue;
            }

            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < columns; c++) transposed[c * rows + r] += sample[r * columns + c];
            }
        }
    }

    /// <summary><c>destination[b, offset .. offset + width] = source[b, :]</c>: one block of columns into packed rows.</summary>
    public static void PlaceColumns<T>(ReadOnlySpan<T> source, int width, Span<T> destination, int destinationWidth, int offset, int batch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertColumns(destination.Length, destinationWidth, offset, source.Length, width, batch);
        for (int b = 0; b < batch; b++) source.Slice(b * width, width).CopyTo(destination.Slice(b * destinationWidth + offset, width));
    }

    [Conditional("DEBUG")]
    private static void AssertColumns(int packedLength, int packedWidth, int offset, int blockLength, int width, int batch)
    {
        Debug.Assert(packedLength == batch * packedWidth, "the packed matrix must be [batch, packedWidth].");
        Debug.Assert(blockLength == batch * width, "the block must be [batch, width].");
        Debug.Assert(offset >= 0 && offset + width <= packedWidth, "the block's columns must lie inside the packed row.");
    }

    /// <summary>Textbook loops with the same signatures: the reference the kernels above are tested against.</summary>
    internal static class Scalar
    {
        internal static void Add<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> z)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < z.Length; i++) z[i] = x[i] + y[i];
        }

        internal static void Subtract<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> z)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < z.Length; i++) z[i] = x[i] - y[i];
        }

        internal static void Negate<T>(ReadOnlySpan<T> x, Span<T> z)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < z.Length; i++) z[i] = -x[i];
        }

        internal static void Multiply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> z)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < z.Length; i++) z[i] = x[i] * y[i];
        }

        internal static void MultiplyAdd<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> addend, Span<T> z)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < z.Length; i++) z[i] = (x[i] * y[i]) + addend[i];
        }

        internal static void Scale<T>(Span<T> x, T factor)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < x.Length; i++) x[i] *= factor;
        }

        internal static void CopyColumns<T>(ReadOnlySpan<T> source, int sourceWidth, int offset, Span<T> destination, int width, int batch)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int b = 0; b < batch; b++)
            {
                for (int j = 0; j < width; j++) destination[b * width + j] = source[b * sourceWidth + offset + j];
            }
        }

        internal static void PlaceColumns<T>(ReadOnlySpan<T> source, int width, Span<T> destination, int destinationWidth, int offset, int batch)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int b = 0; b < batch; b++)
            {
                for (int j = 0; j < width; j++) destination[b * destinationWidth + offset + j] = source[b * width + j];
            }
        }

        internal static void AddColumns<T>(ReadOnlySpan<T> source, int sourceWidth, int offset, Span<T> destination, int width, int batch)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int b = 0; b < batch; b++)
            {
                for (int j = 0; j < width; j++) destination[b * width + j] += source[b * sourceWidth + offset + j];
            }
        }
    }
}
