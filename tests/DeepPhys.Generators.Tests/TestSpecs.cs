using DeepPhys.Generators.Model;
using DeepPhys.Generators.Ops;

namespace DeepPhys.Generators.Tests;

/// <summary>Specs built by hand, to test the emitter and the summary without the parser.</summary>
internal static class TestSpecs
{
    /// <summary>A chain: the input, then dense layers each feeding the next; the last one is trained on <paramref name="loss"/>.</summary>
    public static NetworkSpec Chain(
        string? ns, string className, PrecisionKind precision, LossKind loss, int inputSize, params (string Name, int Units, ActivationKind Activation, double Slope)[] layers)
    {
        var nodes = new List<NodeSpec> { new("input", OpKind.Input, EquatableArray<int>.Empty, new([inputSize]), ActivationKind.Linear, 0, new InputArguments(new([inputSize])), EquatableArray<int>.Empty) };
        foreach (var (name, units, activation, slope) in layers)
        {
            nodes.Add(new NodeSpec(name, OpKind.Dense, new([nodes.Count - 1]), new([units]), activation, slope, new DenseArguments(units), nodes[^1].Shape));
        }

        var graph = new GraphSpec(nodes.ToEquatableArray(), new([new OutputSpec(nodes.Count - 1, loss, 1.0)]));
        return new NetworkSpec(ns, className, ns is null ? className : ns + "." + className, EquatableArray<ContainingTypeSpec>.Empty, precision, graph);
    }
}
