using System.Collections;
using System.Collections.Immutable;
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

    /// <summary>A declaration with errors: a comment above it runs the transform again, to an equal stand-in that is not emitted again.</summary>
    [Fact]
    public void InvalidNetwork_AddedComment_DoesNotReemitItsStandIn()
    {
        const string broken = "using DeepPhys;\n[Network(Loss = Loss.MeanSquaredError)] [Input(4)] [Dense(-3)] public partial class Net;\n";
        var compilation = GeneratorHarness.CreateCompilation(broken);

        var run = RunTwice(compilation, ReplaceSource(compilation, "// a comment\n" + broken));

        Assert.All(StepReasons(run, TrackingNames.NetworkModel), reason => Assert.Equal(IncrementalStepRunReason.Modified, reason));
        Assert.All(StepReasons(run, TrackingNames.InvalidNetworkSpec), reason => Assert.Equal(IncrementalStepRunReason.Unchanged, reason));
        Assert.Contains("Net cannot run: DPH0105 ", Assert.Single(run.Second.Sources).Value);
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
    [InlineData("using DeepPhys; [Network] [Input(0)] [Dense(1, Name = \"x y\")] public partial class Broken;")]
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

    /// <summary>Where a DSL network is written: inline in <c>[Network("""…""")]</c>, or in a .dph file.</summary>
    public enum DslForm
    {
        Inline,
        Dph,
    }

    public static TheoryData<DslForm> DslForms => [DslForm.Inline, DslForm.Dph];

    private const string Dsl = "input x[4]\nh = dense(x, 8) -> relu\nout = dense(h, 3) -> softmax\nloss categorical_crossentropy(out)\n";

    /// <summary>A '#' comment changes the DSL text, so the transform parses it again; the spec is equal, so the source stays cached.</summary>
    [Theory]
    [MemberData(nameof(DslForms))]
    public void Dsl_AddedComment_DoesNotRegenerate(DslForm form)
    {
        var run = RunTwice(DslProject.Of(form, Dsl), DslProject.Of(form, Dsl.Replace("h = dense", "# a hidden layer\nh = dense")));

        Assert.All(StepReasons(run, ModelStep(form)), reason => Assert.Equal(IncrementalStepRunReason.Unchanged, reason));
        AssertNotReemitted(run, form);
    }

    [Theory]
    [MemberData(nameof(DslForms))]
    public void Dsl_ChangedLayerWidth_Regenerates(DslForm form)
    {
        var run = RunTwice(DslProject.Of(form, Dsl), DslProject.Of(form, Dsl.Replace("dense(h, 3)", "dense(h, 5)")));

        Assert.All(StepReasons(run, SpecStep(form)), reason => Assert.Equal(IncrementalStepRunReason.Modified, reason));
        Assert.Contains(IncrementalStepRunReason.Modified, SourceOutputReasons(run, form));
        Assert.Contains("public const int OutputSize = 5;", Assert.Single(run.Second.Sources).Value);
    }

    /// <summary>Editing an unrelated C# file may re-run the inline transform (its compilation changed) but to an equal result; an unrelated additional file re-runs nothing.</summary>
    [Theory]
    [MemberData(nameof(DslForms))]
    public void Dsl_UnrelatedFileEdit_DoesNotRegenerate(DslForm form)
    {
        var project = DslProject.Of(form, Dsl);

        var csharp = RunTwice(project, project with { Unrelated = "public class Unrelated { public int Edited; }" });
        var additional = RunTwice(project, project with { Notes = new InMemoryText("notes.txt", "edited") });

        Assert.All(StepReasons(csharp, ModelStep(form)), reason => Assert.True(
            reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"The model step was {reason}."));
        Assert.All(StepReasons(additional, ModelStep(form)), reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
        AssertNotReemitted(csharp, form);
        AssertNotReemitted(additional, form);
    }

    /// <summary>A warning (an unused input) moves down three lines: reported at the new line, the source not emitted again.</summary>
    [Theory]
    [InlineData(DslForm.Inline, 7, 10)]
    [InlineData(DslForm.Dph, 6, 9)]
    public void Dsl_MovedError_DoesNotReemitSource(DslForm form, int firstLine, int movedLine)
    {
        string withWarning = Dsl + "input spare[2]\n";
        var run = RunTwice(DslProject.Of(form, withWarning), DslProject.Of(form, "#\n#\n#\n" + withWarning));

        Assert.Equal("DPH0410", Assert.Single(run.First.Diagnostics).Id);
        Assert.Equal(firstLine, run.First.Diagnostics[0].Location.GetLineSpan().StartLinePosition.Line);
        Assert.Equal(movedLine, Assert.Single(run.Second.Diagnostics).Location.GetLineSpan().StartLinePosition.Line);
        Assert.All(StepReasons(run, ModelStep(form)), reason => Assert.Equal(IncrementalStepRunReason.Modified, reason));
        Assert.All(StepReasons(run, SpecStep(form)), reason => Assert.Equal(IncrementalStepRunReason.Unchanged, reason));
        AssertNotReemitted(run, form);
    }

    [Theory]
    [MemberData(nameof(DslForms))]
    public void Dsl_PipelineValues_HoldNoRoslynObjects(DslForm form)
    {
        var project = DslProject.Of(form, Dsl + "spare = dense(x, 2)\nbroken = dens(x, 1)\n");
        var run = RunTwice(project, project);

        var steps = run.Second.RunResult.TrackedSteps;
        Assert.Contains(ModelStep(form), steps.Keys);
        foreach (string name in StepNames.Where(steps.ContainsKey))
        {
            foreach (var output in steps[name].SelectMany(step => step.Outputs)) AssertPlainData(output.Value, name);
        }
    }

    /// <summary>A project with one DSL network, an unrelated C# file and an unrelated additional file.</summary>
    private sealed record DslProject(string Network, string Unrelated, AdditionalText? Dph, AdditionalText Notes)
    {
        private static readonly AdditionalText DefaultNotes = new InMemoryText("notes.txt", "notes");

        public static DslProject Of(DslForm form, string dsl) => form == DslForm.Inline
            ? new DslProject("using DeepPhys;\nnamespace Models;\n[Network(\"\"\"\n" + dsl + "\"\"\")]\npublic partial class Net;\n", "public class Unrelated { }", null, DefaultNotes)
            : new DslProject("namespace Models;\n", "public class Unrelated { }", new InMemoryText("net.dph", "network Net\nnamespace Models\n" + dsl), DefaultNotes);

        public Compilation Compilation(Compilation? previous)
        {
            var trees = new[] { GeneratorHarness.SyntaxTree(Network, "Test0.cs"), GeneratorHarness.SyntaxTree(Unrelated, "Test1.cs") };
            if (previous is null) return GeneratorHarness.CreateCompilation(Network, Unrelated);

            // Only trees whose text changed are replaced, as the IDE does.
            foreach (var tree in trees)
            {
                var old = previous.SyntaxTrees.Single(t => t.FilePath == tree.FilePath);
                if (old.ToString() != tree.ToString()) previous = previous.ReplaceSyntaxTree(old, tree);
            }

            return previous;
        }

        public ImmutableArray<AdditionalText> Files => Dph is null ? [Notes] : [Dph, Notes];
    }

    private static Runs RunTwice(DslProject first, DslProject second)
    {
        var compilation = first.Compilation(null);
        var (firstResult, driver) = GeneratorHarness.Run(GeneratorHarness.CreateDriver([.. first.Files]), compilation);
        if (!first.Files.SequenceEqual(second.Files)) driver = GeneratorHarness.ReplaceAdditionalTexts(driver, [.. second.Files]);
        var (secondResult, _) = GeneratorHarness.Run(driver, second.Compilation(compilation));
        return new Runs(firstResult, secondResult);
    }

    private static string ModelStep(DslForm form) => form == DslForm.Inline ? TrackingNames.NetworkModel : TrackingNames.DphModel;

    private static string SpecStep(DslForm form) => form == DslForm.Inline ? TrackingNames.NetworkSpec : TrackingNames.DphSpec;

    internal static void AssertPlainData(object? value, string path)
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
    private static List<IncrementalStepRunReason> SourceOutputReasons(Runs run, DslForm form = DslForm.Inline)
    {
        string emission = form == DslForm.Inline ? TrackingNames.NetworkEmission : TrackingNames.DphEmission;
        var reasons = run.Result.TrackedOutputSteps["SourceOutput"]
            .Where(step => step.Inputs.Any(input => input.Source.Name == emission))
            .SelectMany(step => step.Outputs)
            .Select(output => output.Reason)
            .ToList();
        Assert.NotEmpty(reasons);
        return reasons;
    }

    private static void AssertNotReemitted(Runs run, DslForm form = DslForm.Inline)
    {
        Assert.All(SourceOutputReasons(run, form), reason => Assert.True(
            reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"The source output step was {reason}."));
        Assert.Equal(run.First.Sources, run.Second.Sources);
    }
}
