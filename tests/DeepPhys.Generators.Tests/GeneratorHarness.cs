using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using DeepPhys.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace DeepPhys.Generators.Tests;

/// <summary>What one generator run produced.</summary>
/// <param name="Sources">Generated source text by hint name.</param>
/// <param name="Diagnostics">The DPH diagnostics a build reports: <see cref="NetworkAnalyzer"/>'s on the output, then the generator's own (baked weights), by file and position.</param>
/// <param name="DriverDiagnostics">The driver's diagnostics: a generator that threw shows up here as CS8785.</param>
/// <param name="Output">The compilation with the generated sources added.</param>
/// <param name="RunResult">The driver's result, for tracked steps and exceptions.</param>
internal sealed record GeneratorResult(
    IReadOnlyDictionary<string, string> Sources,
    ImmutableArray<Diagnostic> Diagnostics,
    ImmutableArray<Diagnostic> DriverDiagnostics,
    Compilation Output,
    GeneratorRunResult RunResult)
{
    /// <summary>Errors of the whole output compilation (computed on demand: binding everything is slow).</summary>
    public List<Diagnostic> OutputErrors() => Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

    /// <summary>Errors in the generated sources.</summary>
    public List<Diagnostic> GeneratedErrors() => OutputErrors().Where(d => d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true).ToList();

    /// <summary>The one generated source; fails if there is not exactly one.</summary>
    public string SingleSource => Assert.Single(Sources).Value;

    /// <summary>
    /// Checks that every generated source is the stand-in of a declaration with errors, naming each of <paramref name="errors"/>,
    /// and that it compiles. A class that cannot take a generated part (not partial, a record, …) has none.
    /// </summary>
    public void AssertOnlyStandIns(params string[] errors)
    {
        Assert.All(Sources.Values, source =>
        {
            Assert.Contains(" cannot run: ", source);
            Assert.All(errors, error => Assert.Contains(error + " ", source));
        });
        Assert.Empty(GeneratedErrors());
    }

    /// <summary>The one generated source, the stand-in of a declaration with <paramref name="errors"/>.</summary>
    public string SingleStandIn(params string[] errors)
    {
        string source = SingleSource;
        AssertOnlyStandIns(errors);
        return source;
    }
}

/// <summary>Compiles test sources against .NET 10 and the real DeepPhys runtime, and runs the generator on them.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(DeepPhys.NetworkAttribute).Assembly.Location),
    ];

    /// <summary>A compilation of <paramref name="sources"/>, named Test0.cs, Test1.cs, … so locations are predictable.</summary>
    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CSharpCompilation.Create(
            "GeneratorTests",
            sources.Select((source, i) => SyntaxTree(source, $"Test{i}.cs")),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static SyntaxTree SyntaxTree(string source, string path) =>
        CSharpSyntaxTree.ParseText(source, ParseOptions, path);

    /// <summary>The additional files each driver was given, for the analyzer (a driver does not tell them).</summary>
    private static readonly ConditionalWeakTable<GeneratorDriver, AdditionalText[]> AdditionalTexts = [];

    /// <summary>A driver that records every pipeline step, for the incrementality tests.</summary>
    public static GeneratorDriver CreateDriver(params AdditionalText[] additionalTexts)
    {
        var driver = CSharpGeneratorDriver.Create(
            [new NetworkGenerator().AsSourceGenerator()],
            additionalTexts: additionalTexts,
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        AdditionalTexts.Add(driver, additionalTexts);
        return driver;
    }

    /// <summary><see cref="GeneratorDriver.ReplaceAdditionalTexts"/>, remembering the files for the analyzer.</summary>
    public static GeneratorDriver ReplaceAdditionalTexts(GeneratorDriver driver, AdditionalText[] additionalTexts)
    {
        driver = driver.ReplaceAdditionalTexts([.. additionalTexts]);
        AdditionalTexts.Add(driver, additionalTexts);
        return driver;
    }

    public static GeneratorResult Run(params string[] sources) => Run(CreateDriver(), CreateCompilation(sources)).Result;

    /// <summary>Runs <paramref name="driver"/> on <paramref name="compilation"/>; returns the advanced driver too, to run again.</summary>
    public static (GeneratorResult Result, GeneratorDriver Driver) Run(GeneratorDriver driver, Compilation compilation)
    {
        var additionalTexts = AdditionalTexts.TryGetValue(driver, out var texts) ? texts : [];
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var driverDiagnostics);
        AdditionalTexts.AddOrUpdate(driver, additionalTexts);
        var runResult = driver.GetRunResult().Results.Single();
        var sources = runResult.GeneratedSources.ToDictionary(source => source.HintName, source => source.SourceText.ToString());
        var diagnostics = AnalyzerDiagnostics(output, additionalTexts).AddRange(runResult.Diagnostics);
        return (new GeneratorResult(sources, diagnostics, driverDiagnostics, output, runResult), driver);
    }

    /// <summary><see cref="NetworkAnalyzer"/>'s diagnostics on <paramref name="compilation"/>, by file and position; suppressed ones left out, as a build does.</summary>
    public static ImmutableArray<Diagnostic> AnalyzerDiagnostics(Compilation compilation, params AdditionalText[] additionalTexts)
    {
        // An exception in the analyzer would only be a build warning (AD0001); here it fails the test.
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([.. additionalTexts]),
            onAnalyzerException: (exception, _, _) => throw new InvalidOperationException("NetworkAnalyzer threw", exception),
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        var diagnostics = compilation.WithAnalyzers([new NetworkAnalyzer()], options).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        return [.. diagnostics.OrderBy(d => d.Location.GetLineSpan().Path, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start)];
    }

    /// <summary>Emits the compilation with the generated sources and loads it, to run the generated code.</summary>
    public static System.Reflection.Assembly Load(Compilation output)
    {
        using var image = new MemoryStream();
        var emitted = output.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        return System.Reflection.Assembly.Load(image.ToArray());
    }
}

/// <summary>An additional file (a .dph) held in memory.</summary>
internal sealed class InMemoryText(string path, string text) : AdditionalText
{
    public override string Path => path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
}
