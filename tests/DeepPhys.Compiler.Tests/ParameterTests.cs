using DeepPhys.Data;
using DeepPhys.Optimizers;

namespace DeepPhys.Compiler.Tests;

/// <summary>A parameterised text at run time: its written values give the build-time network, overrides the network with them written out.</summary>
public class ParameterTests
{
    private static Dataset<float> Data()
    {
        var random = new RandomStream(4);
        var features = new float[48 * 4];
        for (int i = 0; i < features.Length; i++) features[i] = (float)random.NextNormal();
        return Dataset<float>.FromClassLabels(features, 4, Enumerable.Range(0, 48).Select(_ => random.NextInt(3)).ToArray(), 3);
    }

    private static long[] TrainedBits(Network<float> network)
    {
        var history = network.Fit(Data(), new Adam(1e-2), epochs: 3, batchSize: 8);
        return history.Loss.Select(BitConverter.DoubleToInt64Bits).Concat(network.Parameters.ToArray().Select(v => (long)BitConverter.SingleToInt32Bits(v))).ToArray();
    }

    [Fact]
    public void WrittenValues_TrainLikeTheBuildTimeNetwork()
    {
        var compiled = Networks.Compile<float>(TestTexts.Parameterised, seed: 3, name: nameof(BuildTimeParameterised));

        Assert.Equal(new BuildTimeParameterised(seed: 3).Summary, compiled.Summary);
        Assert.Equal(TrainedBits(new BuildTimeParameterised(seed: 3)), TrainedBits(compiled));
    }

    [Fact]
    public void Overrides_TrainLikeTheTextWithTheValuesWrittenOut()
    {
        var point = new Dictionary<string, double> { ["width"] = 8, ["depth"] = 3, ["p"] = 0.1 };
        var compiled = Networks.Compile<float>(TestTexts.Parameterised, seed: 5, name: nameof(BuildTimeParameterisedWritten), parameters: point);

        Assert.Equal(new BuildTimeParameterisedWritten(seed: 5).Summary, compiled.Summary);
        Assert.Equal(TrainedBits(new BuildTimeParameterisedWritten(seed: 5)), TrainedBits(compiled));
        var rows = compiled.Summary.Split('\n').Where(line => line.Contains("(Dense", StringComparison.Ordinal)).Select(line => line.Split(" (")[0].Trim());
        Assert.Equal(["h_1", "h_2", "h", "out"], rows);
    }

    [Fact]
    public void Parameters_ListsTheParamLinesInOrder()
    {
        Assert.Equal(
            [new("width", 6), new("depth", 2), new KeyValuePair<string, double>("p", 0.25)],
            Networks.Parameters(TestTexts.Parameterised));
    }

    [Fact]
    public void UndeclaredOrNonFiniteOverride_IsAnArgumentExceptionNamingIt()
    {
        var undeclared = Assert.Throws<ArgumentException>("parameters", () => Networks.Compile<float>(TestTexts.Parameterised, parameters: new Dictionary<string, double> { ["widht"] = 8 }));
        var none = Assert.Throws<ArgumentException>("parameters", () => Networks.Compile<float>(TestTexts.Residual, parameters: new Dictionary<string, double> { ["width"] = 8 }));
        var infinite = Assert.Throws<ArgumentException>("parameters", () => Networks.Compile<float>(TestTexts.Parameterised, parameters: new Dictionary<string, double> { ["p"] = double.NaN }));

        Assert.StartsWith("The network text has no parameter 'widht' (it declares depth, p, width;", undeclared.Message);
        Assert.StartsWith("The network text has no parameter 'width' (it declares none;", none.Message);
        Assert.StartsWith("Parameter 'p' is NaN", infinite.Message);
    }

    /// <summary>An override the text cannot take is the text's diagnostic, at the parameter's use.</summary>
    [Fact]
    public void OverrideOfTheWrongKind_IsTheDiagnosticAtItsUse()
    {
        var error = Assert.Throws<NetworkCompileException>(() => Networks.Compile<float>(TestTexts.Parameterised, parameters: new Dictionary<string, double> { ["width"] = 6.5 }));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal(("DPH0303", 5, 28, "'units' must be an integer, not 'width = 6.5'"), (diagnostic.Id, diagnostic.Line, diagnostic.Column, diagnostic.Message));
    }
}
