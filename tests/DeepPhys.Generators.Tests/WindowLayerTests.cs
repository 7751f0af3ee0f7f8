namespace DeepPhys.Generators.Tests;

/// <summary>
/// Rectangular 2-D kernels, pool windows and strides: the DSL's lists (<c>kernel: [3, 5]</c>) and the attributes' per-axis
/// arguments (<c>[Conv2D(4, 3, 5, StrideWidth = 2)]</c>, <c>[MaxPool2D(1, 4)]</c>) reach the kernels' windows and the
/// runtime definition axis by axis; a bad list or axis is reported where it is written.
/// </summary>
public class WindowLayerTests
{
    /// <summary>
    /// Rows: 7 at stride 1 with a 3-row kernel, 'same' pads 1 + 1 and keeps 7. Columns: 16 at stride 2 with a 5-column kernel
    /// gives ⌈16 / 2⌉ = 8, padded (8 − 1)·2 + 5 − 16 = 3 zeros, 1 left and 2 right. The pool's 1 × 4 windows tile 7 × 8 into 7 × 2.
    /// </summary>
    private static readonly string[] Expected =
    [
        "new global::DeepPhys.Kernels.ImageWindow(Channels: 2, Height: 7, Width: 16, KernelHeight: 3, KernelWidth: 5, StrideHeight: 1, StrideWidth: 2, PadTop: 1, PadLeft: 1, OutHeight: 7, OutWidth: 8)",
        "new global::DeepPhys.Kernels.ImageWindow(Channels: 4, Height: 7, Width: 8, KernelHeight: 1, KernelWidth: 4, StrideHeight: 1, StrideWidth: 4, PadTop: 0, PadLeft: 0, OutHeight: 7, OutWidth: 2)",
        "Kernel = new int[] { 3, 5 }, Strides = new int[] { 1, 2 }, Pads = new int[] { 1, 1, 1, 2 }",
        "Kernel = new int[] { 1, 4 }, Strides = new int[] { 1, 4 }, Pads = new int[] { 0, 0, 0, 0 }",
        "/// <summary>conv: weights [4, 2, 3, 5], row-major (filters × channels × kernel rows × kernel columns, PyTorch's layout).</summary>",
    ];

    [Theory]
    [InlineData("conv = conv2d(x, 4, kernel: [3, 5], stride: [1, 2], padding: same)\npool = maxpool2d(conv, window: [1, 4])")]
    [InlineData("conv = conv2d(x, 4, [3, 5], [1, 2], same)\npool = maxpool2d(conv, [1, 4], stride: [1, 4])")]
    public void Dsl_ListsSetEachAxis(string layers) =>
        AssertGenerates(Dsl("x[2, 7, 16]", layers, "pool"), Expected);

    [Theory]
    [InlineData("[Conv2D(4, 3, 5, StrideWidth = 2, Padding = Padding.Same, Name = \"conv\")]", "[MaxPool2D(1, 4)]")]
    [InlineData("[Conv2D(4, kernelHeight: 3, kernelWidth: 5, Stride = 2, StrideHeight = 1, Padding = Padding.Same, Name = \"conv\")]", "[MaxPool2D(windowHeight: 1, windowWidth: 4, StrideHeight = 1)]")]
    [InlineData("[Conv2D(4, 3, 5, Stride = 1, StrideWidth = 2, Padding = Padding.Same, Name = \"conv\")]", "[MaxPool2D(1, 4, Stride = 4, StrideHeight = 1)]")]
    public void Attributes_PerAxisArgumentsSetEachAxis(string conv, string pool) =>
        AssertGenerates(AttributeStack("2, 7, 16", conv + "\n" + pool), Expected);

    /// <summary>A square pool's stride set per axis: 2 × 2 windows one row and four columns apart.</summary>
    [Fact]
    public void Attributes_SquareWindow_StridePerAxis() => AssertGenerates(
        AttributeStack("4, 7, 8", "[AvgPool2D(2, StrideWidth = 4, StrideHeight = 1)]"),
        ["new global::DeepPhys.Kernels.ImageWindow(Channels: 4, Height: 7, Width: 8, KernelHeight: 2, KernelWidth: 2, StrideHeight: 1, StrideWidth: 4, PadTop: 0, PadLeft: 0, OutHeight: 6, OutWidth: 2)"]);

    /// <summary>A list of the wrong length or with a size below 1, in the DSL: at the list, line and column.</summary>
    [Theory]
    [InlineData("conv2d(x, 4, kernel: {|#0:[3, 3, 3]|})", "DPH0303", "'kernel' must be a number or a list [height, width], not '[3, 3, 3]'")]
    [InlineData("conv2d(x, 4, 3, stride: {|#0:[1, 0]|})", "DPH0407", "'c' has stride = [1, 0]; sizes and strides must be at least 1")]
    [InlineData("conv2d(x, 4, kernel: {|#0:[0, 2]|})", "DPH0407", "'c' has kernel = [0, 2]; sizes and strides must be at least 1")]
    [InlineData("maxpool2d(x, window: {|#0:[2]|})", "DPH0303", "'window' must be a number or a list [height, width], not '[2]'")]
    [InlineData("avgpool2d(x, 2, stride: {|#0:[2, 2, 1]|})", "DPH0303", "'stride' must be a number or a list [height, width], not '[2, 2, 1]'")]
    [InlineData("conv1d(s, 4, kernel: {|#0:[3, 3]|})", "DPH0303", "'kernel' must be a number or a list [length], not '[3, 3]'")]
    [InlineData("conv2d(x, 4, {|#0:kernelHeight|}: 3)", "DPH0302", null)]
    [InlineData("{|#0:conv2d|}(x, 4, kernel: [3, 9])", "DPH0406", "'c' gets an input of shape [2, 7, 8] but needs a window of at most 7 × 8 (it is 3 × 9)")]
    [InlineData("conv2d_transpose(x, 2, kernel: {|#0:[3, 3, 3]|})", "DPH0303", "'kernel' must be a number or a list [height, width], not '[3, 3, 3]'")]
    [InlineData("conv2d_transpose(x, 2, 3, stride: {|#0:[0, 1]|})", "DPH0407", "'c' has stride = [0, 1]; sizes and strides must be at least 1")]
    [InlineData("conv2d_transpose(x, {|#0:0|}, 3)", "DPH0407", "'c' has filters = 0; sizes and strides must be at least 1")]
    [InlineData("{|#0:conv2d_transpose|}(s, 2, 3)", "DPH0406", "'c' gets an input of shape [2, 8] but needs an image [channels, height, width]")]
    [InlineData("{|#0:conv2d_transpose|}(x, 2, 3, padding: 5)", "DPH0407", "'c' has shape = 2, -1, 0; sizes and strides must be at least 1")]
    public void Dsl_BadWindowArguments_AreReportedAtTheirValue(string call, string id, string? message)
    {
        var source = new MarkedSource($$""""
            using DeepPhys;
            [Network("""
                input x[2, 7, 8]
                input s[2, 8]
                c = {{call}}
                out = dense(concatenate(flatten(c), flatten(s), flatten(x)), 1)
                loss mse(out)
                """)]
            public partial class Net;
            """");

        var result = GeneratorHarness.Run(source.Text);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(source.Position(0), diagnostic.Location.GetLineSpan().StartLinePosition);
        if (message is not null) Assert.Equal(message, diagnostic.GetMessage());
    }

    /// <summary>A per-axis attribute argument below 1 is reported at it, under its own name.</summary>
    [Theory]
    [InlineData("[Conv2D(4, 3, {|#0:0|})]", "'conv2d' has kernelWidth = 0; sizes and strides must be at least 1")]
    [InlineData("[Conv2D(4, 3, 5, {|#0:StrideHeight = -1|})]", "'conv2d' has StrideHeight = -1; sizes and strides must be at least 1")]
    [InlineData("[MaxPool2D({|#0:windowHeight: -2|}, windowWidth: 2)]", "'max_pooling2d' has windowHeight = -2; sizes and strides must be at least 1")]
    [InlineData("[AvgPool2D(2, {|#0:StrideWidth = -3|})]", "'average_pooling2d' has StrideWidth = -3; sizes and strides must be at least 1")]
    public void Attributes_BadAxis_IsReportedAtIt(string layer, string message)
    {
        var source = new MarkedSource(AttributeStack("2, 8, 8", layer));

        var result = GeneratorHarness.Run(source.Text);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("DPH0407", diagnostic.Id);
        Assert.Equal(source.Position(0), diagnostic.Location.GetLineSpan().StartLinePosition);
        Assert.Equal(message, diagnostic.GetMessage());
    }

    /// <summary>
    /// A transposed convolution on [3, 3, 4] with a 3 × 2 kernel at stride (2, 3), 'same': 6 × 12 outputs. Its kernels get the
    /// mirrored window, the convolution from 6 × 12 back to 3 × 4: rows padded 0 + 1 ((3 − 1)·2 + 3 − 6 = 1, the odd one after),
    /// columns 0 + 0 (a kernel below the stride; ONNX's output_padding covers the last column).
    /// </summary>
    private static readonly string[] Transposed =
    [
        "new global::DeepPhys.Kernels.ImageWindow(Channels: 2, Height: 6, Width: 12, KernelHeight: 3, KernelWidth: 2, StrideHeight: 2, StrideWidth: 3, PadTop: 0, PadLeft: 0, OutHeight: 3, OutWidth: 4)",
        "global::DeepPhys.NodeKind.Conv2DTranspose, new int[] { 0 }, new int[] { 2, 6, 12 }) { Units = 2, Kernel = new int[] { 3, 2 }, Strides = new int[] { 2, 3 }, Pads = new int[] { 0, 0, 1, 0 }, ParameterOffset = 0, ParameterCount = 38, HasBias = true, Tensors = new global::DeepPhys.Serialization.ParameterTensor[] { new(",
        "weights [3, 2, 3, 2], row-major (channels × filters × kernel rows × kernel columns, PyTorch's ConvTranspose2d layout)",
        "Glorot uniform (Linear), fan-in 12, fan-out 18",
        "global::DeepPhys.Kernels.Conv2DTransposeKernels.Forward(inputs, ",
        ", batch, inChannels: 3, new global::DeepPhys.Kernels.ImageWindow(Channels: 2, Height: 6, Width: 12,",
    ];

    [Fact]
    public void Conv2DTranspose_Dsl_GetsTheMirroredWindow() =>
        AssertGenerates(Dsl("x[3, 3, 4]", "t = conv2d_transpose(x, 2, kernel: [3, 2], stride: [2, 3], padding: same)", "t"), Transposed);

    /// <summary>The attribute's default name is Keras's, <c>conv2d_transpose</c>, then <c>conv2d_transpose_1</c>.</summary>
    [Fact]
    public void Conv2DTranspose_Attribute_IsNamedAsKeras() => AssertGenerates(
        AttributeStack("3, 3, 4", "[Conv2DTranspose(2, 3, 2, StrideHeight = 2, StrideWidth = 3, Padding = Padding.Same)] [Conv2DTranspose(1, 1, Activation.ReLU, UseBias = false)]"),
        [
            .. Transposed,
            "new(\"conv2d_transpose\", global::DeepPhys.NodeKind.Conv2DTranspose, ",
            "new(\"conv2d_transpose_1\", global::DeepPhys.NodeKind.Conv2DTranspose, new int[] { 1 }, new int[] { 1, 6, 12 }) { Activation = global::DeepPhys.Activation.ReLU, Units = 1, Kernel = new int[] { 1, 1 }",
        ]);

    /// <summary>Sizes far past any buffer, per axis: reported (the size check, DPH0111, or a shape below 1), never thrown.</summary>
    [Theory]
    [InlineData("t = conv2d_transpose(x, 2, 2147483647, stride: 2147483647)")]
    [InlineData("t = conv2d_transpose(x, 2147483647, [1, 2147483647], stride: [2147483647, 1], padding: same)")]
    [InlineData("t = conv2d_transpose(x, 2, 3, padding: 2147483647)")]
    [InlineData("t = conv2d_transpose(x, 1, 1, stride: [65536, 65536])")]
    [InlineData("t = conv2d(x, 2, [1, 2147483647], stride: [1, 2147483647], padding: same)")]
    [InlineData("t = maxpool2d(x, [1, 2147483647], stride: [2147483647, 1])")]
    public void ExtremeSizes_AreReported_NeverThrown(string layer)
    {
        var result = GeneratorHarness.Run(Dsl("x[2, 7, 8]", layer, "t"));

        Assert.Null(result.RunResult.Exception);
        Assert.Contains(result.Diagnostics, diagnostic => diagnostic.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        result.SingleStandIn();
    }

    /// <summary>A DSL network: the input, the layers, and a dense head on the flattened <paramref name="last"/> node.</summary>
    private static string Dsl(string input, string layers, string last) => $$""""
        using DeepPhys;
        [Network("""
            input {{input}}
            {{layers.Replace("\n", "\n    ", StringComparison.Ordinal)}}
            out = dense(flatten({{last}}), 1)
            loss mse(out)
            """)]
        public partial class Net;
        """";

    /// <summary>An attribute stack: the image input, the layers, then a flatten and a dense head.</summary>
    private static string AttributeStack(string input, string layers) => $$"""
        using DeepPhys;
        [Network(Loss = Loss.MeanSquaredError)]
        [Input({{input}})]
        {{layers}}
        [Flatten]
        [Dense(1)]
        public partial class Net;
        """;

    /// <summary>The source generates without diagnostics into code that compiles and holds every expected text.</summary>
    private static void AssertGenerates(string source, IEnumerable<string> expected)
    {
        var result = GeneratorHarness.Run(source);

        Assert.Empty(result.Diagnostics);
        Assert.All(expected, text => Assert.Contains(text, result.SingleSource, StringComparison.Ordinal));
        Assert.Empty(result.OutputErrors());
    }
}
