using System.Globalization;
using DeepPhys.Tests;
using Microsoft.CodeAnalysis;

namespace DeepPhys.Generators.Tests;

/// <summary>
/// <c>Net.weights.json</c> additional files baked into <c>Net.FromBakedWeights()</c>: the generated
/// file, each DPH06xx diagnostic at its line and column in the .json, incrementality, and mutated files.
/// </summary>
public class BakedWeightsTests
{
    /// <summary>6 parameters: Dense(2 → 2) weights and bias.</summary>
    internal const string Tiny = """
        using DeepPhys;
        namespace Models;
        [Network(Loss = Loss.MeanSquaredError)]
        [Input(2)]
        [Dense(2)]
        public partial class Tiny;
        """;

    internal const string TinyWeights =
        """{"Format":"deepphys-checkpoint","Version":1,"Network":"Tiny","Precision":"Single","Parameters":[0.10000000149011612,-0.5,1E-07,3,-0,0.25],"Optimizer":null,"Scaler":null}""";

    [Fact]
    public void TinyNetwork_Snapshot_AndCompiles()
    {
        var result = Run(Tiny, new InMemoryText("/data/Tiny.weights.json", TinyWeights));

        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.OutputErrors());
        Snapshot.Verify(result.Sources["Models.Tiny.Weights.g.cs"]);
    }

    /// <summary>
    /// The checkpoint make_baked_weights.py wrote (tests/DeepPhys.Tests/Fixtures, not by Checkpoint.Save) baked into
    /// DeepPhys.Tests' BakedNet, compiled and run: a double network holds the script's doubles bit for bit, a float
    /// network each of them rounded to float.
    /// </summary>
    [Fact]
    public void ScriptWrittenCheckpoint_BakesExactlyItsValues()
    {
        var doubles = FromBakedWeights<double>(", Precision = Precision.Double");
        Assert.Equal(BakedNetFixture.Parameters(), doubles.Parameters.ToArray());
        Assert.Equal(BakedNetFixture.State(), doubles.State.ToArray());

        var floats = FromBakedWeights<float>("");
        Assert.Equal(BakedNetFixture.Parameters().Select(value => (float)value), floats.Parameters.ToArray());
        Assert.Equal(BakedNetFixture.State().Select(value => (float)value), floats.State.ToArray());
    }

    [Fact]
    public void QualifiedFileName_WinsOverClassName()
    {
        var result = Run(
            Tiny,
            new InMemoryText("Tiny.weights.json", TinyWeights.Replace("0.25", "7")),
            new InMemoryText("Models.Tiny.weights.json", TinyWeights.Replace("0.25", "8")));

        Assert.Empty(result.Diagnostics);
        Assert.Contains("-0.0f, 8.0f,", result.Sources["Models.Tiny.Weights.g.cs"]);
    }

    [Fact]
    public void NoWeightsFile_GeneratesNoWeights()
    {
        var result = Run(Tiny, new InMemoryText("Other.weights.json", TinyWeights.Replace("\"Tiny\"", "\"Other\"")));

        Assert.Empty(result.Diagnostics);
        Assert.Equal(["Models.Tiny.g.cs"], result.Sources.Keys);
    }

    /// <summary>Each problem at its place in a pretty-printed file: (text to replace, replacement, id, 0-based line, column, message).</summary>
    public static TheoryData<string, string, string, int, int, string> Problems => new()
    {
        { "\"deepphys-checkpoint\"", "\"something-else\"", "DPH0601", 1, 12, "'Tiny.weights.json' is not a DeepPhys checkpoint: its Format is \"something-else\", not \"deepphys-checkpoint\"" },
        { "\"Version\": 1", "\"Version\": 2", "DPH0601", 2, 13, "'Tiny.weights.json' is not a DeepPhys checkpoint: its Version is 2; version 1 can be baked" },
        { "\"Version\": 1", "\"Version\": \"1\"", "DPH0601", 2, 13, "'Tiny.weights.json' is not a DeepPhys checkpoint: its Version is \"1\"; version 1 can be baked" },
        { "\"Tiny\",", "\"Tiny\" x", "DPH0601", 3, 20, "'Tiny.weights.json' is not a DeepPhys checkpoint: expected ',' or '}' but found 'x'" },
        { "\"Tiny\"", "\"Iris\"", "DPH0602", 3, 13, "'Tiny.weights.json' holds the parameters of network 'Iris', not of 'Tiny'" },
        { "0.25", "0.25, 1", "DPH0603", 4, 16, "'Tiny.weights.json' holds 7 parameters; network 'Models.Tiny' has 6" },
        { "3,", "1e999,", "DPH0604", 7, 4, "Parameter 2 of 'Tiny.weights.json' is 1e999; a baked parameter must be a finite number" },
        { "3,", "\"NaN\",", "DPH0604", 7, 4, "Parameter 2 of 'Tiny.weights.json' is \"NaN\"; a baked parameter must be a finite number" },
        { "\"Tiny\",", "\"Tiny\", \"State\": [1],", "DPH0606", 3, 30, "'Tiny.weights.json' holds 1 state values (batch norm's running statistics); network 'Models.Tiny' has 0" },
        { "\"Tiny\",", "\"Tiny\", \"State\": [1e999],", "DPH0601", 3, 31, "'Tiny.weights.json' is not a DeepPhys checkpoint: its State value 0 is 1e999, not a finite number" },
    };

    [Theory]
    [MemberData(nameof(Problems))]
    public void Problem_IsReportedInTheJson(string find, string replace, string id, int line, int column, string message)
    {
        const string pretty = """
            {
              "Format": "deepphys-checkpoint",
              "Version": 1,
              "Network": "Tiny",
              "Parameters": [
                0.5,
                -1,
                3,
                2,
                0,
                0.25
              ]
            }
            """;
        Assert.Contains(find, pretty);
        var result = Run(Tiny, new InMemoryText("/data/Tiny.weights.json", pretty.Replace(find, replace)));

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(message, diagnostic.GetMessage(CultureInfo.InvariantCulture));
        var position = diagnostic.Location.GetLineSpan();
        Assert.Equal("/data/Tiny.weights.json", position.Path);
        Assert.Equal((line, column), (position.StartLinePosition.Line, position.StartLinePosition.Character));
        Assert.Equal(["Models.Tiny.g.cs"], result.Sources.Keys);
    }

    /// <summary>A .dph network is baked too, in double, with its file named by the class.</summary>
    [Fact]
    public void DslNetwork_IsBakedInDouble()
    {
        var result = Run(
            "namespace Models;",
            new InMemoryText("net.dph", "network Net\nnamespace Models\nprecision double\ninput x[1]\nout = dense(x, 1)\nloss mse(out)\n"),
            new InMemoryText("Net.weights.json", TinyWeights.Replace("Tiny", "Net").Replace("0.10000000149011612,-0.5,1E-07,3,", "")));

        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.OutputErrors());
        var weights = Assert.Single(result.Sources, source => source.Key.EndsWith(".Weights.g.cs", StringComparison.Ordinal)).Value;
        Assert.Contains("private static global::System.ReadOnlySpan<double> BakedParameters => new double[]", weights);
        Assert.Contains("-0.0, 0.25,", weights);
    }

    [Fact]
    public void PipelineValues_HoldNoRoslynObjects()
    {
        var result = Run(Tiny, new InMemoryText("Tiny.weights.json", TinyWeights), new InMemoryText("Models.Tiny.weights.json", "{\"Format\": 1}"));

        string[] steps = [TrackingNames.WeightsFile, TrackingNames.BakedWeights, TrackingNames.BakedWeightsSpec, TrackingNames.BakedWeightsDiagnostics];
        foreach (string name in steps)
        {
            var outputs = result.RunResult.TrackedSteps[name].SelectMany(step => step.Outputs).ToList();
            Assert.NotEmpty(outputs);
            foreach (var output in outputs) IncrementalityTests.AssertPlainData(output.Value, name);
        }
    }

    [Fact]
    public void TwoFilesWithOneName_WarnAndBakeTheFirstByPath()
    {
        var result = Run(Tiny, new InMemoryText("/b/Tiny.weights.json", TinyWeights.Replace("0.25", "9")), new InMemoryText("/a/Tiny.weights.json", TinyWeights));

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("DPH0605", diagnostic.Id);
        Assert.Equal("Network 'Models.Tiny' matches more than one weights file: '/b/Tiny.weights.json' is ignored, '/a/Tiny.weights.json' is baked", diagnostic.GetMessage(CultureInfo.InvariantCulture));
        Assert.Contains("0.25f,", result.Sources["Models.Tiny.Weights.g.cs"]);
    }

    [Fact]
    public void UnrelatedEdit_DoesNotRegenerate_WeightsEdit_RegeneratesTheWeightsOnly()
    {
        var compilation = GeneratorHarness.CreateCompilation(Tiny, "public class Unrelated { }");
        var weights = new InMemoryText("Tiny.weights.json", TinyWeights);
        var (first, driver) = GeneratorHarness.Run(GeneratorHarness.CreateDriver(weights), compilation);

        var unrelated = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.Last(), GeneratorHarness.SyntaxTree("public class Unrelated { int edited; }", "Test1.cs"));
        var (afterUnrelated, driver2) = GeneratorHarness.Run(driver, unrelated);
        Assert.Equal(first.Sources, afterUnrelated.Sources);
        Assert.All(EmittedReasons(afterUnrelated), pair => Assert.True(
            pair.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{pair.Step} was {pair.Reason}."));

        var edited = driver2.ReplaceAdditionalText(weights, new InMemoryText("Tiny.weights.json", TinyWeights.Replace("0.25", "0.75")));
        var (afterWeights, _) = GeneratorHarness.Run(edited, unrelated);
        var reasons = EmittedReasons(afterWeights);
        Assert.Contains((TrackingNames.BakedWeightsEmission, IncrementalStepRunReason.Modified), reasons);
        Assert.All(reasons.Where(pair => pair.Step != TrackingNames.BakedWeightsEmission), pair => Assert.True(
            pair.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{pair.Step} was {pair.Reason}."));
        Assert.Equal(first.Sources["Models.Tiny.g.cs"], afterWeights.Sources["Models.Tiny.g.cs"]);
        Assert.Contains("0.75f,", afterWeights.Sources["Models.Tiny.Weights.g.cs"]);
    }

    /// <summary>A layer edit that keeps the parameter count re-emits the network, not its (possibly large) baked weights.</summary>
    [Fact]
    public void ChangedActivation_RegeneratesTheNetwork_NotTheWeights()
    {
        var compilation = GeneratorHarness.CreateCompilation(Tiny);
        var weights = new InMemoryText("Tiny.weights.json", TinyWeights);
        var (first, driver) = GeneratorHarness.Run(GeneratorHarness.CreateDriver(weights), compilation);

        var edited = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.First(), GeneratorHarness.SyntaxTree(Tiny.Replace("[Dense(2)]", "[Dense(2, Activation.Tanh)]"), "Test0.cs"));
        var (after, _) = GeneratorHarness.Run(driver, edited);

        var reasons = EmittedReasons(after);
        Assert.Contains((TrackingNames.NetworkEmission, IncrementalStepRunReason.Modified), reasons);
        Assert.All(reasons.Where(pair => pair.Step == TrackingNames.BakedWeightsEmission), pair => Assert.True(
            pair.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{pair.Step} was {pair.Reason}."));
        Assert.NotEqual(first.Sources["Models.Tiny.g.cs"], after.Sources["Models.Tiny.g.cs"]);
        Assert.Equal(first.Sources["Models.Tiny.Weights.g.cs"], after.Sources["Models.Tiny.Weights.g.cs"]);
    }

    /// <summary>A few hundred files mutated from a valid one (characters cut, doubled, replaced, deep nesting): never a throw, always a DPH06xx error in the file or a bake.</summary>
    [Fact]
    public void MutatedFiles_NeverThrow()
    {
        var random = new Random(8);
        const string alphabet = "{}[]\":,.-+eE0123456789 \\nulltrueNaN";
        int baked = 0, reported = 0;
        for (int i = 0; i < 400; i++)
        {
            var text = new System.Text.StringBuilder(TinyWeights);
            for (int edits = random.Next(1, 4); edits > 0 && text.Length > 1; edits--)
            {
                int at = random.Next(text.Length);
                switch (random.Next(4))
                {
                    case 0: text.Remove(at, Math.Min(random.Next(1, 6), text.Length - at)); break;
                    case 1: text.Insert(at, text.ToString(at, Math.Min(random.Next(1, 6), text.Length - at))); break;
                    case 2: text[at] = alphabet[random.Next(alphabet.Length)]; break;
                    default: text.Insert(at, new string('[', random.Next(1, 100))); break;
                }
            }

            var result = Run(Tiny, new InMemoryText("Tiny.weights.json", text.ToString()));

            Assert.True(result.RunResult.Exception is null, $"The generator threw on:\n{text}\n{result.RunResult.Exception}");
            Assert.All(result.Diagnostics, diagnostic =>
            {
                Assert.StartsWith("DPH060", diagnostic.Id);
                Assert.Equal("Tiny.weights.json", diagnostic.Location.GetLineSpan().Path);
            });
            if (result.Sources.ContainsKey("Models.Tiny.Weights.g.cs")) baked++;
            else if (result.Diagnostics.Any(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error)) reported++;
        }

        // The mutations should both break files and leave some bakeable, or one half tests nothing.
        Assert.InRange(baked, 10, 390);
        Assert.Equal(400, baked + reported);
    }

    /// <summary>BakedNet (3 → dense 4 tanh → batch norm → dense 2) with <paramref name="precision"/> added to its Network attribute, baked with the fixture, compiled and created by <c>FromBakedWeights()</c>.</summary>
    private static DeepPhys.Network<T> FromBakedWeights<T>(string precision)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        string declaration = $$"""
            using DeepPhys;
            namespace Models;
            [Network(Loss = Loss.MeanSquaredError{{precision}})]
            [Input(3)]
            [Dense(4, Activation.Tanh)]
            [BatchNorm]
            [Dense(2)]
            public partial class BakedNet;
            """;
        var result = Run(declaration, new InMemoryText(BakedNetFixture.FileName, File.ReadAllText(BakedNetFixture.FilePath)));

        Assert.Empty(result.Diagnostics);
        var type = GeneratorHarness.Load(result.Output).GetType("Models.BakedNet", throwOnError: true)!;
        return (DeepPhys.Network<T>)type.GetMethod("FromBakedWeights")!.Invoke(null, null)!;
    }

    private static GeneratorResult Run(string source, params AdditionalText[] files) =>
        GeneratorHarness.Run(GeneratorHarness.CreateDriver(files), GeneratorHarness.CreateCompilation(source)).Result;

    /// <summary>Every emitting source output step's reasons, by the step it reads.</summary>
    private static List<(string Step, IncrementalStepRunReason Reason)> EmittedReasons(GeneratorResult result) =>
        result.RunResult.TrackedOutputSteps["SourceOutput"]
            .SelectMany(step => step.Inputs.Select(input => input.Source.Name).Where(name => name is TrackingNames.NetworkEmission or TrackingNames.BakedWeightsEmission)
                .SelectMany(name => step.Outputs.Select(output => (name!, output.Reason))))
            .ToList();
}
