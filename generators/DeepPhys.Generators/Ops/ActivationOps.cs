using System.Collections.Generic;
using System.Linq;
using DeepPhys.Generators.Model;

namespace DeepPhys.Generators.Ops
{
    /// <summary>The family's descriptors, which <see cref="OpRegistry.All"/> gathers: a new op of the family is listed here only.</summary>
    internal static class ActivationOps
    {
        public static readonly IReadOnlyList<OpDescriptor> All = new OpDescriptor[] { ActivationOp.Instance };
    }

    /// <summary>
    /// A standalone activation, the identity followed by the node's activation: DSL <c>relu(x)</c>, <c>leaky_relu(x, slope: 0.2)</c>, …,
    /// attribute <c>[Activation(Activation.ReLU)]</c> (<c>NegativeSlope</c> for LeakyReLU). Its DSL names are the activations'
    /// (<see cref="ArgumentReader.ActivationNames"/>): the DSL front end sets the activation from the name, the attribute's
    /// constructor argument sets it as a layer's <c>activation</c> does.
    /// </summary>
    internal sealed class ActivationOp : OpDescriptor
    {
        public static readonly ActivationOp Instance = new();

        private static readonly Parameter[] Arguments = { Parameter.PostActivation with { AttributeOnly = true }, Parameter.Slope };

        private ActivationOp()
            : base(OpKind.Activation, "activation")
        {
        }

        public override LayerAttribute Attribute { get; } = new("DeepPhys.ActivationAttribute", "activation");

        public override IReadOnlyList<Parameter> Parameters => Arguments;

        public override bool IsStandaloneActivation => true;

        public override ShapeCheck Shape(OpArguments arguments, IReadOnlyList<EquatableArray<int>> inputs) => ShapeCheck.Ok(inputs[0].ToArray());

        /// <summary>Only the activation's own work, which the node adds.</summary>
        public override long Flops(NodeSpec node) => 0;

        public override void Forward(IOpWriter w, OpSite s) => CopyForward(w, s);

        public override void Backward(IOpWriter w, OpSite s, int input, string target, bool accumulate) => PassBackward(w, s, target, accumulate);
    }
}
