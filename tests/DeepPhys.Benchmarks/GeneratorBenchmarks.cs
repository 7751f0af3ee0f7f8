using System.Collections.Immutable;
using System.Text;
using BenchmarkDotNet.Attributes;
using DeepPhys.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DeepPhys.Benchmarks;

/// <summary>
/// The generator alone on three projects: a 50-layer network declared with attributes, the same in the
/// DSL, and 20 networks (10 of each kind). A full run is the first run on a fresh compilation (it pays
/// for binding the attributes); a cached run is a second run of the same driver on the same compilation;
/// an analyzer run reports the DPH diagnostics of a fresh compilation.
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(NetworkAttribute).Assembly.Location),
    ];

    private CSharpCompilation compilation = null!;
    private GeneratorDriver warmDriver = null!;

    [Params("Attributes50Layers", "Dsl50Layers", "TwentyNetworks")]
    public string Project { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var sources = Project switch
        {
            "Attributes50Layers" => [AttributeNetwork("Deep", 50)],
            "Dsl50Layers" => [DslNetwork("Deep", 50)],
            _ => Enumerable.Range(0, 20).Select(i => i % 2 == 0 ? AttributeNetwork($"Net{i}", 5) : DslNetwork($"Net{i}", 5)).ToArray(),
        };
        compilation = CSharpCompilation.Create(
            "Benchmark",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, $"Network{i}.cs")),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        warmDriver = CreateDriver().RunGenerators(compilation);
        int generated = warmDriver.GetRunResult().GeneratedTrees.Length;
        if (generated != sources.Length) throw new InvalidOperationException($"{Project}: {generated} files generated for {sources.Length} networks.");
    }

    [Benchmark]
    public GeneratorDriver FullRun() => CreateDriver().RunGenerators(compilation.Clone());

    [Benchmark]
    public GeneratorDriver CachedRun() => warmDriver.RunGenerators(compilation);

    /// <summary>The analyzer's diagnostics on a fresh compilation: what a build or an editor pays for the DPH checks.</summary>
    [Benchmark]
    public ImmutableArray<Diagnostic> AnalyzerRun() =>
        compilation.Clone().WithAnalyzers([new NetworkAnalyzer()]).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();

    private static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create([new NetworkGenerator().AsSourceGenerator()], parseOptions: ParseOptions);

    /// <summary>[Input(64)], <paramref name="layers"/> − 1 ReLU layers of 64, a softmax output of 10.</summary>
    private static string AttributeNetwork(string name, int layers)
    {
        var source = new StringBuilder("using DeepPhys;\nnamespace Bench;\n[Network(Loss = Loss.CategoricalCrossEntropy)]\n[Input(64)]\n");
        for (int i = 1; i < layers; i++) source.Append("[Dense(64, Activation.ReLU)]\n");
        return source.Append("[Dense(10, Activation.Softmax)]\npublic partial class ").Append(name).Append(";\n").ToString();
    }

    /// <summary>The same network in the DSL.</summary>
    private static string DslNetwork(string name, int layers)
    {
        var source = new StringBuilder("using DeepPhys;\nnamespace Bench;\n[Network(\"\"\"\n    input x[64]\n");
        string previous = "x";
        for (int i = 1; i < layers; i++)
        {
            source.Append($"    h{i} = dense({previous}, 64) -> relu\n");
            previous = $"h{i}";
        }

        source.Append($"    out = dense({previous}, 10) -> softmax\n    loss categorical_crossentropy(out)\n    \"\"\")]\n");
        return source.Append("public partial class ").Append(name).Append(";\n").ToString();
    }
}
