using DeepPhys;

namespace DeepPhys.Tests;

// Networks written in the DSL whose graphs are not chains: skip connections, merges, several
// inputs and outputs. The gradient checks prove the backward pass accumulates where a node feeds
// several consumers.

/// <summary>ResNet-like: h feeds both the residual branch f1 → f2 and the sum.</summary>
[Network("""
    precision double
    input x[4]
    h = dense(x, 4) -> tanh
    f1 = dense(h, 6) -> relu   # the residual branch
    f2 = dense(f1, 4)
    r = add(h, f2)             # the skip connection
    out = dense(r, 2)
    loss mse(out)
    """)]
public partial class ResidualNet;

/// <summary>Two branches concatenated; the first hidden layer feeds three consumers.</summary>
[Network("""
    precision double
    input x[3]
    h = dense(x, 5) -> tanh
    a = dense(h, 3) -> relu
    b = dense(h, 2) -> sigmoid
    c = concatenate(a, b, h)
    out = dense(c, 3) -> softmax
    loss categorical_crossentropy(out)
    """)]
public partial class ConcatNet;

/// <summary>Two inputs packed side by side, subtract and multiply, two outputs with loss weights 1 and 0.5.</summary>
[Network("""
    precision double
    input p[3]
    input q[2]
    hp = dense(p, 4) -> tanh
    hq = dense(q, 4) -> leaky_relu
    diff = subtract(hp, hq)
    prod = multiply(hp, diff)
    gated = multiply(prod, prod)
    energy = dense(gated, 1)
    label = dense(diff, 3) -> softmax
    loss mse(energy)
    loss categorical_crossentropy(label, weight: 0.5)
    """)]
public partial class TwoHeadNet;

/// <summary>Two 1×1 convs of one image joined along the width: the output is the concatenation itself, so Predict shows where each value lands.</summary>
[Network("""
    precision double
    input image[1, 2, 3]
    a = conv2d(image, filters: 1, kernel: 1)
    b = conv2d(image, filters: 1, kernel: 1)
    c = concatenate(a, b, axis: -1)
    loss mse(c)
    """)]
public partial class WidthConcatNet;

/// <summary>Standalone activations (the identity followed by an activation): tanh and a LeakyReLU of one layer, added, through a sigmoid.</summary>
[Network("""
    precision double
    input x[4]
    h = dense(x, 5)
    a = tanh(h)
    l = leaky_relu(h, slope: 0.2)
    s = sigmoid(add(a, l))
    out = dense(s, 3) -> softmax
    loss categorical_crossentropy(out)
    """)]
public partial class StandaloneActivationNet;

/// <summary>A VAE: μ and logvar from a shared layer, the sample, a decoder; MSE reconstruction plus β = 0.5 times the KL term.</summary>
[Network("""
    precision double
    input x[5]
    h = dense(x, 6) -> tanh
    mu = dense(h, 2)
    logvar = dense(h, 2)
    z = sample(mu, logvar)
    d = dense(z, 6) -> tanh
    out = dense(d, 5)
    loss mse(out)
    loss kl(mu, logvar, weight: 0.5)
    """)]
public partial class Vae;

/// <summary>The attribute form of the sample layer: the previous layer's 2k values are μ then logvar; no KL term (an attribute stack has one loss).</summary>
[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(4)]
[Dense(6, Activation.Tanh)]
[Sample]
[Dense(3)]
public partial class AttributeSampleNet;

/// <summary><see cref="Vae"/>'s decoder alone, the same layer names: it takes the VAE's weights with CopyParametersFrom.</summary>
[Network("""
    precision double
    input z[2]
    d = dense(z, 6) -> tanh
    out = dense(d, 5)
    loss mse(out)
    """)]
public partial class VaeDecoder;

/// <summary><see cref="Vae"/>'s encoder to μ alone.</summary>
[Network("""
    precision double
    input x[5]
    h = dense(x, 6) -> tanh
    mu = dense(h, 2)
    loss mse(mu)
    """)]
public partial class VaeEncoder;

/// <summary>A decoder whose layer <c>d</c> is wider than <see cref="Vae"/>'s: its weights cannot come from it.</summary>
[Network("""
    precision double
    input z[2]
    d = dense(z, 7) -> tanh
    out = dense(d, 5)
    loss mse(out)
    """)]
public partial class WideVaeDecoder;
