using DeepPhys.Generators.Lowering;
using DeepPhys.Generators.Model;

namespace DeepPhys.Generators.Tests;

/// <summary>The op table: every op kind has its shape, forward and backward rules side by side, and the ops with weights their parameter gradients.</summary>
public class OpTableTests
{
    [Fact]
    public void EveryOpKind_HasAllThreeRules_AndParameterGradientsWhenItHasWeights()
    {
        foreach (var kind in Enum.GetValues<OpKind>())
        {
            var rule = OpTable.Rules[kind];
            Assert.Equal(kind, rule.Kind);
            Assert.NotNull(rule.Shape);
            Assert.NotNull(rule.Forward);
            Assert.NotNull(rule.Backward);
            Assert.Equal(Node(kind).HasWeights, rule.ParameterGradients is not null);
        }
    }

    /// <summary>The generated definitions write <c>global::DeepPhys.NodeKind.{op}</c>: the runtime's kinds are the op kinds, name for name and in the same order.</summary>
    [Fact]
    public void NodeKind_HasEveryOpKindsName_InTheSameOrder()
    {
        Assert.Equal(Enum.GetNames<OpKind>(), Enum.GetNames<NodeKind>());
        Assert.Equal(Enum.GetValues<OpKind>().Select(kind => (int)kind), Enum.GetValues<NodeKind>().Select(kind => (int)kind));
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

        // Recurrent: [time, features] in; the last state, or every state with return-sequences (argument 0 = 1).
        Assert.Equal([4], OpTable.Rules[OpKind.Lstm].Shape(Node(OpKind.Lstm), [new([10, 3])]).Shape!);
        Assert.Equal([10, 4], OpTable.Rules[OpKind.Gru].Shape(Node(OpKind.Gru) with { Arguments = new([1, 4]) }, [new([10, 3])]).Shape!);
        Assert.Equal(DiagnosticDescriptors.RecurrentNeedsSequence, OpTable.Rules[OpKind.SimpleRnn].Shape(Node(OpKind.SimpleRnn), [new([12])]).Problem);
        Assert.Equal(DiagnosticDescriptors.RecurrentNeedsSequence, OpTable.Rules[OpKind.Lstm].Shape(Node(OpKind.Lstm), [new([1, 8, 8])]).Problem);
        Assert.Equal(DiagnosticDescriptors.DenseNeedsVector, OpTable.Rules[OpKind.Dense].Shape(Node(OpKind.Dense), [new([10, 4])]).Problem);
    }

    [Fact]
    public void RecurrentParameters_ArePyTorchs_TwoMatricesAndTwoBiasesPerGate()
    {
        // 4 · 5 · (3 + 5) weights and 2 · 4 · 5 biases; the size check's long count agrees.
        var lstm = OpTable.Complete(new GraphSpec(
            new EquatableArray<NodeSpec>([Node(OpKind.Input) with { Shape = new([7, 3]) }, Node(OpKind.Lstm) with { Units = 5, Inputs = new([0]), Shape = new([5]) }]),
            EquatableArray<OutputSpec>.Empty)).Nodes[1];
        Assert.Equal(3, lstm.FanIn);
        Assert.Equal(7, lstm.Time);
        Assert.Equal(160, lstm.WeightCount);
        Assert.Equal(40, lstm.BiasCount);
        Assert.Equal(200, lstm.ParameterCount);
        Assert.Equal(200, OpTable.ParameterCount(OpKind.Lstm, 5, [0, 4], [7, 3]));
        Assert.Equal(3 * 5 * (3 + 5 + 2), OpTable.ParameterCount(OpKind.Gru, 5, [0, 4], [7, 3]));
        Assert.Equal(5 * (3 + 5 + 2), OpTable.ParameterCount(OpKind.SimpleRnn, 5, [0, 4], [7, 3]));

        // The workspace keeps 7 steps of gates, cell and state (6 · 5 each), then h's and c's running gradients and 4 · 5 gate gradients.
        Assert.Equal((7 * 30) + (6 * 5), OpTable.ExtraWorkspace(lstm));
    }

    private static NodeSpec Node(OpKind op) =>
        new("n", op, EquatableArray<int>.Empty, EquatableArray<int>.Empty, 4, 0, ActivationKind.Linear, 0, EquatableArray<int>.Empty);
}
