using System.Collections.Immutable;
using System.Composition.Hosting;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace DeepPhys.Generators.Tests;

/// <summary>
/// The six mistakes of <c>.ci/lsp-check</c> (its files in <c>.ci/lsp-check.d</c>, one network each) in a workspace set up
/// the way an IDE host sets up a project referencing the package: the generator and analyzer come from an
/// <see cref="AnalyzerFileReference"/> to the dll the package carries under analyzers/dotnet/cs, the code fixes are the
/// <c>[ExportCodeFixProvider]</c> exports of the code-fix dll found by MEF, and no DeepPhys type is named.
/// </summary>
public partial class PackageHostTests
{
    /// <summary>The fix each mistake must get, as the text it replaces and writes; the ids not listed here are fixed when a fix ships.</summary>
    private static readonly Dictionary<string, (string Old, string New)> ExpectedFixes = new()
    {
        ["NotPartial.cs"] = ("public class NotPartial", "public partial class NotPartial"),
        ["MisspelledLayer.cs"] = ("h = dens(x, 4)", "h = dense(x, 4)"),
        ["SigmoidCategorical.cs"] = ("[Dense(3, Activation.Sigmoid)]", "[Dense(3, Activation.Softmax)]"),
        ["UndefinedNode.cs"] = ("out = dense(hiden, 1)", "out = dense(hidden, 1)"),
        ["DenseAfterConv.cs"] = ("[Conv2D(4, 3)]\n[Dense(1)]", "[Conv2D(4, 3)]\n[Flatten]\n[Dense(1)]"),
    };

    /// <summary>The files with a marker (Usage.cs has none).</summary>
    private static string[] MistakeFiles() =>
        [.. Directory.GetFiles(MistakesPath(), "*.cs").Where(path => MarkerRegex().IsMatch(File.ReadAllText(path))).Select(path => Path.GetFileName(path))];

    public static TheoryData<string> Mistakes => [.. MistakeFiles()];

    [Fact]
    public void TheSixMistakes_AreThere()
    {
        Assert.Equal(["DPH0001", "DPH0105", "DPH0204", "DPH0302", "DPH0401", "DPH0405"],
            MistakeFiles().Select(name => Marked(name).Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheAnalyzerReference_HoldsTheGeneratorAndTheAnalyzer_AndTheCodeFixDllItsExports()
    {
        var reference = Reference("DeepPhys.Generators.dll");

        Assert.Single(reference.GetGeneratorsForAllLanguages());
        Assert.Contains(Assert.Single(reference.GetAnalyzers(LanguageNames.CSharp)).SupportedDiagnostics, d => d.Id == "DPH0001");
        Assert.Empty(Reference("DeepPhys.CodeFixes.dll").GetAnalyzersForAllLanguages());
        Assert.Superset(new HashSet<string> { "DPH0001", "DPH0302" }, CodeFixes.SelectMany(fix => fix.FixableDiagnosticIds).ToHashSet());
    }

    /// <summary>The loaded analyzer reports the marked id at the marked span; its fix, if the package has one, leaves no DPH diagnostic and no error.</summary>
    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task Mistake_IsReportedAtItsSpan_AndItsFixLeavesACleanCompilation(string file)
    {
        var (source, id, span) = Marked(file);
        using var workspace = new AdhocWorkspace();
        var document = AddDocument(workspace, file, source);

        // The generator runs from the analyzer reference: the network's stand-in keeps the compilation to the DPH error.
        var generated = await document.Project.GetSourceGeneratedDocumentsAsync();
        Assert.Equal(id != "DPH0001", generated.Any());
        var diagnostic = Assert.Single(await DphDiagnosticsAsync(document.Project));
        Assert.Equal((id, span), (diagnostic.Id, diagnostic.Location.SourceSpan));
        Assert.Equal(file, diagnostic.Location.SourceTree!.FilePath);

        var actions = new List<CodeAction>();
        foreach (var fix in CodeFixes.Where(fix => fix.FixableDiagnosticIds.Contains(id)))
        {
            await fix.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        }

        if (ExpectedFixes.TryGetValue(file, out var expected))
        {
            Assert.Contains(expected.Old, source);
        }
        else if (actions.Count == 0)
        {
            return;
        }

        var operation = Assert.Single((await Assert.Single(actions).GetOperationsAsync(CancellationToken.None)).OfType<ApplyChangesOperation>());
        var project = operation.ChangedSolution.GetProject(document.Project.Id)!;
        string fixedText = (await project.GetDocument(document.Id)!.GetTextAsync()).ToString();
        if (ExpectedFixes.ContainsKey(file)) Assert.Equal(source.Replace(expected.Old, expected.New), fixedText);
        Assert.Empty(await DphDiagnosticsAsync(project));
        Assert.Empty((await project.GetCompilationAsync())!.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    /// <summary>A one-document project with the runtime's references and the package's two analyzer dlls.</summary>
    private static Document AddDocument(AdhocWorkspace workspace, string file, string source)
    {
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(), VersionStamp.Default, "App", "App", LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
            parseOptions: GeneratorHarness.ParseOptions,
            metadataReferences: GeneratorHarness.CreateCompilation().References,
            analyzerReferences: [Reference("DeepPhys.Generators.dll"), Reference("DeepPhys.CodeFixes.dll")]));
        return workspace.AddDocument(DocumentInfo.Create(
            DocumentId.CreateNewId(project.Id), file, filePath: file,
            loader: TextLoader.From(TextAndVersion.Create(SourceText.From(source), VersionStamp.Default))));
    }

    /// <summary>The DPH diagnostics of the analyzers the project's analyzer references hold, on its compilation with the generated sources.</summary>
    private static async Task<ImmutableArray<Diagnostic>> DphDiagnosticsAsync(Project project)
    {
        var analyzers = project.AnalyzerReferences.SelectMany(reference => reference.GetAnalyzers(LanguageNames.CSharp)).ToImmutableArray();
        var compilation = (await project.GetCompilationAsync())!;
        var options = new CompilationWithAnalyzersOptions(project.AnalyzerOptions, onAnalyzerException: (exception, _, _) => throw exception, concurrentAnalysis: false, logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync();
        return [.. diagnostics.Where(d => d.Id.StartsWith("DPH", StringComparison.Ordinal))];
    }

    /// <summary>One loader for every reference, as a host has (declared first: the fields below use it).</summary>
    private static readonly AssemblyLoader Loader = new();

    /// <summary>The code fixes the code-fix dll exports for C#, found as a MEF host finds them.</summary>
    private static readonly IReadOnlyList<CodeFixProvider> CodeFixes = FindCodeFixes();

    private static List<CodeFixProvider> FindCodeFixes()
    {
        var assembly = Loader.LoadFromPath(AnalyzerPath("DeepPhys.CodeFixes.dll"));
        using var container = new ContainerConfiguration().WithAssembly(assembly).CreateContainer();
        return [.. container.GetExports<CodeFixProvider>().Where(fix =>
            fix.GetType().GetCustomAttribute<ExportCodeFixProviderAttribute>()!.Languages.Contains(LanguageNames.CSharp))];
    }

    private static AnalyzerFileReference Reference(string dll) => new(AnalyzerPath(dll), Loader);

    /// <summary>
    /// The analyzer dlls beside the tests: copies of the generator and code-fix projects' outputs, the files the
    /// DeepPhys project's PackGenerators target puts under analyzers/dotnet/cs.
    /// </summary>
    private static string AnalyzerPath(string dll) => Path.Combine(AppContext.BaseDirectory, dll);

    /// <summary>A mistake's source without its marker, the marked id and the marked span.</summary>
    private static (string Source, string Id, TextSpan Span) Marked(string file)
    {
        string marked = File.ReadAllText(Path.Combine(MistakesPath(), file)).ReplaceLineEndings("\n");
        var marker = Assert.Single(MarkerRegex().Matches(marked));
        string source = marked.Remove(marker.Index, marker.Length).Insert(marker.Index, marker.Groups["text"].Value);
        return (source, marker.Groups["id"].Value, new TextSpan(marker.Index, marker.Groups["text"].Length));
    }

    private static string MistakesPath([CallerFilePath] string testFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(testFile)!, "..", "..", ".ci", "lsp-check.d"));

    [GeneratedRegex(@"\{\|(?<id>DPH\d{4}):(?<text>[^|]*)\|\}")]
    private static partial Regex MarkerRegex();

    /// <summary>Loads an analyzer dll as a host's loader does, by path (the test run has it loaded already: the same assembly).</summary>
    private sealed class AssemblyLoader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
    }
}
