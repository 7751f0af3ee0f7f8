using System.Text;
using System.Text.RegularExpressions;

namespace DeepPhys.Generators.Tests;

/// <summary>Random, mostly wrong, declarations: the generator must never throw, and what it emits must compile.</summary>
public class RobustnessTests
{
    private static readonly string[] Names = ["dense", "dense_1", "hidden", "Hidden", "h_1", "", "1x", "a b", "out"];

    /// <summary>Roslyn compares hint names ignoring case: two networks whose names differ only in case, or only in namespace versus containing class, both generate.</summary>
    [Theory]
    [InlineData("namespace Physics { NET Net } namespace Physics { NET NET }")]
    [InlineData("namespace a { NET Net } namespace A { NET Net }")]
    [InlineData("namespace Physics { NET Net } namespace Physics { NET Net_2 } namespace Physics { NET NET }")]
    public void NetworksWhoseHintNamesWouldCollide_AllGenerate(string layout)
    {
        const string network = "[Network(Loss = Loss.MeanSquaredError)] [Input(4)] [Dense(1)] public partial class ";
        var result = GeneratorHarness.Run("using DeepPhys;\n" + Regex.Replace(layout, "NET (\\w+)", match => network + match.Groups[1].Value + ";"));

        Assert.Empty(result.DriverDiagnostics);
        Assert.Equal(Regex.Matches(layout, "NET \\w+").Count, result.Sources.Count);
        Assert.Empty(result.OutputErrors());
    }

    /// <summary>
    /// Found by HostileDeclarationTests: a network in namespace Physics.Models and one nested in a class Physics.Models asked for
    /// the same hint name and the generator threw (CS0101 is the user's error; the generator must still not crash).
    /// </summary>
    [Fact]
    public void NamespaceAndClassOfTheSameDottedName_BothGenerate()
    {
        const string network = "[Network(Loss = Loss.MeanSquaredError)] [Input(4)] [Dense(1)] public partial class Network;";
        var result = GeneratorHarness.Run($"using DeepPhys;\nnamespace Physics.Models {{ {network} }}\nnamespace Physics {{ public static partial class Models {{ {network} }} }}\n");

        Assert.Empty(result.DriverDiagnostics);
        Assert.Equal(["Physics.Models.Network.g.cs", "Physics.Models.Network_2.g.cs"], result.Sources.Keys.Order(StringComparer.Ordinal));
    }

    /// <summary>A network nested as Outer.Weights meets the hint name of Outer's baked weights; both generate.</summary>
    [Fact]
    public void NestedNetworkNamedWeights_BesideBakedWeights_BothGenerate()
    {
        string source = BakedWeightsTests.Tiny.Replace(
            "public partial class Tiny;",
            "public partial class Tiny { [Network(Loss = Loss.MeanSquaredError)] [Input(2)] [Dense(1)] public partial class Weights; }",
            StringComparison.Ordinal);
        var weights = new InMemoryText("Tiny.weights.json", BakedWeightsTests.TinyWeights);

        var result = GeneratorHarness.Run(GeneratorHarness.CreateDriver(weights), GeneratorHarness.CreateCompilation(source)).Result;

        Assert.Empty(result.DriverDiagnostics);
        Assert.Equal(3, result.Sources.Count);
        Assert.Empty(result.OutputErrors());
    }

    [Fact]
    public void RandomDeclarations_NeverThrow()
    {
        var random = new Random(20240611);
        int generated = 0;
        for (int i = 0; i < 300; i++)
        {
            string source = RandomNetwork(random);
            var result = GeneratorHarness.Run(source);

            Assert.True(result.RunResult.Exception is null, $"The generator threw on:\n{source}\n{result.RunResult.Exception}");
            Assert.DoesNotContain(result.DriverDiagnostics, d => d.Id == "CS8785");
            if (result.Sources.Count > 0)
            {
                if (!result.Diagnostics.Any(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error)) generated++;
                var errors = result.GeneratedErrors();
                Assert.True(!errors.Any(), $"Generated code does not compile for:\n{source}\n{string.Join("\n", errors)}");
            }
        }

        // The mix should let some declarations through (the others emit their stand-in), or the compile check above tests only stand-ins.
        Assert.InRange(generated, 10, 290);
    }

    /// <summary>A declaration that is valid about as often as not, with every kind of mistake mixed in.</summary>
    private static string RandomNetwork(Random random)
    {
        var layers = new List<string>();
        int inputs = random.Next(10) switch { 0 => 0, 1 => 2, _ => 1 };
        for (int i = 0; i < inputs; i++) layers.Add($"[Input({Size(random)})]");
        for (int i = random.Next(5); i > 0; i--) layers.Add(Dense(random));
        if (random.Next(8) == 0) Shuffle(random, layers);

        var source = new StringBuilder("using DeepPhys;\n");
        if (random.Next(10) > 0) source.Append($"[Network(Loss = (Loss){Value(random, 1, 3)}, Precision = (Precision){Value(random, 0, 1)})]\n");
        foreach (string layer in layers) source.Append(layer).Append('\n');
        source.Append(random.Next(10) > 0 ? "public partial class Net;\n" : "public class Net;\n");
        return source.ToString();
    }

    private static string Dense(Random random)
    {
        var dense = new StringBuilder($"[Dense({Size(random)}, (Activation){Value(random, 0, 5)}");
        if (random.Next(4) == 0) dense.Append($", NegativeSlope = {random.Next(-2, 3) * 0.1:R}");
        if (random.Next(3) == 0) dense.Append($", Name = \"{Names[random.Next(Names.Length)]}\"");
        return dense.Append(")]").ToString();
    }

    /// <summary>Mostly valid sizes, sometimes zero or negative.</summary>
    private static int Size(Random random) => random.Next(10) switch { 0 => 0, 1 => -random.Next(1, 10), _ => random.Next(1, 20) };

    /// <summary>Mostly an enum value in [<paramref name="min"/>, <paramref name="max"/>], sometimes one just outside.</summary>
    private static int Value(Random random, int min, int max) => random.Next(10) == 0 ? random.Next(2) == 0 ? min - 1 : max + 1 : random.Next(min, max + 1);

    private static void Shuffle(Random random, List<string> items)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
