using DeepPhys.Generators.Lowering;
using DeepPhys.Generators.Model;

namespace DeepPhys.Generators.Tests;

/// <summary>The op table: every op kind has a shape rule, and the generated ones a forward and a backward rule beside it.</summary>
public class OpTableTests
{
    private static readonly OpKind[] Generated =
        [OpKind.Input, OpKind.Dense, OpKind.Activation, OpKind.Add, OpKind.Subtract, OpKind.Multiply, OpKind.Concatenate, OpKind.Flatten, OpKind.Reshape,
         OpKind.Conv2D, OpKind.MaxPool2D, OpKind.AvgPool2D, OpKind.GlobalAvgPool2D, OpKind.Dropout, OpKind.BatchNorm,
         OpKind.Conv1D, OpKind.MaxPool1D, OpKind.AvgPool1D, OpKind.GlobalAvgPool1D];

    [Fact]
    public void EveryOpKind_HasARule_AndTheGeneratedOnesAllThree()
    {
        foreach (var kind in Enum.GetValues<OpKind>())
        {
            var rule = OpTable.Rules[kind];
            Assert.Equal(kind, rule.Kind);
            Assert.NotNull(rule.Shape);
            Assert.Equal(Generated.Contains(kind), rule.IsGenerated);
        }
    }

    [Fact]
    public void ShapeRules_ComputeOutputShapes()
    {
        var concat = Node(OpKind.Concatenate);
        Assert.Equal([5, 4, 4], OpTable.Rules[OpKind.Concatenate].Shape(concat, [new([2, 4, 4]), new([3, 4, 4])]).Shape!);
        Assert.Equal([48], OpTable.Rules[OpKind.Flatten].Shape(Node(OpKind.Flatten), [new([3, 4, 4])]).Shape!);

        var conv = Node(OpKind.Conv2D) with { Arguments = new([8, 3, 1, 0]) };
        Assert.Equal([8, 26, 26], OpTable.Rules[OpKind.Conv2D].Shape(conv, [new([1, 28, 28])]).Shape!);
        Assert.Equal(DiagnosticDescriptors.WindowTooLarge, OpTable.Rules[OpKind.Conv2D].Shape(conv, [new([1, 2, 28])]).Problem);

        // 'same' (padding −1): ⌈size / stride⌉ whatever the kernel, even a kernel larger than the image.
        Assert.Equal([8, 14, 14], OpTable.Rules[OpKind.Conv2D].Shape(conv with { Arguments = new([8, 4, 2, -1]) }, [new([1, 28, 28])]).Shape!);
        Assert.Equal([8, 4, 3], OpTable.Rules[OpKind.Conv2D].Shape(conv with { Arguments = new([8, 5, 2, -1]) }, [new([1, 7, 5])]).Shape!);
        Assert.Equal([8, 2, 2], OpTable.Rules[OpKind.Conv2D].Shape(conv with { Arguments = new([8, 5, 1, -1]) }, [new([1, 2, 2])]).Shape!);
        Assert.Equal(DiagnosticDescriptors.InvalidArgument, OpTable.Rules[OpKind.Conv2D].Shape(conv with { Arguments = new([8, 3, 1, -2]) }, [new([1, 8, 8])]).Problem);
        Assert.Equal([8, 30, 30], OpTable.Rules[OpKind.Conv2D].Shape(conv with { Arguments = new([8, 3, 1, 2]) }, [new([1, 28, 28])]).Shape!);
        Assert.Equal([3, 9, 9], OpTable.Rules[OpKind.MaxPool2D].Shape(Node(OpKind.MaxPool2D) with { Arguments = new([3, 3]) }, [new([3, 28, 28])]).Shape!);
        Assert.Equal([16], OpTable.Rules[OpKind.GlobalAvgPool2D].Shape(Node(OpKind.GlobalAvgPool2D), [new([16, 7, 7])]).Shape!);
        Assert.Equal(DiagnosticDescriptors.WindowTooLarge, OpTable.Rules[OpKind.GlobalAvgPool2D].Shape(Node(OpKind.GlobalAvgPool2D), [new([16])]).Problem);
        // Signals [channels, length]: 'valid', explicit padding, 'same' (⌈length / stride⌉), pools; images and vectors do not fit.
        var conv1d = Node(OpKind.Conv1D) with { Arguments = new([6, 5, 1, 0]) };
        Assert.Equal([6, 96], OpTable.Rules[OpKind.Conv1D].Shape(conv1d, [new([2, 100])]).Shape!);
        Assert.Equal([6, 50], OpTable.Rules[OpKind.Conv1D].Shape(conv1d with { Arguments = new([6, 4, 2, -1]) }, [new([2, 100])]).Shape!);
        Assert.Equal([6, 4], OpTable.Rules[OpKind.Conv1D].Shape(conv1d with { Arguments = new([6, 5, 1, 2]) }, [new([2, 4])]).Shape!);
        Assert.Equal(DiagnosticDescriptors.WindowTooLarge, OpTable.Rules[OpKind.Conv1D].Shape(conv1d, [new([2, 4])]).Problem);
        Assert.Equal(DiagnosticDescriptors.WindowTooLarge, OpTable.Rules[OpKind.Conv1D].Shape(conv1d, [new([1, 28, 28])]).Problem);
        Assert.Equal(DiagnosticDescriptors.InvalidArgument, OpTable.Rules[OpKind.Conv1D].Shape(conv1d with { Arguments = new([6, 3, 1, -3]) }, [new([2, 8])]).Problem);
        Assert.Equal([3, 33], OpTable.Rules[OpKind.MaxPool1D].Shape(Node(OpKind.MaxPool1D) with { Arguments = new([3, 3]) }, [new([3, 100])]).Shape!);
        Assert.Equal([3, 98], OpTable.Rules[OpKind.AvgPool1D].Shape(Node(OpKind.AvgPool1D) with { Arguments = new([3, 1]) }, [new([3, 100])]).Shape!);
        Assert.Equal([16], OpTable.Rules[OpKind.GlobalAvgPool1D].Shape(Node(OpKind.GlobalAvgPool1D), [new([16, 7])]).Shape!);
        Assert.Equal(DiagnosticDescriptors.WindowTooLarge, OpTable.Rules[OpKind.GlobalAvgPool1D].Shape(Node(OpKind.GlobalAvgPool1D), [new([16, 7, 7])]).Problem);
        Assert.Equal(DiagnosticDescriptors.MergeShapeMismatch, OpTable.Rules[OpKind.Add].Shape(Node(OpKind.Add), [new([3]), new([4])]).Problem);
        Assert.Equal(DiagnosticDescriptors.DenseNeedsVector, OpTable.Rules[OpKind.Dense].Shape(Node(OpKind.Dense), [new([1, 28, 28])]).Problem);
    }

    private static NodeSpec Node(OpKind op) =>
        new("n", op, EquatableArray<int>.Empty, EquatableArray<int>.Empty, 4, 0, ActivationKind.Linear, 0, EquatableArray<int>.Empty);
}
