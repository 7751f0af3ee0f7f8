using DeepPhys.Generators.Model;
using DeepPhys.Generators.Ops;

namespace DeepPhys.Generators.Tests;

/// <summary>The op descriptors' shape rules and counts, one op at a time.</summary>
public class OpDescriptorTests
{
    [Fact]
    public void ShapeRules_ComputeOutputShapes()
    {
        Assert.Equal([5, 4, 4], Shape(ConcatenateOp.Instance, new ConcatenateArguments(0), [2, 4, 4], [3, 4, 4]));
        Assert.Equal([2, 4, 7], Shape(ConcatenateOp.Instance, new ConcatenateArguments(-1), [2, 4, 4], [2, 4, 3]));
        Assert.Equal(DiagnosticDescriptors.InvalidArgument, Problem(ConcatenateOp.Instance, new ConcatenateArguments(3), [2, 4, 4], [3, 4, 4]));
        Assert.Equal([48], Shape(FlattenOp.Instance, OpArguments.None, [3, 4, 4]));

        var conv = new ConvolutionArguments(8, Axes(3, 3), Axes(1, 1), ZeroPadding.None, true);
        Assert.Equal([8, 26, 26], Shape(ConvolutionOp.Conv2D, conv, [1, 28, 28]));
        Assert.Equal(DiagnosticDescriptors.WindowTooLarge, Problem(ConvolutionOp.Conv2D, conv, [1, 2, 28]));

        // 'same': ⌈size / stride⌉ whatever the kernel, even a kernel larger than the image.
        var same = new ZeroPadding(true, 0);
        Assert.Equal([8, 14, 14], Shape(ConvolutionOp.Conv2D, conv with { Kernel = Axes(4, 4), Stride = Axes(2, 2), Padding = same }, [1, 28, 28]));
        Assert.Equal([8, 4, 3], Shape(ConvolutionOp.Conv2D, conv with { Kernel = Axes(5, 5), Stride = Axes(2, 2), Padding = same }, [1, 7, 5]));
        Assert.Equal([8, 2, 2], Shape(ConvolutionOp.Conv2D, conv with { Kernel = Axes(5, 5), Padding = same }, [1, 2, 2]));
        Assert.Equal([8, 30, 30], Shape(ConvolutionOp.Conv2D, conv with { Padding = new ZeroPadding(false, 2) }, [1, 28, 28]));
        Assert.Equal([3, 9, 9], Shape(PoolOp.MaxPool2D, new PoolArguments(Axes(3, 3), Axes(3, 3)), [3, 28, 28]));

        // Rectangular kernels and windows, a stride per axis: each axis on its own ('same' pads rows 1 + 1, columns 1 + 2).
        var rectangular = conv with { Kernel = Axes(3, 5), Stride = Axes(1, 2) };
        Assert.Equal([8, 5, 4], Shape(ConvolutionOp.Conv2D, rectangular, [1, 7, 11]));
        Assert.Equal([8, 7, 6], Shape(ConvolutionOp.Conv2D, rectangular with { Padding = same }, [1, 7, 11]));
        Assert.Equal(DiagnosticDescriptors.WindowTooLarge, Problem(ConvolutionOp.Conv2D, rectangular, [1, 7, 4]));
        Assert.Equal([3, 5, 3], Shape(PoolOp.MaxPool2D, new PoolArguments(Axes(1, 4), Axes(1, 4)), [3, 5, 12]));
        Assert.Equal([3, 4, 5], Shape(PoolOp.AvgPool2D, new PoolArguments(Axes(2, 3), Axes(1, 2)), [3, 5, 11]));
        Assert.Equal(DiagnosticDescriptors.WindowTooLarge, Problem(PoolOp.MaxPool2D, new PoolArguments(Axes(1, 4), Axes(1, 4)), [3, 5, 3]));

        // Transposed: 'valid' (in − 1)·stride + kernel, 'same' in · stride, padding p crops p on each side; an image only.
        var transposed = new ConvolutionArguments(2, Axes(3, 4), Axes(2, 3), ZeroPadding.None, true);
        Assert.Equal([2, 11, 22], Shape(TransposedConvolutionOp.Conv2DTranspose, transposed, [4, 5, 7]));
        Assert.Equal([2, 10, 21], Shape(TransposedConvolutionOp.Conv2DTranspose, transposed with { Padding = same }, [4, 5, 7]));
        Assert.Equal([2, 9, 20], Shape(TransposedConvolutionOp.Conv2DTranspose, transposed with { Padding = new ZeroPadding(false, 1) }, [4, 5, 7]));
        Assert.Equal(DiagnosticDescriptors.WindowTooLarge, Problem(TransposedConvolutionOp.Conv2DTranspose, transposed, [4, 5]));
        Assert.Equal((4L * 2 * 3 * 4, 2L), TransposedConvolutionOp.Conv2DTranspose.ParameterCounts(transposed, new([4, 5, 7])));
        Assert.Equal([16], Shape(GlobalPoolOp.Average2D, OpArguments.None, [16, 7, 7]));
        Assert.Equal(DiagnosticDescriptors.WindowTooLarge, Problem(GlobalPoolOp.Average2D, OpArguments.None, [16]));

        // Signals [channels, length]: 'valid', explicit padding, 'same', pools; images and vectors do not fit.
        var conv1d = new ConvolutionArguments(6, Axes(5), Axes(1), ZeroPadding.None, true);
        Assert.Equal([6, 96], Shape(ConvolutionOp.Conv1D, conv1d, [2, 100]));
        Assert.Equal([6, 50], Shape(ConvolutionOp.Conv1D, conv1d with { Kernel = Axes(4), Stride = Axes(2), Padding = same }, [2, 100]));
        Assert.Equal([6, 4], Shape(ConvolutionOp.Conv1D, conv1d with { Padding = new ZeroPadding(false, 2) }, [2, 4]));
        Assert.Equal(DiagnosticDescriptors.WindowTooLarge, Problem(ConvolutionOp.Conv1D, conv1d, [2, 4]));
        Assert.Equal(DiagnosticDescriptors.WindowTooLarge, Problem(ConvolutionOp.Conv1D, conv1d, [1, 28, 28]));
        Assert.Equal([3, 33], Shape(PoolOp.MaxPool1D, new PoolArguments(Axes(3), Axes(3)), [3, 100]));
        Assert.Equal([3, 98], Shape(PoolOp.AvgPool1D, new PoolArguments(Axes(3), Axes(1)), [3, 100]));
        Assert.Equal([16], Shape(GlobalPoolOp.Average1D, OpArguments.None, [16, 7]));
        Assert.Equal(DiagnosticDescriptors.WindowTooLarge, Problem(GlobalPoolOp.Average1D, OpArguments.None, [16, 7, 7]));
        Assert.Equal(DiagnosticDescriptors.MergeShapeMismatch, Problem(ElementwiseOp.Add, OpArguments.None, [3], [4]));
        Assert.Equal(DiagnosticDescriptors.DenseNeedsVector, Problem(DenseOp.Instance, new DenseArguments(4), [1, 28, 28]));
        Assert.Equal(DiagnosticDescriptors.ReshapeSizeMismatch, Problem(ReshapeOp.Instance, new ReshapeArguments(new([4, 4])), [15]));

        // Recurrent: [time, features] in; the last state, or every state with return-sequences.
        Assert.Equal([4], Shape(RecurrentOp.Lstm, new RecurrentArguments(4, false, ActivationKind.Tanh), [10, 3]));
        Assert.Equal([10, 4], Shape(RecurrentOp.Gru, new RecurrentArguments(4, true, ActivationKind.Tanh), [10, 3]));
        Assert.Equal(DiagnosticDescriptors.RecurrentNeedsSequence, Problem(RecurrentOp.SimpleRnn, new RecurrentArguments(4, false, ActivationKind.Tanh), [12]));
        Assert.Equal(DiagnosticDescriptors.RecurrentNeedsSequence, Problem(RecurrentOp.Lstm, new RecurrentArguments(4, false, ActivationKind.Tanh), [1, 8, 8]));
        Assert.Equal(DiagnosticDescriptors.DenseNeedsVector, Problem(DenseOp.Instance, new DenseArguments(4), [10, 4]));
    }

    [Fact]
    public void RecurrentParameters_ArePyTorchs_TwoMatricesAndTwoBiasesPerGate()
    {
        // 4 · 5 · (3 + 5) weights and 2 · 4 · 5 biases.
        var lstm = new NodeSpec("lstm", OpKind.Lstm, new([0]), new([5]), ActivationKind.Linear, 0, new RecurrentArguments(5, false, ActivationKind.Tanh), new([7, 3]));
        Assert.Equal(3, lstm.FanIn);
        Assert.Equal(160, lstm.WeightCount);
        Assert.Equal(40, lstm.BiasCount);
        Assert.Equal(200, lstm.ParameterCount);
        Assert.Equal((3 * 5 * (3 + 5)) + (2 * 3 * 5), Parameters(RecurrentOp.Gru, 5, [7, 3]));
        Assert.Equal((5 * (3 + 5)) + (2 * 5), Parameters(RecurrentOp.SimpleRnn, 5, [7, 3]));

        // The workspace keeps 7 steps of gates, cell and state (6 · 5 each), then h's and c's running gradients and 4 · 5 gate gradients.
        Assert.Equal((7 * 30) + (6 * 5), lstm.ExtraWorkspace);
    }

    /// <summary>Upsampling multiplies each spatial size by its factor (a signal's length by the only one), global max keeps the channels; both need their rank.</summary>
    [Fact]
    public void UpSamplingAndGlobalMax_ShapeRules()
    {
        Assert.Equal([3, 8, 15], Shape(UpSamplingOp.UpSampling2D, new UpSamplingArguments(2, 3), [3, 4, 5]));
        Assert.Equal([2, 21], Shape(UpSamplingOp.UpSampling1D, new UpSamplingArguments(1, 3), [2, 7]));
        Assert.Equal(DiagnosticDescriptors.WindowTooLarge, Problem(UpSamplingOp.UpSampling2D, new UpSamplingArguments(2, 2), [3, 4]));
        Assert.Equal(DiagnosticDescriptors.WindowTooLarge, Problem(UpSamplingOp.UpSampling1D, new UpSamplingArguments(1, 2), [12]));
        Assert.Equal([16], Shape(GlobalPoolOp.Max2D, OpArguments.None, [16, 7, 7]));
        Assert.Equal([16], Shape(GlobalPoolOp.Max1D, OpArguments.None, [16, 7]));
        Assert.Equal(DiagnosticDescriptors.WindowTooLarge, Problem(GlobalPoolOp.Max1D, OpArguments.None, [16, 7, 7]));

        // A size past int is capped there rather than wrapped, so the buffer check (DPH0111) reports the network as too large.
        Assert.Equal([1, int.MaxValue, 4], Shape(UpSamplingOp.UpSampling2D, new UpSamplingArguments(int.MaxValue, 2), [1, 3, 2]));

        // Moving values costs no FLOPs.
        var upsampling = new NodeSpec("u", OpKind.UpSampling2D, new([0]), new([3, 8, 15]), ActivationKind.Linear, 0, new UpSamplingArguments(2, 3), new([3, 4, 5]));
        Assert.Equal(0, upsampling.FlopsPerSample);
    }

    [Fact]
    public void ParameterCounts_AreLongArithmetic_SoHugeLayersAreTooLargeNotOverflowed()
    {
        // 10⁶ filters of a 10⁴ × 10⁴ kernel over 10³ channels: 10¹⁷ weights, far past int, counted without overflow.
        var (weights, biases) = ConvolutionOp.Conv2D.ParameterCounts(new ConvolutionArguments(1_000_000, Axes(10_000, 10_000), Axes(1, 1), ZeroPadding.None, true), new([1000, 20_000, 20_000]));
        Assert.Equal(100_000_000_000_000_000L, weights);
        Assert.Equal(1_000_000, biases);
        Assert.Equal(0, ConvolutionOp.Conv2D.ParameterCounts(new ConvolutionArguments(4, Axes(3, 3), Axes(1, 1), ZeroPadding.None, false), new([2, 8, 8])).Biases);
        Assert.Equal((4L * 2 * 3 * 5, 4L), ConvolutionOp.Conv2D.ParameterCounts(new ConvolutionArguments(4, Axes(3, 5), Axes(1, 2), ZeroPadding.None, true), new([2, 8, 8])));
        Assert.Equal(((long)int.MaxValue * 3) + 3, DenseOp.Instance.ParameterCounts(new DenseArguments(3), new([int.MaxValue])).Weights + 3);
    }

    /// <summary>A size per spatial axis: height and width, or a length.</summary>
    private static EquatableArray<int> Axes(params int[] sizes) => new(sizes);

    private static int[] Shape(OpDescriptor op, OpArguments arguments, params int[][] inputs) =>
        op.Shape(arguments, inputs.Select(input => new EquatableArray<int>(input)).ToList()).Shape!;

    private static Microsoft.CodeAnalysis.DiagnosticDescriptor? Problem(OpDescriptor op, OpArguments arguments, params int[][] inputs) =>
        op.Shape(arguments, inputs.Select(input => new EquatableArray<int>(input)).ToList()).Problem;

    private static long Parameters(RecurrentOp op, int units, int[] input)
    {
        var (weights, biases) = op.ParameterCounts(new RecurrentArguments(units, false, ActivationKind.Tanh), new(input));
        return weights + biases;
    }
}
