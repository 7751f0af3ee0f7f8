using DeepPhys;

namespace DeepPhys.Tests;

// 2-D networks with rectangular kernels, pool windows and strides per axis, and transposed convolutions. The gradient
// checks run through each axis's own geometry; Fixtures/make_layer_fixtures.py rebuilds them in PyTorch.

/// <summary>
/// A 3 × 5 'same' conv at stride (1, 2) (rows padded 1 + 1, columns 2 + 2), 1 × 2 max pooling, a 2 × 1 conv at stride
/// (2, 1) and a 1 × 2 average pool at stride 1: [2, 6, 9] → [3, 6, 5] → [3, 6, 2] → [2, 3, 2] → [2, 3, 1].
/// </summary>
[Network("""
    precision double
    input image[2, 6, 9]
    c1 = conv2d(image, filters: 3, kernel: [3, 5], stride: [1, 2], padding: same) -> tanh
    p = maxpool2d(c1, window: [1, 2])
    c2 = conv2d(p, filters: 2, kernel: [2, 1], stride: [2, 1]) -> relu
    a = avgpool2d(c2, window: [1, 2], stride: [1, 1])
    out = dense(flatten(a), 3) -> softmax
    loss categorical_crossentropy(out)
    """)]
public partial class RectangularCnn;

/// <summary>
/// The attribute stack of a rectangular CNN: a 1 × 3 'same' conv at stride (1, 2) (columns padded 1 + 1), 2 × 1 max pooling,
/// 1 × 2 average pooling at stride (1, 1), a 2 × 2 conv without bias: [1, 5, 8] → [2, 5, 4] → [2, 2, 4] → [2, 2, 3] → [3, 1, 2].
/// </summary>
[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(1, 5, 8)]
[Conv2D(2, 1, 3, Activation.LeakyReLU, StrideWidth = 2, Padding = Padding.Same)]
[MaxPool2D(2, 1)]
[AvgPool2D(1, 2, StrideWidth = 1)]
[Conv2D(3, 2, 2, UseBias = false)]
[Flatten]
[Dense(2)]
public partial class AttributeRectangularCnn;

/// <summary>
/// A convolutional autoencoder: conv → max pool halves [1, 6, 6] to [3, 3, 3], and three transposed convolutions at stride 2
/// bring it back to [1, 6, 6], summed: 3 × 3 'same' (Keras's crop of one row and column, at the bottom and right), 1 × 1
/// 'same' without bias (a kernel below the stride: every other row and column stays zero; ONNX's output_padding) and 4 × 4
/// with PyTorch's padding 1. The pool's gradient adds three transposed convolutions' input gradients.
/// </summary>
[Network("""
    precision double
    input image[1, 6, 6]
    e = conv2d(image, filters: 3, kernel: 3, padding: same) -> relu
    p = maxpool2d(e, window: 2)
    d1 = conv2d_transpose(p, 1, 3, stride: 2, padding: same)
    d2 = conv2d_transpose(p, 1, 1, stride: 2, padding: same, bias: false)
    d3 = conv2d_transpose(p, filters: 1, kernel: 4, stride: 2, padding: 1) -> tanh
    out = add(add(d1, d2), d3)
    loss mse(out)
    """)]
public partial class ConvAutoencoder;

/// <summary>
/// The attribute stack of a rectangular autoencoder: a 2 × 3 conv at stride (1, 3) takes [2, 4, 6] to [3, 3, 2], and a 'valid'
/// 2 × 3 transposed convolution at stride (1, 3) takes it back: (3 − 1)·1 + 2 = 4 rows, (2 − 1)·3 + 3 = 6 columns.
/// </summary>
[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(2, 4, 6)]
[Conv2D(3, 2, 3, Activation.Tanh, StrideWidth = 3)]
[Conv2DTranspose(2, 2, 3, Activation.LeakyReLU, StrideWidth = 3, NegativeSlope = 0.1)]
public partial class AttributeConvAutoencoder;
