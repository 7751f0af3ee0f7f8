using DeepPhys.Generators.Emission;
using DeepPhys.Generators.Model;

namespace DeepPhys.Generators.Tests;

/// <summary>The compile-time summary and layout of the Iris network.</summary>
public class SummaryTests
{
    private static readonly NetworkSpec Iris = new(
        "Samples.Iris",
        "IrisClassifier",
        "Samples.Iris.IrisClassifier",
        EquatableArray<ContainingTypeSpec>.Empty,
        PrecisionKind.Single,
        LossKind.CategoricalCrossEntropy,
        InputSize: 4,
        new EquatableArray<LayerSpec>(
        [
            new LayerSpec("dense", "Dense", 4, 16, ActivationKind.ReLU, 0.01),
            new LayerSpec("dense_1", "Dense1", 16, 16, ActivationKind.ReLU, 0.01),
            new LayerSpec("dense_2", "Dense2", 16, 16, ActivationKind.ReLU, 0.01),
            new LayerSpec("dense_3", "Dense3", 16, 3, ActivationKind.Softmax, 0.01),
        ]));

    [Fact]
    public void Iris_HasKerasSummary()
    {
        const string expected = """
            Model: "IrisClassifier"
            _________________________________________________________________
             Layer (type)                Output Shape              Param #
            =================================================================
             dense (Dense, ReLU)         (None, 16)                80
             dense_1 (Dense, ReLU)       (None, 16)                272
             dense_2 (Dense, ReLU)       (None, 16)                272
             dense_3 (Dense, Softmax)    (None, 3)                 51
            =================================================================
            Total params: 675
            Trainable params: 675
            Non-trainable params: 0
            _________________________________________________________________

            """;

        Assert.Equal(expected.ReplaceLineEndings("\n"), SummaryTable.Build(Iris));
    }

    [Fact]
    public void Iris_Has675Parameters()
    {
        Assert.Equal(675, Iris.ParameterCount);
        Assert.Equal(51, Iris.ActivationsPerSample);
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
        var spec = Iris with { Layers = new EquatableArray<LayerSpec>([new LayerSpec("dense", "Dense", 1000, 1000, ActivationKind.Linear, 0.01)]) };

        Assert.Contains("Total params: 1,001,000\n", SummaryTable.Build(spec));
        Assert.Contains(" dense (Dense)               (None, 1000)              1001000\n", SummaryTable.Build(spec));
    }
}
