namespace DeepPhys.Generators.Tests;

/// <summary>The DSL's <c>param</c> and <c>repeat</c> lines: at build time a parameter is its written value; errors at their column.</summary>
public class DslParameterTests
{
    private static string Network(string lines) => $"using DeepPhys;\n[Network(\"\"\"\n{lines}\n\"\"\")]\npublic partial class Net;\n";

    /// <summary>Parameters wherever a number goes (units, a rate, a kernel list, an input shape, a loss weight) generate what the numbers do.</summary>
    [Fact]
    public void Parameters_GenerateTheSameCodeAsTheirValues()
    {
        var named = GeneratorHarness.Run(Network("""
            param size = 6
            param filters = 3
            param k = 3
            param width = 16
            param p = 0.25
            param w = 0.5
            input image[1, size, size]
            c = conv2d(image, filters, kernel: [k, 2]) -> relu
            f = flatten(c)
            h = dense(f, width) -> relu
            d = dropout(h, rate: p)
            out = dense(d, 1)
            loss mse(out, weight: w)
            """));
        var written = GeneratorHarness.Run(Network("""
            input image[1, 6, 6]
            c = conv2d(image, 3, kernel: [3, 2]) -> relu
            f = flatten(c)
            h = dense(f, 16) -> relu
            d = dropout(h, rate: 0.25)
            out = dense(d, 1)
            loss mse(out, weight: 0.5)
            """));

        Assert.Empty(named.Diagnostics);
        Assert.Empty(written.Diagnostics);
        Assert.Equal(written.SingleSource, named.SingleSource);
    }

    /// <summary><c>repeat n: h = …</c> is n statements h_1 … h_(n-1), h, each on the previous one; later lines use h.</summary>
    [Fact]
    public void Repeat_ChainsCopiesNamedH1ToH()
    {
        var repeated = GeneratorHarness.Run(Network("""
            param depth = 3
            input x[4]
            repeat depth: h = dense(x, 8) -> relu
            out = dense(h, 1)
            loss mse(out)
            """));
        var written = GeneratorHarness.Run(Network("""
            input x[4]
            h_1 = dense(x, 8) -> relu
            h_2 = dense(h_1, 8) -> relu
            h = dense(h_2, 8) -> relu
            out = dense(h, 1)
            loss mse(out)
            """));

        Assert.Empty(repeated.Diagnostics);
        Assert.Equal(written.SingleSource, repeated.SingleSource);
        Assert.Contains("public const int H2Weights = ", repeated.SingleSource);
    }

    /// <summary>A repeat chains through the first argument, so a labelled first argument is DPH0308 at the count (the layer reports its own arguments too).</summary>
    [Fact]
    public void Repeat_WithALabelledFirstArgument_IsDph0308AtTheCount()
    {
        var source = new MarkedSource(Network("input x[4]\nh = dense(x, 4)\nrepeat {|#0:2|}: r = dense(units: 4)\nout = dense(r, 1)\nloss mse(out)"));

        var result = GeneratorHarness.Run(source.Text);

        var repeat = Assert.Single(result.Diagnostics, d => d.Id == "DPH0308");
        Assert.Equal("'repeat' chains its copies through the first argument, so the layer's first argument must be its input node, unlabelled", repeat.GetMessage());
        Assert.Equal(source.Position(0), repeat.Location.GetLineSpan().StartLinePosition);
        Assert.Empty(result.GeneratedErrors());
    }

    [Theory]
    [InlineData("param width = 8\nparam {|#0:width|} = 16\ninput x[4]\nout = dense(x, width)\nloss mse(out)", "DPH0306", "Parameter 'width' is declared more than once")]
    [InlineData("param {|#0:out|} = 8\ninput x[4]\nout = dense(x, 1)\nloss mse(out)", "DPH0306", "Parameter 'out' is also the name of a node; a parameter and a node need different names")]
    [InlineData("param {|#0:relu|} = 8\ninput x[4]\nout = dense(x, 1)\nloss mse(out)", "DPH0306", "Parameter 'relu' is the name of an activation; choose another name")]
    [InlineData("param width = 8\ninput x[4]\nout = dense({|#0:width|}, x)\nloss mse(out)", "DPH0307", "'width' is a parameter, not a node: dense takes its input node first, then units, activation, slope")]
    [InlineData("param width = 8\ninput x[4]\nh = dense(x, 4)\nout = concatenate(h, {|#0:width|})\nloss mse(out)", "DPH0307", "'width' is a parameter, not a node: concatenate takes its input nodes first, then axis")]
    [InlineData("param width = 8\ninput x[4]\nout = dense(x, width)\nloss mse(out)\nloss mse({|#0:width|})", "DPH0307", "'width' is a parameter, not a node: a loss trains an output node, e.g. loss mse(out)")]
    [InlineData("param size = 4\ninput x[{|#0:sise|}]\nout = dense(x, 1)\nloss mse(out)", "DPH0302", "Unknown parameter 'sise'; did you mean 'size'?")]
    [InlineData("input x[4]\nrepeat {|#0:depth|}: h = dense(x, 4)\nout = dense(h, 1)\nloss mse(out)", "DPH0302", "Unknown parameter 'depth' (declare it with a line 'param depth = …')")]
    [InlineData("param depth = 0\ninput x[4]\nrepeat {|#0:depth|}: h = dense(x, 4)\nout = dense(h, 1)\nloss mse(out)", "DPH0308", "'repeat' repeats a node 1 to 256 times, not depth = 0")]
    [InlineData("input x[4]\nrepeat {|#0:2.5|}: h = dense(x, 4)\nout = dense(h, 1)\nloss mse(out)", "DPH0308", "'repeat' repeats a node 1 to 256 times, not 2.5")]
    [InlineData("param size = 2.5\ninput x[{|#0:size|}]\nout = dense(x, 1)\nloss mse(out)", "DPH0303", "'x' needs whole dimensions, not size = 2.5")]
    [InlineData("param k = 1.5\ninput s[1, 8]\nc = conv1d(s, 2, kernel: [{|#0:k|}])\nf = flatten(c)\nout = dense(f, 1)\nloss mse(out)", "DPH0306", "Parameter 'k' = 1.5 is used in a list of sizes, which needs whole numbers")]
    [InlineData("param width = 2.5\ninput x[4]\nout = dense(x, {|#0:width|})\nloss mse(out)", "DPH0303", "'units' must be an integer, not 'width = 2.5'")]
    [InlineData("param = dense(x, 1)\ninput x[4]\nloss mse(param)\nparam {|#0:8|} = 2", "DPH0301", "Syntax error: expected the parameter's name after 'param' but found '8'")]
    public void ParameterErrors_AreReportedAtTheirColumn(string lines, string id, string message)
    {
        var source = new MarkedSource(Network(lines));

        var result = GeneratorHarness.Run(source.Text);

        var diagnostic = Assert.Single(result.Diagnostics.Where(d => d.Id != "DPH0410"));
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(message, diagnostic.GetMessage());
        Assert.Equal(source.Position(0), diagnostic.Location.GetLineSpan().StartLinePosition);
        Assert.Empty(result.GeneratedErrors());
    }
}
