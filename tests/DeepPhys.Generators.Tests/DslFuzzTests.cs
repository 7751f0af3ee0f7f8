using DeepPhys.Generators.Dsl;
using DeepPhys.Generators.Emission;
using DeepPhys.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace DeepPhys.Generators.Tests;

/// <summary>
/// Fuzzing the DSL front end (seeded, see <see cref="DslFuzzer"/>): 10,000 texts straight through the
/// DSL compiler and the emitter, and a few hundred through the whole generator as inline strings, .dph
/// files and attribute mixes. Nothing may throw, only DPH diagnostics come out, and a network
/// without errors generates code that compiles. A failure names the seed and the input index.
/// </summary>
public class DslFuzzTests
{
    private const int Seed = 20261123;

    [Fact]
    public void TenThousandTexts_CompileWithoutThrowing()
    {
        int valid = 0;
        for (int index = 0; index < 10_000; index++)
        {
            string text = DslFuzzer.Text(Seed, index);
            DslResult result;
            string? source;
            try
            {
                result = DslCompiler.Compile(text, (start, length) => Locate(text, start, length), "Net");
                source = result.Graph is null ? null : NetworkEmitter.Emit(new NetworkSpec(null, "Net", "Net", EquatableArray<ContainingTypeSpec>.Empty, result.Precision, result.Graph));
            }
            catch (Exception exception)
            {
                throw new Xunit.Sdk.XunitException($"Seed {Seed}, input {index} threw {exception}\n{DslFuzzer.Show(text)}");
            }

            string where = $"Seed {Seed}, input {index}: {DslFuzzer.Show(text)}";
            Assert.All(result.Diagnostics, diagnostic => Assert.True(DiagnosticDescriptors.ById.ContainsKey(diagnostic.Id), where));
            Assert.True(result.Graph is null == result.Diagnostics.Any(diagnostic => diagnostic.IsError), $"A graph must come exactly when there is no error: {where}");
            if (source is not null) valid++;
        }

        // Both kinds must be common, or half of the checks above test nothing.
        Assert.InRange(valid, 1000, 9000);
    }

    [Fact]
    public void FuzzedNetworks_ThroughTheGenerator_NeverThrow_AndWhatTheyEmitCompiles()
    {
        int compiled = 0, standIns = 0;
        for (int index = 0; index < 400; index++)
        {
            string text = DslFuzzer.Text(Seed + 1, index);
            var (sources, additionalFiles) = Embed(text, index % 4);
            var driver = GeneratorHarness.CreateDriver(additionalFiles);
            var (result, _) = GeneratorHarness.Run(driver, GeneratorHarness.CreateCompilation(sources));
            string where = $"Seed {Seed + 1}, input {index} (form {index % 4}): {DslFuzzer.Show(text)}";

            Assert.True(result.RunResult.Exception is null, $"{result.RunResult.Exception}\n{where}");
            Assert.DoesNotContain(result.DriverDiagnostics, diagnostic => diagnostic.Id is "CS8785" or "CS8784");
            Assert.All(result.Diagnostics, diagnostic => Assert.StartsWith("DPH", diagnostic.Id));
            if (result.Sources.Count == 0) continue;

            // A declaration with errors emits its stand-in, which must compile too.
            var errors = result.GeneratedErrors();
            Assert.True(!errors.Any(), $"Generated code does not compile: {string.Join("\n", errors)}\n{where}");
            if (result.Diagnostics.Any(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error)) standIns++;
            else compiled++;
        }

        Assert.InRange(compiled, 40, 300);
        Assert.InRange(standIns, 40, 390);
    }

    // Regressions: each input below crashed the generator or produced code that did not compile, until fixed.

    /// <summary>An input and nothing else generated a class with no nodes, and the emitter threw.</summary>
    [Fact]
    public void NetworkWithoutLoss_IsDph0304()
    {
        var result = GeneratorHarness.Run("using DeepPhys;\n[Network(\"input x0[6]\\n\")]\npublic partial class Net;\n");

        Assert.Null(result.RunResult.Exception);
        result.SingleStandIn("DPH0304");
        Assert.Equal(["DPH0304", "DPH0410"], result.Diagnostics.Select(d => d.Id));
        Assert.Equal("A network needs a loss: add a line like 'loss mse(out)' naming the output node it trains", result.Diagnostics[0].GetMessage());
    }

    /// <summary>Two heads: EvaluateBatch called the loss kernels with two Spans, from which C# 13 infers no type argument (CS0411).</summary>
    [Fact]
    public void TwoHeads_CompileUnderCSharp13()
    {
        var result = GeneratorHarness.Run(""""
            using DeepPhys;
            [Network("""
                input img0[2, 3, 4]
                h0 = reshape(img0, shape: [24])
                out = dense(h0, 1)
                loss mse(out)
                aux = dense(h0, 2) -> softmax
                loss categorical_crossentropy(aux, weight: 1.5)
                """)]
            public partial class Net;
            """");

        Assert.Equal(LanguageVersion.CSharp13, GeneratorHarness.ParseOptions.LanguageVersion.MapSpecifiedToEffectiveVersion());
        Assert.Empty(result.Diagnostics);
        Assert.Contains("float loss1 = global::DeepPhys.Kernels.LossKernels.MeanSquaredError<float>(outOut, outTarget);", result.SingleSource);
        Assert.Empty(result.OutputErrors());
    }

    /// <summary>Concatenating two inputs of 2,000,000,000 values overflowed a checked sum.</summary>
    [Fact]
    public void HugeConcatenation_IsDph0111()
    {
        var result = GeneratorHarness.Run("using DeepPhys;\n[Network(\"input a[2000000000]\\nc = concatenate(a, a)\\nout = dense(c, 1)\\nloss mse(out)\")]\npublic partial class Net;\n");

        Assert.Null(result.RunResult.Exception);
        Assert.Equal("DPH0111", Assert.Single(result.Diagnostics).Id);
    }

    /// <summary>A \u escape of a surrogate (half of an emoji) threw in the position map; \U escapes beyond the BMP map to their two chars.</summary>
    [Theory]
    [InlineData("\\ud835\\udefc")]
    [InlineData("\\U0001D6FC")]
    [InlineData("\\udca0")]
    public void SurrogateEscapes_MapPositions(string escape)
    {
        var source = new MarkedSource($"using DeepPhys;\n[Network(\"# {escape}\\ninput x[4]\\nout = {{|#0:dens|}}(x, 1)\\nloss mse(out)\")]\npublic partial class Net;\n");

        var result = GeneratorHarness.Run(source.Text);

        Assert.Null(result.RunResult.Exception);
        Assert.Equal(source.Span(0), Assert.Single(result.Diagnostics).Location.SourceSpan);
    }

    /// <summary>An unterminated raw string: the compiler's errors are all that remain (the position map also guards against a closing line shorter than the quotes).</summary>
    [Fact]
    public void UnterminatedRawString_DoesNotThrow()
    {
        var result = GeneratorHarness.Run("using DeepPhys;\n[Network(\"\"\"\ninput x[4]\nx");

        Assert.Null(result.RunResult.Exception);
        Assert.DoesNotContain(result.DriverDiagnostics, d => d.Id == "CS8785");
    }

    /// <summary>A slope or weight beyond float's range became the literal <c>Infinity.0f</c> in a float network.</summary>
    [Theory]
    [InlineData("h = dense(x, 2, leaky_relu, 3.5e38)\nout = dense(h, 1)\nloss mse(out)", "DPH0108", "Dense layer 'h' has NegativeSlope 3.5E+38; it must be finite and at least 0")]
    [InlineData("out = dense(x, 1)\nloss mse(out, weight: 1e39)", "DPH0303", "'weight' must be a positive number, not '1E+39'")]
    public void ValuesBeyondFloat_AreReported(string lines, string id, string message)
    {
        var result = GeneratorHarness.Run($"using DeepPhys;\n[Network(\"\"\"\ninput x[4]\n{lines}\n\"\"\")]\npublic partial class Net;\n");

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(message, diagnostic.GetMessage());
    }

    /// <summary>The text as the generator sees it: 0 a raw inline string, 1 a regular string with escapes, 2 a .dph file, 3 a mix with attributes.</summary>
    private static (string[] Sources, AdditionalText[] Files) Embed(string text, int form)
    {
        const string header = "using DeepPhys;\nnamespace Fuzz;\n";
        string indented = "    " + text.Replace("\n", "\n    ");
        switch (form)
        {
            case 0:
                return ([header + "[Network(\"\"\"\n" + indented + "\n    \"\"\")]\npublic partial class Net;\n"], []);
            case 1:
                return ([header + "[Network(" + SymbolDisplay.FormatLiteral(text, quote: true) + ")]\npublic partial class Net;\n"], []);
            case 2:
                return (["namespace Fuzz { public partial class Net { } }\n"], [new InMemoryText("net.dph", "network Net\nnamespace Fuzz\n" + text)]);
            default:
                string literal = SymbolDisplay.FormatLiteral(text, quote: true);
                string[] mixes =
                [
                    $"[Network({literal}, Loss = Loss.MeanSquaredError)]\npublic partial class Net;",
                    $"[Network({literal})]\n[Input(4)]\n[Dense(2)]\npublic partial class Net;",
                    $"[Network({literal} + \"\\n# appended\")]\npublic partial class Net;",
                    $"[Network({literal})]\npublic class Net;",
                    $"public static partial class Outer {{ [Network({literal})] internal partial record Net; }}",
                    $"public partial class Outer<T> {{ [Network({literal})] public partial class Net; }}",
                ];
                return ([header + mixes[text.Length % mixes.Length] + "\n"], []);
        }
    }

    private static LocationInfo Locate(string text, int start, int length)
    {
        Assert.True(start >= 0 && length >= 0 && start + length <= text.Length, $"Span ({start}, {length}) outside a text of {text.Length} characters.");
        return new LocationInfo("fuzz.dph", new TextSpan(start, length), default);
    }
}
