using System.Numerics;

namespace DeepPhys.Kernels;

/// <summary>
/// A VAE's reparameterised sample <c>z = μ + exp(½ · logvar) · ε</c>, ε ~ N(0, 1) (Kingma and Welling 2014). μ and logvar are
/// read from rows of <c>stride</c> values (<c>latent</c> for two nodes, <c>2 · latent</c> for one vector holding μ then logvar);
/// ε is drawn from the network's random stream, one <see cref="RandomStream.NextNormal"/> per value in row-major order, and kept
/// for the backward pass. Plain loops: the latent space is a few values per sample.
/// </summary>
public static class SampleKernels
{
    /// <summary>Draws ε into <paramref name="epsilon"/> and writes <c>z = μ + exp(½ · logvar) · ε</c>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="mu">μ, rows of <paramref name="stride"/> values from the first.</param>
    /// <param name="logVariance">logvar, rows of <paramref name="stride"/> values from the first.</param>
    /// <param name="epsilon">Receives ε, <c>batch × latent</c>.</param>
    /// <param name="z">Receives the samples, <c>batch × latent</c>.</param>
    /// <param name="batch">Rows.</param>
    /// <param name="latent">Latent values per row.</param>
    /// <param name="stride">Values from one row of μ (and of logvar) to the next.</param>
    /// <param name="random">The stream ε is drawn from.</param>
    public static void Forward<T>(ReadOnlySpan<T> mu, ReadOnlySpan<T> logVariance, Span<T> epsilon, Span<T> z, int batch, int latent, int stride, RandomStream random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        for (int i = 0; i < batch * latent; i++) epsilon[i] = T.CreateTruncating(random.NextNormal());
        Reparameterize(mu, logVariance, epsilon, z, batch, latent, stride);
    }

    /// <summary><c>z = μ + exp(½ · logvar) · ε</c> for a given ε; the arguments as in <see cref="Forward{T}"/>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="mu">μ.</param>
    /// <param name="logVariance">logvar.</param>
    /// <param name="epsilon">ε, <c>batch × latent</c>.</param>
    /// <param name="z">Receives the samples.</param>
    /// <param name="batch">Rows.</param>
    /// <param name="latent">Latent values per row.</param>
    /// <param name="stride">Values from one row of μ to the next.</param>
    public static void Reparameterize<T>(ReadOnlySpan<T> mu, ReadOnlySpan<T> logVariance, ReadOnlySpan<T> epsilon, Span<T> z, int batch, int latent, int stride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T half = T.CreateTruncating(0.5);
        for (int row = 0; row < batch; row++)
        {
            for (int j = 0; j < latent; j++)
            {
                int i = row * latent + j, at = row * stride + j;
                z[i] = mu[at] + T.Exp(half * logVariance[at]) * epsilon[i];
            }
        }
    }

    /// <summary>Inference: <c>z = μ</c>, the mean of the sampled distribution, deterministic and free of the random stream.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="mu">μ, rows of <paramref name="stride"/> values.</param>
    /// <param name="z">Receives μ, <c>batch × latent</c>.</param>
    /// <param name="batch">Rows.</param>
    /// <param name="latent">Latent values per row.</param>
    /// <param name="stride">Values from one row of μ to the next.</param>
    public static void Inference<T>(ReadOnlySpan<T> mu, Span<T> z, int batch, int latent, int stride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int row = 0; row < batch; row++) mu.Slice(row * stride, latent).CopyTo(z.Slice(row * latent, latent));
    }

    /// <summary>∂z/∂μ = 1: the gradient <paramref name="delta"/> into μ's rows of <paramref name="target"/>, written or added.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="delta">∂L/∂z, <c>batch × latent</c>.</param>
    /// <param name="target">μ's gradient, rows of <paramref name="stride"/> values.</param>
    /// <param name="batch">Rows.</param>
    /// <param name="latent">Latent values per row.</param>
    /// <param name="stride">Values from one row of the target to the next.</param>
    /// <param name="accumulate">Add to the target instead of overwriting it.</param>
    public static void MeanBackward<T>(ReadOnlySpan<T> delta, Span<T> target, int batch, int latent, int stride, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int row = 0; row < batch; row++)
        {
            for (int j = 0; j < latent; j++)
            {
                int at = row * stride + j;
                target[at] = accumulate ? target[at] + delta[row * latent + j] : delta[row * latent + j];
            }
        }
    }

    /// <summary>∂z/∂logvar = ½ · exp(½ · logvar) · ε: the gradient into logvar's rows of <paramref name="target"/>, written or added.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="delta">∂L/∂z, <c>batch × latent</c>.</param>
    /// <param name="logVariance">logvar, rows of <paramref name="stride"/> values.</param>
    /// <param name="epsilon">The ε of the forward pass.</param>
    /// <param name="target">logvar's gradient, rows of <paramref name="stride"/> values.</param>
    /// <param name="batch">Rows.</param>
    /// <param name="latent">Latent values per row.</param>
    /// <param name="stride">Values from one row of logvar (and of the target) to the next.</param>
    /// <param name="accumulate">Add to the target instead of overwriting it.</param>
    public static void LogVarianceBackward<T>(ReadOnlySpan<T> delta, ReadOnlySpan<T> logVariance, ReadOnlySpan<T> epsilon, Span<T> target, int batch, int latent, int stride, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T half = T.CreateTruncating(0.5);
        for (int row = 0; row < batch; row++)
        {
            for (int j = 0; j < latent; j++)
            {
                int i = row * latent + j, at = row * stride + j;
                T gradient = delta[i] * half * T.Exp(half * logVariance[at]) * epsilon[i];
                target[at] = accumulate ? target[at] + gradient : gradient;
            }
        }
    }

    /// <summary>Inference's z = μ does not depend on logvar: its rows of <paramref name="target"/> are zeroed, or left when adding.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="target">logvar's gradient, rows of <paramref name="stride"/> values.</param>
    /// <param name="batch">Rows.</param>
    /// <param name="latent">Latent values per row.</param>
    /// <param name="stride">Values from one row of the target to the next.</param>
    /// <param name="accumulate">Whether another consumer wrote the target already (then nothing is added).</param>
    public static void NoGradient<T>(Span<T> target, int batch, int latent, int stride, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (accumulate) return;
        for (int row = 0; row < batch; row++) target.Slice(row * stride, latent).Clear();
    }
}
