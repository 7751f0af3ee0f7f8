using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DeepPhys;

/// <summary>Roslyn in process: the emitted source compiled into its own collectible <see cref="AssemblyLoadContext"/>.</summary>
[RequiresUnreferencedCode(WhyNotUnderAot)]
[RequiresDynamicCode(WhyNotUnderAot)]
internal static class NetworkAssembly
{
    /// <summary>Why <see cref="Networks"/> cannot run under Native AOT or trimming, as the analyzers tell its callers.</summary>
    internal const string WhyNotUnderAot =
        "Networks compiles C# with Roslyn and loads it into an AssemblyLoadContext while the program runs: it needs the JIT, the runtime's "
        + "assembly files and their full metadata, which Native AOT and trimming remove. Declare the network with [Network] (built by the source generator) instead.";

    /// <summary>
    /// The runtime the generated class derives from and the framework assemblies it references (from the trusted platform
    /// assemblies, so as this process runs them), plus System.Runtime; read once, shared by every compilation. Not the whole
    /// framework: reading ~170 assemblies' metadata would double the first call.
    /// </summary>
    [RequiresAssemblyFiles(WhyNotUnderAot)]
    private static MetadataReference[] References => LazyInitializer.EnsureInitialized(ref references, () =>
    {
        var runtime = typeof(Network<>).Assembly;
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .DistinctBy(Path.GetFileNameWithoutExtension, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(path => Path.GetFileNameWithoutExtension(path), StringComparer.OrdinalIgnoreCase);
        return runtime.GetReferencedAssemblies().Select(name => name.Name!).Append("System.Runtime").Append("System.Private.CoreLib")
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(name => framework[name])
            .Append(runtime.Location)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray();
    });

    private static MetadataReference[]? references;

    private static int count;

    /// <summary>Compiles <paramref name="source"/> (one generated network class) and returns its constructor taking the seed.</summary>
    /// <param name="source">What <c>NetworkEmitter.Emit</c> wrote.</param>
    /// <param name="baseType">The <c>Network&lt;T&gt;</c> the class derives from.</param>
    [RequiresAssemblyFiles(WhyNotUnderAot)]
    public static Func<int, object> Compile(string source, Type baseType)
    {
        var compilation = CSharpCompilation.Create(
            "DeepPhys.Compiled" + Interlocked.Increment(ref count),
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))],
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        if (!result.Success)
        {
            // The front end accepted the text, so this is the emitter's bug, not the user's.
            throw new InvalidOperationException("The generated network does not compile:\n" + string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        image.Position = 0;
        var assembly = new NetworkLoadContext(compilation.AssemblyName!).LoadFromStream(image);
        var type = assembly.GetTypes().Single(baseType.IsAssignableFrom);
        var constructor = type.GetConstructor([typeof(int)])!;
        return seed => constructor.Invoke([seed]);
    }

    /// <summary>Collectible, and resolving <c>DeepPhys</c> to the runtime already loaded, so the class derives from the caller's <c>Network&lt;T&gt;</c>.</summary>
    private sealed class NetworkLoadContext(string name) : AssemblyLoadContext(name, isCollectible: true)
    {
        private static readonly Assembly Runtime = typeof(Network<>).Assembly;

        protected override Assembly? Load(AssemblyName assemblyName) =>
            assemblyName.Name == Runtime.GetName().Name ? Runtime : null;
    }
}
