using System.Collections.Generic;
using System.Linq;
using DeepPhys.Generators.Model;
using static System.FormattableString;

namespace DeepPhys.Generators.Ops
{
    /// <summary>
    /// Everything about one op in one place: its DSL name and attribute, the arguments it takes (names, types, defaults and
    /// their checks), its shape rule, its parameter, workspace and state counts, its FLOPs, how its weights start, the layout
    /// doc of its parameters, its forward and backward emission and what the runtime definition records of it. Front ends,
    /// validation and the emitter read descriptors only; <see cref="OpRegistry"/> lists them.
    /// </summary>
    internal abstract class OpDescriptor
    {
        protected const string Kernels = "global::DeepPhys.Kernels.";
        protected const string Graph = Kernels + "GraphKernels.";

        private static readonly Parameter[] NoParameters = new Parameter[0];

        protected OpDescriptor(OpKind kind, string dslName, int minInputs = 1, int maxInputs = 1)
        {
            Kind = kind;
            DslName = dslName;
            MinInputs = minInputs;
            MaxInputs = maxInputs;
        }

        public OpKind Kind { get; }

        /// <summary>The layer's name in the DSL: <c>dense</c>, <c>conv2d</c>, …</summary>
        public string DslName { get; }

        public int MinInputs { get; }

        public int MaxInputs { get; }

        /// <summary>The C# attribute declaring the op in an attribute stack, or <c>null</c> when only the DSL has it.</summary>
        public virtual LayerAttribute? Attribute => null;

        /// <summary>The arguments after the inputs, in the DSL's positional order, with their attribute counterparts and defaults.</summary>
        public virtual IReadOnlyList<Parameter> Parameters => NoParameters;

        public bool IsInput => Kind == OpKind.Input;

        /// <summary>Reads the checked arguments into the op's record; problems go to the reader, which names the argument.</summary>
        public virtual OpArguments Bind(ArgumentReader reader) => OpArguments.None;

        /// <summary>The output shape per sample from the input shapes, or the problem with them.</summary>
        public abstract ShapeCheck Shape(OpArguments arguments, IReadOnlyList<EquatableArray<int>> inputs);

        /// <summary>A dense layer's units, a convolution's filters, a batch norm's channels, a recurrent layer's state size; 0 otherwise.</summary>
        public virtual int Units(NodeSpec node) => 0;

        /// <summary>Inputs per unit, the initialisers' fan-in; 0 for an op without weights.</summary>
        public virtual int FanIn(NodeSpec node) => 0;

        /// <summary>Glorot's fan-out (Keras's): the units, times the kernel's size for a convolution.</summary>
        public virtual int FanOut(NodeSpec node) => Units(node);

        /// <summary>
        /// The weights and biases a node will own, in long arithmetic (capped far above any buffer) from its arguments and first
        /// input shape, so the size check (DPH0111) sees a network too large before any int overflows.
        /// </summary>
        public virtual (long Weights, long Biases) ParameterCounts(OpArguments arguments, EquatableArray<int> input) => (0, 0);

        /// <summary>Workspace values per sample the node keeps beside its output for the backward pass (a dropout's mask, …).</summary>
        public virtual long ExtraWorkspace(OpArguments arguments, EquatableArray<int> input, EquatableArray<int> output) => 0;

        /// <summary>What the extra workspace holds, for the layout doc (<c>the dropout mask</c>).</summary>
        public virtual string SavedDoc(NodeSpec node) => string.Empty;

        /// <summary>How many of the weights the penalties (L1/L2) cover: all of them unless the op says otherwise.</summary>
        public virtual int PenalizedWeights(NodeSpec node) => node.WeightCount;

        /// <summary>Whether the forward pass differs between training and inference.</summary>
        public virtual bool DependsOnTraining => false;

        /// <summary>Whether the forward kernel can apply a ReLU as it stores its outputs (<see cref="ForwardRelu"/>).</summary>
        public virtual bool FusesRelu => false;

        /// <summary>Whether the op is a standalone activation (<c>relu(x)</c>): the identity followed by its activation.</summary>
        public virtual bool IsStandaloneActivation => false;

        /// <summary>Whether the op normalises its inputs per batch (a softmax right after it is suspicious, DPH0503).</summary>
        public virtual bool NormalizesBatch => false;

        /// <summary>The warning when a loss trains this op's output directly (a dropout's, DPH0502), or <c>null</c>.</summary>
        public virtual Microsoft.CodeAnalysis.DiagnosticDescriptor? OutputWarning => null;

        /// <summary>
        /// Forward floating-point operations per sample before the activation (docs/architecture.md): a multiply-add counts two,
        /// a bias add or a merge one per value; moving values none.
        /// </summary>
        public virtual long Flops(NodeSpec node) => node.Size;

        /// <summary>The op as the comments of the generated passes name it.</summary>
        public virtual string Describe(NodeSpec node) => Kind + " → [" + string.Join(", ", node.Shape) + "]";

        /// <summary>The layout doc of the node's weights, after its name (<c>weights [16, 3], row-major …</c>).</summary>
        public virtual string WeightsDoc(NodeSpec node, int offset) => string.Empty;

        /// <summary>The layout doc of the node's biases.</summary>
        public virtual string BiasDoc(NodeSpec node) => Invariant($"bias [{node.BiasCount}]");

        /// <summary>
        /// The node's parameter tensors as PyTorch's module names them (the names and shapes safetensors files store): none for an
        /// op without parameters; an op with parameters must say, or the runtime refuses to store it, naming the node.
        /// </summary>
        public virtual IEnumerable<TensorSpec> Tensors(NodeSpec node) => Enumerable.Empty<TensorSpec>();

        /// <summary>The node's non-trainable state tensors (a batch norm's running statistics), offsets from its first state value.</summary>
        public virtual IEnumerable<TensorSpec> StateTensors(NodeSpec node) => Enumerable.Empty<TensorSpec>();

        /// <summary><c>weight</c> of <paramref name="shape"/> at the node's first parameter, then <c>bias</c> <c>[biases]</c> when it has one.</summary>
        protected static IEnumerable<TensorSpec> WeightAndBias(NodeSpec node, int[] shape, bool transposed = false)
        {
            yield return new TensorSpec("weight", shape, 0, transposed);
            if (node.HasBias) yield return new TensorSpec("bias", new[] { node.BiasCount }, node.WeightCount);
        }

        /// <summary>What the runtime's <c>NodeDefinition</c> records of the op besides the common entries: object-initializer assignments.</summary>
        public virtual IEnumerable<string> DefinitionEntries(NodeSpec node)
        {
            if (Units(node) > 0) yield return Invariant($"Units = {Units(node)}");
        }

        /// <summary>
        /// Writes the start of the node's weights into <c>parameters</c> He uniform after a
        /// ReLU or LeakyReLU, Glorot uniform otherwise; the biases stay zero.
        /// </summary>
        /// <param name="writer">Where the code goes.</param>
        /// <param name="node">The node.</param>
        /// <param name="weights">The offset of its weights in <c>parameters</c>, as code (<c>Layout.Dense1Weights</c>).</param>
        /// <param name="bias">The offset of its bias, as code.</param>
        public virtual void Initialize(IInitializerWriter writer, NodeSpec node, string weights, string bias)
        {
            weights = Invariant($"parameters.Slice({weights}, {node.WeightCount})");
            if (node.Activation is ActivationKind.ReLU or ActivationKind.LeakyReLU)
            {
                writer.Line(Invariant($"// {node.Name}: He uniform ({node.Activation}), fan-in {FanIn(node)}"));
                writer.Line(Invariant($"{Kernels}Initializers.HeUniform({weights}, {FanIn(node)}, random);"));
            }
            else
            {
                writer.Line(Invariant($"// {node.Name}: Glorot uniform ({node.Activation}), fan-in {FanIn(node)}, fan-out {FanOut(node)}"));
                writer.Line(Invariant($"{Kernels}Initializers.GlorotUniform({weights}, {FanIn(node)}, {FanOut(node)}, random);"));
            }
        }

        /// <summary>Writes the start of the node's non-trainable state (cleared before).</summary>
        public virtual void InitializeState(IInitializerWriter writer, NodeSpec node, int offset)
        {
        }

        /// <summary>Writes the forward step into <see cref="OpSite.Output"/>, before the activation.</summary>
        public abstract void Forward(IOpWriter writer, OpSite site);

        /// <summary>The forward step with a ReLU fused into the stores; only for ops that <see cref="FusesRelu"/>.</summary>
        public virtual void ForwardRelu(IOpWriter writer, OpSite site, bool smallDense) => throw new System.NotSupportedException(Kind + " fuses no ReLU");

        /// <summary>Writes the parameter gradients from <see cref="OpSite.Delta"/> (already through the activation), before the input gradients.</summary>
        public virtual void ParameterGradients(IOpWriter writer, OpSite site)
        {
        }

        /// <summary>
        /// Writes the gradient the node passes to its input number <paramref name="input"/> into <paramref name="target"/>,
        /// overwriting it, or adding to it when <paramref name="accumulate"/> (another consumer wrote first).
        /// </summary>
        public abstract void Backward(IOpWriter writer, OpSite site, int input, string target, bool accumulate);

        /// <summary>
        /// <see cref="Backward"/> after an inference forward pass (<c>training: false</c>); ops whose forward pass differs in
        /// inference (<see cref="DependsOnTraining"/>) differentiate that pass instead: a dropout passes the gradient, a batch norm
        /// scales it by its running statistics.
        /// </summary>
        public virtual void InferenceBackward(IOpWriter writer, OpSite site, int input, string target, bool accumulate) =>
            Backward(writer, site, input, target, accumulate);

        /// <summary>Whether <see cref="Backward"/> reads what <see cref="ParameterGradients"/> left (a recurrent layer's gate gradients): an input gradient alone still needs both.</summary>
        public virtual bool InputGradientNeedsParameterGradients => false;

        /// <summary>Scratch values per sample the backward pass needs to add an input gradient its kernel can only overwrite.</summary>
        public virtual int AccumulationScratch(NodeSpec node) => 0;

        protected static int Size(EquatableArray<int> shape)
        {
            int size = 1;
            for (int i = 0; i < shape.Count; i++) size *= shape[i];
            return size;
        }

        /// <summary>A product of dimensions capped far above any buffer, so a size check never sees an overflow.</summary>
        protected static long CappedSize(EquatableArray<int> shape)
        {
            double size = 1;
            for (int i = 0; i < shape.Count; i++) size *= shape[i];
            return Capped(size);
        }

        /// <summary>A count computed in double (a kernel of 10⁶ squared times 10⁶ filters overflows a long), capped far above any buffer.</summary>
        protected static long Capped(double count) => count >= long.MaxValue / 4 ? long.MaxValue / 4 : (long)count;

        protected static string Format(IEnumerable<int> shape) => "[" + string.Join(", ", shape) + "]";

        protected static string Literal(double value) => Emission.SourceWriter.Literal(value, PrecisionKind.Double);

        /// <summary>Values per channel per sample: 1 for a vector, the length of a signal, height × width for an image.</summary>
        protected static int Plane(NodeSpec node) => node.Size / node.Shape[0];

        /// <summary>Overwrites <paramref name="target"/> with an input gradient from a kernel that adds (clearing it first), or adds to it.</summary>
        protected static void AddingKernel(IOpWriter w, string target, bool accumulate, string call)
        {
            if (!accumulate) w.Line($"{target}.Clear(); // the kernel adds into it");
            w.Line(call);
        }

        /// <summary>
        /// An input gradient from a kernel that overwrites or adds as its <c>accumulate</c> argument says: the threaded image
        /// kernels clear each image as they reach it, in cache, instead of a clear of the whole buffer on one thread first.
        /// </summary>
        protected static void OverwritingKernel(IOpWriter w, string kernel, string arguments, bool accumulate) =>
            w.Line(accumulate ? $"{kernel}({arguments});" : $"{kernel}({arguments}, accumulate: false);");

        /// <summary>The gradient passes unchanged: identity, add, flatten, reshape, a standalone activation after its own backward.</summary>
        protected static void PassBackward(IOpWriter w, OpSite s, string target, bool accumulate) =>
            w.Line(accumulate ? $"{Graph}Add({target}, {s.Delta}, {target});" : $"{s.Delta}.CopyTo({target});");

        protected static void CopyForward(IOpWriter w, OpSite s) => w.Line($"{s.Inputs[0]}.CopyTo({s.Output});");
    }

    /// <summary>One named tensor of a node's parameters or state: its name after the node's (<c>weight</c>), stored shape, offset from the node's first value, and whether a 2-D weight is stored transposed.</summary>
    internal sealed record TensorSpec(string Suffix, int[] Shape, int Offset, bool Transposed = false);

    /// <summary>The C# attribute of an op: its metadata name and the Keras default name of its layers (<c>dense</c>, <c>dense_1</c>, …).</summary>
    internal sealed record LayerAttribute(string MetadataName, string DefaultName);

    /// <summary>What an argument holds.</summary>
    internal enum ParameterType
    {
        /// <summary>An integer: a number in the DSL, an int in an attribute.</summary>
        Integer,

        /// <summary>A real number.</summary>
        Number,

        /// <summary>true or false: an identifier or 1/0 in the DSL, a bool in an attribute.</summary>
        Flag,

        /// <summary>An activation: its DSL name, or a member of <c>DeepPhys.Activation</c>.</summary>
        Activation,

        /// <summary>The activation after the op (a dense or convolution layer's <c>activation</c>), which the node applies.</summary>
        PostActivation,

        /// <summary>The LeakyReLU slope of the node's activation, finite and at least 0.</summary>
        Slope,

        /// <summary>Zero padding: a number of zeros on every side, or 'same' (<c>-1</c> or <c>same</c> in the DSL, <c>Padding.Same</c> in an attribute).</summary>
        Padding,

        /// <summary>A list of integers, <c>[4, 7, 7]</c>.</summary>
        List,

        /// <summary>
        /// A size per spatial axis, each at least 1: one integer for every axis, or in the DSL a list of one per axis
        /// (<c>[3, 5]</c>: height, width); an attribute sets one axis by its own argument (<see cref="Parameter.AxisOf"/>).
        /// </summary>
        PerAxis,
    }

    /// <summary>
    /// One argument an op takes: its DSL name, type and default, and where an attribute holds it (a constructor parameter
    /// or a property, by name).
    /// </summary>
    /// <param name="Name">The DSL's name (<c>units</c>, <c>return_sequences</c>).</param>
    /// <param name="Type">What it holds.</param>
    /// <param name="Default">The value when it is not written: an int, double, bool or <see cref="ActivationKind"/>; <c>null</c> when it is required or the op derives it.</param>
    /// <param name="AttributeName">The attribute's constructor parameter or property holding it, or <c>null</c> when the attribute has none.</param>
    /// <param name="AttributeUnset">A property value that means 'not set' (a pool's <c>Stride = 0</c>: the window), or <c>null</c>.</param>
    internal sealed record Parameter(string Name, ParameterType Type, object? Default = null, string? AttributeName = null, object? AttributeUnset = null)
    {
        /// <summary>
        /// Whether only the attribute holds the argument and the DSL takes no such argument: it spells it otherwise (a standalone
        /// activation's activation is its layer name, an upsampling's factors per axis a list in <c>size</c>).
        /// </summary>
        public bool AttributeOnly { get; init; }

        /// <summary>The activation after a dense or convolution layer: linear unless set.</summary>
        public static readonly Parameter PostActivation = new("activation", ParameterType.PostActivation, ActivationKind.Linear, "activation");

        /// <summary>The LeakyReLU slope: Keras's 0.01 unless set.</summary>
        public static readonly Parameter Slope = new("slope", ParameterType.Slope, 0.01, "NegativeSlope");

        /// <summary>
        /// The per-axis argument (<c>kernel</c>, <c>stride</c>, <c>window</c>) of which this one is axis <see cref="Axis"/>, or <c>null</c>.
        /// Such a parameter is the attribute's alone (<c>[Conv2D(16, 3, 5)]</c>'s <c>kernelHeight</c>, <c>StrideWidth</c>): the DSL
        /// writes every axis in one list (<c>kernel: [3, 5]</c>) and neither names nor counts it.
        /// </summary>
        public string? AxisOf { get; private set; }

        /// <summary>The spatial axis an <see cref="AxisOf"/> parameter sets: 0 for the height, 1 for the width.</summary>
        public int Axis { get; private set; }

        /// <summary>An attribute argument setting one axis of <paramref name="whole"/>, named in messages as the attribute names it.</summary>
        public static Parameter AxisOfArgument(string whole, int axis, string attributeName, object? attributeUnset = null) =>
            new(attributeName, ParameterType.Integer, AttributeName: attributeName, AttributeUnset: attributeUnset) { AxisOf = whole, Axis = axis, AttributeOnly = true };
    }

    /// <summary>A shape rule's answer: the output shape, or the problem with the inputs (a descriptor and its message arguments after the node name).</summary>
    internal sealed class ShapeCheck
    {
        private ShapeCheck(int[]? shape, Microsoft.CodeAnalysis.DiagnosticDescriptor? problem, string[] args, string? argument = null)
        {
            Shape = shape;
            Problem = problem;
            Args = args;
            Argument = argument;
        }

        /// <summary>The argument the problem is about, reported at its value with <see cref="Args"/> as the whole message; <c>null</c> for the node.</summary>
        public string? Argument { get; }

        public int[]? Shape { get; }

        public Microsoft.CodeAnalysis.DiagnosticDescriptor? Problem { get; }

        public string[] Args { get; }

        public static ShapeCheck Ok(params int[] shape) => new(shape, null, new string[0]);

        public static ShapeCheck Fail(Microsoft.CodeAnalysis.DiagnosticDescriptor problem, params string[] args) => new(null, problem, args);

        /// <summary>A written argument that does not fit the inputs' shapes (DPH0303 at it).</summary>
        public static ShapeCheck FailArgument(string argument, string problem) => new(null, DiagnosticDescriptors.InvalidArgument, new[] { argument, problem }, argument);
    }

    /// <summary>Where an initializer writes.</summary>
    internal interface IInitializerWriter
    {
        void Line(string code);

        /// <summary>A literal of the network's element type.</summary>
        string Literal(double value);
    }

    /// <summary>What an op's emission writes through.</summary>
    internal interface IOpWriter
    {
        void Line(string code);

        /// <summary>The dense kernels' class, with a trailing dot: <c>SmallDenseKernels</c> for a small network, <c>DenseKernels</c> otherwise.</summary>
        string DenseKernels { get; }

        /// <summary>The scratch block, <paramref name="size"/> values per sample, for kernels that overwrite when the gradient must accumulate.</summary>
        string Scratch(int size);

        /// <summary>The slice of <c>p</c> holding the node's weights, or its bias (<c>default</c> when it has none).</summary>
        string Parameters(NodeSpec node, bool bias);

        /// <summary>The slice of the gradient buffer <c>g</c> matching <see cref="Parameters"/>.</summary>
        string Gradients(NodeSpec node, bool bias);

        /// <summary><paramref name="size"/> values per sample from <paramref name="offset"/> in the node's extra workspace (in the activations <c>a</c>).</summary>
        string Extra(NodeSpec node, int offset, int size);

        /// <summary><paramref name="size"/> values from <paramref name="offset"/> in the node's part of the network's non-trainable <c>State</c>.</summary>
        string State(NodeSpec node, int offset, int size);
    }

    /// <summary>A node where the emitter writes it: the variables of its values, its gradient and its inputs' values.</summary>
    internal sealed record OpSite(NodeSpec Node, string Output, string Delta, IReadOnlyList<string> Inputs, IReadOnlyList<NodeSpec> InputNodes);
}
