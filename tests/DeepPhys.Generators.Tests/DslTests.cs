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

    /// <summary>A dropout needs its rate, a number in [0, 1): reported at the layer, and nothing is generated.</summary>
    [Theory]
    [InlineData("dropout(h)")]
    [InlineData("dropout(h, rate: 1)")]
    [InlineData("dropout(h, rate: -0.5)")]
    public void Dropout_WithoutAValidRate_IsDph0303AtTheLayer(string call)
    {
        var source = new MarkedSource(""""
            using DeepPhys;
            [Network("""
                input x[4]
                h = dense(x, 8) -> relu
                d = {|#0:dropout|}ARGUMENTS
                out = dense(d, 1)
                loss mse(out)
                """)]
            public partial class Net;
            """".Replace("ARGUMENTS", call.Substring("dropout".Length), StringComparison.Ordinal));

        var result = GeneratorHarness.Run(source.Text);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("DPH0303", diagnostic.Id);
        Assert.Equal("'dropout' needs 'rate', a number in [0, 1)", diagnostic.GetMessage());
        Assert.Equal(source.Position(0), diagnostic.Location.GetLineSpan().StartLinePosition);
        Assert.Empty(result.Sources);
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

    [Fact]
    public void DphFile_GeneratesTheClassItNames_AndReportsInsideTheFile()
    {
        const string good = "network CaloNet\nnamespace Physics.Models\ninput cells[3]\ne = dense(cells, 1)\nloss mse(e)\n";
        const string bad = "network Broken\ninput x[2]\ny = dense(x, 1)\nloss mze(y)\n";
        var driver = CSharpGeneratorDriver.Create(
            [new NetworkGenerator().AsSourceGenerator()],
            additionalTexts: [new Dph("calo.dph", good), new Dph("broken.dph", bad)],
            parseOptions: GeneratorHarness.ParseOptions);

        var (result, _) = GeneratorHarness.Run(driver, GeneratorHarness.CreateCompilation("public class Unrelated { }"));

        var source = Assert.Single(result.Sources);
        Assert.StartsWith("Physics.Models.CaloNet.dph.", source.Key);
        Assert.Empty(result.OutputErrors());
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("DPH0302", diagnostic.Id);
        Assert.Equal("broken.dph", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(new LinePosition(3, 5), diagnostic.Location.GetLineSpan().StartLinePosition);
        Assert.Equal("Unknown loss 'mze'; did you mean 'mse'?", diagnostic.GetMessage());
    }

    private sealed class Dph(string path, string text) : AdditionalText
    {
        public override string Path => path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }
}
