using Microsoft.CodeAnalysis;

namespace DeepPhys.Generators.Tests;

/// <summary>Each DPH diagnostic: id, severity and position, marked in the source as <c>{|#0:…|}</c>.</summary>
public class DiagnosticTests
{
    private const DiagnosticSeverity Error = DiagnosticSeverity.Error;

    [Fact]
    public void ValidNetwork_HasNoDiagnostics()
    {
        var result = GeneratorHarness.Run(TestSources.Iris);

        Assert.Empty(result.Diagnostics);
        Assert.Single(result.Sources);
    }

    [Fact]
    public void DPH0001_NetworkNotPartial()
    {
        var result = AssertDiagnostics("""
            using DeepPhys;
            [Network(Loss = Loss.CategoricalCrossEntropy)]
            [Input(4)]
            [Dense(3, Activation.Softmax)]
            public class {|#0:IrisClassifier|} { }
            """, ("DPH0001", Error, 0));

        Assert.Equal(
            "Network class 'IrisClassifier' must be declared partial so the generator can add its forward and backward passes",
            result.Diagnostics[0].GetMessage());
    }

    [Fact]
    public void DPH0002_ContainingTypeNotPartial() => AssertDiagnostics("""
        using DeepPhys;
        public class {|#0:Outer|}
        {
            [Network(Loss = Loss.MeanSquaredError)]
            [Input(4)]
            [Dense(1)]
            public partial class Net;
        }
        """, ("DPH0002", Error, 0));

    [Theory]
    [InlineData("public static partial class {|#0:Net|} { }")]
    [InlineData("public abstract partial class {|#0:Net|} { }")]
    [InlineData("public partial class {|#0:Net|}<T> { }")]
    [InlineData("file partial class {|#0:Net|} { }")]
    public void DPH0003_StaticAbstractOrGenericNetwork(string declaration) => AssertDiagnostics($$"""
        using DeepPhys;
        [Network(Loss = Loss.MeanSquaredError)]
        [Input(4)]
        [Dense(1)]
        {{declaration}}
        """, ("DPH0003", Error, 0));

    /// <summary>A record would otherwise be skipped silently: the generated part is a class, and a record has its own equality and constructor.</summary>
    [Theory]
    [InlineData("public partial record {|#0:Net|};")]
    [InlineData("public sealed partial record class {|#0:Net|}(int Size);")]
    public void DPH0003_RecordNetwork(string declaration)
    {
        var result = AssertDiagnostics($$"""
            using DeepPhys;
            [Network(Loss = Loss.MeanSquaredError)]
            [Input(4)]
            [Dense(1)]
            {{declaration}}
            """, ("DPH0003", Error, 0));

        Assert.Equal(
            "Network class 'Net' cannot be a record: the generator derives it from DeepPhys.Network<T> and gives it a constructor",
            result.Diagnostics[0].GetMessage());
    }

    /// <summary>[Network] allows only classes, so on a record struct it is the compiler's CS0592; the generator adds nothing.</summary>
    [Fact]
    public void RecordStructNetwork_IsLeftToTheCompiler()
    {
        var result = GeneratorHarness.Run("""
            using DeepPhys;
            [Network(Loss = Loss.MeanSquaredError)]
            [Input(4)]
            [Dense(1)]
            public partial record struct Net;
            """);

        Assert.Null(result.RunResult.Exception);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.Sources);
        Assert.Contains(result.OutputErrors(), d => d.Id == "CS0592");
    }

    /// <summary>A class named like a member the generator adds to it (the nested Layout, an override) would be CS0542 in the generated part.</summary>
    [Theory]
    [InlineData("Layout")]
    [InlineData("TrainBatch")]
    [InlineData("FromBakedWeights")]
    public void DPH0006_NetworkNamedLikeAGeneratedMember(string name)
    {
        var result = AssertDiagnostics($$"""
            using DeepPhys;
            [Network(Loss = Loss.MeanSquaredError)]
            [Input(4)]
            [Dense(1)]
            public partial class {|#0:{{name}}|};
            """, ("DPH0006", Error, 0));

        Assert.Empty(result.Sources);
        Assert.Empty(result.OutputErrors());
    }

    [Fact]
    public void DPH0006_DphNetworkNamedLikeAGeneratedMember()
    {
        var file = new InMemoryText("layout.dph", "network Layout\ninput x[4]\nout = dense(x, 1)\nloss mse(out)\n");
        var result = GeneratorHarness.Run(GeneratorHarness.CreateDriver(file), GeneratorHarness.CreateCompilation()).Result;

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(("DPH0006", "layout.dph", new Microsoft.CodeAnalysis.Text.LinePosition(0, 8)), (diagnostic.Id, diagnostic.Location.GetLineSpan().Path, diagnostic.Location.GetLineSpan().StartLinePosition));
        Assert.Empty(result.Sources);
    }

    /// <summary>
    /// A network named System in the global namespace hides the namespace every <c>global::System.…</c> of the generated code
    /// names, so no part (not even a stand-in) could compile. (A class DeepPhys there breaks <c>using DeepPhys;</c> and the
    /// attributes before the generator sees them; in a .dph file it is DPH0006 too.)
    /// </summary>
    [Fact]
    public void DPH0006_NetworkNamedSystemInTheGlobalNamespace()
    {
        var result = AssertDiagnostics("""
            using DeepPhys;
            [Network(Loss = Loss.MeanSquaredError)]
            [Input(4)]
            [Dense(1)]
            public partial class {|#0:System|};
            """, ("DPH0006", Error, 0));

        Assert.Equal("Network class 'System' in the global namespace hides the namespace 'System' that the generated code names; rename the class or give it a namespace", result.Diagnostics[0].GetMessage());
        Assert.Empty(result.Sources);
    }

    /// <summary>
    /// Found by HostileDeclarationTests: a network class with a member of a generated member's name (here a nested class, or a
    /// field) got a stand-in declaring that member again, CS0102. The member is DPH0006 at its name; no part is generated.
    /// </summary>
    [Theory]
    [InlineData("public static class {|#0:TrainBatch|} { }", "TrainBatch")]
    [InlineData("private int {|#0:Layout|};", "Layout")]
    public void DPH0006_NetworkDeclaresAGeneratedMember(string member, string name)
    {
        var result = AssertDiagnostics($$"""
            using DeepPhys;
            [Network(Loss = Loss.MeanSquaredError)]
            [Input(4)]
            [Dense(1)]
            public partial class Net
            {
                {{member}}
            }
            """, ("DPH0006", Error, 0));

        Assert.Equal($"Network class 'Net' declares '{name}', a member the generator adds to it; rename that member", result.Diagnostics[0].GetMessage());
        Assert.Empty(result.Sources);
        Assert.DoesNotContain(result.OutputErrors(), error => error.Id != "CS0169");
    }

    [Fact]
    public void DPH0006_InANamespace_SystemIsAFineName()
    {
        var result = GeneratorHarness.Run("using DeepPhys;\nnamespace Physics;\n[Network(Loss = Loss.MeanSquaredError)]\n[Input(4)]\n[Dense(1)]\npublic partial class System;\n");

        Assert.Empty(result.Diagnostics);
        Assert.Single(result.Sources);
        Assert.Empty(result.OutputErrors());
    }

    [Theory]
    [InlineData("System")]
    [InlineData("DeepPhys")]
    public void DPH0006_DphNetworkNamedLikeANamespace_WithoutANamespace(string name)
    {
        var file = new InMemoryText("global.dph", $"network {name}\ninput x[4]\nout = dense(x, 1)\nloss mse(out)\n");
        var inNamespace = new InMemoryText("physics.dph", $"network {name}\nnamespace Physics\ninput x[4]\nout = dense(x, 1)\nloss mse(out)\n");
        var result = GeneratorHarness.Run(GeneratorHarness.CreateDriver(file, inNamespace), GeneratorHarness.CreateCompilation()).Result;

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(("DPH0006", "global.dph", new Microsoft.CodeAnalysis.Text.LinePosition(0, 8)), (diagnostic.Id, diagnostic.Location.GetLineSpan().Path, diagnostic.Location.GetLineSpan().StartLinePosition));
        Assert.Equal($"Network class '{name}' in the global namespace hides the namespace '{name}' that the generated code names; rename the class or give it a namespace", diagnostic.GetMessage());
        Assert.Contains($"Physics.{name}", Assert.Single(result.Sources).Key, StringComparison.Ordinal);
        Assert.Empty(result.OutputErrors());
    }

    /// <summary>Every member the emitters declare in a network class (valid, stand-in, baked weights) is reserved: a new generated member must be reserved too.</summary>
    [Fact]
    public void DPH0006_ReservesEveryMemberTheGeneratorDeclares()
    {
        var weights = new InMemoryText("Tiny.weights.json", BakedWeightsTests.TinyWeights);
        var valid = GeneratorHarness.Run(GeneratorHarness.CreateDriver(weights), GeneratorHarness.CreateCompilation(BakedWeightsTests.Tiny)).Result;
        var invalid = GeneratorHarness.Run("using DeepPhys;\n[Network(Loss = Loss.MeanSquaredError)]\n[Input(0)]\n[Dense(1)]\npublic partial class Net;\n");

        var declared = valid.Sources.Values.Concat(invalid.Sources.Values)
            .Select(source => Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(source).GetRoot())
            .SelectMany(root => root.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax>().Where(c => c.Parent is not Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax))
            .SelectMany(network => network.Members)
            .Select(MemberName)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);

        Assert.Contains("FromBakedWeights", declared);
        Assert.Subset(DeepPhys.Generators.Emission.NetworkEmitter.GeneratedMemberNames.ToHashSet(StringComparer.Ordinal), declared);
    }

    private static string? MemberName(Microsoft.CodeAnalysis.CSharp.Syntax.MemberDeclarationSyntax member) => member switch
    {
        Microsoft.CodeAnalysis.CSharp.Syntax.BaseTypeDeclarationSyntax type => type.Identifier.ValueText,
        Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax method => method.Identifier.ValueText,
        Microsoft.CodeAnalysis.CSharp.Syntax.PropertyDeclarationSyntax property => property.Identifier.ValueText,
        Microsoft.CodeAnalysis.CSharp.Syntax.BaseFieldDeclarationSyntax field => field.Declaration.Variables.Single().Identifier.ValueText,
        _ => null,
    };

    [Fact]
    public void DPH0004_NetworkWithBaseClass() => AssertDiagnostics("""
        using DeepPhys;
        public class Base { }
        [Network(Loss = Loss.MeanSquaredError)]
        [Input(4)]
        [Dense(1)]
        public partial class Net : {|#0:Base|}, System.IDisposable { public void Dispose() { } }
        """, ("DPH0004", Error, 0));

    [Fact]
    public void DPH0005_LayerAttributesWithoutNetwork() => AssertDiagnostics("""
        using DeepPhys;
        [{|#0:Input(4)|}]
        [{|#1:Dense(8)|}]
        [{|#2:Dense(1)|}]
        public partial class NotANetwork;
        """, ("DPH0005", Error, 0), ("DPH0005", Error, 1), ("DPH0005", Error, 2));

    [Fact]
    public void DPH0005_LayerAttributesOnRecordWithoutNetwork() => AssertDiagnostics("""
        using DeepPhys;
        [{|#0:Input(4)|}]
        [{|#1:Dense(1)|}]
        public partial record NotANetwork;
        """, ("DPH0005", Error, 0), ("DPH0005", Error, 1));

    /// <summary>A CNN stack that forgot [Network]: every image layer is reported too, not only [Input] and [Dense].</summary>
    [Fact]
    public void DPH0005_ImageLayersWithoutNetwork() => AssertDiagnostics("""
        using DeepPhys;
        [{|#0:Input(1, 8, 8)|}]
        [{|#1:Conv2D(4, 3)|}]
        [{|#2:BatchNorm|}]
        [{|#3:MaxPool2D(2)|}]
        [{|#4:AvgPool2D(1)|}]
        [{|#5:Dropout(0.25)|}]
        [{|#6:GlobalAveragePooling2D|}]
        [{|#7:Flatten|}]
        [{|#8:Dense(1)|}]
        public partial class NotANetwork;
        """,
        ("DPH0005", Error, 0), ("DPH0005", Error, 1), ("DPH0005", Error, 2), ("DPH0005", Error, 3), ("DPH0005", Error, 4),
        ("DPH0005", Error, 5), ("DPH0005", Error, 6), ("DPH0005", Error, 7), ("DPH0005", Error, 8));

    /// <summary>The methodology warnings hold for attribute stacks as for the DSL: at the Loss argument, at the dropout, at the softmax after a batch norm.</summary>
    [Fact]
    public void DPH0501_To_DPH0503_InAttributeStacks()
    {
        var classifier = AssertDiagnostics("""
            using DeepPhys;
            [Network({|#0:Loss = Loss.MeanSquaredError|})]
            [Input(4)]
            [Dense(3, Activation.Softmax)]
            public partial class Net;
            """, ("DPH0501", DiagnosticSeverity.Warning, 0));
        Assert.EndsWith("use Loss.CategoricalCrossEntropy, whose gradient does not vanish when the softmax saturates", classifier.Diagnostics[0].GetMessage());

        AssertDiagnostics("""
            using DeepPhys;
            [Network(Loss = Loss.MeanSquaredError)]
            [Input(4)]
            [Dense(3)]
            [{|#0:Dropout(0.5)|}]
            public partial class Net;
            """, ("DPH0502", DiagnosticSeverity.Warning, 0));

        AssertDiagnostics("""
            using DeepPhys;
            [Network(Loss = Loss.CategoricalCrossEntropy)]
            [Input(4)]
            [Dense(3)]
            [BatchNorm]
            [{|#0:Activation(Activation.Softmax)|}]
            public partial class Net;
            """, ("DPH0503", DiagnosticSeverity.Warning, 0));
    }

    /// <summary>One pipeline finds every layer attribute however it is spelled: qualified, with its Attribute suffix, the newer layers.</summary>
    [Fact]
    public void DPH0005_QualifiedAndSuffixedLayerAttributes() => AssertDiagnostics("""
        [{|#0:DeepPhys.Input(1, 4, 4)|}]
        [{|#1:global::DeepPhys.Conv2DTransposeAttribute(2, 3)|}]
        [{|#2:DeepPhys.UpSampling2D(2)|}]
        [{|#3:DeepPhys.Activation(DeepPhys.Activation.ReLU)|}]
        [{|#4:DeepPhys.GlobalMaxPooling2D|}]
        public class NotANetwork;
        """, ("DPH0005", Error, 0), ("DPH0005", Error, 1), ("DPH0005", Error, 2), ("DPH0005", Error, 3), ("DPH0005", Error, 4));

    /// <summary>Two partial parts in one file: each attribute is still reported once.</summary>
    [Fact]
    public void DPH0005_OncePerAttributeAcrossPartialParts() => AssertDiagnostics("""
        using DeepPhys;
        [{|#0:Input(4)|}]
        public partial class NotANetwork;
        [{|#1:Dense(1)|}]
        public partial class NotANetwork;
        """, ("DPH0005", Error, 0), ("DPH0005", Error, 1));

    [Fact]
    public void DPH0101_MissingInput() => AssertDiagnostics("""
        using DeepPhys;
        [{|#0:Network(Loss = Loss.MeanSquaredError)|}]
        [Dense(1)]
        public partial class Net;
        """, ("DPH0101", Error, 0));

    [Fact]
    public void DPH0102_SecondInput() => AssertDiagnostics("""
        using DeepPhys;
        [Network(Loss = Loss.MeanSquaredError)]
        [Input(4)]
        [{|#0:Input(2)|}]
        [Dense(1)]
        public partial class Net;
        """, ("DPH0102", Error, 0));

    [Fact]
    public void DPH0103_InputAfterLayer() => AssertDiagnostics("""
        using DeepPhys;
        [Network(Loss = Loss.MeanSquaredError)]
        [Dense(1)]
        [{|#0:Input(4)|}]
        public partial class Net;
        """, ("DPH0103", Error, 0));

    [Fact]
    public void DPH0104_InputSizeZero() => AssertDiagnostics("""
        using DeepPhys;
        [Network(Loss = Loss.MeanSquaredError)]
        [Input({|#0:0|})]
        [Dense(1)]
        public partial class Net;
        """, ("DPH0104", Error, 0));

    [Fact]
    public void DPH0105_DenseWithoutUnits()
    {
        var result = AssertDiagnostics("""
            using DeepPhys;
            [Network(Loss = Loss.CategoricalCrossEntropy)]
            [Input(4)]
            [Dense(16, Activation.ReLU)]
            [Dense({|#0:0|}, Activation.ReLU)]
            [Dense(3, Activation.Softmax)]
            public partial class Net;
            """, ("DPH0105", Error, 0));

        Assert.Equal("Dense layer 'dense_1' has 0 units; a layer needs at least one", result.Diagnostics[0].GetMessage());
    }

    [Fact]
    public void DPH0106_InputButNoLayers() => AssertDiagnostics("""
        using DeepPhys;
        [{|#0:Network(Loss = Loss.MeanSquaredError)|}]
        [Input(4)]
        public partial class Net;
        """, ("DPH0106", Error, 0));

    [Fact]
    public void DPH0107_UnknownActivation() => AssertDiagnostics("""
        using DeepPhys;
        [Network(Loss = Loss.MeanSquaredError)]
        [Input(4)]
        [Dense(1, {|#0:activation: (Activation)42|})]
        public partial class Net;
        """, ("DPH0107", Error, 0));

    [Theory]
    [InlineData("-0.5")]
    [InlineData("double.NaN")]
    [InlineData("double.PositiveInfinity")]
    public void DPH0108_InvalidNegativeSlope(string slope) => AssertDiagnostics($$"""
        using DeepPhys;
        [Network(Loss = Loss.MeanSquaredError)]
        [Input(4)]
        [Dense(8, Activation.LeakyReLU, {|#0:NegativeSlope = {{slope}}|})]
        [Dense(1)]
        public partial class Net;
        """, ("DPH0108", Error, 0));

    [Fact]
    public void DPH0109_NegativeSlopeWithoutLeakyRelu_IsAWarningAndStillGenerates()
    {
        var result = AssertDiagnostics("""
            using DeepPhys;
            [Network(Loss = Loss.MeanSquaredError)]
            [Input(4)]
            [Dense(8, Activation.ReLU, {|#0:NegativeSlope = 0.2|})]
            [Dense(1)]
            public partial class Net;
            """, ("DPH0109", DiagnosticSeverity.Warning, 0));

        Assert.Single(result.Sources);
        Assert.Empty(result.OutputErrors());
    }

    [Theory]
    [InlineData("""[Dense(8, Name = "hidden")] [Dense(1, {|#0:Name = "hidden"|})]""")]
    [InlineData("""[Dense(8, {|#0:Name = "dense_1"|})] [Dense(1)]""")]
    [InlineData("""[Dense(8, Name = "my_layer")] [Dense(1, {|#0:Name = "myLayer"|})]""")]
    [InlineData("""[Dense(8, {|#0:Name = "1st"|})] [Dense(1)]""")]
    [InlineData("""[Dense(8, {|#0:Name = ""|})] [Dense(1)]""")]
    [InlineData("""[Dense(8, {|#0:Name = "has space"|})] [Dense(1)]""")]
    public void DPH0110_InvalidOrDuplicateLayerName(string layers) => AssertDiagnostics($$"""
        using DeepPhys;
        [Network(Loss = Loss.MeanSquaredError)]
        [Input(4)]
        {{layers}}
        public partial class Net;
        """, ("DPH0110", Error, 0));

    [Fact]
    public void DPH0111_TooManyParameters() => AssertDiagnostics("""
        using DeepPhys;
        [{|#0:Network(Loss = Loss.MeanSquaredError)|}]
        [Input(100000)]
        [Dense(100000)]
        [Dense(1)]
        public partial class Net;
        """, ("DPH0111", Error, 0));

    /// <summary>
    /// An input whose size overflows an int (65537² = 4,295,098,369 and 65536² = 2³²) is DPH0111 at the declaration, not a
    /// network of 131,073 inputs or a DivideByZeroException in Predict (issue 20, item 2).
    /// </summary>
    [Theory]
    [InlineData("[Input(65537, 65537, 1)]")]
    [InlineData("[Input(65536, 65536, 1)]")]
    public void DPH0111_InputWhoseSizeOverflowsAnInt(string input) => AssertDiagnostics($$"""
        using DeepPhys;
        [{|#0:Network(Loss = Loss.MeanSquaredError)|}]
        {{input}}
        [Flatten]
        [Dense(1)]
        public partial class Net;
        """, ("DPH0111", Error, 0));

    /// <summary>4-64-243-1 has 5·64 + 65·243 + 244 = 16359 parameters, within the small-layer kernels' 16384; one more unit (16425) is beyond.</summary>
    [Theory]
    [InlineData(243, 16359)]
    [InlineData(244, 16425)]
    public void DPH0112_OnlyAboveTheSmallLayerLimit(int units, int parameters)
    {
        var result = GeneratorHarness.Run($$"""
            using DeepPhys;
            [Network(Loss = Loss.MeanSquaredError)]
            [Input(4)]
            [Dense(64, Activation.ReLU)]
            [Dense({{units}}, Activation.ReLU)]
            [Dense(1)]
            public partial class Net;
            """);

        string kernels = parameters <= 16384 ? "SmallDenseKernels." : "global::DeepPhys.Kernels.DenseKernels.";
        string source = Assert.Single(result.Sources).Value;
        Assert.Contains(kernels + "Forward(", source);

        // Either way the hidden ReLUs are applied by the forward kernels (ForwardRelu, or the GEMM's epilogue), never in a pass of their own.
        Assert.DoesNotContain("ActivationKernels.Relu(", source);
        Assert.Contains(parameters <= 16384 ? "ForwardRelu(" : ", relu: true);", source);
        if (parameters <= 16384)
        {
            Assert.Empty(result.Diagnostics);
            return;
        }

        var info = Assert.Single(result.Diagnostics);
        Assert.Equal(("DPH0112", DiagnosticSeverity.Info), (info.Id, info.Severity));
        long flops = (2 * 4 * 64) + 64 + 64 + (2 * 64 * units) + units + units + (2 * units) + 1;
        Assert.Equal(
            $"Network 'Net' has {parameters} parameters and {flops} FLOPs per sample (forward); above 16384 parameters its dense layers use the general kernels instead of the small-layer ones",
            info.GetMessage());
    }

    [Fact]
    public void DPH0112_Limit_IsTheRuntimesSmallLayerLimit() =>
        Assert.Equal(DeepPhys.Kernels.SmallDenseKernels.MaxParameters, DeepPhys.Generators.Model.GraphSpec.SmallNetworkMaxParameters);

    [Fact]
    public void DPH0112_AtTheNetworkAttribute_AlsoForInlineDsl() => AssertDiagnostics(""""
        using DeepPhys;
        [{|#0:Network("""
            input x[300]
            h = dense(x, 64, relu)
            out = dense(h, 1)
            loss mse(out)
            """)|}]
        public partial class Net;
        """", ("DPH0112", DiagnosticSeverity.Info, 0));

    [Fact]
    public void DPH0112_AtTheStartOfADphFile()
    {
        var (result, _) = GeneratorHarness.Run(
            GeneratorHarness.CreateDriver(new InMemoryText("big.dph", "network Big\ninput x[300]\nh = dense(x, 64, relu)\nout = dense(h, 1)\nloss mse(out)\n")),
            GeneratorHarness.CreateCompilation());

        var info = Assert.Single(result.Diagnostics);
        Assert.Equal("DPH0112", info.Id);
        Assert.Equal("big.dph", info.Location.GetLineSpan().Path);
        Assert.Equal(0, info.Location.SourceSpan.Start);
        Assert.Contains("Network 'Big' has 19329 parameters", info.GetMessage());
    }

    [Theory]
    [InlineData("{|#0:Network|}")]
    [InlineData("{|#0:Network(Loss = Loss.None)|}")]
    public void DPH0201_MissingLoss(string network) => AssertDiagnostics($$"""
        using DeepPhys;
        [{{network}}]
        [Input(4)]
        [Dense(1)]
        public partial class Net;
        """, ("DPH0201", Error, 0));

    [Fact]
    public void DPH0202_SoftmaxWithBinaryCrossEntropy() => AssertDiagnostics("""
        using DeepPhys;
        [Network(Loss = Loss.BinaryCrossEntropy)]
        [Input(4)]
        [Dense(8, Activation.ReLU)]
        [{|#0:Dense(2, Activation.Softmax)|}]
        public partial class Net;
        """, ("DPH0202", Error, 0));

    [Fact]
    public void DPH0203_SingleUnitWithCategoricalCrossEntropy() => AssertDiagnostics("""
        using DeepPhys;
        [Network(Loss = Loss.CategoricalCrossEntropy)]
        [Input(4)]
        [{|#0:Dense(1, Activation.Softmax)|}]
        public partial class Net;
        """, ("DPH0203", Error, 0));

    /// <summary>At the written activation, which its code fix replaces.</summary>
    [Theory]
    [InlineData("Dense(3, {|#0:Activation.Sigmoid|})")]
    [InlineData("Dense(3, activation: {|#0:Activation.Sigmoid|})")]
    public void DPH0204_CategoricalCrossEntropyWithoutSoftmax(string layer) => AssertDiagnostics($$"""
        using DeepPhys;
        [Network(Loss = Loss.CategoricalCrossEntropy)]
        [Input(4)]
        [{{layer}}]
        public partial class Net;
        """, ("DPH0204", Error, 0));

    /// <summary>An output that writes no activation has none to point at: the diagnostic is at the layer.</summary>
    [Fact]
    public void DPH0204_WithoutAWrittenActivation_IsAtTheLayer() => AssertDiagnostics("""
        using DeepPhys;
        [Network(Loss = Loss.CategoricalCrossEntropy)]
        [Input(4)]
        [{|#0:Dense(3)|}]
        public partial class Net;
        """, ("DPH0204", Error, 0));

    [Fact]
    public void DPH0205_BinaryCrossEntropyWithoutSigmoid() => AssertDiagnostics("""
        using DeepPhys;
        [Network(Loss = Loss.BinaryCrossEntropy)]
        [Input(4)]
        [Dense(1, {|#0:Activation.Tanh|})]
        public partial class Net;
        """, ("DPH0205", Error, 0));

    /// <summary>In the DSL at the activation's name: after '->', as the activation argument, or a standalone activation.</summary>
    [Theory]
    [InlineData("out = dense(h, 3) -> {|#0:sigmoid|}")]
    [InlineData("out = dense(h, 3, activation: {|#0:sigmoid|})")]
    [InlineData("out = {|#0:sigmoid|}(h)")]
    public void DPH0204_InTheDsl_IsAtTheActivationName(string output) => AssertDiagnostics($$""""
        using DeepPhys;
        [Network("""
            input x[4]
            h = dense(x, 3)
            {{output}}
            loss categorical_crossentropy(out)
            """)]
        public partial class Net;
        """", ("DPH0204", Error, 0));

    [Theory]
    [InlineData("Network({|#0:Loss = (Loss)9|})")]
    [InlineData("Network(Loss = Loss.MeanSquaredError, {|#0:Precision = (Precision)2|})")]
    public void DPH0206_UnknownLossOrPrecision(string network) => AssertDiagnostics($$"""
        using DeepPhys;
        [{{network}}]
        [Input(4)]
        [Dense(1)]
        public partial class Net;
        """, ("DPH0206", Error, 0));

    [Fact]
    public void EveryProblemIsReported() => AssertDiagnostics("""
        using DeepPhys;
        [{|#0:Network|}]
        [Input({|#1:-3|})]
        [Dense({|#2:0|}, Activation.ReLU)]
        [Dense(4, {|#3:(Activation)7|})]
        public class {|#4:Net|};
        """,
        ("DPH0001", Error, 4), ("DPH0104", Error, 1), ("DPH0105", Error, 2), ("DPH0107", Error, 3), ("DPH0201", Error, 0));

    /// <summary>The compiler reports a non-constant argument (CS0182); the generator stays silent and emits nothing.</summary>
    [Fact]
    public void NonConstantArgument_GivesNoSourceAndNoDiagnostic()
    {
        var result = GeneratorHarness.Run("""
            using DeepPhys;
            [Network(Loss = Loss.MeanSquaredError)]
            [Input(4)]
            [Dense(Sizes.Units)]
            public partial class Net;
            public static class Sizes { public static readonly int Units = 3; }
            """);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.Sources);
        Assert.Null(result.RunResult.Exception);
        Assert.Contains(result.OutputErrors(), d => d.Id == "CS0182");
    }

    /// <summary>[Network] on two parts of a partial class is CS0579; the generator must not add the source twice (which would throw).</summary>
    [Fact]
    public void NetworkOnTwoPartialParts_DoesNotThrow()
    {
        var result = GeneratorHarness.Run("""
            using DeepPhys;
            [Network(Loss = Loss.MeanSquaredError)]
            [Input(4)]
            public partial class Net;
            [Network(Loss = Loss.MeanSquaredError)]
            [Dense(1)]
            public partial class Net;
            """);

        Assert.Null(result.RunResult.Exception);
        Assert.Single(result.Sources);
    }

    /// <summary>Runs the generator on <paramref name="markup"/> and checks it reports exactly <paramref name="expected"/>, and emits nothing if one is an error.</summary>
    /// <summary>The attribute stack reuses the DSL's shape diagnostics, at the offending attribute.</summary>
    [Fact]
    public void AttributeStack_DenseOnAnImageWithoutFlatten_IsDph0405()
    {
        var result = AssertDiagnostics("""
            using DeepPhys;
            [Network(Loss = Loss.MeanSquaredError)]
            [Input(1, 8, 8)]
            [Conv2D(4, 3)]
            [{|#0:Dense(1)|}]
            public partial class Net;
            """, ("DPH0405", Error, 0));

        Assert.Equal("Dense layer 'dense' gets an input of shape [4, 6, 6]; insert flatten before it to make that [144]", result.Diagnostics[0].GetMessage());
    }

    [Fact]
    public void AttributeStack_WindowLargerThanItsInput_IsDph0406() => AssertDiagnostics("""
        using DeepPhys;
        [Network(Loss = Loss.MeanSquaredError)]
        [Input(1, 4, 4)]
        [Conv2D(2, 3)]
        [{|#0:MaxPool2D(3)|}]
        [Flatten]
        [Dense(1)]
        public partial class Net;
        """, ("DPH0406", Error, 0));

    [Fact]
    public void AttributeStack_SizesRatesAndPadding_AreCheckedAtTheirAttribute()
    {
        var result = AssertDiagnostics("""
            using DeepPhys;
            [Network(Loss = Loss.MeanSquaredError)]
            [Input(1, 8, 8)]
            [Conv2D({|#0:0|}, 3, {|#1:Stride = 0|})]
            [Conv2D(2, 3, {|#2:Padding = (Padding)7|})]
            [AvgPool2D({|#3:0|})]
            [Flatten]
            [Dropout({|#4:1.5|})]
            [Dense(1)]
            public partial class Net;
            """, ("DPH0407", Error, 0), ("DPH0407", Error, 1), ("DPH0206", Error, 2), ("DPH0407", Error, 3), ("DPH0303", Error, 4));

        var messages = result.Diagnostics.Select(d => d.GetMessage()).ToList();
        Assert.Contains("'conv2d' has filters = 0; sizes and strides must be at least 1", messages);
        Assert.Contains("'conv2d' has stride = 0; sizes and strides must be at least 1", messages);
        Assert.Contains("'average_pooling2d' has window = 0; sizes and strides must be at least 1", messages);
        Assert.Contains("Padding value 7 is not a member of DeepPhys.Padding", messages);
        Assert.Contains("'rate' must be a number in [0, 1), not '1.5'", messages);
    }

    [Fact]
    public void AttributeStack_CategoricalLossAfterAPool_NeedsASoftmaxOutput() => AssertDiagnostics("""
        using DeepPhys;
        [Network(Loss = Loss.CategoricalCrossEntropy)]
        [Input(1, 8, 8)]
        [Conv2D(3, 3, Activation.Softmax)]
        [{|#0:GlobalAveragePooling2D|}]
        public partial class Net;
        """, ("DPH0204", Error, 0));

    /// <summary>Conv parameters count toward the buffer limit in both front ends, computed without overflowing ('same' lets a kernel exceed the image).</summary>
    [Fact]
    public void HugeConvolutions_AreDph0111_NotAnOverflow()
    {
        var attributes = AssertDiagnostics("""
            using DeepPhys;
            [{|#0:Network(Loss = Loss.MeanSquaredError)|}]
            [Input(3, 8, 8)]
            [Conv2D(100000, 100000, Padding = Padding.Same)]
            [Flatten]
            [Dense(1)]
            public partial class Net;
            """, ("DPH0111", Error, 0));
        // The whole network's count: the convolution's 3 · 10¹⁵ weights and 10⁵ biases, the dense layer's 6.4 · 10⁶ weights and its bias.
        Assert.Contains("has 3000000006500001 parameters", attributes.Diagnostics[0].GetMessage());

        var dsl = GeneratorHarness.Run(""""
            using DeepPhys;
            [Network("""
                input image[3, 8, 8]
                c = conv2d(image, filters: 2000000000, kernel: 2000000000, padding: -1)
                f = flatten(c)
                out = dense(f, 1)
                loss mse(out)
                """)]
            public partial class Net;
            """");
        Assert.Contains("DPH0111", dsl.Diagnostics.Select(d => d.Id));
        dsl.SingleStandIn("DPH0111");
        Assert.Null(dsl.RunResult.Exception);
    }

    /// <summary>A dense after conv and global pooling reads the pooled channels, not the input image: no false DPH0111.</summary>
    [Fact]
    public void DenseAfterGlobalPooling_IsSizedByThePooledChannels_NotTheInput()
    {
        var result = GeneratorHarness.Run("""
            using DeepPhys;
            [Network(Loss = Loss.MeanSquaredError)]
            [Input(3, 512, 512)]
            [Conv2D(64, 3)]
            [GlobalAveragePooling2D]
            [Dense(4096)]
            [Dense(1)]
            public partial class Net;
            """);

        Assert.Equal(["DPH0112"], result.Diagnostics.Select(d => d.Id));
        Assert.Single(result.Sources);
        Assert.Empty(result.OutputErrors());
    }

    /// <summary>A DSL node name becomes part of constant names, so one that is not an identifier is DPH0110 at the name.</summary>
    [Theory]
    [InlineData("_1")]
    [InlineData("_")]
    public void DPH0110_InvalidDslNodeName(string name) => AssertDiagnostics($$""""
        using DeepPhys;
        [Network("""
            input x[3]
            {|#0:{{name}}|} = dense(x, 4)
            out = dense({{name}}, 1)
            loss mse(out)
            """)]
        public partial class Net;
        """", ("DPH0110", Error, 0));

    [Fact]
    public void DPH0305_RecurrentLayerOnAVector_NamesBothShapes()
    {
        var result = AssertDiagnostics("""
            using DeepPhys;
            [Network(Loss = Loss.MeanSquaredError)]
            [Input(12)]
            [{|#0:LSTM(4)|}]
            [Dense(1)]
            public partial class Net;
            """, ("DPH0305", Error, 0));

        Assert.Equal(
            "Recurrent layer 'lstm' gets an input of shape [12] but needs a sequence [time, features]; declare the input as one ([Input(time, features)], or 'input x[time, features]' in the DSL) or reshape to it",
            result.Diagnostics[0].GetMessage());
    }

    [Fact]
    public void DPH0305_RecurrentLayerOnAnImage_InTheDsl_IsAtTheLayer() => AssertDiagnostics(""""
        using DeepPhys;
        [Network("""
            input img[1, 4, 4]
            h = {|#0:gru|}(img, 3)
            out = dense(h, 1)
            loss mse(out)
            """)]
        public partial class Net;
        """", ("DPH0305", Error, 0));

    /// <summary>A dense layer after a layer returning the whole sequence follows the dense-on-image rule: flatten first (DPH0405).</summary>
    [Fact]
    public void DPH0405_DenseAfterReturnSequences()
    {
        var result = AssertDiagnostics("""
            using DeepPhys;
            [Network(Loss = Loss.MeanSquaredError)]
            [Input(10, 3)]
            [SimpleRNN(4, ReturnSequences = true)]
            [{|#0:Dense(1)|}]
            public partial class Net;
            """, ("DPH0405", Error, 0));

        Assert.Equal("Dense layer 'dense' gets an input of shape [10, 4]; insert flatten before it to make that [40]", result.Diagnostics[0].GetMessage());
    }

    [Fact]
    public void RecurrentAttributes_UnitsAndCellActivation_AreCheckedAtTheirAttribute()
    {
        var result = AssertDiagnostics("""
            using DeepPhys;
            [Network(Loss = Loss.MeanSquaredError)]
            [Input(10, 3)]
            [GRU({|#0:0|}, ReturnSequences = true)]
            [SimpleRNN(4, {|#1:Activation.Softmax|})]
            [Dense(1)]
            public partial class Net;
            """, ("DPH0407", Error, 0), ("DPH0303", Error, 1));

        Assert.Contains("'activation' of simple_rnn 'simple_rnn' must be tanh, relu, sigmoid or linear, not softmax", result.Diagnostics.Select(d => d.GetMessage()));
    }

    [Fact]
    public void RecurrentDslArguments_ReturnSequencesAndCellActivation_AreCheckedAtTheirValue() => AssertDiagnostics(""""
        using DeepPhys;
        [Network("""
            input x[6, 2]
            a = lstm(x, 4, return_sequences: {|#0:yes|})
            b = simple_rnn(x, 4, activation: {|#1:softmax|})
            c = concatenate(a, b)
            loss mse(c)
            """)]
        public partial class Net;
        """", ("DPH0303", Error, 0), ("DPH0303", Error, 1));

    /// <summary>The steps a recurrent layer keeps count towards the workspace: a long sequence of a wide LSTM is too large (DPH0111), though its parameters fit.</summary>
    [Fact]
    public void DPH0111_RecurrentWorkspaceTooLarge_InTheDsl()
    {
        var result = GeneratorHarness.Run(""""
            using DeepPhys;
            [Network("""
                input x[100000, 1]
                h = lstm(x, 10000)
                loss mse(h)
                """)]
            public partial class Net;
            """");

        Assert.Equal(["DPH0111"], result.Diagnostics.Select(d => d.Id));
        result.SingleStandIn("DPH0111");
    }

    /// <summary>A transpose of anything but two axes per sample is DPH0303 at the op, naming the shape it got.</summary>
    [Fact]
    public void DPH0303_TransposeOfAnImage()
    {
        var result = AssertDiagnostics(""""
            using DeepPhys;
            [Network("""
                input img[1, 4, 4]
                t = {|#0:transpose|}(img)
                out = dense(flatten(t), 1)
                loss mse(out)
                """)]
            public partial class Net;
            """", ("DPH0303", Error, 0));

        Assert.Equal("'t' swaps the two axes of a sample [rows, columns] (a signal or a sequence), but its input has shape [1, 4, 4]", result.Diagnostics[0].GetMessage());
    }

    /// <summary>An axis outside the inputs' rank is DPH0303 at the axis, naming the shape and the valid range.</summary>
    [Fact]
    public void DPH0303_ConcatenateAxisOutsideTheRank()
    {
        var result = AssertDiagnostics(""""
            using DeepPhys;
            [Network("""
                input img[1, 4, 4]
                a = conv2d(img, filters: 2, kernel: 1)
                b = conv2d(img, filters: 2, kernel: 1)
                c = concatenate(a, b, axis: {|#0:3|})
                out = dense(flatten(c), 1)
                loss mse(out)
                """)]
            public partial class Net;
            """", ("DPH0303", Error, 0));

        Assert.Equal("'axis' must be an axis of the inputs' shape [2, 4, 4] (0 to 2, or -1 to -3 from the last), not 3", result.Diagnostics[0].GetMessage());
    }

    /// <summary>Along the width (axis 2 = -1) the heights and channels must agree: DPH0404 names both shapes.</summary>
    [Fact]
    public void DPH0404_ConcatenateWidthsOfImagesOfDifferentHeights()
    {
        var result = AssertDiagnostics(""""
            using DeepPhys;
            [Network("""
                input img[1, 4, 4]
                a = conv2d(img, filters: 2, kernel: 1)
                b = conv2d(img, filters: 2, kernel: 2)
                c = {|#0:concatenate|}(a, b, axis: -1)
                out = dense(flatten(c), 1)
                loss mse(out)
                """)]
            public partial class Net;
            """", ("DPH0404", Error, 0));

        Assert.Contains("[2, 4, 4] and [2, 3, 3]", result.Diagnostics[0].GetMessage(), StringComparison.Ordinal);
        Assert.Contains("equal shapes apart from the concatenated axis 2", result.Diagnostics[0].GetMessage(), StringComparison.Ordinal);
    }

    /// <summary>Every axis of an image and of a sequence generates code that compiles; on vectors -1 is the first axis.</summary>
    [Theory]
    [InlineData("input x[3]\na = dense(x, 2)\nb = dense(x, 3)\nc = concatenate(a, b, axis: -1)")]
    [InlineData("input img[1, 4, 4]\na = conv2d(img, filters: 2, kernel: 1)\nb = conv2d(img, filters: 3, kernel: 3, padding: 1)\nc = concatenate(a, b)")]
    [InlineData("input img[1, 4, 4]\na = conv2d(img, filters: 2, kernel: 1)\nb = conv2d(img, filters: 2, kernel: 3, padding: -1)\nc = concatenate(a, b, a, axis: 1)")]
    [InlineData("input img[1, 4, 4]\na = conv2d(img, filters: 2, kernel: 1)\nb = conv2d(img, filters: 2, kernel: 3, padding: -1)\nc = concatenate(a, b, axis: -1)")]
    [InlineData("input seq[3, 8]\na = conv1d(seq, filters: 2, kernel: 3)\nb = conv1d(seq, filters: 2, kernel: 1)\nc = concatenate(a, b, axis: 1)")]
    public void ConcatenateAlongAnyAxis_IsGenerated(string nodes)
    {
        var result = GeneratorHarness.Run($"using DeepPhys;\n[Network(\"\"\"\n{nodes}\nout = dense(flatten(c), 1)\nloss mse(out)\n\"\"\")]\npublic partial class Net;\n");

        Assert.Empty(result.Diagnostics);
        Assert.Single(result.Sources);
        Assert.Empty(result.OutputErrors());
    }

    /// <summary>Odd attribute stacks: each is reported or generated, and the generator never throws.</summary>
    [Theory]
    [InlineData("[Input(4)] [Conv2D(2, 3)] [Flatten] [Dense(1)]", "DPH0406")]
    [InlineData("[Input(0, 8, 8)] [Conv2D(2, 3)] [Flatten] [Dense(1)]", "DPH0104")]
    [InlineData("[Input(1, 8, 8)] [Conv2D(2, 3, (Activation)42)] [Flatten] [Dense(1)]", "DPH0107")]
    [InlineData("[Input(1, 8, 8)] [MaxPool2D(2, Stride = -1)] [Flatten] [Dense(1)]", "DPH0407")]
    [InlineData("[Input(1, 8, 8)] [Flatten] [Dense(0)]", "DPH0105")]
    [InlineData("[Input(1, 8, 8)] [GlobalAveragePooling2D] [GlobalAveragePooling2D] [Dense(1)]", "DPH0406")]
    [InlineData("[Input(1, 8, 8)] [BatchNorm(Epsilon = 0)] [Flatten] [Dense(1)]", "DPH0303")]
    [InlineData("[Input(1, 3, 3)] [Conv2D(2, 9, Padding = Padding.Same)] [BatchNorm] [Flatten]", "")]
    [InlineData("[Input(6)] [BatchNorm] [Dropout(0)] [Dense(1)]", "")]
    [InlineData("[Input(5, 2)] [LSTM(3, ReturnSequences = true)] [Dropout(0.2)] [GRU(2)] [SimpleRNN(1)]", "DPH0305")]
    [InlineData("[Input(5, 2)] [LSTM(3, ReturnSequences = true)] [Dropout(0.2)] [GRU(2, ReturnSequences = true)] [Flatten] [Dense(1)]", "")]
    [InlineData("[Input(5, 0)] [LSTM(3)] [Dense(1)]", "DPH0104")]
    [InlineData("[Input(1, 1)] [SimpleRNN(1, Activation.Linear)]", "")]
    [InlineData("[Input(100000, 1)] [LSTM(10000)] [Dense(1)]", "DPH0111")]
    [InlineData("[Input(2, 8)] [Conv1D(2, 9)] [Flatten] [Dense(1)]", "DPH0406")]
    [InlineData("[Input(1, 8, 8)] [Conv1D(2, 3)] [Flatten] [Dense(1)]", "DPH0406")]
    [InlineData("[Input(2, 8)] [Conv2D(2, 3)] [Flatten] [Dense(1)]", "DPH0406")]
    [InlineData("[Input(2, 8)] [Conv1D(0, 3, Stride = 0)] [Flatten] [Dense(1)]", "DPH0407")]
    [InlineData("[Input(2, 8)] [Conv1D(2, 3, Padding = (Padding)5)] [Flatten] [Dense(1)]", "DPH0206")]
    [InlineData("[Input(2, 8)] [MaxPool1D(0)] [Flatten] [Dense(1)]", "DPH0407")]
    [InlineData("[Input(2, 3)] [Conv1D(2, 9, Padding = Padding.Same)] [BatchNorm] [MaxPool1D(3)] [GlobalAveragePooling1D]", "")]
    [InlineData("[Input(2, 8)] [Dense(3)]", "DPH0405")]
    [InlineData("[Input(1, 8, 8)] [UpSampling2D(100000)] [GlobalMaxPooling2D] [Dense(1)]", "DPH0111")]
    [InlineData("[Input(2, 5)] [UpSampling1D(2147483647)] [GlobalMaxPooling1D] [Dense(1)]", "DPH0111")]
    [InlineData("[Input(3, 4, 4)] [Activation(Activation.Softmax)] [UpSampling2D(1, 2)] [GlobalMaxPooling2D] [Activation(Activation.Sigmoid)]", "DPH0501")]
    [InlineData("[Input(2, 5)] [UpSampling1D(1)] [Activation(Activation.Linear)] [GlobalAveragePooling1D]", "")]
    [InlineData("[Input(2, 5)] [GlobalAveragePooling1D]", "")]
    [InlineData("[Input(2, 5)] [Flatten] [Dropout(0.5)]", "DPH0502")]
    public void OddAttributeStacks_AreReportedOrGenerated_NeverThrow(string layers, string id)
    {
        var result = GeneratorHarness.Run($"using DeepPhys;\n[Network(Loss = Loss.MeanSquaredError)]\n{layers}\npublic partial class Net;\n");

        Assert.Null(result.RunResult.Exception);
        Assert.DoesNotContain(result.DriverDiagnostics, diagnostic => diagnostic.Id == "CS8785");
        if (id.Length == 0)
        {
            Assert.Empty(result.Diagnostics);
            Assert.Empty(result.OutputErrors());
        }
        else
        {
            Assert.Equal([id], result.Diagnostics.Select(d => d.Id).Distinct());
        }
    }

    /// <summary>Upsampling and global max pooling on an input of the wrong rank: DPH0406 at the attribute, naming the shape it got and the one it needs.</summary>
    [Theory]
    [InlineData("[Input(6)] [{|#0:UpSampling2D|}]", "'up_sampling2d' gets an input of shape [6] but needs an image [channels, height, width]")]
    [InlineData("[Input(2, 6)] [{|#0:UpSampling2D(2, 3)|}]", "'up_sampling2d' gets an input of shape [2, 6] but needs an image [channels, height, width]")]
    [InlineData("[Input(1, 4, 4)] [{|#0:UpSampling1D(3)|}]", "'up_sampling1d' gets an input of shape [1, 4, 4] but needs a signal [channels, length]")]
    [InlineData("[Input(2, 6)] [{|#0:GlobalMaxPooling2D|}]", "'global_max_pooling2d' gets an input of shape [2, 6] but needs an image [channels, height, width]")]
    [InlineData("[Input(6)] [{|#0:GlobalMaxPooling1D|}]", "'global_max_pooling1d' gets an input of shape [6] but needs a signal [channels, length]")]
    public void DPH0406_UpSamplingAndGlobalMaxPoolingOnTheWrongRank_AtTheAttribute(string layers, string message)
    {
        var result = AssertDiagnostics("using DeepPhys;\n[Network(Loss = Loss.MeanSquaredError)]\n" + layers + "\n[Dense(1)]\npublic partial class Net;\n", ("DPH0406", Error, 0));

        Assert.Equal(message, result.Diagnostics[0].GetMessage());
    }

    /// <summary>The same in the DSL: DPH0406 at the layer's name.</summary>
    [Theory]
    [InlineData("input v[6]", "upsampling2d", "(v)", "'u' gets an input of shape [6] but needs an image [channels, height, width]")]
    [InlineData("input s[2, 6]", "upsampling2d", "(s, size: [2, 3])", "'u' gets an input of shape [2, 6] but needs an image [channels, height, width]")]
    [InlineData("input img[1, 4, 4]", "upsampling1d", "(img, 2)", "'u' gets an input of shape [1, 4, 4] but needs a signal [channels, length]")]
    [InlineData("input s[2, 6]", "globalmaxpool2d", "(s)", "'u' gets an input of shape [2, 6] but needs an image [channels, height, width]")]
    [InlineData("input v[6]", "globalmaxpool1d", "(v)", "'u' gets an input of shape [6] but needs a signal [channels, length]")]
    public void DPH0406_UpSamplingAndGlobalMaxPoolingOnTheWrongRank_InTheDsl_AtTheLayerName(string input, string layer, string arguments, string message)
    {
        var result = AssertDiagnostics(
            "using DeepPhys;\n[Network(\"\"\"\n" + input + "\nu = {|#0:" + layer + "|}" + arguments + "\nout = dense(flatten(u), 1)\nloss mse(out)\n\"\"\")]\npublic partial class Net;\n",
            ("DPH0406", Error, 0));

        Assert.Equal(message, result.Diagnostics[0].GetMessage());
    }

    /// <summary>Upsampling factors below 1 (either constructor) and a standalone activation's activation and slope are checked at their argument.</summary>
    [Fact]
    public void UpSamplingAndActivationAttributes_ArgumentsAreCheckedAtTheirValue()
    {
        var result = AssertDiagnostics("""
            using DeepPhys;
            [Network(Loss = Loss.MeanSquaredError)]
            [Input(1, 4, 4)]
            [UpSampling2D({|#0:0|})]
            [UpSampling2D(2, {|#1:-1|})]
            [Activation({|#2:(Activation)42|})]
            [Activation(Activation.Tanh, {|#3:NegativeSlope = 0.3|})]
            [Activation(Activation.LeakyReLU, {|#4:NegativeSlope = -1|})]
            [Flatten]
            [UpSampling1D({|#5:size: 0|})]
            [Dense(1)]
            public partial class Net;
            """, ("DPH0407", Error, 0), ("DPH0407", Error, 1), ("DPH0107", Error, 2), ("DPH0109", DiagnosticSeverity.Warning, 3), ("DPH0108", Error, 4), ("DPH0407", Error, 5));

        var messages = result.Diagnostics.Select(d => d.GetMessage()).ToList();
        Assert.Contains("'up_sampling2d' has size = 0; sizes and strides must be at least 1", messages);
        Assert.Contains("'up_sampling2d_1' has width = -1; sizes and strides must be at least 1", messages);
        Assert.Contains("'up_sampling1d' has size = 0; sizes and strides must be at least 1", messages);
    }

    /// <summary>
    /// An upsampling's DSL size is an integer or a list of one per axis; the attribute's per-axis constructor arguments and a
    /// standalone activation's activation are no DSL arguments (the activation is the layer's name).
    /// </summary>
    [Fact]
    public void UpSamplingAndActivationDslArguments_AreCheckedAtTheirValue()
    {
        var result = AssertDiagnostics(""""
            using DeepPhys;
            [Network("""
                input img[1, 4, 4]
                a = upsampling2d(img, size: {|#0:[2, 0]|})
                b = upsampling2d(img, size: {|#1:[2, 3, 4]|})
                c = upsampling2d(img, {|#2:height|}: 2)
                d = relu(img, {|#3:activation|}: tanh)
                e = upsampling1d(reshape(img, shape: [1, 16]), size: {|#4:[2, 3]|})
                out = dense(flatten(img), 1)
                loss mse(out)
                """)]
            public partial class Net;
            """", ("DPH0407", Error, 0), ("DPH0303", Error, 1), ("DPH0302", Error, 2), ("DPH0302", Error, 3), ("DPH0303", Error, 4));

        var messages = result.Diagnostics.Select(d => d.GetMessage()).ToList();
        Assert.Contains("'a' has size = [2, 0]; sizes and strides must be at least 1", messages);
        Assert.Contains("'size' must be a number or a list [height, width], not '[2, 3, 4]'", messages);
        Assert.Contains("'size' must be a number or a list [length], not '[2, 3]'", messages);
        Assert.Contains(messages, message => message.EndsWith("(upsampling2d takes size)", StringComparison.Ordinal));
        Assert.Contains(messages, message => message.EndsWith("(relu takes slope)", StringComparison.Ordinal));
    }

    private static GeneratorResult AssertDiagnostics(string markup, params (string Id, DiagnosticSeverity Severity, int Marker)[] expected)
    {
        var source = new MarkedSource(markup);
        var result = GeneratorHarness.Run(source.Text);

        var actual = result.Diagnostics
            .Select(d => (d.Id, d.Severity, d.Location.GetLineSpan().Path, d.Location.GetLineSpan().StartLinePosition))
            .OrderBy(d => d.Id, StringComparer.Ordinal).ThenBy(d => d.StartLinePosition);
        var wanted = expected
            .Select(e => (e.Id, e.Severity, "Test0.cs", source.Position(e.Marker)))
            .OrderBy(d => d.Id, StringComparer.Ordinal).ThenBy(d => d.Item4);
        Assert.Equal(wanted, actual);
        var errors = expected.Where(e => e.Severity == DiagnosticSeverity.Error).Select(e => e.Id).ToArray();
        if (errors.Length > 0) result.AssertOnlyStandIns(errors);
        return result;
    }
}
