using System.Collections.Generic;
using System.Linq;
using DeepPhys.Generators.Model;
using DeepPhys.Generators.Parsing;

namespace DeepPhys.Generators.Lowering
{
    /// <summary>Lowers a validated attribute stack (<c>[Input]</c>, then <c>[Dense]</c>s) into a chain graph: each dense layer with its fused activation feeds the next.</summary>
    internal static class ChainLowering
    {
        public static GraphSpec Lower(NetworkDeclaration declaration)
        {
            var input = declaration.Layers[0];
            var nodes = new List<NodeSpec> { Node("input", OpKind.Input, -1, input.Size, 0, ActivationKind.Linear, 0) };
            foreach (var dense in declaration.Layers.Skip(1))
            {
                nodes.Add(Node(dense.Name, OpKind.Dense, nodes.Count - 1, dense.Size, nodes[nodes.Count - 1].Size, dense.Activation, dense.NegativeSlope ?? 0.01));
            }

            var output = new OutputSpec(nodes.Count - 1, (LossKind)declaration.LossValue, 1.0);
            return new GraphSpec(nodes.ToEquatableArray(), new EquatableArray<OutputSpec>(new[] { output }));
        }

        private static NodeSpec Node(string name, OpKind op, int input, int units, int fanIn, ActivationKind activation, double slope) => new(
            name,
            op,
            input < 0 ? EquatableArray<int>.Empty : new EquatableArray<int>(new[] { input }),
            new EquatableArray<int>(new[] { units }),
            op == OpKind.Dense ? units : 0,
            fanIn,
            activation,
            slope,
            EquatableArray<int>.Empty);
    }
}
