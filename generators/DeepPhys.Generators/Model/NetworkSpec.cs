using System.Linq;

namespace DeepPhys.Generators.Model
{
    /// <summary>
    /// A valid network, everything the emitter needs and nothing more. It holds no location, so
    /// moving the declaration in its file leaves it equal and the source is not emitted again.
    /// </summary>
    /// <param name="Namespace">The containing namespace, or <c>null</c> for the global namespace.</param>
    /// <param name="ClassName">The network class's name.</param>
    /// <param name="HintName">The unique file name of the generated source, without extension.</param>
    /// <param name="ContainingTypes">The types the class is nested in, outermost first.</param>
    /// <param name="Precision">The element type.</param>
    /// <param name="Loss">The loss trained on.</param>
    /// <param name="InputSize">Features per sample.</param>
    /// <param name="Layers">The dense layers in source order; never empty.</param>
    internal sealed record NetworkSpec(
        string? Namespace,
        string ClassName,
        string HintName,
        EquatableArray<ContainingTypeSpec> ContainingTypes,
        PrecisionKind Precision,
        LossKind Loss,
        int InputSize,
        EquatableArray<LayerSpec> Layers)
    {
        public string ElementType => Precision == PrecisionKind.Double ? "double" : "float";

        public int ParameterCount => Layers.Sum(layer => layer.ParameterCount);

        /// <summary>Workspace values per sample: every layer's output, one after the other.</summary>
        public int ActivationsPerSample => Layers.Sum(layer => layer.Units);

        /// <summary>
        /// Whether the output slot keeps logits: the cross-entropy losses apply softmax or sigmoid
        /// themselves, which is cheaper and numerically stabler than differentiating through it.
        /// </summary>
        public bool OutputKeepsLogits => Loss is LossKind.CategoricalCrossEntropy or LossKind.BinaryCrossEntropy;
    }
}
