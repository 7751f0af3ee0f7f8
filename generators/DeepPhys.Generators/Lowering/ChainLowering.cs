using System.Collections.Generic;
using System.Linq;
using DeepPhys.Generators.Model;
using DeepPhys.Generators.Parsing;

namespace DeepPhys.Generators.Lowering
{
    /// <summary>
    /// Lowers a validated attribute stack (<c>[Input]</c>, then dense, conv (1-D and 2-D), pool, flatten, dropout, batch norm and recurrent
    /// layers) into a chain graph: each layer with its fused activation feeds the next.
    /// </summary>
    internal static class ChainLowering
    {
        public static GraphSpec Lower(NetworkDeclaration declaration)
        {
            var nodes = new List<NodeSpec>();
            foreach (var (_, node, check) in Walk(declaration))
            {
                if (check.Shape is null) break;
                nodes.Add(node with { Shape = new EquatableArray<int>(check.Shape) });
            }

            var output = new OutputSpec(nodes.Count - 1, (LossKind)declaration.LossValue, 1.0);
            return new GraphSpec(nodes.ToEquatableArray(), new EquatableArray<OutputSpec>(new[] { output }));
        }

        /// <summary>
        /// The stack's layers in order with their nodes and the op table's shape answers, starting with the input;
        /// it stops after the first layer whose shape check fails. The validator reports that failure, the lowering never sees one.
        /// </summary>
        public static IEnumerable<(LayerDeclaration Layer, NodeSpec Node, ShapeCheck Check)> Walk(NetworkDeclaration declaration)
        {
            var input = declaration.Layers[0];
            var shape = new EquatableArray<int>(input.Arguments.Count > 0 ? input.Arguments.ToArray() : new[] { input.Size });
            yield return (input, Node(input, OpKind.Input, -1, 0, EquatableArray<int>.Empty) with { Shape = shape }, ShapeCheck.Ok(shape.ToArray()));
            int index = 0;
            foreach (var layer in declaration.Layers.Skip(1))
            {
                int size = shape.Aggregate(1, (product, dimension) => product * dimension);
                var node = layer.Kind switch
                {
                    LayerAttributeKind.Dense => Node(layer, OpKind.Dense, index, size, EquatableArray<int>.Empty),
                    LayerAttributeKind.Conv2D => Node(layer, OpKind.Conv2D, index, 0, layer.Arguments),
                    LayerAttributeKind.MaxPool2D => Node(layer, OpKind.MaxPool2D, index, 0, layer.Arguments),
                    LayerAttributeKind.AvgPool2D => Node(layer, OpKind.AvgPool2D, index, 0, layer.Arguments),
                    LayerAttributeKind.GlobalAveragePooling2D => Node(layer, OpKind.GlobalAvgPool2D, index, 0, layer.Arguments),
                    LayerAttributeKind.Flatten => Node(layer, OpKind.Flatten, index, 0, layer.Arguments),
                    LayerAttributeKind.Dropout => Node(layer, OpKind.Dropout, index, 0, layer.Arguments) with { Rate = layer.Rate },
                    LayerAttributeKind.SimpleRnn => Node(layer, OpKind.SimpleRnn, index, 0, layer.Arguments) with { Units = layer.Size },
                    LayerAttributeKind.Lstm => Node(layer, OpKind.Lstm, index, 0, layer.Arguments) with { Units = layer.Size },
                    LayerAttributeKind.Gru => Node(layer, OpKind.Gru, index, 0, layer.Arguments) with { Units = layer.Size },
                    LayerAttributeKind.Conv1D => Node(layer, OpKind.Conv1D, index, 0, layer.Arguments),
                    LayerAttributeKind.MaxPool1D => Node(layer, OpKind.MaxPool1D, index, 0, layer.Arguments),
                    LayerAttributeKind.AvgPool1D => Node(layer, OpKind.AvgPool1D, index, 0, layer.Arguments),
                    LayerAttributeKind.GlobalAveragePooling1D => Node(layer, OpKind.GlobalAvgPool1D, index, 0, layer.Arguments),
                    LayerAttributeKind.Transpose => Node(layer, OpKind.Transpose, index, 0, layer.Arguments),
                    _ => Node(layer, OpKind.BatchNorm, index, 0, layer.Arguments) with { Momentum = layer.Momentum, Epsilon = layer.Epsilon },
                };
                var check = OpTable.Rules[node.Op].Shape(node, new[] { shape });
                yield return (layer, node, check);
                if (check.Shape is null) yield break;
                shape = new EquatableArray<int>(check.Shape);
                index++;
            }
        }

        private static NodeSpec Node(LayerDeclaration layer, OpKind op, int input, int fanIn, EquatableArray<int> arguments) => new(
            layer.Name,
            op,
            input < 0 ? EquatableArray<int>.Empty : new EquatableArray<int>(new[] { input }),
            new EquatableArray<int>(new[] { layer.Size }),
            op == OpKind.Dense ? layer.Size : 0,
            fanIn,
            op is OpKind.Dense or OpKind.Conv2D or OpKind.Conv1D ? layer.Activation : ActivationKind.Linear,
            op == OpKind.Dense ? layer.NegativeSlope ?? 0.01 : op == OpKind.Input ? 0 : 0.01,
            arguments);
    }
}
