using System.Numerics;
using DeepPhys.Kernels;
using static DeepPhys.Runtime.Tests.Kernels.KernelTestKit;

namespace DeepPhys.Runtime.Tests.Kernels;

public class MatrixTransposeTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EverySize_PutsEachValueAtItsTransposedPlace(bool vectorised)
    {
        foreach (int rows in OddSizes)
        {
            foreach (int columns in OddSizes)
            {
                Check<float>(rows, columns, vectorised);
                Check<double>(rows, columns, vectorised);
            }
        }
    }

    private static void Check<T>(int rows, int columns, bool vectorised)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Value r·1000 + c names its place, so a misplaced value shows where it came from.
        var source = new T[rows * columns];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++) source[r * columns + c] = T.CreateChecked(r * 1000 + c);
        }

        var destination = Garbage<T>(rows * columns);
        MatrixTranspose.Write<T>(source, destination, rows, columns, vectorised);
        for (int c = 0; c < columns; c++)
        {
            for (int r = 0; r < rows; r++)
            {
                Assert.True(destination[c * rows + r] == T.CreateChecked(r * 1000 + c), $"{typeof(T).Name} {rows} × {columns}, vectorised {vectorised}: [{c}, {r}] is {destination[c * rows + r]}");
            }
        }
    }
}
