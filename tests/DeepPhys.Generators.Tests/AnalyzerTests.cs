using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace DeepPhys.Generators.Tests;

/// <summary>
/// <see cref="NetworkAnalyzer"/> reports the DPH diagnostics of a declaration, once and in the syntax tree (the generator
/// reports none of them), so the standard suppressions apply: <c>#pragma</c>, <c>[SuppressMessage]</c>, <c>.editorconfig</c>
/// and global config severities.
/// </summary>
public class AnalyzerTests
{
    /// <summary>A softmax after a batch norm: the DPH0503 warning, at the softmax.</summary>
    private const string Warned = """
        using DeepPhys;
        [Network(Loss = Loss.CategoricalCrossEntropy)]
        [Input(4)]
        [Dense(3)]
        [BatchNorm]
        [Activation(Activation.Softmax)]
        public partial class Net;
        """;

    private const string Dsl = "input x[3]\nh = dens(x, 4)\nout = dense(h, 1)\nloss mse(out)\n";

    [Fact]
    public void Declarations_AreReportedByTheAnalyzerOnly()
    {
        var attributes = GeneratorHarness.Run("using DeepPhys;\n[Network(Loss = Loss.MeanSquaredError)]\n[Input(0)]\n[Dense(1)]\npublic partial class Net;\n[Dense(1)]\nclass Orphan;\n");
        var inline = GeneratorHarness.Run($"using DeepPhys;\n[Network(\"\"\"\n{Dsl}\"\"\")]\npublic partial class Net;\n");
        var dph = GeneratorHarness.Run(GeneratorHarness.CreateDriver(new InMemoryText("net.dph", "network Net\n" + Dsl)), GeneratorHarness.CreateCompilation()).Result;

        Assert.Equal(["DPH0104", "DPH0005"], attributes.Diagnostics.Select(d => d.Id));
        Assert.Equal("DPH0302", Assert.Single(inline.Diagnostics).Id);
        Assert.Equal("DPH0302", Assert.Single(dph.Diagnostics).Id);
        Assert.All([attributes, inline, dph], result => Assert.Empty(result.RunResult.Diagnostics));
    }

    [Fact]
    public void InlineDsl_IsReportedAtTheExactSpanInTheLiteral()
    {
        const string source = "using DeepPhys;\n[Network(\"\"\"\n" + Dsl + "\"\"\")]\npublic partial class Net;\n";

        var diagnostic = Assert.Single(GeneratorHarness.Run(source).Diagnostics);

        Assert.True(diagnostic.Location.IsInSource);
        Assert.Equal("dens", source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Equal(new LinePosition(3, 4), diagnostic.Location.GetLineSpan().StartLinePosition);
    }

    [Fact]
    public void DphFile_IsReportedInTheFile()
    {
        var result = GeneratorHarness.Run(GeneratorHarness.CreateDriver(new InMemoryText("models/net.dph", "network Net\n" + Dsl)), GeneratorHarness.CreateCompilation()).Result;

        var span = Assert.Single(result.Diagnostics).Location.GetLineSpan();
        Assert.Equal(("models/net.dph", new LinePosition(2, 4), new LinePosition(2, 8)), (span.Path, span.StartLinePosition, span.EndLinePosition));
    }

    [Fact]
    public void Warning_IsReportedWithoutSuppression()
    {
        var diagnostic = Assert.Single(GeneratorHarness.Run(Warned).Diagnostics);

        Assert.Equal(("DPH0503", DiagnosticSeverity.Warning), (diagnostic.Id, diagnostic.Severity));
    }

    [Fact]
    public void PragmaWarningDisable_SilencesIt()
    {
        var result = GeneratorHarness.Run(Warned.Replace("[Activation(", "#pragma warning disable DPH0503\n[Activation(", StringComparison.Ordinal));

        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void SuppressMessageAttribute_SilencesIt()
    {
        var result = GeneratorHarness.Run(Warned.Replace(
            "public partial class Net;",
            "[System.Diagnostics.CodeAnalysis.SuppressMessage(\"DeepPhys\", \"DPH0503\", Justification = \"test\")]\npublic partial class Net;",
            StringComparison.Ordinal));

        Assert.Empty(result.Diagnostics);
    }

    /// <summary>A .dph file has no #pragma; NoWarn (the compilation's options) silences its warnings.</summary>
    [Fact]
    public void DphFileWarning_IsSilencedByNoWarn()
    {
        var file = new InMemoryText("net.dph", "network Net\ninput x[3]\nh = dense(x, 4)\nout = dropout(h, 0.5)\nloss mse(out)\n");
        var compilation = GeneratorHarness.CreateCompilation();
        var noWarn = compilation.WithOptions(compilation.Options.WithSpecificDiagnosticOptions([new("DPH0502", ReportDiagnostic.Suppress)]));

        Assert.Equal("DPH0502", Assert.Single(GeneratorHarness.AnalyzerDiagnostics(compilation, file)).Id);
        Assert.Empty(GeneratorHarness.AnalyzerDiagnostics(noWarn, file));
    }

    [Theory]
    [InlineData("root = true\n[*.cs]\ndotnet_diagnostic.DPH0503.severity = none\n", null)]
    [InlineData("root = true\n[*.cs]\ndotnet_diagnostic.DPH0503.severity = error\n", DiagnosticSeverity.Error)]
    [InlineData("root = true\n[*.cs]\ndotnet_diagnostic.DPH0503.severity = suggestion\n", DiagnosticSeverity.Info)]
    [InlineData("is_global = true\ndotnet_diagnostic.DPH0503.severity = none\n", null)]
    [InlineData("is_global = true\ndotnet_analyzer_diagnostic.category-DeepPhys.severity = error\n", DiagnosticSeverity.Error)]
    [InlineData("root = true\n[*.txt]\ndotnet_diagnostic.DPH0503.severity = none\n", DiagnosticSeverity.Warning)]
    public async Task EditorConfigAndGlobalConfig_SetItsSeverity(string config, DiagnosticSeverity? expected)
    {
        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(), VersionStamp.Default, "Configured", "Configured", LanguageNames.CSharp,
            filePath: "/src/Configured.csproj",
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary),
            parseOptions: GeneratorHarness.ParseOptions,
            metadataReferences: GeneratorHarness.CreateCompilation().References));
        project = project.AddDocument("Net.cs", SourceText.From(Warned), filePath: "/src/Net.cs").Project;
        string name = config.StartsWith("is_global", StringComparison.Ordinal) ? ".globalconfig" : ".editorconfig";
        project = project.AddAnalyzerConfigDocument(name, SourceText.From(config), filePath: "/src/" + name).Project;
        var compilation = (await project.GetCompilationAsync())!;

        var diagnostics = await compilation.WithAnalyzers([new NetworkAnalyzer()], project.AnalyzerOptions).GetAnalyzerDiagnosticsAsync();

        Assert.Equal(expected, diagnostics.SingleOrDefault()?.Severity);
        Assert.All(diagnostics, d => Assert.Equal("DPH0503", d.Id));
    }
}
