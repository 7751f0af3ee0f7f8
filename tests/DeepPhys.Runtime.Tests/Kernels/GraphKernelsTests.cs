using System.Numerics;
using DeepPhys.Kernels;
using static DeepPhys.Runtime.Tests.Kernels.KernelTestKit;

namespace DeepPhys.Runtime.Tests.Kernels;

public class GraphKernelsTests
{
    [Fact]
    public void ElementwiseKernelsMatchScalarTwins()
    {
        foreach (int n in OddSizes)
        {
            MatchScalar<float>(n);
            MatchScalar<double>(n);
        }
    }

    [Fact]
    public void ColumnKernels_MoveTheRightBlocks()
    {
        // Two rows of five: columns 1..3 of each row are the block.
        double[] packed = [0, 1, 2, 3, 4, 10, 11, 12, 13, 14];
        var block = Garbage<double>(6);
        GraphKernels.CopyColumns<double>(packed, 5, 1, block, 3, 2);
        Assert.Equal([1, 2, 3, 11, 12, 13], block);

        GraphKernels.AddColumns<double>(packed, 5, 2, block, 3, 2);
        Assert.Equal([3, 5, 7, 23, 25, 27], block);

        var placed = new double[10];
        GraphKernels.PlaceColumns<double>([1, 2, 3, 4], 2, placed, 5, 3, 2);
        Assert.Equal([0, 0, 0, 1, 2, 0, 0, 0, 3, 4], placed);
    }

    [Fact]
    public void AddColumns_MatchesScalarTwinOnOddSizes()
    {
        foreach (int width in OddSizes)
        {
            int sourceWidth = width + 3, batch = 3;
            var source = Uniform<double>(width, batch * sourceWidth);
            var vectorised = Uniform<double>(width + 1, batch * width);
            var scalar = vectorised.ToArray();
            GraphKernels.AddColumns<double>(source, sourceWidth, 2, vectorised, width, batch);
            GraphKernels.Scalar.AddColumns<double>(source, sourceWidth, 2, scalar, width, batch);
            Close<double>(scalar, vectorised, Tolerance<double>(), $"AddColumns, width {width}");
        }
    }

    private static void MatchScalar<T>(int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = Uniform<T>(n, n);
        var y = Uniform<T>(n + 1, n);
        var addend = Uniform<T>(n + 2, n);
        Check<T>(n, "Add", z => GraphKernels.Add<T>(x, y, z), z => GraphKernels.Scalar.Add<T>(x, y, z));
        Check<T>(n, "Subtract", z => GraphKernels.Subtract<T>(x, y, z), z => GraphKernels.Scalar.Subtract<T>(x, y, z));
        Check<T>(n, "Negate", z => GraphKernels.Negate<T>(x, z), z => GraphKernels.Scalar.Negate<T>(x, z));
        Check<T>(n, "Multiply", z => GraphKernels.Multiply<T>(x, y, z), z => GraphKernels.Scalar.Multiply<T>(x, y, z));
        Check<T>(n, "MultiplyAdd", z => GraphKernels.MultiplyAdd<T>(x, y, addend, z), z => GraphKernels.Scalar.MultiplyAdd<T>(x, y, addend, z));

        var scaled = x.ToArray();
        var expected = x.ToArray();
        GraphKernels.Scale<T>(scaled, T.CreateChecked(0.5));
        GraphKernels.Scalar.Scale<T>(expected, T.CreateChecked(0.5));
        Close<T>(expected, scaled, Tolerance<T>(), $"Scale, n {n}");
    }

    private static void Check<T>(int n, string name, Action<T[]> kernel, Action<T[]> twin)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var actual = Garbage<T>(n);
        var expected = new T[n];
        kernel(actual);
        twin(expected);
        Close<T>(expected, actual, Tolerance<T>(), $"{name}, n {n}");
    }
}
