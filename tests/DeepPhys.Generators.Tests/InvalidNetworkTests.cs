using System.Reflection;
using Microsoft.CodeAnalysis;

namespace DeepPhys.Generators.Tests;

/// <summary>
/// A declaration with errors still generates a stand-in class with a network's public surface: the code using the
/// network compiles, so the DPH errors are all the build reports, and running it throws naming them.
/// </summary>
public class InvalidNetworkTests
{
    /// <summary>
    /// Uses all of a generated network's public surface; <c>TNet</c> names the network type and <c>T</c> its element type.
    /// <see cref="Usage_CompilesAgainstValidNetworks"/> checks it against real networks.
    /// </summary>
    private const string Usage = """
        using TNet = NETWORK;
        using T = ELEMENT;
        using DeepPhys;
        using DeepPhys.Data;
        using DeepPhys.Optimizers;
        using DeepPhys.Training;

        public static class Usage
        {
            public static int LayoutSizes() => TNet.Layout.InputSize + TNet.Layout.OutputSize + TNet.Layout.ParameterCount + TNet.Layout.ActivationsPerSample;

            public static object Run()
            {
                var net = new TNet(seed: 42);
                var inputs = new T[net.InputSize];
                T[] outputs = net.Predict(inputs);
                net.Predict(inputs, outputs);
                T loss = net.TrainStep(inputs, outputs) + net.TrainStep(inputs, outputs, new T[1]);
                var data = new Dataset<T>(inputs, net.InputSize, outputs, net.OutputSize);
                var history = net.Fit(data, new Sgd(), epochs: 1, batchSize: 1);
                history = net.Fit(data, new Adam(), new FitOptions<T> { Epochs = 1 });
                var evaluation = net.Evaluate(data);
                Checkpoint.Save(net, "net.safetensors");
                Checkpoint.Load(net, "net.safetensors");
                net.Reset(1);
                net.Reseed(2);
                Network<T> runtime = net;
                return (net.Summary, loss, history, evaluation, net.ParameterCount, net.Parameters.Length, net.Gradients.Length, net.State.Length, net.Random, runtime.Definition);
            }
        }
        """;

    /// <summary>The mistakes of issue 15 and a few more, each with the error it reports.</summary>
    public static TheoryData<string, string> Mistakes => new()
    {
        { "DPH0105", Stack("[Input(4)] [Dense(-3)]", "MeanSquaredError") },
        { "DPH0204", Stack("[Input(4)] [Dense(3, Activation.Sigmoid)]", "CategoricalCrossEntropy") },
        { "DPH0405", Stack("[Input(1, 8, 8)] [Conv2D(4, 3)] [Dense(1)]", "MeanSquaredError") },
        { "DPH0206", Stack("[Input(4)] [Dense(1)]", "(Loss)7") },
        { "DPH0302", Inline("input x[4]\nh = dens(x, 8)\nout = dense(h, 1)\nloss mse(out)") },
        { "DPH0401", Inline("input x[4]\nout = dense(hidden, 1)\nloss mse(out)") },
        { "DPH0105", Inline("input x[4]\nout = dense(x, -3)\nloss mse(out)") },
        { "DPH0403", Inline("input x[4]\na = dense(b, 4)\nb = dense(a, 4)\nout = dense(b, 1)\nloss mse(out)") },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void Mistake_KeepsUsingCodeCompiling_AndThrowsNamingTheError(string id, string declaration)
    {
        var result = GeneratorHarness.Run(declaration, UsageOf("Models.Net", "float"));

        Assert.Contains(id, result.Diagnostics.Select(d => d.Id));
        AssertStandIn(result, "Net", id);
    }

    [Fact]
    public void DphFileWithAnError_StandsIn()
    {
        var dph = new InMemoryText("net.dph", "network Net\nnamespace Models\nprecision double\ninput x[4]\nout = dense(x, 0)\nloss mse(out)\n");
        var driver = GeneratorHarness.CreateDriver(dph);

        var (result, _) = GeneratorHarness.Run(driver, GeneratorHarness.CreateCompilation(UsageOf("Models.Net", "double")));

        Assert.Equal(["DPH0105"], result.Diagnostics.Select(d => d.Id));
        AssertStandIn(result, "Net", "DPH0105");
    }

    /// <summary>The stand-in repeats the class's place as the valid network's source does: each of these compiles.</summary>
    [Theory]
    [InlineData("Net", "[Network(Loss = Loss.MeanSquaredError)] [Input(4)] [Dense(0)] public partial class Net;")]
    [InlineData("N.M.@event", "namespace N.M { [Network(Loss = Loss.MeanSquaredError)] [Input(4)] [Dense(0)] public partial class @event; }")]
    [InlineData("Outer<int>.Inner.Net", "public partial class Outer<TOuter> where TOuter : struct { public partial record Inner { [Network(Loss = Loss.MeanSquaredError)] [Input(4)] [Dense(0)] public partial class Net; } }")]
    [InlineData("A.B.Net", "public partial record struct A { public partial interface B { [Network(Loss = Loss.MeanSquaredError)] [Input(4)] [Dense(0)] public partial class Net; } }")]
    [InlineData("Net<string>", "[Network(Loss = Loss.MeanSquaredError)] [Input(4)] [Dense(1)] public partial class Net<TItem> where TItem : class;")]
    [InlineData("Net", "public partial class Net; [Network(Loss = Loss.MeanSquaredError)] [Input(4)] [Dense(0)] partial class Net : System.IDisposable { public void Dispose() { } }")]
    [InlineData("Net", "[Network(Loss = Loss.MeanSquaredError)] [Input(4)] [Dense(1)] public abstract partial class Net;")]
    [InlineData("Net", "[Network(\"input x[4]\\nout = dense(x, 1) -> softmax\\nloss mse(out)\")] [Dense(2)] public partial class Net;")]
    public void UnusualPlaces_StandIn(string type, string declaration)
    {
        var result = GeneratorHarness.Run("using DeepPhys;\n" + declaration, UsageOf(type, "float"));

        Assert.Contains(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Single(result.Sources);
        Assert.DoesNotContain(result.OutputErrors(), error => !IsCreatingAnAbstractClass(error));
    }

    /// <summary>A class that cannot take a generated part deriving from Network&lt;T&gt; gets none: the DPH error, and the compiler's own about the usage.</summary>
    [Theory]
    [InlineData("DPH0001", "public class Net;")]
    [InlineData("DPH0002", "public class Outer { [Network(Loss = Loss.MeanSquaredError)] [Input(4)] [Dense(1)] public partial class Net; }")]
    [InlineData("DPH0003", "public static partial class Net;")]
    [InlineData("DPH0003", "public partial record Net;")]
    [InlineData("DPH0004", "public partial class Net : System.Exception;")]
    public void ClassThatCannotTakeAPart_GetsNone(string id, string declaration)
    {
        string attributes = declaration.StartsWith("public class Outer", StringComparison.Ordinal) ? "" : "[Network(Loss = Loss.MeanSquaredError)] [Input(4)] [Dense(1)] ";
        var result = GeneratorHarness.Run("using DeepPhys;\n" + attributes + declaration);

        Assert.Contains(id, result.Diagnostics.Select(d => d.Id));
        Assert.Empty(result.Sources);
        Assert.Null(result.RunResult.Exception);
    }

    /// <summary>The usage file is right: against valid networks (attributes, a nested generic place, a .dph file) it compiles without errors.</summary>
    [Fact]
    public void Usage_CompilesAgainstValidNetworks()
    {
        var stack = GeneratorHarness.Run(Stack("[Input(4)] [Dense(1)]", "MeanSquaredError"), UsageOf("Models.Net", "float"));
        var dph = GeneratorHarness.Run(
            GeneratorHarness.CreateDriver(new InMemoryText("net.dph", "network Net\nnamespace Models\nprecision double\ninput x[4]\nout = dense(x, 1)\nloss mse(out)\n")),
            GeneratorHarness.CreateCompilation(UsageOf("Models.Net", "double"))).Result;

        Assert.Empty(stack.Diagnostics);
        Assert.Empty(stack.OutputErrors());
        Assert.Empty(dph.Diagnostics);
        Assert.Empty(dph.OutputErrors());
    }

    [Fact]
    public void StandIn_Snapshot()
    {
        var result = GeneratorHarness.Run(Stack("[Input(4)] [Dense(3, Activation.Sigmoid)] [Dense(-3)]", "CategoricalCrossEntropy"));

        Assert.Equal("Models.Net.g.cs", Assert.Single(result.Sources).Key);
        Snapshot.Verify(result.SingleSource);
    }

    /// <summary>An abstract class cannot be created: the compiler says so about the usage file, as for any abstract class.</summary>
    private static bool IsCreatingAnAbstractClass(Diagnostic error) => error.Id is "CS0144" && error.Location.SourceTree?.FilePath == "Test1.cs";

    private static void AssertStandIn(GeneratorResult result, string className, string id)
    {
        Assert.Empty(result.OutputErrors());
        var usage = GeneratorHarness.Load(result.Output).GetType("Usage")!;
        foreach (string member in new[] { "Run", "LayoutSizes" })
        {
            var thrown = Assert.Throws<TargetInvocationException>(() => usage.GetMethod(member)!.Invoke(null, null));
            var invalid = Assert.IsType<InvalidOperationException>(thrown.InnerException);
            Assert.StartsWith($"{className} cannot run: ", invalid.Message);
            Assert.Contains(id + " ", invalid.Message);
        }
    }

    private static string Stack(string layers, string loss) =>
        $"using DeepPhys;\nnamespace Models;\n[Network(Loss = {(loss.StartsWith('(') ? loss : "Loss." + loss)})]\n{layers}\npublic partial class Net;\n";

    private static string Inline(string dsl) =>
        "using DeepPhys;\nnamespace Models;\n[Network(\"\"\"\n" + dsl + "\n\"\"\")]\npublic partial class Net;\n";

    private static string UsageOf(string type, string elementType) =>
        Usage.Replace("NETWORK", type, StringComparison.Ordinal).Replace("ELEMENT", elementType, StringComparison.Ordinal);
}
