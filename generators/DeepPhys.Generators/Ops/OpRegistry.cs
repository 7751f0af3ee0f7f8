using System;
using System.Collections.Generic;
using System.Linq;
using DeepPhys.Generators.Model;

namespace DeepPhys.Generators.Ops
{
    /// <summary>Every op's descriptor, by kind, by DSL name and by attribute: the one place that lists them.</summary>
    internal static class OpRegistry
    {
        /// <summary>The descriptors in <see cref="OpKind"/> order (a test checks every kind has one).</summary>
        public static readonly IReadOnlyList<OpDescriptor> All = new OpDescriptor[]
        {
            InputOp.Instance,
            DenseOp.Instance,
            ActivationOp.Instance,
            ElementwiseOp.Add,
            ElementwiseOp.Subtract,
            ElementwiseOp.Multiply,
            ConcatenateOp.Instance,
            FlattenOp.Instance,
            ReshapeOp.Instance,
            ConvolutionOp.Conv2D,
            PoolOp.MaxPool2D,
            PoolOp.AvgPool2D,
            GlobalPoolOp.Average2D,
            DropoutOp.Instance,
            BatchNormOp.Instance,
            RecurrentOp.SimpleRnn,
            RecurrentOp.Lstm,
            RecurrentOp.Gru,
            ConvolutionOp.Conv1D,
            PoolOp.MaxPool1D,
            PoolOp.AvgPool1D,
            GlobalPoolOp.Average1D,
            TransposeOp.Instance,
            GlobalPoolOp.Max2D,
            GlobalPoolOp.Max1D,
            UpSamplingOp.UpSampling2D,
            UpSamplingOp.UpSampling1D,
            TransposedConvolutionOp.Conv2DTranspose,
        };

        /// <summary>The layers the DSL names in a node statement (not the input, which has its own statement, nor the standalone activation, named by its activation).</summary>
        public static readonly IReadOnlyDictionary<string, OpDescriptor> ByDslName =
            All.Where(op => !op.IsInput && !op.IsStandaloneActivation).ToDictionary(op => op.DslName, StringComparer.Ordinal);

        /// <summary>The ops an attribute stack declares, by the attribute's metadata name.</summary>
        public static readonly IReadOnlyDictionary<string, OpDescriptor> ByAttribute =
            All.Where(op => op.Attribute is not null).ToDictionary(op => op.Attribute!.MetadataName, StringComparer.Ordinal);

        public static OpDescriptor Of(OpKind kind) => All[(int)kind];
    }
}
