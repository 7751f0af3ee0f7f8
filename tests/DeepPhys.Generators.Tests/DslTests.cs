using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace DeepPhys.Generators.Tests;

/// <summary>The text DSL: the same network as attributes, error positions inside the string, .dph files.</summary>
public class DslTests
{
    [Fact]
    public void SameNetworkAsAttributesAndDsl_GeneratesIdenticalCode()
    {
        const string dsl = """"
            using DeepPhys;
            namespace Samples.Iris;

            [Network("""
                input input[4]
                dense = dense(input, 16) -> relu
                dense_1 = dense(dense, 16) -> relu
                dense_2 = dense(dense_1, 16) -> relu
                dense_3 = dense(dense_2, 3) -> softmax   # the output
                loss categorical_crossentropy(dense_3)
                """)]
            public partial class IrisClassifier;
            """";

        var fromDsl = GeneratorHarness.Run(dsl);

        Assert.Empty(fromDsl.Diagnostics);
        Assert.Equal(GeneratorHarness.Run(TestSources.Iris).SingleSource, fromDsl.SingleSource);
    }

    /// <summary>A recurrent stack: the attribute form, the inline DSL and a .dph file give the same layout and kernel calls.</summary>
    [Fact]
    public void RecurrentNetwork_AsAttributesDslAndDphFile_GeneratesTheSameNetwork()
    {
        const string network = """
            input input[20, 1]
            lstm = lstm(input, 8, return_sequences: true)
            gru = gru(lstm, units: 4)
            dense = dense(gru, 1) -> sigmoid
            loss binary_crossentropy(dense)
            """;
        var fromAttributes = GeneratorHarness.Run(TestSources.Recurrent);
        var fromDsl = GeneratorHarness.Run($"using DeepPhys;\nnamespace Samples.Oscillator;\n[Network(\"\"\"\n{network}\n\"\"\")]\npublic partial class TraceClassifier;\n");
        var driver = GeneratorHarness.CreateDriver(new InMemoryText("trace.dph", "network TraceClassifier\nnamespace Samples.Oscillator\n" + network));
        var (fromFile, _) = GeneratorHarness.Run(driver, GeneratorHarness.CreateCompilation("public class Unrelated { }"));

        Assert.Empty(fromDsl.Diagnostics);
        Assert.Empty(fromFile.Diagnostics);
        Assert.Empty(fromFile.OutputErrors());
        Assert.Equal(fromAttributes.SingleSource, fromDsl.SingleSource);
        string file = Assert.Single(fromFile.Sources).Value;
        foreach (string line in fromAttributes.SingleSource.Split('\n').Where(line => line.Contains("RecurrentKernels.", StringComparison.Ordinal) || line.Contains("public const int", StringComparison.Ordinal)))
        {
            Assert.Contains(line.Trim(), file, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// Upsampling (a factor per axis, the default 2, a signal's), global max pooling and a standalone activation as attributes
    /// and as the DSL with the attributes' default names: the same code, whose kernel calls carry the geometry
    /// (channels, height, width, then the factors; a signal is an image of height 1).
    /// </summary>
    [Theory]
    [InlineData(
        "[Input(2, 4, 3)] [Conv2D(3, 3, Padding = Padding.Same)] [BatchNorm] [Activation(Activation.LeakyReLU, NegativeSlope = 0.2)] [UpSampling2D(2, 3)] [GlobalMaxPooling2D] [Dense(2)]",
        "input input[2, 4, 3]\nconv2d = conv2d(input, 3, padding: same)\nbatch_normalization = batchnorm(conv2d)\nactivation = leaky_relu(batch_normalization, slope: 0.2)\n"
            + "up_sampling2d = upsampling2d(activation, size: [2, 3])\nglobal_max_pooling2d = globalmaxpool2d(up_sampling2d)\ndense = dense(global_max_pooling2d, 2)\nloss mse(dense)",
        "UpSamplingKernels.Forward(@, batch, channels: 3, height: 4, width: 3, scaleHeight: 2, scaleWidth: 3);", "PoolingKernels.GlobalMaxForward(@, plane: 72);")]
    [InlineData(
        "[Input(1, 2, 2)] [Conv2D(2, 1)] [UpSampling2D] [Activation(Activation.Tanh)] [Flatten] [Dense(1)]",
        "input input[1, 2, 2]\nconv2d = conv2d(input, 2, 1)\nup_sampling2d = upsampling2d(conv2d)\nactivation = tanh(up_sampling2d)\nflatten = flatten(activation)\ndense = dense(flatten, 1)\nloss mse(dense)",
        "UpSamplingKernels.Forward(@, batch, channels: 2, height: 2, width: 2, scaleHeight: 2, scaleWidth: 2);", "UpSamplingKernels.Backward(@, batch, channels: 2, height: 2, width: 2, scaleHeight: 2, scaleWidth: 2, accumulate: false);")]
    [InlineData(
        "[Input(2, 5)] [UpSampling1D(3)] [GlobalMaxPooling1D] [Activation(Activation.ReLU)] [Dense(1)]",
        "input input[2, 5]\nup_sampling1d = upsampling1d(input, 3)\nglobal_max_pooling1d = globalmaxpool1d(up_sampling1d)\nactivation = relu(global_max_pooling1d)\ndense = dense(activation, 1)\nloss mse(dense)",
        "UpSamplingKernels.Forward(@, batch, channels: 2, height: 1, width: 5, scaleHeight: 1, scaleWidth: 3);", "PoolingKernels.GlobalMaxForward(@, plane: 15);")]
    public void UpSamplingGlobalMaxAndActivation_AsAttributesAndDsl_GenerateIdenticalCode(string layers, string network, string call, string otherCall)
    {
        var fromAttributes = GeneratorHarness.Run($"using DeepPhys;\n[Network(Loss = Loss.MeanSquaredError)]\n{layers}\npublic partial class Net;\n");
        var fromDsl = GeneratorHarness.Run($"using DeepPhys;\n[Network(\"\"\"\n{network}\n\"\"\")]\npublic partial class Net;\n");

        Assert.Empty(fromAttributes.Diagnostics);
        Assert.Empty(fromDsl.Diagnostics);
        Assert.Empty(fromDsl.OutputErrors());
        Assert.Equal(fromAttributes.SingleSource, fromDsl.SingleSource);
        foreach (string expected in new[] { call, otherCall })
        {
            string[] around = expected.Split('@');
            Assert.Contains(fromDsl.SingleSource.Split('\n'), line => line.Contains(around[0], StringComparison.Ordinal) && line.TrimEnd().EndsWith(around[1], StringComparison.Ordinal));
        }
    }

    /// <summary>Every broken line is reported in one pass, at its line and column in the C# file (raw string indentation accounted for).</summary>
    [Fact]
    public void SyntaxErrors_AreAllReportedAtTheirPositionInTheCSharpFile()
    {
        var source = new MarkedSource(""""
            using DeepPhys;
            [Network("""
                input x[4]
                h = dense(x {|#0:8|}) -> relu
                out = dense(h, 1)
                loss mse(out) {|#1:extra|}
                """)]
            public partial class Net;
            """");

        var result = GeneratorHarness.Run(source.Text);

        Assert.Equal(["DPH0301", "DPH0301"], result.Diagnostics.Select(d => d.Id));
        Assert.Equal(source.Position(0), result.Diagnostics[0].Location.GetLineSpan().StartLinePosition);
        Assert.Equal(source.Position(1), result.Diagnostics[1].Location.GetLineSpan().StartLinePosition);
        Assert.Equal("Syntax error: expected ',' or ')' but found '8'", result.Diagnostics[0].GetMessage());
    }

    /// <summary>1-D layers on a signal [2, 8]: a kernel longer than the signal, a 2-D layer on it, bad sizes and a bias that is not true or false (1 or 0).</summary>
    [Theory]
    [InlineData("conv1d(s, filters: 2, kernel: 9)", "DPH0406", "'c' gets an input of shape [2, 8] but needs a window of at most 8 (it is 9)")]
    [InlineData("conv2d(s, filters: 2)", "DPH0406", "'c' gets an input of shape [2, 8] but needs an image [channels, height, width]")]
    [InlineData("globalavgpool2d(s)", "DPH0406", "'c' gets an input of shape [2, 8] but needs an image [channels, height, width]")]
    [InlineData("conv1d(s, filters: 2, stride: 0)", "DPH0407", "'c' has stride = 0; sizes and strides must be at least 1")]
    [InlineData("maxpool1d(s, window: 0)", "DPH0407", "'c' has window = 0; sizes and strides must be at least 1")]
    [InlineData("conv1d(s, filters: 2, bias: 2)", "DPH0303", "'bias' must be true or false, not '2'")]
    [InlineData("conv2d(s, filters: 2, bias: -1)", "DPH0303", "'bias' must be true or false, not '-1'")]
    public void SignalLayers_ReportShapesAndArguments(string call, string id, string message)
    {
        var result = GeneratorHarness.Run(""""
            using DeepPhys;
            [Network("""
                input s[2, 8]
                c = CALL
                f = flatten(c)
                out = dense(f, 1)
                loss mse(out)
                """)]
            public partial class Net;
            """".Replace("CALL", call, StringComparison.Ordinal));

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(message, diagnostic.GetMessage());
    }

    /// <summary>batchnorm's momentum and epsilon reach the kernel call; out of range they are DPH0303 at the value.</summary>
    [Theory]
    [InlineData("momentum: 0.9, epsilon: 0.01", null)]
    [InlineData("momentum: 1.5", "'momentum' must be a number in [0, 1] (Keras's: the running averages keep this share), not '1.5'")]
    [InlineData("epsilon: 0", "'epsilon' must be a finite number above 0, not '0'")]
    public void BatchNorm_MomentumAndEpsilon(string arguments, string? message)
    {
        var result = GeneratorHarness.Run(""""
            using DeepPhys;
            [Network("""
                input x[4]
                h = dense(x, 8)
                n = batchnorm(h, ARGUMENTS) -> relu
                out = dense(n, 1)
                loss mse(out)
                """)]
            public partial class Net;
            """".Replace("ARGUMENTS", arguments, StringComparison.Ordinal));

        if (message is null)
        {
            Assert.Empty(result.Diagnostics);
            Assert.Contains(", batch, plane: 1, momentum: 0.9, epsilon: 0.01);", result.SingleSource, StringComparison.Ordinal);
            return;
        }

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("DPH0303", diagnostic.Id);
        Assert.Equal(message, diagnostic.GetMessage());
    }

    /// <summary>A dropout needs its rate, a number in [0, 1): reported at the layer, and nothing is generated.</summary>
    [Theory]
    [InlineData("{|#0:dropout|}(h)", "'dropout' needs 'rate'")]
    [InlineData("dropout(h, rate: {|#0:1|})", "'rate' must be a number in [0, 1), not '1'")]
    [InlineData("dropout(h, {|#0:-0.5|})", "'rate' must be a number in [0, 1), not '-0.5'")]
    public void Dropout_WithoutAValidRate_IsDph0303(string call, string message)
    {
        var source = new MarkedSource(""""
            using DeepPhys;
            [Network("""
                input x[4]
                h = dense(x, 8) -> relu
                d = CALL
                out = dense(d, 1)
                loss mse(out)
                """)]
            public partial class Net;
            """".Replace("CALL", call, StringComparison.Ordinal));

        var result = GeneratorHarness.Run(source.Text);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("DPH0303", diagnostic.Id);
        Assert.Equal(message, diagnostic.GetMessage());
        Assert.Equal(source.Position(0), diagnostic.Location.GetLineSpan().StartLinePosition);
        result.SingleStandIn("DPH0303");
    }

    [Theory]
    [InlineData("@\"input x[4]\nout = {|#0:dens|}(x, 1)\nloss mse(out)\"")]
    [InlineData("\"input x[4]\\nout = {|#0:dens|}(x, 1)\\nloss mse(out)\"")]
    public void VerbatimAndRegularStrings_MapPositions(string literal)
    {
        var source = new MarkedSource($"using DeepPhys;\n[Network({literal})]\npublic partial class Net;\n");

        var diagnostic = Assert.Single(GeneratorHarness.Run(source.Text).Diagnostics);

        Assert.Equal("DPH0302", diagnostic.Id);
        Assert.Equal("Unknown layer 'dens'; did you mean 'dense'?", diagnostic.GetMessage());
        Assert.Equal(source.Span(0), diagnostic.Location.SourceSpan);
    }

    /// <summary>A call nested as an argument is a node of its own, named after the node it feeds (and not a name the text defines).</summary>
    [Fact]
    public void NestedCalls_AreNodesNamedAfterTheirParent()
    {
        static string Network(string lines) => $"using DeepPhys;\n[Network(\"\"\"\n{lines}\n\"\"\")]\npublic partial class Net;\n";
        const string head = "input x[4]\nh = dense(x, 4) -> relu\n";
        const string tail = "out = dense(r, 1)\nloss mse(out)\ninput r_dense[1]";

        var nested = GeneratorHarness.Run(Network(head + "r = add(h, dense(relu(h), units: 4))\n" + tail));
        var flat = GeneratorHarness.Run(Network(head + "r_dense_2_relu = relu(h)\nr_dense_2 = dense(r_dense_2_relu, units: 4)\nr = add(h, r_dense_2)\n" + tail));

        Assert.Equal(["DPH0410"], nested.Diagnostics.Select(d => d.Id));
        Assert.Equal(flat.SingleSource, nested.SingleSource);
        Assert.Contains("public const int RDense2Weights = ", nested.SingleSource);
    }

    [Fact]
    public void NestedCalls_ReportAtTheCall_AndNestAtMost32Deep()
    {
        var source = new MarkedSource(""""
            using DeepPhys;
            [Network("""
                input x[4]
                r = add(x, {|#0:dens|}(x, 4))
                out = dense(r, 1)
                loss mse(out)
                """)]
            public partial class Net;
            """");
        string deep = string.Concat(Enumerable.Repeat("relu(", 33)) + "x" + new string(')', 33);

        var unknown = Assert.Single(GeneratorHarness.Run(source.Text).Diagnostics);
        var tooDeep = GeneratorHarness.Run($"using DeepPhys;\n[Network(\"input x[4]\\nout = dense({deep}, 1)\\nloss mse(out)\")]\npublic partial class Net;\n");

        Assert.Equal(source.Span(0), unknown.Location.SourceSpan);
        Assert.Equal("Syntax error: expected a node name (layer calls nest at most 32 deep) but found 'relu'", Assert.Single(tooDeep.Diagnostics).GetMessage());
    }

    [Fact]
    public void DphFile_GeneratesTheClassItNames_AndReportsInsideTheFile()
    {
        const string good = "network CaloNet\nnamespace Physics.Models\ninput cells[3]\ne = dense(cells, 1)\nloss mse(e)\n";
        const string bad = "network Broken\ninput x[2]\ny = dense(x, 1)\nloss mze(y)\n";
        var driver = GeneratorHarness.CreateDriver(new InMemoryText("calo.dph", good), new InMemoryText("broken.dph", bad));

        var (result, _) = GeneratorHarness.Run(driver, GeneratorHarness.CreateCompilation("public class Unrelated { }"));

        // The broken file's class is its stand-in, in the global namespace as the file has none.
        Assert.Equal(2, result.Sources.Count);
        Assert.Contains(result.Sources, source => source.Key.StartsWith("Physics.Models.CaloNet.dph.", StringComparison.Ordinal) && !source.Value.Contains("cannot run", StringComparison.Ordinal));
        Assert.Contains(result.Sources, source => source.Key.StartsWith("Broken.dph.", StringComparison.Ordinal) && source.Value.Contains("Broken cannot run: DPH0302 ", StringComparison.Ordinal));
        Assert.Empty(result.OutputErrors());
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("DPH0302", diagnostic.Id);
        Assert.Equal("broken.dph", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(new LinePosition(3, 5), diagnostic.Location.GetLineSpan().StartLinePosition);
        Assert.Equal("Unknown loss 'mze'; did you mean 'mse'?", diagnostic.GetMessage());
    }

    /// <summary>
    /// A .dph network whose class a [Network] class or another .dph file already declares would merge into it (CS0102,
    /// members twice): it is DPH0007 at the top of the file and generates nothing; the other declaration generates.
    /// </summary>
    [Fact]
    public void DphFile_NamingAClassDeclaredElsewhere_IsDph0007_AndGeneratesNothing()
    {
        const string dsl = "input x[3]\ne = dense(x, 1)\nloss mse(e)\n";
        const string attributes = "using DeepPhys;\nnamespace Models;\n[Network(Loss = Loss.MeanSquaredError)]\n[Input(3)]\n[Dense(1)]\npublic partial class Net;\n";
        var files = new AdditionalText[]
        {
            new InMemoryText("net.dph", "network Net\nnamespace Models\n" + dsl),
            new InMemoryText("a/calo.dph", "network Calo\n" + dsl),
            new InMemoryText("b/calo.dph", "network Calo\n" + dsl),
        };

        var (result, _) = GeneratorHarness.Run(GeneratorHarness.CreateDriver(files), GeneratorHarness.CreateCompilation(attributes, "partial class Calo { public int Extra => 1; }"));

        Assert.Empty(result.OutputErrors());
        Assert.Equal(2, result.Sources.Count);
        var diagnostics = result.Diagnostics.Select(d => (d.Id, d.Location.GetLineSpan().Path, d.GetMessage())).OrderBy(d => d.Path, StringComparer.Ordinal).ToList();
        Assert.Equal(2, diagnostics.Count);
        Assert.Equal(
            ("DPH0007", "net.dph", "Network class 'Models.Net' is declared twice: by a [Network] class and by 'net.dph'; a network class is generated from one declaration"),
            diagnostics[1]);

        // Of two .dph files naming one class, the first by hint name generates; the other is reported, naming it.
        var (id, path, message) = diagnostics[0];
        string other = path == "a/calo.dph" ? "b/calo.dph" : "a/calo.dph";
        Assert.Equal("DPH0007", id);
        Assert.Equal($"Network class 'Calo' is declared twice: by '{other}' and by '{path}'; a network class is generated from one declaration", message);
    }

    /// <summary>A namespace part that is a C# keyword is escaped, as on the attribute path: <c>My.class</c> emits <c>My.@class</c>.</summary>
    [Fact]
    public void DphFile_KeywordNamespace_IsEscaped_AndCompiles()
    {
        const string text = "network Net\nnamespace My.class\ninput x[3]\ne = dense(x, 1)\nloss mse(e)\n";
        var driver = GeneratorHarness.CreateDriver(new InMemoryText("net.dph", text));

        var (result, _) = GeneratorHarness.Run(driver, GeneratorHarness.CreateCompilation("public class Unrelated { }"));

        Assert.Empty(result.Diagnostics);
        Assert.Contains("namespace My.@class", Assert.Single(result.Sources).Value);
        Assert.Empty(result.OutputErrors());
    }
}
