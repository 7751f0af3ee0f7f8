using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DeepPhys.Generators.Lowering;
using DeepPhys.Generators.Model;
using DeepPhys.Generators.Parsing;

namespace DeepPhys.Generators.Validation
{
    /// <summary>
    /// Checks a <see cref="NetworkDeclaration"/>: the layer stack, the arguments, and whether the
    /// output layer fits the loss. Every problem is reported, not only the first.
    /// </summary>
    internal static class NetworkValidator
    {
        /// <summary>The most values a .NET array holds (<c>Array.MaxLength</c>, which netstandard2.0 lacks).</summary>
        private const long MaxBufferLength = 0x7FFFFFC7;

        public static List<DiagnosticInfo> Validate(NetworkDeclaration network)
        {
            var diagnostics = new List<DiagnosticInfo>();
            CheckInputs(network, diagnostics);
            var denses = network.Layers.Where(layer => layer.Kind == LayerAttributeKind.Dense).ToList();
            foreach (var dense in denses) CheckDense(dense, diagnostics);
            CheckNames(network.Layers.Where(layer => layer.Kind != LayerAttributeKind.Input).ToList(), diagnostics);
            bool denseOnly = network.Layers.All(layer => layer.Kind is LayerAttributeKind.Input or LayerAttributeKind.Dense);
            if (denseOnly) CheckSize(network, denses, diagnostics);
            bool stackValid = CheckStackLayers(network, diagnostics);
            if (stackValid && !diagnostics.Any(diagnostic => diagnostic.IsError)) CheckShapes(network, diagnostics);
            if (!denseOnly && !diagnostics.Any(diagnostic => diagnostic.IsError))
            {
                CheckStackSize(network, diagnostics);
            }

            CheckLoss(network, diagnostics);
            return diagnostics;
        }

        /// <summary>Whether a layer name can appear in generated constant names: a letter, then letters, digits and underscores.</summary>
        internal static bool IsValidLayerName(string name) =>
            name.Length > 0 && char.IsLetter(name[0]) && name.All(c => char.IsLetterOrDigit(c) || c == '_');

        /// <summary>The PascalCase form of a layer name used in constant names: <c>dense_1</c> → <c>Dense1</c>.</summary>
        public static string ToIdentifier(string name) =>
            string.Concat(name.Split('_').Where(part => part.Length > 0).Select(part => char.ToUpperInvariant(part[0]) + part.Substring(1)));

        private static void CheckInputs(NetworkDeclaration network, List<DiagnosticInfo> diagnostics)
        {
            var inputs = network.Layers.Where(layer => layer.Kind == LayerAttributeKind.Input).ToList();
            if (inputs.Count == 0)
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.MissingInput, network.Location, network.ClassName));
                return;
            }

            foreach (var extra in inputs.Skip(1))
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.MultipleInputs, extra.Location, network.ClassName));
            }

            var first = inputs[0];
            if (network.Layers[0] != first)
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.InputAfterLayer, first.Location, network.ClassName));
            }

            foreach (var input in inputs.Where(input => input.Size < 1))
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.InputSizeTooSmall, input.SizeLocation ?? input.Location, Format(input.Size)));
            }

            if (network.Layers.All(layer => layer.Kind == LayerAttributeKind.Input))
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.NoLayers, network.Location, network.ClassName));
            }
        }

        private static void CheckDense(LayerDeclaration dense, List<DiagnosticInfo> diagnostics)
        {
            if (dense.Size < 1)
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.UnitsTooSmall, dense.SizeLocation ?? dense.Location, dense.Name, Format(dense.Size)));
            }

            bool knownActivation = Enum.IsDefined(typeof(ActivationKind), dense.ActivationValue);
            if (!knownActivation)
            {
                diagnostics.Add(new DiagnosticInfo(
                    DiagnosticDescriptors.UnknownActivation, dense.ActivationLocation ?? dense.Location, dense.Name, Format(dense.ActivationValue)));
            }

            if (dense.NegativeSlope is double slope)
            {
                var location = dense.NegativeSlopeLocation ?? dense.Location;
                if (double.IsNaN(slope) || double.IsInfinity(slope) || slope < 0)
                {
                    diagnostics.Add(new DiagnosticInfo(
                        DiagnosticDescriptors.InvalidNegativeSlope, location, dense.Name, slope.ToString("R", CultureInfo.InvariantCulture)));
                }
                else if (knownActivation && dense.Activation != ActivationKind.LeakyReLU)
                {
                    diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.NegativeSlopeIgnored, location, dense.Name, dense.Activation.ToString()));
                }
            }
        }

        /// <summary>Names must be valid and unique, also after PascalCasing, since each one names two constants.</summary>
        private static void CheckNames(List<LayerDeclaration> denses, List<DiagnosticInfo> diagnostics)
        {
            var seen = new Dictionary<string, LayerDeclaration>(StringComparer.Ordinal);
            foreach (var dense in denses)
            {
                if (!IsValidLayerName(dense.Name))
                {
                    diagnostics.Add(new DiagnosticInfo(
                        DiagnosticDescriptors.InvalidLayerName,
                        dense.NameLocation ?? dense.Location,
                        dense.Name,
                        "is not valid: a layer name starts with a letter and has only letters, digits and underscores"));
                    continue;
                }

                string identifier = ToIdentifier(dense.Name);
                if (!seen.TryGetValue(identifier, out var earlier))
                {
                    seen.Add(identifier, dense);
                    continue;
                }

                // Point at a Name argument: a default name cannot clash unless an explicit one took it.
                var location = dense.NameLocation ?? earlier.NameLocation ?? dense.Location;
                string reason = earlier.Name == dense.Name
                    ? "is used by more than one layer; layer names must be unique"
                    : $"gives the same constant names ({identifier}Weights, {identifier}Bias) as layer '{earlier.Name}'; layer names must differ after PascalCasing";
                diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.InvalidLayerName, location, dense.Name, reason));
            }
        }

        /// <summary>
        /// Conv, pool, dropout, batch norm and recurrent arguments: sizes at least 1 (DPH0407), a known padding and activation, a dropout rate
        /// in [0, 1), a simple RNN's cell activation tanh, ReLU, sigmoid or linear (DPH0303).
        /// </summary>
        private static bool CheckStackLayers(NetworkDeclaration network, List<DiagnosticInfo> diagnostics)
        {
            int before = diagnostics.Count;
            foreach (var layer in network.Layers)
            {
                var names = layer.Kind switch
                {
                    LayerAttributeKind.Conv2D or LayerAttributeKind.Conv1D => new[] { "filters", "kernel", "Stride" },
                    LayerAttributeKind.MaxPool2D or LayerAttributeKind.AvgPool2D or LayerAttributeKind.MaxPool1D or LayerAttributeKind.AvgPool1D => new[] { "window", "Stride" },
                    _ => new string[0],
                };
                for (int i = 0; i < names.Length; i++)
                {
                    if (layer.Arguments[i] < 1) diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.SizeNotPositive, layer.Location, layer.Name, names[i], Format(layer.Arguments[i])));
                }

                bool convolution = layer.Kind is LayerAttributeKind.Conv2D or LayerAttributeKind.Conv1D;
                if (convolution && layer.Arguments[3] == int.MinValue)
                {
                    diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.UnknownEnumValue, layer.Location, "Padding", "outside Valid and Same"));
                }

                if (convolution && !Enum.IsDefined(typeof(ActivationKind), layer.ActivationValue))
                {
                    diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.UnknownActivation, layer.ActivationLocation ?? layer.Location, layer.Name, Format(layer.ActivationValue)));
                }

                if (layer.Kind is LayerAttributeKind.SimpleRnn or LayerAttributeKind.Lstm or LayerAttributeKind.Gru && layer.Size < 1)
                {
                    diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.SizeNotPositive, layer.SizeLocation ?? layer.Location, layer.Name, "units", Format(layer.Size)));
                }

                if (layer.Kind == LayerAttributeKind.SimpleRnn && (ActivationKind)layer.Arguments[1] is not (ActivationKind.Tanh or ActivationKind.ReLU or ActivationKind.Sigmoid or ActivationKind.Linear))
                {
                    diagnostics.Add(Enum.IsDefined(typeof(ActivationKind), layer.Arguments[1])
                        ? new DiagnosticInfo(DiagnosticDescriptors.InvalidArgument, layer.ActivationLocation ?? layer.Location, layer.Name, "needs a cell activation of Tanh, ReLU, Sigmoid or Linear, not " + (ActivationKind)layer.Arguments[1])
                        : new DiagnosticInfo(DiagnosticDescriptors.UnknownActivation, layer.ActivationLocation ?? layer.Location, layer.Name, Format(layer.Arguments[1])));
                }

                if (layer.Kind == LayerAttributeKind.Dropout && !(layer.Rate >= 0 && layer.Rate < 1))
                {
                    diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.InvalidArgument, layer.Location, layer.Name, "needs a rate in [0, 1), not " + layer.Rate.ToString("R", CultureInfo.InvariantCulture)));
                }

                if (layer.Kind == LayerAttributeKind.BatchNorm && !(layer.Momentum >= 0 && layer.Momentum <= 1 && layer.Epsilon > 0 && !double.IsInfinity(layer.Epsilon)))
                {
                    diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.InvalidArgument, layer.Location, layer.Name, "needs a momentum in [0, 1] and a finite epsilon above 0"));
                }
            }

            return diagnostics.Count == before;
        }

        /// <summary>The op table's shape rules along the stack: dense on an image (DPH0405), a window larger than its input (DPH0406), …</summary>
        private static void CheckShapes(NetworkDeclaration network, List<DiagnosticInfo> diagnostics)
        {
            var failed = ChainLowering.Walk(network).FirstOrDefault(step => step.Check.Problem is not null);
            if (failed.Check is { Problem: { } problem })
            {
                diagnostics.Add(new DiagnosticInfo(problem, failed.Layer.Location, new[] { failed.Layer.Name }.Concat(failed.Check.Args).ToArray()));
            }
        }

        /// <summary>
        /// DPH0112 (Info) at <paramref name="location"/> when a valid network has more than <see cref="OpTable.SmallNetworkMaxParameters"/>
        /// parameters, so its dense layers use the general kernels: the parameter and forward FLOP counts say why.
        /// </summary>
        public static IEnumerable<DiagnosticInfo> LargeNetwork(NetworkSpec? spec, LocationInfo? location)
        {
            if (spec is null || OpTable.UsesSmallDenseKernels(spec.Graph)) yield break;
            yield return new DiagnosticInfo(
                DiagnosticDescriptors.LargeNetwork,
                location,
                spec.ClassName,
                Format(spec.Graph.ParameterCount),
                Format(spec.Graph.FlopsPerSample),
                Format(OpTable.SmallNetworkMaxParameters));
        }

        /// <summary>A stack with images: the parameters and activations by the op table's shapes, in long arithmetic (DPH0111).</summary>
        private static void CheckStackSize(NetworkDeclaration network, List<DiagnosticInfo> diagnostics)
        {
            long parameters = 0, activations = 0;
            IReadOnlyList<int> previous = new int[0];
            foreach (var (_, node, check) in ChainLowering.Walk(network))
            {
                var shape = check.Shape ?? new int[0];
                if (node.Op != OpKind.Input)
                {
                    parameters += OpTable.ParameterCount(node.Op, node.Units, node.Arguments, previous);
                    activations += shape.Aggregate(1L, (product, dimension) => Math.Min(product * dimension, MaxBufferLength + 1))
                        + OpTable.RecurrentWorkspaceCount(node.Op, node.Units, previous);
                }

                previous = shape;
                if (parameters > MaxBufferLength || activations > MaxBufferLength || parameters < 0)
                {
                    diagnostics.Add(new DiagnosticInfo(
                        DiagnosticDescriptors.NetworkTooLarge, network.Location, network.ClassName, Format(parameters), Format(activations), Format(MaxBufferLength)));
                    return;
                }
            }
        }

        /// <summary>Buffer lengths must fit in an int; only checked once every size is positive.</summary>
        private static void CheckSize(NetworkDeclaration network, List<LayerDeclaration> denses, List<DiagnosticInfo> diagnostics)
        {
            var input = network.Layers.FirstOrDefault(layer => layer.Kind == LayerAttributeKind.Input);
            if (input is null || input.Size < 1 || denses.Any(dense => dense.Size < 1)) return;

            long parameters = 0, activations = 0, fanIn = input.Size;
            foreach (var dense in denses)
            {
                // Each term is below 2^63 and the sums stop growing past the limit, so nothing overflows.
                parameters += (fanIn + 1) * dense.Size;
                activations += dense.Size;
                fanIn = dense.Size;
                if (parameters > MaxBufferLength || activations > MaxBufferLength)
                {
                    diagnostics.Add(new DiagnosticInfo(
                        DiagnosticDescriptors.NetworkTooLarge,
                        network.Location,
                        network.ClassName,
                        Format(parameters),
                        Format(activations),
                        Format(MaxBufferLength)));
                    return;
                }
            }
        }

        /// <summary>The loss and the output layer: a dense layer (or conv) by its activation and units; any other last layer has no activation.</summary>
        private static void CheckLoss(NetworkDeclaration network, List<DiagnosticInfo> diagnostics)
        {
            if (!Enum.IsDefined(typeof(PrecisionKind), network.PrecisionValue))
            {
                diagnostics.Add(new DiagnosticInfo(
                    DiagnosticDescriptors.UnknownEnumValue, network.PrecisionLocation ?? network.Location, "Precision", Format(network.PrecisionValue)));
            }

            if (!Enum.IsDefined(typeof(LossKind), network.LossValue))
            {
                diagnostics.Add(new DiagnosticInfo(
                    DiagnosticDescriptors.UnknownEnumValue, network.LossLocation ?? network.Location, "Loss", Format(network.LossValue)));
                return;
            }

            var loss = (LossKind)network.LossValue;
            if (loss == LossKind.None)
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.MissingLoss, network.Location, network.ClassName));
                return;
            }

            var output = network.Layers.LastOrDefault(layer => layer.Kind != LayerAttributeKind.Input);
            if (output is null || !Enum.IsDefined(typeof(ActivationKind), output.ActivationValue)) return;

            bool activated = output.Kind is LayerAttributeKind.Dense or LayerAttributeKind.Conv2D or LayerAttributeKind.Conv1D;
            var activation = activated ? output.Activation : ActivationKind.Linear;
            var problem = LossFitProblem(loss, activation, output.Kind == LayerAttributeKind.Dense ? output.Size : 2);
            if (problem is not null)
            {
                diagnostics.Add(new DiagnosticInfo(problem, output.Location, output.Name, activation.ToString()));
            }
        }

        /// <summary>DPH0202–0205: whether an output of <paramref name="units"/> values with <paramref name="activation"/> fits <paramref name="loss"/>; shared by both front ends.</summary>
        public static Microsoft.CodeAnalysis.DiagnosticDescriptor? LossFitProblem(LossKind loss, ActivationKind activation, long units) => loss switch
        {
            LossKind.BinaryCrossEntropy when activation == ActivationKind.Softmax => DiagnosticDescriptors.SoftmaxWithBinaryCrossEntropy,
            LossKind.BinaryCrossEntropy when activation != ActivationKind.Sigmoid => DiagnosticDescriptors.BinaryNeedsSigmoid,
            LossKind.CategoricalCrossEntropy when units == 1 => DiagnosticDescriptors.SingleUnitCategorical,
            LossKind.CategoricalCrossEntropy when activation != ActivationKind.Softmax => DiagnosticDescriptors.CategoricalNeedsSoftmax,
            _ => null,
        };

        private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
