using DeepPhys;

namespace DeepPhys.Generators.Tests;

/// <summary>
/// Compiles generated networks against the real runtime and loads them. (The whole-network
/// gradient checks live in DeepPhys.Tests, where the generator runs as in a user's build.)
/// </summary>
public class GeneratedNetworkTests
{
    /// <summary>Declarations in unusual places: the generated source must still compile.</summary>
    [Theory]
    [InlineData("[Network(Loss = Loss.MeanSquaredError)] [Input(2)] [Dense(1)] public partial class InGlobalNamespace;")]
    [InlineData("namespace @class.Models; [Network(Loss = Loss.MeanSquaredError)] [Input(2)] [Dense(1)] public partial class @event;")]
    [InlineData("public partial struct Outer<T> where T : struct { [Network(Loss = Loss.MeanSquaredError)] [Input(2)] [Dense(1)] private partial class Net; }")]
    [InlineData("public partial record struct A { public partial interface B { [Network(Loss = Loss.MeanSquaredError)] [Input(2)] [Dense(1)] public partial class Net; } }")]
    [InlineData("public partial class Net; [Network(Loss = Loss.MeanSquaredError)] [Input(2)] [Dense(1)] partial class Net : System.IDisposable { public void Dispose() { } }")]
    public void UnusualDeclarations_Compile(string declaration)
    {
        var result = GeneratorHarness.Run("using DeepPhys;\n" + declaration);

        Assert.Empty(result.Diagnostics);
        Assert.Single(result.Sources);
        Assert.Empty(result.OutputErrors());
    }

    [Fact]
    public void Iris_PredictsProbabilitiesAndCarriesItsSummary()
    {
        var network = Create<float>(TestSources.Iris, seed: 3);

        float[] probabilities = network.Predict([5.1f, 3.5f, 1.4f, 0.2f, 6.7f, 3.0f, 5.2f, 2.3f]);

        Assert.Equal(6, probabilities.Length);
        Assert.Equal(1f, probabilities[0] + probabilities[1] + probabilities[2], 5);
        Assert.Equal(675, network.ParameterCount);
        Assert.StartsWith("Model: \"IrisClassifier\"", network.Summary);
    }

    /// <summary>Generates, compiles and loads the single network in <paramref name="source"/>, then creates it with <paramref name="seed"/>.</summary>
    private static Network<T> Create<T>(string source, int seed)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var type = GeneratorHarness.Load(GeneratorHarness.Run(source).Output).GetTypes().Single(t => t.BaseType?.IsGenericType == true && t.BaseType.GetGenericTypeDefinition() == typeof(Network<>));
        return (Network<T>)Activator.CreateInstance(type, seed)!;
    }
}
