namespace DeepPhys.Generators.Tests;

/// <summary>
/// Misuse of the sample layer and the KL term: each is one diagnostic at the exact place it is written (the marked span),
/// with its message, and no network is generated.
/// </summary>
public class VaeDiagnosticTests
{
    private const string Network = """"
        using DeepPhys;
        [Network("""
            input x[5]
            h = dense(x, 8) -> relu
            mu = dense(h, 2)
            logvar = dense(h, LATENT)
            z = SAMPLE
            out = dense(z, 5)
            loss mse(out)
            KL
            """)]
        public partial class Net;
        """";

    [Theory]
    [InlineData("2", "sample(mu, logvar, {|#0:x|})", "loss kl(mu, logvar)", "DPH0303", "'sample' takes no arguments after its inputs; 'x' is one argument too many")]
    [InlineData("2", "{|#0:sample|}(x)", "loss kl(mu, logvar)", "DPH0303", "'z' splits one input into μ and logvar, so it needs a vector of an even size, not [5]; or give it the two nodes, sample(mu, logvar)")]
    [InlineData("2", "sample(mu, logvar)", "loss {|#0:kl|}(mu)", "DPH0303", "'kl' takes the two nodes μ and logvar of a sample layer and no target, e.g. loss kl(mu, logvar) or loss kl(mu, logvar, weight: 0.5)")]
    [InlineData("2", "sample(mu, logvar)", "loss {|#0:kl|}(mu, logvar, out)", "DPH0303", "'kl' takes the two nodes μ and logvar of a sample layer and no target, e.g. loss kl(mu, logvar) or loss kl(mu, logvar, weight: 0.5)")]
    [InlineData("2", "sample(mu, logvar)", "loss kl({|#0:x|}, logvar)", "DPH0411", "The loss on 'x' is a KL term on an input; μ and logvar are computed by the encoder")]
    [InlineData("2", "sample(mu, logvar)", "loss kl(mu, {|#0:h|})", "DPH0411", "The loss on 'h' is logvar of shape [8] for μ 'mu' of shape [2]; a KL term needs the two of one shape")]
    [InlineData("2", "sample(mu, logvar)", "loss kl(mu, {|#0:mu|})", "DPH0411", "The loss on 'mu' is both μ and logvar of a KL term; give it the two nodes of a sample layer, e.g. loss kl(mu, logvar)")]
    [InlineData("2", "sample(mu, logvar)", "loss kl(mu, logvar, weight: {|#0:-1|})", "DPH0303", "'weight' must be a positive number, not '-1'")]
    public void Misuse_IsOneDiagnostic_WhereItIsWritten(string latent, string sample, string kl, string id, string message)
    {
        var source = new MarkedSource(Network.Replace("LATENT", latent, StringComparison.Ordinal).Replace("SAMPLE", sample, StringComparison.Ordinal).Replace("KL", kl, StringComparison.Ordinal));

        var result = GeneratorHarness.Run(source.Text);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(message, diagnostic.GetMessage());
        Assert.Equal(source.Position(0), diagnostic.Location.GetLineSpan().StartLinePosition);
        result.SingleStandIn(id);
    }

    /// <summary>μ and logvar of different shapes: the sample layer and the KL term on them each say so, where each is written.</summary>
    [Fact]
    public void MuAndLogVarianceOfDifferentShapes_AreReportedAtTheSampleAndAtTheKlTerm()
    {
        var source = new MarkedSource(Network.Replace("LATENT", "3", StringComparison.Ordinal).Replace("SAMPLE", "{|#0:sample|}(mu, logvar)", StringComparison.Ordinal).Replace("KL", "loss kl(mu, {|#1:logvar|})", StringComparison.Ordinal));

        var result = GeneratorHarness.Run(source.Text);

        Assert.Collection(
            result.Diagnostics.OrderBy(diagnostic => diagnostic.Location.SourceSpan.Start),
            sample =>
            {
                Assert.Equal("'z' merges inputs of shapes [2] and [3]; it needs μ and logvar of the same shape", sample.GetMessage());
                Assert.Equal(source.Position(0), sample.Location.GetLineSpan().StartLinePosition);
            },
            kl =>
            {
                Assert.Equal("The loss on 'logvar' is logvar of shape [3] for μ 'mu' of shape [2]; a KL term needs the two of one shape", kl.GetMessage());
                Assert.Equal(source.Position(1), kl.Location.GetLineSpan().StartLinePosition);
            });
    }

    /// <summary>A KL term alone trains no output: reported at the loss, with the fix.</summary>
    [Fact]
    public void KlTermAsTheOnlyLoss_IsDph0303AtTheLoss()
    {
        var source = new MarkedSource(""""
            using DeepPhys;
            [Network("""
                input x[6]
                mu = dense(x, 2)
                logvar = dense(x, 2)
                loss {|#0:kl|}(mu, logvar)
                """)]
            public partial class Net;
            """");

        var result = GeneratorHarness.Run(source.Text);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("DPH0303", diagnostic.Id);
        Assert.Equal("'kl' is the only loss; a KL term regularises the latent space of a network trained on a loss of its outputs: add one, e.g. loss mse(out)", diagnostic.GetMessage());
        Assert.Equal(source.Position(0), diagnostic.Location.GetLineSpan().StartLinePosition);
    }

    /// <summary>A misspelt loss suggests the KL term among the losses.</summary>
    [Fact]
    public void MisspeltKl_SuggestsKl()
    {
        var source = new MarkedSource(Network.Replace("LATENT", "2", StringComparison.Ordinal).Replace("SAMPLE", "sample(mu, logvar)", StringComparison.Ordinal).Replace("KL", "loss {|#0:kll|}(mu, logvar)", StringComparison.Ordinal));

        var result = GeneratorHarness.Run(source.Text);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("DPH0302", diagnostic.Id);
        Assert.Contains("'kl'", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Equal(source.Position(0), diagnostic.Location.GetLineSpan().StartLinePosition);
    }

    /// <summary>The parts of a loss of several terms are named in the definition, a name two heads share taking its node's.</summary>
    [Fact]
    public void LossParts_AreNamedByLoss_AndByNodeWhenShared()
    {
        var result = GeneratorHarness.Run(""""
            using DeepPhys;
            [Network("""
                input x[6]
                mu = dense(x, 2)
                logvar = dense(x, 2)
                z = sample(mu, logvar)
                a = dense(z, 3)
                b = dense(z, 3)
                loss mse(a)
                loss mse(b, weight: 2)
                loss kl(mu, logvar, weight: 0.25)
                """)]
            public partial class Net;
            """");

        Assert.Empty(result.Diagnostics);
        var lines = result.SingleSource.Split('\n').Select(line => line.Trim()).ToList();
        Assert.Equal("LossParts = new[] { \"loss_mse_a\", \"loss_mse_b\", \"loss_kl\" },", lines.Single(line => line.StartsWith("LossParts", StringComparison.Ordinal)));
        Assert.Equal("float loss = loss1 + 2.0f * loss2 + 0.25f * loss3;", lines.First(line => line.StartsWith("float loss =", StringComparison.Ordinal)));
    }
}
