using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DeepPhys.Generators.Tests;

/// <summary>
/// 10,000 hostile declarations (<see cref="HostileDeclarations"/>), 50 to a compilation so that names
/// collide across files: neither the generator nor the analyzer throws, every diagnostic they report is
/// a DPH one, and everything the generator emits (networks and stand-ins) compiles. A failure names the
/// seed, the batch and the files.
/// </summary>
public class HostileDeclarationTests
{
    private const int Seed = 20261208;
    private const int Batches = 200;
    private const int PerBatch = 50;

    [Fact]
    public void TenThousandHostileDeclarations_NeverThrow_AndAllGeneratedCodeCompiles()
    {
        var failures = new ConcurrentBag<string>();
        int networks = 0, standIns = 0;
        Parallel.For(0, Batches, batch =>
        {
            string[] files = HostileDeclarations.Batch(Seed, batch, PerBatch);
            var (sources, problems) = Check(files);
            if (problems.Count > 0) failures.Add($"seed {Seed}, batch {batch}:\n{string.Join("\n", problems.Take(5))}\nin\n{string.Join("\n", files)}");
            int standInsHere = sources.Count(source => source.Contains(" cannot run: ", StringComparison.Ordinal));
            Interlocked.Add(ref standIns, standInsHere);
            Interlocked.Add(ref networks, sources.Count - standInsHere);
        });

        Assert.True(failures.IsEmpty, failures.OrderBy(failure => failure, StringComparer.Ordinal).FirstOrDefault());
        // Both kinds must be common, or the compile check above tests only one of them.
        Assert.InRange(networks, 800, 6_000);
        Assert.InRange(standIns, 800, 6_000);
    }

    /// <summary>
    /// Runs the generator, then binds the output once for both C#'s errors and the analyzer's diagnostics (the test harness's
    /// <see cref="GeneratorHarness.Run(string[])"/> binds it twice and tracks every pipeline step: too slow for 10,000).
    /// </summary>
    private static (List<string> Sources, List<string> Problems) Check(string[] files)
    {
        var driver = CSharpGeneratorDriver.Create([new NetworkGenerator().AsSourceGenerator()], parseOptions: GeneratorHarness.ParseOptions)
            .RunGeneratorsAndUpdateCompilation(GeneratorHarness.CreateCompilation(files), out var output, out var driverDiagnostics);
        var run = driver.GetRunResult().Results.Single();
        var problems = new List<string>();
        if (run.Exception is not null) problems.Add("the generator threw " + run.Exception);
        problems.AddRange(driverDiagnostics.Concat(run.Diagnostics).Where(diagnostic => !diagnostic.Id.StartsWith("DPH", StringComparison.Ordinal)).Select(diagnostic => diagnostic.ToString()));

        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]),
            onAnalyzerException: (exception, _, _) => problems.Add("the analyzer threw " + exception),
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        var all = output.WithAnalyzers([new NetworkAnalyzer()], options).GetAllDiagnosticsAsync().GetAwaiter().GetResult();
        problems.AddRange(all.Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error
            && diagnostic.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true).Select(diagnostic => diagnostic.ToString()));
        return ([.. run.GeneratedSources.Select(source => source.SourceText.ToString())], problems);
    }
}
