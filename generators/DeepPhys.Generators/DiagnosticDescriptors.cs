using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace DeepPhys.Generators
{
    /// <summary>
    /// Every diagnostic the generator reports. Ids: DPH00xx the class declaration, DPH01xx the
    /// layers and the network's size, DPH02xx the loss and enum values, DPH03xx the DSL's syntax, names and
    /// layer arguments, DPH04xx the graph (names, cycles, shapes, sizes, liveness, loss targets), DPH05xx
    /// methodology warnings, DPH06xx the baked weights files. Each one is documented in docs/diagnostics.md under its id.
    /// </summary>
    internal static class DiagnosticDescriptors
    {
        private const string Category = "DeepPhys";

        public static readonly DiagnosticDescriptor NetworkMustBePartial = Error(
            "DPH0001",
            "Network class must be partial",
            "Network class '{0}' must be declared partial so the generator can add its forward and backward passes");

        public static readonly DiagnosticDescriptor ContainingTypeMustBePartial = Error(
            "DPH0002",
            "Type containing a network must be partial",
            "Type '{0}' contains the network class '{1}' and must be declared partial so the generated code can be nested in it");

        public static readonly DiagnosticDescriptor UnsupportedNetworkClass = Error(
            "DPH0003",
            "Network class cannot be static, abstract, generic, file-local or a record",
            "Network class '{0}' cannot be {1}: the generator derives it from DeepPhys.Network<T> and gives it a constructor");

        public static readonly DiagnosticDescriptor NetworkHasBaseClass = Error(
            "DPH0004",
            "Network class must not declare a base class",
            "Network class '{0}' must not derive from '{1}': the generator derives it from DeepPhys.Network<T>");

        public static readonly DiagnosticDescriptor NetworkNamedLikeAGeneratedMember = Error(
            "DPH0006",
            "Network class name clashes with the generated code",
            "Network class '{0}' {1}");

        public static readonly DiagnosticDescriptor NetworkDeclaredTwice = Error(
            "DPH0007",
            "Network class declared twice",
            "Network class '{0}' is declared twice: by {1} and by '{2}'; a network class is generated from one declaration");

        public static readonly DiagnosticDescriptor LayerWithoutNetwork = Error(
            "DPH0005",
            "Layer attribute on a class without [Network]",
            "Class '{0}' has a [{1}] layer attribute but no [Network] attribute, so no network is generated; add [Network(Loss = ...)]");

        public static readonly DiagnosticDescriptor MissingInput = Error(
            "DPH0101",
            "Network declares no input",
            "Network '{0}' declares no input; add [Input(size)] before its first layer");

        public static readonly DiagnosticDescriptor MultipleInputs = Error(
            "DPH0102",
            "Network declares more than one input",
            "Network '{0}' declares more than one [Input]; an attribute stack has one input, so declare a network with several inputs in the DSL");

        public static readonly DiagnosticDescriptor InputAfterLayer = Error(
            "DPH0103",
            "Input must come before the layers",
            "[Input] of network '{0}' must come before its first layer");

        public static readonly DiagnosticDescriptor InputSizeTooSmall = Error(
            "DPH0104",
            "Input size must be at least 1",
            "Input size is {0}; a network needs at least one input feature");

        public static readonly DiagnosticDescriptor UnitsTooSmall = Error(
            "DPH0105",
            "Dense units must be at least 1",
            "Dense layer '{0}' has {1} units; a layer needs at least one");

        public static readonly DiagnosticDescriptor NoLayers = Error(
            "DPH0106",
            "Network has no layers",
            "Network '{0}' has an input but no layers; add at least one [Dense] after [Input]");

        public static readonly DiagnosticDescriptor UnknownActivation = Error(
            "DPH0107",
            "Unknown activation",
            "Layer '{0}' has the activation value {1}, which is not a member of DeepPhys.Activation");

        public static readonly DiagnosticDescriptor InvalidNegativeSlope = Error(
            "DPH0108",
            "NegativeSlope must be finite and not negative",
            "Dense layer '{0}' has NegativeSlope {1}; it must be finite and at least 0");

        public static readonly DiagnosticDescriptor NegativeSlopeIgnored = new(
            "DPH0109",
            "NegativeSlope is only used by LeakyReLU",
            "Dense layer '{0}' sets NegativeSlope but its activation is {1}; the slope is only used by LeakyReLU",
            Category,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            helpLinkUri: HelpLink("DPH0109"));

        public static readonly DiagnosticDescriptor InvalidLayerName = Error(
            "DPH0110",
            "Invalid or duplicate layer name",
            "Layer name '{0}' {1}");

        public static readonly DiagnosticDescriptor NetworkTooLarge = Error(
            "DPH0111",
            "Network is too large",
            "Network '{0}' has {1} parameters and {2} activations per sample; a buffer holds at most {3} values");

        public static readonly DiagnosticDescriptor LargeNetwork = Info(
            "DPH0112",
            "Network too large for the small-layer kernels",
            "Network '{0}' has {1} parameters and {2} FLOPs per sample (forward); above {3} parameters its dense layers use the general kernels instead of the small-layer ones");

        public static readonly DiagnosticDescriptor MissingLoss = Error(
            "DPH0201",
            "Network declares no loss",
            "Network '{0}' declares no loss; set one, e.g. [Network(Loss = Loss.CategoricalCrossEntropy)]");

        public static readonly DiagnosticDescriptor SoftmaxWithBinaryCrossEntropy = Error(
            "DPH0202",
            "Softmax output with binary cross-entropy",
            "Output layer '{0}' uses softmax but the loss is binary cross-entropy; use a sigmoid output (Dense(1, Activation.Sigmoid) for a yes/no answer), or Loss.CategoricalCrossEntropy for exclusive classes");

        public static readonly DiagnosticDescriptor SingleUnitCategorical = Error(
            "DPH0203",
            "Single-unit output with categorical cross-entropy",
            "Output layer '{0}' has a single unit but categorical cross-entropy needs at least two classes; for a yes/no answer use Dense(1, Activation.Sigmoid) with Loss.BinaryCrossEntropy");

        public static readonly DiagnosticDescriptor CategoricalNeedsSoftmax = Error(
            "DPH0204",
            "Categorical cross-entropy needs a softmax output",
            "Output layer '{0}' uses {1} but categorical cross-entropy needs a softmax output; use Activation.Softmax");

        public static readonly DiagnosticDescriptor BinaryNeedsSigmoid = Error(
            "DPH0205",
            "Binary cross-entropy needs a sigmoid output",
            "Output layer '{0}' uses {1} but binary cross-entropy needs a sigmoid output; use Activation.Sigmoid");

        public static readonly DiagnosticDescriptor UnknownEnumValue = Error(
            "DPH0206",
            "Unknown Loss or Precision value",
            "{0} value {1} is not a member of DeepPhys.{0}");

        public static readonly DiagnosticDescriptor SyntaxError = Error(
            "DPH0301",
            "DSL syntax error",
            "Syntax error: expected {0} but found {1}");

        public static readonly DiagnosticDescriptor UnknownName = Error(
            "DPH0302",
            "Unknown layer, activation, loss, argument or parameter",
            "Unknown {0} '{1}'{2}");

        public static readonly DiagnosticDescriptor InvalidArgument = Error(
            "DPH0303",
            "Invalid layer argument",
            "'{0}' {1}");

        public static readonly DiagnosticDescriptor InvalidDslDeclaration = Error(
            "DPH0304",
            "Invalid DSL declaration",
            "{0}");

        public static readonly DiagnosticDescriptor RecurrentNeedsSequence = Error(
            "DPH0305",
            "Recurrent layer on an input that is not a sequence",
            "Recurrent layer '{0}' gets an input of shape {1} but needs a sequence [time, features]; declare the input as one ([Input(time, features)], or 'input x[time, features]' in the DSL) or reshape to it");

        public static readonly DiagnosticDescriptor InvalidParameter = Error(
            "DPH0306",
            "Invalid DSL parameter",
            "Parameter '{0}' {1}");

        public static readonly DiagnosticDescriptor ParameterNotANode = Error(
            "DPH0307",
            "Parameter where a node is expected",
            "'{0}' is a parameter, not a node: {1}");

        public static readonly DiagnosticDescriptor InvalidRepeat = Error(
            "DPH0308",
            "Invalid repeat",
            "'repeat' {0}");

        public static readonly DiagnosticDescriptor UndefinedName = Error(
            "DPH0401",
            "Undefined node name",
            "'{0}' is not defined{1}");

        public static readonly DiagnosticDescriptor DuplicateName = Error(
            "DPH0402",
            "Duplicate node name",
            "'{0}' {1}");

        public static readonly DiagnosticDescriptor Cycle = Error(
            "DPH0403",
            "Nodes form a cycle",
            "Nodes form a cycle: {0}; a network must be acyclic");

        public static readonly DiagnosticDescriptor MergeShapeMismatch = Error(
            "DPH0404",
            "Merge of different shapes",
            "'{0}' merges inputs of shapes {1}; it needs {2}");

        public static readonly DiagnosticDescriptor DenseNeedsVector = Error(
            "DPH0405",
            "Dense layer on an input that is not flat",
            "Dense layer '{0}' gets an input of shape {1}; insert flatten before it to make that {2}");

        public static readonly DiagnosticDescriptor WindowTooLarge = Error(
            "DPH0406",
            "Window larger than its input",
            "'{0}' gets an input of shape {1} but needs {2}");

        public static readonly DiagnosticDescriptor SizeNotPositive = Error(
            "DPH0407",
            "Size must be at least 1",
            "'{0}' has {1} = {2}; sizes and strides must be at least 1");

        public static readonly DiagnosticDescriptor ReshapeSizeMismatch = Error(
            "DPH0408",
            "Reshape to a different number of values",
            "Reshape '{0}' turns shape {1} into {2}, which holds a different number of values");

        public static readonly DiagnosticDescriptor OutputWithoutLoss = Error(
            "DPH0409",
            "Output reaches no loss",
            "'{0}' is an output of the network (nothing uses it) but has no loss; add 'loss mse({0})' (or the loss that fits), or remove it");

        public static readonly DiagnosticDescriptor UnusedNode = Warning(
            "DPH0410",
            "Unused node",
            "'{0}' is not used by any node that reaches a loss");

        public static readonly DiagnosticDescriptor InvalidLossTarget = Error(
            "DPH0411",
            "Invalid loss target",
            "The loss on '{0}' {1}");

        public static readonly DiagnosticDescriptor SigmoidMseClassifier = Warning(
            "DPH0501",
            "Classifier output trained with mean squared error",
            "Output '{0}' uses {1}, which makes it look like a classifier, but it is trained with mean squared error; use {2}, whose gradient does not vanish when the {1} saturates");

        public static readonly DiagnosticDescriptor DropoutAfterOutput = Warning(
            "DPH0502",
            "Dropout after the output layer",
            "Dropout '{0}' is applied to the network output; it randomly zeroes predictions instead of regularising a hidden layer");

        public static readonly DiagnosticDescriptor BatchNormBeforeSoftmax = Warning(
            "DPH0503",
            "Batch norm directly before softmax",
            "Softmax '{0}' follows batch norm '{1}' directly; normalised logits cap how confident the classifier can become, put a dense layer between them");

        public static readonly DiagnosticDescriptor NotACheckpoint = Error(
            "DPH0601",
            "Weights file is not a DeepPhys checkpoint",
            "'{0}' is not a DeepPhys checkpoint: {1}");

        public static readonly DiagnosticDescriptor WeightsOfAnotherNetwork = Error(
            "DPH0602",
            "Weights file of another network",
            "'{0}' holds the parameters of network '{1}', not of '{2}'");

        public static readonly DiagnosticDescriptor WrongBakedParameterCount = Error(
            "DPH0603",
            "Weights file with the wrong number of parameters",
            "'{0}' holds {1} parameters; network '{2}' has {3}");

        public static readonly DiagnosticDescriptor InvalidBakedParameter = Error(
            "DPH0604",
            "Baked parameter is not a finite number",
            "Parameter {0} of '{1}' is {2}; a baked parameter must be a finite number");

        public static readonly DiagnosticDescriptor SeveralWeightsFiles = Warning(
            "DPH0605",
            "Several weights files for one network",
            "Network '{0}' matches more than one weights file: '{1}' is ignored, '{2}' is baked");

        public static readonly DiagnosticDescriptor WrongBakedStateCount = Error(
            "DPH0606",
            "Weights file with the wrong number of state values",
            "'{0}' holds {1} state values (batch norm's running statistics); network '{2}' has {3}");

        /// <summary>Every descriptor by id, to turn a <see cref="Model.DiagnosticInfo"/> back into a diagnostic.</summary>
        public static readonly IReadOnlyDictionary<string, DiagnosticDescriptor> ById = new[]
        {
            NetworkMustBePartial, ContainingTypeMustBePartial, UnsupportedNetworkClass, NetworkHasBaseClass,
            NetworkNamedLikeAGeneratedMember, NetworkDeclaredTwice, LayerWithoutNetwork, MissingInput, MultipleInputs, InputAfterLayer, InputSizeTooSmall, UnitsTooSmall,
            NoLayers, UnknownActivation, InvalidNegativeSlope, NegativeSlopeIgnored, InvalidLayerName,
            NetworkTooLarge, LargeNetwork, MissingLoss, SoftmaxWithBinaryCrossEntropy, SingleUnitCategorical,
            CategoricalNeedsSoftmax, BinaryNeedsSigmoid, UnknownEnumValue,
            SyntaxError, UnknownName, InvalidArgument, InvalidDslDeclaration, RecurrentNeedsSequence, InvalidParameter, ParameterNotANode, InvalidRepeat,
            UndefinedName, DuplicateName, Cycle, MergeShapeMismatch, DenseNeedsVector, WindowTooLarge, SizeNotPositive,
            ReshapeSizeMismatch, OutputWithoutLoss, UnusedNode, InvalidLossTarget,
            SigmoidMseClassifier, DropoutAfterOutput, BatchNormBeforeSoftmax,
            NotACheckpoint, WeightsOfAnotherNetwork, WrongBakedParameterCount, InvalidBakedParameter, SeveralWeightsFiles, WrongBakedStateCount,
        }.ToDictionary(descriptor => descriptor.Id);

        private static DiagnosticDescriptor Error(string id, string title, string message) =>
            new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink(id));

        private static DiagnosticDescriptor Info(string id, string title, string message) =>
            new(id, title, message, Category, DiagnosticSeverity.Info, isEnabledByDefault: true, helpLinkUri: HelpLink(id));

        private static DiagnosticDescriptor Warning(string id, string title, string message) =>
            new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLink(id));

        private static string HelpLink(string id) =>
            "https://github.com/deepphys/DeepPhys.Compiler/blob/main/docs/diagnostics/" + id + ".md";
    }
}
