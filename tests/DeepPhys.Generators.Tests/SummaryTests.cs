using DeepPhys.Generators.Emission;
using DeepPhys.Generators.Model;

namespace DeepPhys.Generators.Tests;

/// <summary>The compile-time summary and layout of the Iris network.</summary>
public class SummaryTests
{
    private static readonly NetworkSpec Iris = TestSpecs.Chain(
        "Samples.Iris",
        "IrisClassifier",
        PrecisionKind.Single,
        LossKind.CategoricalCrossEntropy,
        inputSize: 4,
        ("dense", 16, ActivationKind.ReLU, 0.01),
        ("dense_1", 16, ActivationKind.ReLU, 0.01),
        ("dense_2", 16, ActivationKind.ReLU, 0.01),
        ("dense_3", 3, ActivationKind.Softmax, 0.01));

    [Fact]
    public void Iris_HasKerasSummary()
    {
        const string expected = """
            Model: "IrisClassifier"
            _____________________________________________________________________________
             Layer (type)                Output Shape              Param #     FLOPs
            =============================================================================
             dense (Dense, ReLU)         (None, 16)                80          160
             dense_1 (Dense, ReLU)       (None, 16)                272         544
             dense_2 (Dense, ReLU)       (None, 16)                272         544
             dense_3 (Dense, Softmax)    (None, 3)                 51          102
            =============================================================================
            Total params: 675
            Trainable params: 675
            Non-trainable params: 0
            FLOPs per sample (forward): 1,350
            _____________________________________________________________________________

            """;

        Assert.Equal(expected.ReplaceLineEndings("\n"), SummaryTable.Build(Iris));
    }

    [Fact]
    public void Iris_Has675Parameters()
    {
        Assert.Equal(675, Iris.Graph.ParameterCount);
        Assert.Equal(51, Iris.Graph.Nodes.Skip(1).Sum(node => node.Size));
    }

    /// <summary>The parser builds the same spec from the attributes, and the generated layout says the same.</summary>
    [Fact]
    public void GeneratedIris_MatchesTheHandBuiltSpec()
    {
        string source = GeneratorHarness.Run(TestSources.Iris).SingleSource;

        Assert.Equal(NetworkEmitter.Emit(Iris), source);
        Assert.Contains("public const int ParameterCount = 675;", source);
        Assert.Contains("public const int Dense3Bias = 672;", source);
    }

    [Fact]
    public void LargeTotals_UseThousandsSeparators()
    {
        var spec = TestSpecs.Chain("Samples.Iris", "IrisClassifier", PrecisionKind.Single, LossKind.MeanSquaredError, 1000, ("dense", 1000, ActivationKind.Linear, 0.01));

        Assert.Contains("Total params: 1,001,000\n", SummaryTable.Build(spec));
        Assert.Contains(" dense (Dense)               (None, 1000)              1001000     2001000\n", SummaryTable.Build(spec));
        Assert.Contains("FLOPs per sample (forward): 2,001,000\n", SummaryTable.Build(spec));
    }

    /// <summary>The FLOPs definition of docs/architecture.md on a graph: multiply-adds two, bias, merge and activation one per value, moves none.</summary>
    [Fact]
    public void GraphFlops_FollowTheDocumentedDefinition()
    {
        const string dsl = "input img[1, 2, 2]\nf = flatten(img)\nh = dense(f, 3) -> relu\ns = add(h, h)\nc = concatenate(h, s)\nout = dense(c, 1)\nloss mse(out)\n";

        var graph = DeepPhys.Generators.Dsl.DslCompiler.Compile(dsl, (_, _) => null, "Net").Graph!;

        Assert.Equal([0L, 0, (2 * 4 * 3) + 3 + 3, 3, 0, (2 * 6) + 1], graph.Nodes.Select(node => node.FlopsPerSample));
        Assert.Equal(46, graph.FlopsPerSample);
    }
}
