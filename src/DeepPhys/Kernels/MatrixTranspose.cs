using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DeepPhys.Kernels;

/// <summary>
/// One matrix transposed into another. With AVX, tiles of 8 × 8 floats (4 × 4 doubles) go through registers, eight
/// (four) loads, a fixed network of unpacks and lane shuffles and as many stores, instead of one scalar load and store per
/// value at a stride; the edges that fill no tile, and machines without AVX, use the plain loops.
/// </summary>
internal static class MatrixTranspose
{
    /// <summary><c>destination[c, r] = source[r, c]</c> for a <paramref name="rows"/> × <paramref name="columns"/> source.</summary>
    public static void Write<T>(ReadOnlySpan<T> source, Span<T> destination, int rows, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Write(source, destination, rows, columns, vectorised: Avx.IsSupported);

    /// <summary><see cref="Write{T}(ReadOnlySpan{T}, Span{T}, int, int)"/> with the tiles in registers or not (tests force the plain loops).</summary>
    internal static void Write<T>(ReadOnlySpan<T> source, Span<T> destination, int rows, int columns, bool vectorised)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Debug.Assert(source.Length == rows * columns && destination.Length == source.Length, "Shapes must fit.");
        int tile = Vector256<T>.Count;
        int tiledRows = vectorised ? rows - (rows % tile) : 0, tiledColumns = vectorised ? columns - (columns % tile) : 0;
        if (vectorised)
        {
            ref T from = ref MemoryMarshal.GetReference(source);
            ref T to = ref MemoryMarshal.GetReference(destination);
            for (int r = 0; r < tiledRows; r += tile)
            {
                for (int c = 0; c < tiledColumns; c += tile)
                {
                    ref T sourceTile = ref Unsafe.Add(ref from, (r * columns) + c);
                    ref T destinationTile = ref Unsafe.Add(ref to, (c * rows) + r);
                    if (typeof(T) == typeof(float)) Tile8(ref Unsafe.As<T, float>(ref sourceTile), columns, ref Unsafe.As<T, float>(ref destinationTile), rows);
                    else Tile4(ref Unsafe.As<T, double>(ref sourceTile), columns, ref Unsafe.As<T, double>(ref destinationTile), rows);
                }
            }
        }

        // The right-hand columns of the tiled rows, then the bottom rows in full.
        for (int r = 0; r < tiledRows; r++)
        {
            for (int c = tiledColumns; c < columns; c++) destination[(c * rows) + r] = source[(r * columns) + c];
        }

        for (int r = tiledRows; r < rows; r++)
        {
            for (int c = 0; c < columns; c++) destination[(c * rows) + r] = source[(r * columns) + c];
        }
    }

    /// <summary>An 8 × 8 float tile (rows <paramref name="sourceStride"/> apart) transposed into rows <paramref name="destinationStride"/> apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile8(ref float source, int sourceStride, ref float destination, int destinationStride)
    {
        var r0 = Vector256.LoadUnsafe(ref source);
        var r1 = Vector256.LoadUnsafe(ref source, (nuint)sourceStride);
        var r2 = Vector256.LoadUnsafe(ref source, (nuint)(2 * sourceStride));
        var r3 = Vector256.LoadUnsafe(ref source, (nuint)(3 * sourceStride));
        var r4 = Vector256.LoadUnsafe(ref source, (nuint)(4 * sourceStride));
        var r5 = Vector256.LoadUnsafe(ref source, (nuint)(5 * sourceStride));
        var r6 = Vector256.LoadUnsafe(ref source, (nuint)(6 * sourceStride));
        var r7 = Vector256.LoadUnsafe(ref source, (nuint)(7 * sourceStride));

        // Interleave row pairs, then pairs of pairs: each 128-bit half then holds four values of one column.
        var (t0, t1, t2, t3) = (Avx.UnpackLow(r0, r1), Avx.UnpackHigh(r0, r1), Avx.UnpackLow(r2, r3), Avx.UnpackHigh(r2, r3));
        var (t4, t5, t6, t7) = (Avx.UnpackLow(r4, r5), Avx.UnpackHigh(r4, r5), Avx.UnpackLow(r6, r7), Avx.UnpackHigh(r6, r7));
        var (u0, u1, u2, u3) = (Avx.Shuffle(t0, t2, 0x44), Avx.Shuffle(t0, t2, 0xEE), Avx.Shuffle(t1, t3, 0x44), Avx.Shuffle(t1, t3, 0xEE));
        var (u4, u5, u6, u7) = (Avx.Shuffle(t4, t6, 0x44), Avx.Shuffle(t4, t6, 0xEE), Avx.Shuffle(t5, t7, 0x44), Avx.Shuffle(t5, t7, 0xEE));

        // Rows 0–3's half and rows 4–7's half of each column side by side.
        Avx.Permute2x128(u0, u4, 0x20).StoreUnsafe(ref destination);
        Avx.Permute2x128(u1, u5, 0x20).StoreUnsafe(ref destination, (nuint)destinationStride);
        Avx.Permute2x128(u2, u6, 0x20).StoreUnsafe(ref destination, (nuint)(2 * destinationStride));
        Avx.Permute2x128(u3, u7, 0x20).StoreUnsafe(ref destination, (nuint)(3 * destinationStride));
        Avx.Permute2x128(u0, u4, 0x31).StoreUnsafe(ref destination, (nuint)(4 * destinationStride));
        Avx.Permute2x128(u1, u5, 0x31).StoreUnsafe(ref destination, (nuint)(5 * destinationStride));
        Avx.Permute2x128(u2, u6, 0x31).StoreUnsafe(ref destination, (nuint)(6 * destinationStride));
        Avx.Permute2x128(u3, u7, 0x31).StoreUnsafe(ref destination, (nuint)(7 * destinationStride));
    }

    /// <summary>A 4 × 4 double tile (rows <paramref name="sourceStride"/> apart) transposed into rows <paramref name="destinationStride"/> apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile4(ref double source, int sourceStride, ref double destination, int destinationStride)
    {
        var r0 = Vector256.LoadUnsafe(ref source);
        var r1 = Vector256.LoadUnsafe(ref source, (nuint)sourceStride);
        var r2 = Vector256.LoadUnsafe(ref source, (nuint)(2 * sourceStride));
        var r3 = Vector256.LoadUnsafe(ref source, (nuint)(3 * sourceStride));
        var (t0, t1, t2, t3) = (Avx.UnpackLow(r0, r1), Avx.UnpackHigh(r0, r1), Avx.UnpackLow(r2, r3), Avx.UnpackHigh(r2, r3));
        Avx.Permute2x128(t0, t2, 0x20).StoreUnsafe(ref destination);
        Avx.Permute2x128(t1, t3, 0x20).StoreUnsafe(ref destination, (nuint)destinationStride);
        Avx.Permute2x128(t0, t2, 0x31).StoreUnsafe(ref destination, (nuint)(2 * destinationStride));
        Avx.Permute2x128(t1, t3, 0x31).StoreUnsafe(ref destination, (nuint)(3 * destinationStride));
    }
}
