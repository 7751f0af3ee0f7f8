using System;
using System.Collections.Generic;
using System.Linq;
using DeepPhys.Generators.Model;

namespace DeepPhys.Generators.Ops
{
    /// <summary>Every op's descriptor, by kind, by DSL name and by attribute: the one place that lists them.</summary>
    internal static class OpRegistry
    {
        /// <summary>
        /// The descriptors of every family in <see cref="OpKind"/> order, so <see cref="Of"/> is an index; a test checks every kind has
        /// exactly one. A new op is listed in its family's <c>All</c>; a new family here.
        /// </summary>
        public static readonly IReadOnlyList<OpDescriptor> All = new[]
        {
            GraphOps.All,
            DenseOps.All,
            ActivationOps.All,
            ConvolutionOps.All,
            PoolingOps.All,
            NormalizationOps.All,
            RecurrentOps.All,
            ResamplingOps.All,
            GenerativeOps.All,
        }.SelectMany(family => family).OrderBy(op => op.Kind).ToArray();

        /// <summary>The layers the DSL names in a node statement (not the input, which has its own statement, nor the standalone activation, named by its activation).</summary>
        public static readonly IReadOnlyDictionary<string, OpDescriptor> ByDslName =
            All.Where(op => !op.IsInput && !op.IsStandaloneActivation).ToDictionary(op => op.DslName, StringComparer.Ordinal);

        /// <summary>The ops an attribute stack declares, by the attribute's metadata name.</summary>
        public static readonly IReadOnlyDictionary<string, OpDescriptor> ByAttribute =
            All.Where(op => op.Attribute is not null).ToDictionary(op => op.Attribute!.MetadataName, StringComparer.Ordinal);

        public static OpDescriptor Of(OpKind kind) => All[(int)kind];
    }
}
