using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace DeepPhys.Generators.Tests;

/// <summary>
/// Runs the generator twice, the second time after an edit, and checks from the tracked steps
/// which parts of the pipeline ran again: only a real change to a network may re-emit its source.
/// </summary>
public class IncrementalityTests
{
    private static readonly string[] StepNames = typeof(TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (string)field.GetValue(null)!)
        .ToArray();

    [Fact]
    public void UnchangedCompilation_IsCached()
    {
        var compilation = GeneratorHarness.CreateCompilation(TestSources.Iris);

        var run = RunTwice(compilation, compilation);

        Assert.All(StepReasons(run, TrackingNames.NetworkModel), reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
        Assert.All(SourceOutputReasons(run), reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
    }

    [Fact]
    public void UnrelatedFileAdded_DoesNotRegenerate()
    {
        var compilation = GeneratorHarness.CreateCompilation(TestSources.Iris);
        var edited = compilation.AddSyntaxTrees(GeneratorHarness.SyntaxTree("public class Unrelated { }", "Test1.cs"));

        var run = RunTwice(compilation, edited);

        // The compilation changed, so the transform may run again, but its result must compare equal.
        Assert.All(StepReasons(run, TrackingNames.NetworkModel), reason => Assert.True(
            reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"The model step was {reason}."));
        AssertNotReemitted(run);
    }

    [Fact]
    public void AddedComment_DoesNotRegenerate()
    {
        var compilation = GeneratorHarness.CreateCompilation(TestSources.Iris);
        var edited = ReplaceSource(compilation, "// Fisher's iris data: four measurements, three species.\n" + TestSources.Iris);

        var run = RunTwice(compilation, edited);

        // The file changed, so the transform ran again; its result is equal, so nothing after it did.
        Assert.All(StepReasons(run, TrackingNames.NetworkModel), reason => Assert.Equal(IncrementalStepRunReason.Unchanged, reason));
        AssertNotReemitted(run);
    }

    [Fact]
    public void ChangedLayerWidth_Regenerates()
    {
        var compilation = GeneratorHarness.CreateCompilation(TestSources.Iris);
        var edited = ReplaceSource(compilation, TestSources.Iris.Replace("[Dense(3, Activation.Softmax)]", "[Dense(5, Activation.Softmax)]"));

        var run = RunTwice(compilation, edited);

        Assert.All(StepReasons(run, TrackingNames.NetworkSpec), reason => Assert.Equal(IncrementalStepRunReason.Modified, reason));
        Assert.Contains(IncrementalStepRunReason.Modified, SourceOutputReasons(run));
        Assert.Contains("public const int OutputSize = 5;", Assert.Single(run.Second.Sources).Value);
    }

    /// <summary>A warning that moves with its line is reported at the new place, but the source is not emitted again.</summary>
    [Fact]
    public void MovedError_DoesNotReemitSource()
    {
        const string network = """
            using DeepPhys;
            [Network(Loss = Loss.MeanSquaredError)]
            [Input(4)]
            [Dense(8, Activation.ReLU, NegativeSlope = 0.2)]
            [Dense(1)]
            public partial class Net;
            """;
        var compilation = GeneratorHarness.CreateCompilation(network);
        var edited = ReplaceSource(compilation, "\n\n\n" + network);

        var run = RunTwice(compilation, edited);

        Assert.Equal(3, Assert.Single(run.First.Diagnostics).Location.GetLineSpan().StartLinePosition.Line);
        Assert.Equal(6, Assert.Single(run.Second.Diagnostics).Location.GetLineSpan().StartLinePosition.Line);
        Assert.All(StepReasons(run, TrackingNames.NetworkModel), reason => Assert.Equal(IncrementalStepRunReason.Modified, reason));
        Assert.All(StepReasons(run, TrackingNames.NetworkSpec), reason => Assert.Equal(IncrementalStepRunReason.Unchanged, reason));
        AssertNotReemitted(run);
    }

    /// <summary>Pipeline values must be plain data: a symbol, node, location or compilation would pin old compilations and defeat caching.</summary>
    [Theory]
    [InlineData(TestSources.Iris)]
    [InlineData(TestSources.Nested)]
    [InlineData("using DeepPhys; [Network] [Input(0)] [Dense(1, Name = \"x y\")] public class Broken; [Dense(1)] class Orphan;")]
    public void PipelineValues_HoldNoRoslynObjects(string source)
    {
        var compilation = GeneratorHarness.CreateCompilation(source);
        var run = RunTwice(compilation, compilation);

        var steps = run.Second.RunResult.TrackedSteps;
        Assert.Contains(TrackingNames.NetworkModel, steps.Keys);
        foreach (string name in StepNames.Where(steps.ContainsKey))
        {
            foreach (var output in steps[name].SelectMany(step => step.Outputs))
            {
                AssertPlainData(output.Value, name);
            }
        }
    }

    private static void AssertPlainData(object? value, string path)
    {
        if (value is null or string or Enum || value.GetType().IsPrimitive) return;
        Assert.False(
            value is ISymbol or SyntaxNode or Location or Compilation or SemanticModel or SyntaxTree,
            $"{path} holds a {value.GetType().Name}.");
        if (value is IEnumerable items)
        {
            int index = 0;
            foreach (object? item in items) AssertPlainData(item, $"{path}[{index++}]");
            return;
        }

        // Only the generator's own types are walked into; anything else (TextSpan, …) is a leaf.
        if (value.GetType().Assembly != typeof(TrackingNames).Assembly) return;
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0 && property.Name != "EqualityContract")
            {
                AssertPlainData(property.GetValue(value), $"{path}.{property.Name}");
            }
        }
    }

    private sealed record Runs(GeneratorResult First, GeneratorResult Second)
    {
        public GeneratorRunResult Result => Second.RunResult;
    }

    private static Runs RunTwice(Compilation first, Compilation second)
    {
        var (firstResult, driver) = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), first);
        var (secondResult, _) = GeneratorHarness.Run(driver, second);
        return new Runs(firstResult, secondResult);
    }

    private static Compilation ReplaceSource(Compilation compilation, string source)
    {
        var tree = compilation.SyntaxTrees.Single();
        return compilation.ReplaceSyntaxTree(tree, GeneratorHarness.SyntaxTree(source, tree.FilePath));
    }

    private static IEnumerable<IncrementalStepRunReason> StepReasons(Runs run, string stepName)
    {
        var reasons = run.Result.TrackedSteps[stepName].SelectMany(step => step.Outputs).Select(output => output.Reason).ToList();
        Assert.NotEmpty(reasons);
        return reasons;
    }

    /// <summary>The reasons of the source output steps that emit generated files (not those that only report diagnostics).</summary>
    private static List<IncrementalStepRunReason> SourceOutputReasons(Runs run)
    {
        var reasons = run.Result.TrackedOutputSteps["SourceOutput"]
            .Where(step => step.Inputs.Any(input => input.Source.Name == TrackingNames.ValidNetworkSpec))
            .SelectMany(step => step.Outputs)
            .Select(output => output.Reason)
            .ToList();
        Assert.NotEmpty(reasons);
        return reasons;
    }

    private static void AssertNotReemitted(Runs run)
    {
        Assert.All(SourceOutputReasons(run), reason => Assert.True(
            reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"The source output step was {reason}."));
        Assert.Equal(run.First.Sources, run.Second.Sources);
    }
}
