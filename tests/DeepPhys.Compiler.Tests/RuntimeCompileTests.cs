using System.Runtime.InteropServices;
using System.Runtime.Loader;
using DeepPhys;
using DeepPhys.Data;
using DeepPhys.Optimizers;
using DeepPhys.Tests;

namespace DeepPhys.Compiler.Tests;

/// <summary><see cref="Networks"/>: the same text compiled at run time and at build time trains to the same bits.</summary>
public class RuntimeCompileTests
{
    [Fact]
    public void Compile_Float_TrainsBitIdenticallyToTheGeneratedNetwork()
    {
        var generated = new BuildTimeResidual(seed: 5);
        var compiled = Networks.Compile<float>(TestTexts.Residual, seed: 5);
        Assert.Equal(Bits(generated.Parameters), Bits(compiled.Parameters));

        var random = new RandomStream(2);
        var features = new float[64 * 4];
        for (int i = 0; i < features.Length; i++) features[i] = (float)random.NextNormal();
        var labels = Enumerable.Range(0, 64).Select(_ => random.NextInt(3)).ToArray();
        var data = Dataset<float>.FromClassLabels(features, 4, labels, 3);

        var expected = generated.Fit(data, new Adam(1e-2), epochs: 5, batchSize: 8);
        var actual = compiled.Fit(data, new Adam(1e-2), epochs: 5, batchSize: 8);

        Assert.Equal(expected.Loss.Select(BitConverter.DoubleToInt64Bits), actual.Loss.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(Bits(generated.Parameters), Bits(compiled.Parameters));
        Assert.NotEqual(Bits(new BuildTimeResidual(seed: 5).Parameters), Bits(compiled.Parameters));
    }

    [Fact]
    public void Compile_Double_TrainsBitIdenticallyToTheGeneratedNetwork()
    {
        var generated = new BuildTimeNormalizedCnn(seed: 3);
        var compiled = Networks.Compile<double>(TestTexts.NormalizedCnn, seed: 3);
        var (inputs, targets) = GradientCheck.RandomBatch(generated, 32, seed: 6);
        var data = new Dataset<double>(inputs, generated.InputSize, targets, generated.OutputSize);

        var expected = generated.Fit(data, new Adam(1e-2), epochs: 4, batchSize: 8);
        var actual = compiled.Fit(data, new Adam(1e-2), epochs: 4, batchSize: 8);

        Assert.Equal(expected.Loss.Select(BitConverter.DoubleToInt64Bits), actual.Loss.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(Bits(generated.Parameters), Bits(compiled.Parameters));
        Assert.Equal(Bits(generated.State), Bits(compiled.State));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Compile_GradientMatchesCentralDifferences(bool weighted) =>
        GradientCheck.AssertMatchesCentralDifferences(Networks.Compile<double>(TestTexts.NormalizedCnn, seed: 7), nameof(TestTexts.NormalizedCnn), weighted);

    [Fact]
    public void Compile_SameText_CompilesOnce()
    {
        var first = Networks.Compile<float>(TestTexts.Residual, seed: 1);
        var second = Networks.Compile<float>(TestTexts.Residual, seed: 2);

        Assert.Same(first.GetType(), second.GetType());
        Assert.NotSame(first, second);
        Assert.NotEqual(Bits(first.Parameters), Bits(second.Parameters));
        Assert.NotSame(first.GetType(), Networks.Compile<double>(TestTexts.Residual).GetType());
    }

    [Fact]
    public void Compile_LoadsIntoACollectibleContextSharingTheRuntime()
    {
        var network = Networks.Compile<float>(TestTexts.Residual);

        Assert.Equal(typeof(Network<float>), network.GetType().BaseType);
        var context = AssemblyLoadContext.GetLoadContext(network.GetType().Assembly)!;
        Assert.True(context.IsCollectible);
        Assert.NotSame(AssemblyLoadContext.Default, context);
    }

    [Fact]
    public void Compile_NamesTheClassFromTheHeaderOrTheName()
    {
        Assert.Equal(Networks.DefaultName, Networks.Compile<float>(TestTexts.Residual).GetType().FullName);
        Assert.Equal("Width8", Networks.Compile<float>(TestTexts.Residual, name: "Width8").GetType().FullName);
        var named = Networks.Compile<float>("network CaloNet\nnamespace Physics.Models\n" + TestTexts.Residual);
        Assert.Equal("Physics.Models.CaloNet", named.GetType().FullName);
        Assert.StartsWith("Model: \"CaloNet\"", named.Summary);
        Assert.Throws<ArgumentException>("name", () => Networks.Compile<float>(TestTexts.Residual, name: "two words"));
    }

    /// <summary>
    /// A class named like a member the generator adds to it would not compile (CS0542), nor would a global class System (it hides
    /// the namespace System the generated code names): DPH0006, as a 'network Layout' line is.
    /// </summary>
    [Theory]
    [InlineData("Layout", "has the name of a member the generator adds to it; rename the class")]
    [InlineData("System", "in the global namespace hides the namespace 'System' that the generated code names; rename the class or give it a namespace")]
    public void Compile_NameThatClashesWithTheGeneratedCode_IsDph0006(string name, string why)
    {
        var error = Assert.Throws<ArgumentException>("name", () => Networks.Compile<float>(TestTexts.Residual, name: name));
        var header = Assert.Throws<NetworkCompileException>(() => Networks.Compile<float>($"network {name}\n" + TestTexts.Residual));

        Assert.StartsWith($"A network class '{name}' {why} (DPH0006).", error.Message);
        Assert.Equal(("DPH0006", 1, 9), (header.Diagnostics[0].Id, header.Diagnostics[0].Line, header.Diagnostics[0].Column));
    }

    [Fact]
    public void Compile_SystemInANamespace_IsFine() =>
        Assert.Equal(3, Networks.Compile<float>("network System\nnamespace Physics\n" + TestTexts.Residual).OutputSize);

    [Theory]
    [InlineData("precision double\n", Precision.Double)]
    [InlineData("precision float64  # a comment\n", Precision.Double)]
    [InlineData("precision single\n", Precision.Single)]
    [InlineData("", Precision.Single)]
    public void DeclaredPrecision_IsThePrecisionLine_SingleWithoutOne(string line, Precision expected) =>
        Assert.Equal(expected, Networks.DeclaredPrecision(line + TestTexts.Residual));

    [Fact]
    public void Compile_DoubleTextAsFloat_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => Networks.Compile<float>(TestTexts.NormalizedCnn));

        Assert.Contains("precision double", error.Message);
    }

    [Fact]
    public void Compile_BadText_ThrowsEveryDiagnosticWithIdLineAndColumn()
    {
        const string text = """
            input x[4]
            h = dense(x, 8) -> relu
            out = dens(h, 3)
            loss mse(out)
            """;

        var error = Assert.Throws<NetworkCompileException>(() => Networks.Compile<float>(text));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal(("DPH0302", "error", 3, 7), (diagnostic.Id, diagnostic.Severity, diagnostic.Line, diagnostic.Column));
        Assert.Null(error.Path);
        Assert.Equal("The network does not compile:\n3:7: error DPH0302: " + diagnostic.Message, error.Message);
    }

    [Fact]
    public void Load_File_MatchesTheGeneratedNetworkAndNamesTheFileInErrors()
    {
        string directory = Directory.CreateTempSubdirectory().FullName;
        try
        {
            string good = Path.Combine(directory, "residual.dph");
            File.WriteAllText(good, "network Residual\n" + TestTexts.Residual);
            Assert.Equal(Bits(new BuildTimeResidual(seed: 9).Parameters), Bits(Networks.Load<float>(good, seed: 9).Parameters));

            string bad = Path.Combine(directory, "bad.dph");
            File.WriteAllText(bad, "input x[4]\nout = dense(x, 0)\nloss mse(out)\n");
            var error = Assert.Throws<NetworkCompileException>(() => Networks.Load<float>(bad));
            var diagnostic = Assert.Single(error.Diagnostics);
            Assert.Equal(("DPH0105", 2, 16), (diagnostic.Id, diagnostic.Line, diagnostic.Column));
            Assert.Equal(bad, error.Path);
            Assert.Equal($"The network does not compile:\n{bad}:2:16: error DPH0105: {diagnostic.Message}", error.Message);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Load_MissingFile_ThrowsNamingIt()
    {
        string path = Path.Combine(Path.GetTempPath(), "no-such-network.dph");

        var error = Assert.Throws<FileNotFoundException>(() => Networks.Load<float>(path));

        Assert.Equal(path, error.FileName);
        Assert.Contains(path, error.Message);
    }

    private static int[] Bits(Span<float> values) => MemoryMarshal.Cast<float, int>(values).ToArray();

    private static long[] Bits(Span<double> values) => MemoryMarshal.Cast<double, long>(values).ToArray();
}
