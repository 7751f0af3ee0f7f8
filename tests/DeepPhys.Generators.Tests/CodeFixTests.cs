using System.Collections.Immutable;
using DeepPhys.CodeFixes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace DeepPhys.Generators.Tests;

/// <summary>Each code fix applied to a document in an in-process workspace: the text it writes, and that the generator then no longer reports the diagnostic.</summary>
public class CodeFixTests
{
    [Theory]
    [InlineData("public class Net;", "public partial class Net;")]
    [InlineData("class Net;", "partial class Net;")]
    [InlineData("public sealed class Net { }", "public sealed partial class Net { }")]
    public async Task Dph0001_MakesTheClassPartial(string declaration, string expected)
    {
        const string network = "using DeepPhys;\n[Network(Loss = Loss.MeanSquaredError)]\n[Input(2)]\n[Dense(1)]\n";

        string fixedText = await ApplyAsync(new MakePartialCodeFix(), "DPH0001", network + declaration + "\n");

        Assert.Equal(network + expected + "\n", fixedText);
    }

    [Theory]
    [InlineData("h = dens(x, 4)", "h = dense(x, 4)")]
    [InlineData("h = dense(x, 4) -> rleu", "h = dense(x, 4) -> relu")]
    [InlineData("h = dense(x, unit: 4)", "h = dense(x, units: 4)")]
    public async Task Dph0302_WritesTheSuggestion(string wrong, string right)
    {
        string source = Inline($"input x[3]\n{wrong}\nout = dense(h, 1)\nloss mse(out)\n");

        string fixedText = await ApplyAsync(new UseSuggestedNameCodeFix(), "DPH0302", source);

        Assert.Equal(source.Replace(wrong, right), fixedText);
    }

    [Fact]
    public void Dph0302_CarriesTheSuggestionInItsProperties()
    {
        var diagnostic = Assert.Single(GeneratorHarness.Run(Inline("input x[3]\nout = dense(x, 1)\nloss mze(out)\n")).Diagnostics);

        Assert.Equal("mse", diagnostic.Properties["Suggestion"]);
        Assert.Empty(GeneratorHarness.Run(Inline("input x[3]\nout = dense(x, 1)\nloss xyz(out)\n")).Diagnostics.Single().Properties);
    }

    /// <summary>A DSL that is not one literal is reported on the whole argument: the fix would overwrite it, so none is offered.</summary>
    [Fact]
    public async Task Dph0302_OffersNoFix_WhenTheDslIsNotALiteral()
    {
        const string source = "using DeepPhys;\n[Network(\"input x[3]\\n\" + \"out = dense(x, 1) -> rleu\\nloss mse(out)\")]\npublic partial class Net;\n";

        Assert.Empty(await OfferedAsync(new UseSuggestedNameCodeFix(), "DPH0302", source));
        Assert.Single(await OfferedAsync(new UseSuggestedNameCodeFix(), "DPH0302", Inline("input x[3]\nout = dense(x, 1) -> rleu\nloss mse(out)\n")));
    }

    /// <summary>A constant DSL is reported on the whole argument, a single name the fix must not overwrite.</summary>
    [Fact]
    public async Task Dph0302_OffersNoFix_WhenTheDslIsAConstant()
    {
        const string source = "using DeepPhys;\n[Network(Dsl)]\npublic partial class Net { const string Dsl = \"input x[3]\\nout = dense(x, 1) -> rleu\\nloss mse(out)\"; }\n";

        Assert.Empty(await OfferedAsync(new UseSuggestedNameCodeFix(), "DPH0302", source));
    }

    [Theory]
    [InlineData("out = dense(hiden, 1)", "out = dense(hidden, 1)")]
    [InlineData("loss mse(ot)", "loss mse(out)")]
    public async Task Dph0401_WritesTheClosestDefinedName(string wrong, string right)
    {
        string source = Inline($"input x[3]\nhidden = dense(x, 4)\nout = dense(hidden, 1)\nloss mse(out)\n".Replace(right, wrong));

        string fixedText = await ApplyAsync(new UseSuggestedNameCodeFix(), "DPH0401", source);

        Assert.Equal(source.Replace(wrong, right), fixedText);
    }

    /// <summary>No suggestion when nothing is close, nor the node itself (the reference would become a cycle).</summary>
    [Fact]
    public void Dph0401_CarriesTheClosestOtherNodeAsItsSuggestion()
    {
        Assert.Equal("hidden", Single401("input x[3]\nhidden = dense(x, 4)\nout = dense(hiden, 1)\nloss mse(out)\n").Properties["Suggestion"]);
        Assert.Empty(Single401("input x[3]\nhidden = dense(x, 4)\nout = dense(zzz, 1)\nloss mse(out)\n").Properties);
        Assert.Empty(Single401("input abc[3]\nout = dense(ou, 1)\nloss mse(out)\n").Properties);

        static Diagnostic Single401(string dsl) => Assert.Single(GeneratorHarness.Run(Inline(dsl)).Diagnostics, d => d.Id == "DPH0401");
    }

    [Theory]
    [InlineData("Loss.CategoricalCrossEntropy", "DPH0204", "[Dense(3, Activation.Sigmoid)]", "[Dense(3, Activation.Softmax)]")]
    [InlineData("Loss.CategoricalCrossEntropy", "DPH0204", "[Dense(3, activation: Activation.ReLU)]", "[Dense(3, activation: Activation.Softmax)]")]
    [InlineData("Loss.BinaryCrossEntropy", "DPH0205", "[Dense(activation: DeepPhys.Activation.Tanh, units: 1)]", "[Dense(activation: DeepPhys.Activation.Sigmoid, units: 1)]")]
    public async Task Dph0204_Dph0205_WriteTheFittingActivation_InAnAttribute(string loss, string id, string wrong, string right)
    {
        string source = $"using DeepPhys;\n[Network(Loss = {loss})]\n[Input(4)]\n{wrong}\npublic partial class Net;\n";

        string fixedText = await ApplyAsync(new UseFittingActivationCodeFix(), id, source);

        Assert.Equal(source.Replace(wrong, right), fixedText);
    }

    [Theory]
    [InlineData("categorical_crossentropy", "DPH0204", "out = dense(h, 3) -> sigmoid", "out = dense(h, 3) -> softmax")]
    [InlineData("categorical_crossentropy", "DPH0204", "out = dense(h, 3, activation: tanh)", "out = dense(h, 3, activation: softmax)")]
    [InlineData("binary_crossentropy", "DPH0205", "out = tanh(h)", "out = sigmoid(h)")]
    public async Task Dph0204_Dph0205_WriteTheFittingActivation_InTheDsl(string loss, string id, string wrong, string right)
    {
        string body = $"input x[4]\nh = dense(x, {(id == "DPH0204" ? 3 : 1)})\n{wrong}\nloss {loss}(out)\n";

        string fixedText = await ApplyAsync(new UseSuggestedNameCodeFix(), id, Inline(body));

        Assert.Equal(Inline(body.Replace(wrong, right)), fixedText);
    }

    /// <summary>No written activation, no argument to replace: no fix (the attribute form's fix needs one to rewrite).</summary>
    [Fact]
    public async Task Dph0204_OffersNoFix_WithoutAWrittenActivation()
    {
        const string source = "using DeepPhys;\n[Network(Loss = Loss.CategoricalCrossEntropy)]\n[Input(4)]\n[Dense(3)]\npublic partial class Net;\n";

        Assert.Empty(await OfferedAsync(new UseFittingActivationCodeFix(), "DPH0204", source));
        Assert.Empty(await OfferedAsync(new UseSuggestedNameCodeFix(), "DPH0204", source));
    }

    [Theory]
    [InlineData("out = dense(img, 1)", "out = dense(flatten(img), 1)")]
    [InlineData("out = dense( img , units: 1) -> sigmoid", "out = dense( flatten(img) , units: 1) -> sigmoid")]
    public async Task Dph0405_FlattensTheInputInPlace(string wrong, string right)
    {
        string loss = wrong.Contains("sigmoid") ? "binary_crossentropy" : "mse";
        string body = $"input img[1, 2, 2]\n{wrong}\nloss {loss}(out)\n";

        string fixedText = await ApplyAsync(new InsertFlattenCodeFix(), "DPH0405", Inline(body));

        Assert.Equal(Inline(body.Replace(wrong, right)), fixedText);
    }

    [Fact]
    public async Task Dph0405_FixesARegularString_Too()
    {
        const string source = "using DeepPhys;\n[Network(\"input img[1, 2, 2]\\nout = dense(img, 1)\\nloss mse(out)\")]\npublic partial class Net;\n";

        string fixedText = await ApplyAsync(new InsertFlattenCodeFix(), "DPH0405", source);

        Assert.Equal(source.Replace("dense(img, 1)", "dense(flatten(img), 1)"), fixedText);
    }

    [Theory]
    [InlineData("[Input(1, 8, 8)]\n[Conv2D(4, 3)]\n[Dense(1)]\n", "[Input(1, 8, 8)]\n[Conv2D(4, 3)]\n[Flatten]\n[Dense(1)]\n")]
    [InlineData("[Input(1, 8, 8)]\n    [MaxPool2D(2)] [Dense(1, Name = \"out\")]\n", "[Input(1, 8, 8)]\n    [MaxPool2D(2)] [Flatten] [Dense(1, Name = \"out\")]\n")]
    [InlineData("[Input(1, 8, 8), Conv2D(4, 3), Dense(1)]\n", "[Input(1, 8, 8), Conv2D(4, 3), Flatten, Dense(1)]\n")]
    [InlineData("[Input(1, 8, 8)]\n[Conv2D(4, 3)]\n[DeepPhys.Dense(1)]\n", "[Input(1, 8, 8)]\n[Conv2D(4, 3)]\n[DeepPhys.Flatten]\n[DeepPhys.Dense(1)]\n")]
    public async Task Dph0405_InsertsAFlattenAttribute(string wrong, string right)
    {
        const string network = "using DeepPhys;\n[Network(Loss = Loss.MeanSquaredError)]\n";

        string fixedText = await ApplyAsync(new InsertFlattenAttributeCodeFix(), "DPH0405", network + wrong + "public partial class Net;\n");

        Assert.Equal(network + right + "public partial class Net;\n", fixedText);
    }

    /// <summary>A network written inline in a raw string, indented as a user would.</summary>
    private static string Inline(string dsl) =>
        "using DeepPhys;\n[Network(\"\"\"\n" + string.Concat(dsl.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => "    " + line + "\n")) + "    \"\"\")]\npublic partial class Net;\n";

    /// <summary>Runs the generator on <paramref name="source"/>, applies the one fix offered for its single <paramref name="id"/>, and checks the result has no diagnostic and compiles.</summary>
    private static async Task<string> ApplyAsync(CodeFixProvider provider, string id, string source)
    {
        using var workspace = new AdhocWorkspace();
        var document = AddDocument(workspace, source);

        var actions = await OfferedAsync(provider, id, document);
        var operation = Assert.Single((await Assert.Single(actions).GetOperationsAsync(CancellationToken.None)).OfType<ApplyChangesOperation>());
        string fixedText = (await operation.ChangedSolution.GetDocument(document.Id)!.GetTextAsync()).ToString();

        var after = GeneratorHarness.Run(fixedText);
        Assert.Empty(after.Diagnostics);
        Assert.Empty(after.OutputErrors());
        return fixedText;
    }

    /// <summary>The fixes <paramref name="provider"/> offers for the single <paramref name="id"/> the generator reports on <paramref name="source"/>.</summary>
    private static async Task<List<CodeAction>> OfferedAsync(CodeFixProvider provider, string id, string source)
    {
        using var workspace = new AdhocWorkspace();
        return await OfferedAsync(provider, id, AddDocument(workspace, source));
    }

    /// <summary>A one-document C# project with the generator tests' references.</summary>
    private static Document AddDocument(AdhocWorkspace workspace, string source)
    {
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(), VersionStamp.Default, "Fixes", "Fixes", LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary),
            parseOptions: GeneratorHarness.ParseOptions,
            metadataReferences: GeneratorHarness.CreateCompilation().References));
        return workspace.AddDocument(project.Id, "Test0.cs", SourceText.From(source));
    }

    private static async Task<List<CodeAction>> OfferedAsync(CodeFixProvider provider, string id, Document document)
    {
        Assert.Contains(id, provider.FixableDiagnosticIds);  // the host asks only the providers that name the id
        var compilation = (await document.Project.GetCompilationAsync())!;
        var (result, _) = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);
        var diagnostic = Assert.Single(result.Diagnostics, d => d.Id == id);
        var actions = new List<CodeAction>();
        await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        return actions;
    }
}
