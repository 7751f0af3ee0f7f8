using DeepPhys;

namespace DeepPhys.Tests;

// Convolutional networks written in the DSL (padding: -1 is Keras's 'same'). The gradient checks
// run through every conv, pool and flatten rule of the op table.

/// <summary>conv → relu → maxpool → conv → flatten → dense softmax.</summary>
[Network("""
    precision double
    input image[2, 7, 7]
    c1 = conv2d(image, filters: 3, kernel: 3, padding: -1) -> relu
    p1 = maxpool2d(c1, window: 2)
    c2 = conv2d(p1, filters: 4, kernel: 2) -> tanh
    f = flatten(c2)
    out = dense(f, 3) -> softmax
    loss categorical_crossentropy(out)
    """)]
public partial class SmallCnn;

/// <summary>Stride 2 with 'same' padding and an even kernel (the odd pad bottom/right), average pooling, explicit padding.</summary>
[Network("""
    precision double
    input image[1, 8, 7]
    c1 = conv2d(image, filters: 2, kernel: 4, stride: 2, padding: -1) -> leaky_relu
    a = avgpool2d(c1, window: 2)
    c2 = conv2d(a, filters: 2, kernel: 1, padding: 1)
    f = flatten(c2)
    out = dense(f, 2)
    loss mse(out)
    """)]
public partial class StridedCnn;

/// <summary>A ResNet basic block: two 3×3 convs added to a 1×1 projection of the same stem, then relu and pooling; b1's channel means join the head.</summary>
[Network("""
    precision double
    input image[2, 6, 6]
    stem = conv2d(image, filters: 3, kernel: 3, padding: 1) -> relu
    b1 = conv2d(stem, filters: 3, kernel: 3, padding: 1) -> relu
    b2 = conv2d(b1, filters: 3, kernel: 3, padding: 1)
    shortcut = conv2d(stem, filters: 3, kernel: 1)
    r = add(b2, shortcut) -> relu
    p = maxpool2d(r, window: 3)
    f = flatten(p)
    g = globalavgpool2d(b1)
    both = concatenate(f, g)
    out = dense(both, 1) -> sigmoid
    loss binary_crossentropy(out)
    """)]
public partial class ResidualCnn;

/// <summary>Batch norm over channels and over features, dropout between them (rate 0.3; the gradient check re-seeds so every step draws the same mask).</summary>
[Network("""
    precision double
    input image[2, 6, 6]
    c1 = conv2d(image, filters: 3, kernel: 3, padding: 1)
    n1 = batchnorm(c1) -> relu
    p = maxpool2d(n1, window: 2)
    f = flatten(p)
    d = dropout(f, rate: 0.3)
    h = dense(d, 5)
    n2 = batchnorm(h) -> tanh
    out = dense(n2, 3) -> softmax
    loss categorical_crossentropy(out)
    """)]
public partial class NormalizedCnn;

/// <summary>The attribute stack of a plain CNN: image input, conv (same), pool, conv, batch norm, global average, dropout, dense.</summary>
[Network(Loss = Loss.CategoricalCrossEntropy, Precision = Precision.Double)]
[Input(2, 8, 8)]
[Conv2D(4, 3, Activation.ReLU, Padding = Padding.Same)]
[MaxPool2D(2)]
[Conv2D(5, 2, Activation.Tanh, Stride = 2, UseBias = false)]
[BatchNorm(Momentum = 0.9)]
[GlobalAveragePooling2D]
[Dropout(0.25)]
[Dense(3, Activation.Softmax)]
public partial class AttributeCnn;

/// <summary>conv → average pool → flatten → dense, declared with attributes.</summary>
[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(1, 6, 5)]
[Conv2D(2, 3, Activation.LeakyReLU, Name = "features")]
[AvgPool2D(2, Stride = 1)]
[Flatten]
[Dense(2)]
public partial class AttributeFlattenCnn;

/// <summary>
/// A DenseNet block: each conv sees the channels of every earlier feature map (the image, c1, c2) concatenated,
/// batch norm before the second conv, then a 1×1 transition conv without bias and average pooling. c1 feeds two concatenations.
/// </summary>
[Network("""
    precision double
    input image[2, 5, 5]
    c1 = conv2d(image, filters: 2, kernel: 3, padding: -1) -> relu
    d1 = concatenate(image, c1)
    n1 = batchnorm(d1)
    c2 = conv2d(n1, filters: 2, kernel: 3, padding: -1) -> relu
    d2 = concatenate(image, c1, c2)
    t = conv2d(d2, filters: 3, kernel: 1, bias: 0) -> relu   # transition
    p = avgpool2d(t, window: 2)
    f = flatten(p)
    out = dense(f, 3) -> softmax
    loss categorical_crossentropy(out)
    """)]
public partial class DenseBlockCnn;

/// <summary>Concatenation along every other axis: image rows (1) and columns (-1), a sequence's steps (1); a feeds one merge twice.</summary>
[Network("""
    precision double
    input image[2, 4, 5]
    a = conv2d(image, filters: 2, kernel: 1) -> tanh
    b = conv2d(image, filters: 2, kernel: 3, padding: -1)
    rows = concatenate(a, b, axis: 1)
    cols = concatenate(b, a, a, axis: -1)
    seq = concatenate(reshape(a, shape: [2, 20]), reshape(b, shape: [2, 20]), axis: 1)
    s = conv1d(seq, filters: 2, kernel: 3, stride: 2) -> relu
    both = concatenate(flatten(rows), flatten(cols), flatten(s))
    out = dense(both, 2)
    loss mse(out)
    """)]
public partial class AxisConcatCnn;

/// <summary>
/// Nearest upsampling by a factor per axis and global max pooling (DSL): c1 feeds the upsampling and a global max, so one
/// writes its input gradient and the other adds to it; the upsampled map's conv feeds a global max and a flatten.
/// </summary>
[Network("""
    precision double
    input image[2, 3, 4]
    c1 = conv2d(image, filters: 3, kernel: 2, padding: -1) -> tanh
    u = upsampling2d(c1, size: [2, 3])
    c2 = conv2d(u, filters: 2, kernel: 3, stride: 2) -> relu
    g1 = globalmaxpool2d(c1)
    g2 = globalmaxpool2d(c2)
    both = concatenate(g1, g2, flatten(c2))
    out = dense(both, 3) -> softmax
    loss categorical_crossentropy(out)
    """)]
public partial class UpSamplingCnn;

/// <summary>The attribute stack of conv → batch norm → ReLU as three layers ([Activation]), upsampling by (2, 3), a strided conv, global max pooling, dense.</summary>
[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(2, 4, 3)]
[Conv2D(3, 3, Padding = Padding.Same)]
[BatchNorm]
[Activation(Activation.ReLU)]
[UpSampling2D(2, 3)]
[Conv2D(2, 2, Stride = 2)]
[GlobalMaxPooling2D]
[Dense(2)]
public partial class AttributeUpSamplingCnn;
