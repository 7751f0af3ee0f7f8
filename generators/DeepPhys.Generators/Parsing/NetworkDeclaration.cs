using DeepPhys.Generators.Model;

namespace DeepPhys.Generators.Parsing
{
    /// <summary>Which layer attribute a <see cref="LayerDeclaration"/> came from.</summary>
    internal enum LayerAttributeKind
    {
        Input,
        Dense,
        Conv2D,
        MaxPool2D,
        AvgPool2D,
        GlobalAveragePooling2D,
        Flatten,
        Dropout,
        BatchNorm,
        SimpleRnn,
        Lstm,
        Gru,
        Conv1D,
        MaxPool1D,
        AvgPool1D,
        GlobalAveragePooling1D,
        Transpose,
    }

    /// <summary>
    /// One [Input] or [Dense] attribute as written, unchecked, with the locations a diagnostic may
    /// point at. It never leaves the transform: the validator reads it, then a <see cref="NodeSpec"/> replaces it.
    /// </summary>
    /// <param name="Kind">The attribute.</param>
    /// <param name="Location">The whole attribute.</param>
    /// <param name="Size">The input size or the dense units.</param>
    /// <param name="SizeLocation">The size or units argument, or <c>null</c> if it has no syntax of its own.</param>
    /// <param name="ActivationValue">The activation as an integer, possibly outside the enum.</param>
    /// <param name="ActivationLocation">The activation argument, or <c>null</c> when defaulted.</param>
    /// <param name="NegativeSlope">The explicitly set slope, or <c>null</c>.</param>
    /// <param name="NegativeSlopeLocation">The NegativeSlope argument, or <c>null</c>.</param>
    /// <param name="Name">The layer name: explicit, or the Keras default (<c>dense</c>, <c>dense_1</c>, …).</param>
    /// <param name="NameLocation">The Name argument, or <c>null</c> for a default name.</param>
    /// <param name="Arguments">A signal input's [channels, length], a sequence input's [time, features], an image input's [channels, height, width]; a conv's filters, kernel, stride, padding (−1: 'same'), bias (0: none); a pool's window, stride; a recurrent layer's return-sequences flag (1: every step) and a simple RNN's activation.</param>
    /// <param name="Rate">A dropout's rate.</param>
    /// <param name="Momentum">A batch norm's momentum.</param>
    /// <param name="Epsilon">A batch norm's epsilon.</param>
    internal sealed record LayerDeclaration(
        LayerAttributeKind Kind,
        LocationInfo? Location,
        int Size,
        LocationInfo? SizeLocation,
        int ActivationValue,
        LocationInfo? ActivationLocation,
        double? NegativeSlope,
        LocationInfo? NegativeSlopeLocation,
        string Name,
        LocationInfo? NameLocation,
        EquatableArray<int> Arguments = default,
        double Rate = 0,
        double Momentum = 0.99,
        double Epsilon = 0.001)
    {
        public ActivationKind Activation => (ActivationKind)ActivationValue;
    }

    /// <summary>The [Network] attribute and its layers as written, unchecked.</summary>
    /// <param name="ClassName">The network class's name, for messages.</param>
    /// <param name="Location">The [Network] attribute.</param>
    /// <param name="LossValue">The loss as an integer, possibly outside the enum; 0 when not set.</param>
    /// <param name="LossLocation">The Loss argument, or <c>null</c>.</param>
    /// <param name="PrecisionValue">The precision as an integer, possibly outside the enum.</param>
    /// <param name="PrecisionLocation">The Precision argument, or <c>null</c>.</param>
    /// <param name="Layers">[Input] and [Dense] attributes in source order.</param>
    internal sealed record NetworkDeclaration(
        string ClassName,
        LocationInfo? Location,
        int LossValue,
        LocationInfo? LossLocation,
        int PrecisionValue,
        LocationInfo? PrecisionLocation,
        EquatableArray<LayerDeclaration> Layers);
}
