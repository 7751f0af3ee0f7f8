namespace DeepPhys.Samples.ShowerVae;

/// <summary>
/// A VAE of 12 × 12 electron showers: an encoder to μ and logvar of a 2-D latent space, the sample, and a decoder back to the
/// 144 cells; the loss is the reconstruction's mean squared error plus β times the KL term (β per docs/samples.md).
/// </summary>
[Network("""
    input cells[144]
    enc = dense(cells, 48) -> relu
    mu = dense(enc, 2)
    logvar = dense(enc, 2)
    z = sample(mu, logvar)
    dec = dense(z, 48) -> relu
    out = dense(dec, 144)
    loss mse(out)
    loss kl(mu, logvar, weight: 0.002)
    """)]
public partial class ShowerVae;

/// <summary>
/// The VAE's decoder on its own, from a latent point to the 144 cells: the same layer names as the VAE's, so
/// <c>decoder.CopyParametersFrom(vae)</c> gives it the trained weights. Never trained itself: its loss only makes it a network.
/// </summary>
[Network("""
    input z[2]
    dec = dense(z, 48) -> relu
    out = dense(dec, 144)
    loss mse(out)
    """)]
public partial class ShowerDecoder;

/// <summary>The VAE's encoder to μ on its own, for the latent-space plot; as the decoder, it takes the VAE's weights by name.</summary>
[Network("""
    input cells[144]
    enc = dense(cells, 48) -> relu
    mu = dense(enc, 2)
    loss mse(mu)
    """)]
public partial class ShowerEncoder;
