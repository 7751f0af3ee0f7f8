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
    public void Transpose_SwapsEachSamplesAxes_AndAddsWhenAsked()
    {
        // Two samples of 2 × 3: [[1 2 3] [4 5 6]] and [[7 8 9] [10 11 12]].
        double[] x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
        var y = Garbage<double>(12);
        GraphKernels.Transpose<double>(x, y, 2, 2, 3);
        Assert.Equal([1, 4, 2, 5, 3, 6, 7, 10, 8, 11, 9, 12], y);

        var back = new double[12];
        GraphKernels.Transpose<double>(y, back, 2, 3, 2);
        Assert.Equal(x, back);

        GraphKernels.Transpose<double>(y, back, 2, 3, 2, accumulate: true);
        Assert.Equal(x.Select(v => 2 * v), back);
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

    /// <summary>
    /// Concatenation of [2, 3, 4] with [2, 5, 4] along axis 1, of [2, 3, 4] with [2, 3, 1] along axis 2 (and 0): the column
    /// kernels over batch · (axes before) rows against the textbook definition by multi-index, and against their scalar twins.
    /// </summary>
    [Theory]
    [InlineData(0, new[] { 2, 3, 4 }, new[] { 3, 3, 4 })]
    [InlineData(1, new[] { 2, 3, 4 }, new[] { 2, 5, 4 })]
    [InlineData(2, new[] { 2, 3, 4 }, new[] { 2, 3, 1 })]
    [InlineData(1, new[] { 3, 7 }, new[] { 3, 2 })]
    public void ColumnKernels_ConcatenateAlongAnyAxis(int axis, int[] first, int[] second)
    {
        const int batch = 3;
        int[][] shapes = [first, second];
        int[] joined = first.ToArray();
        joined[axis] += second[axis];
        int outer = first.Take(axis).Aggregate(1, (p, d) => p * d), size = joined.Aggregate(1, (p, d) => p * d);
        var inputs = shapes.Select((shape, i) => Uniform<double>(10 + i, batch * shape.Aggregate(1, (p, d) => p * d))).ToArray();

        var output = Garbage<double>(batch * size);
        var scalar = Garbage<double>(batch * size);
        int offset = 0;
        for (int i = 0; i < 2; i++)
        {
            int block = inputs[i].Length / batch / outer;
            GraphKernels.PlaceColumns<double>(inputs[i], block, output, size / outer, offset, batch * outer);
            GraphKernels.Scalar.PlaceColumns<double>(inputs[i], block, scalar, size / outer, offset, batch * outer);
            offset += block;
        }

        // Textbook: out[b, …, k, …] is the first input's value for k < its extent, else the second's at k − extent.
        var index = new int[joined.Length];
        for (int flat = 0; flat < batch * size; flat++)
        {
            int rest = flat % size, b = flat / size;
            for (int d = joined.Length - 1; d >= 0; d--) (index[d], rest) = (rest % joined[d], rest / joined[d]);
            int which = index[axis] < first[axis] ? 0 : 1;
            var at = index.ToArray();
            if (which == 1) at[axis] -= first[axis];
            int position = 0;
            for (int d = 0; d < at.Length; d++) position = (position * shapes[which][d]) + at[d];
            Assert.Equal(inputs[which][(b * inputs[which].Length / batch) + position], output[flat]);
        }

        Assert.Equal(scalar, output);

        // Backward: the split gives each input its block back; the accumulating form adds it.
        offset = 0;
        for (int i = 0; i < 2; i++)
        {
            int block = inputs[i].Length / batch / outer;
            var back = Garbage<double>(inputs[i].Length);
            var scalarBack = Garbage<double>(inputs[i].Length);
            GraphKernels.CopyColumns<double>(output, size / outer, offset, back, block, batch * outer);
            GraphKernels.Scalar.CopyColumns<double>(output, size / outer, offset, scalarBack, block, batch * outer);
            Assert.Equal(inputs[i], back);
            Assert.Equal(inputs[i], scalarBack);
            GraphKernels.AddColumns<double>(output, size / outer, offset, back, block, batch * outer);
            Assert.Equal(inputs[i].Select(v => 2 * v), back);
            offset += block;
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
