namespace DeepPhys.Samples.ResidualCnn;

/// <summary>
/// Electron or pion from a 12 × 12 calorimeter image with skip connections, written in the DSL: a stem,
/// two ResNet basic blocks (conv → batch norm → relu → conv → batch norm, plus the block's input, then relu)
/// and a DenseNet block (each conv sees the channels of everything before it), global average pooling, one sigmoid unit.
/// The batch norms' running averages keep 0.9 per step (PyTorch's default) rather than Keras's 0.99, so they settle
/// within a short training run; inference uses them.
/// </summary>
[Network("""
    input image[1, 12, 12]
    stem = conv2d(image, filters: 8, kernel: 3, padding: -1)
    s = batchnorm(stem, momentum: 0.9) -> relu                                # also brings the unit-sum images to unit scale
    x0 = maxpool2d(s, window: 2)                               # [8, 6, 6]

    # ResNet block 1: the block learns a correction to its input
    a1 = conv2d(x0, filters: 8, kernel: 3, padding: -1)
    n1 = batchnorm(a1, momentum: 0.9) -> relu
    b1 = conv2d(n1, filters: 8, kernel: 3, padding: -1)
    m1 = batchnorm(b1, momentum: 0.9)
    x1 = add(x0, m1) -> relu

    # ResNet block 2
    a2 = conv2d(x1, filters: 8, kernel: 3, padding: -1)
    n2 = batchnorm(a2, momentum: 0.9) -> relu
    b2 = conv2d(n2, filters: 8, kernel: 3, padding: -1)
    m2 = batchnorm(b2, momentum: 0.9)
    x2 = add(x1, m2) -> relu

    # DenseNet block: growth 4 channels per layer, concatenated along the channels
    g1 = conv2d(x2, filters: 4, kernel: 3, padding: -1, activation: relu)
    c1 = concatenate(x2, g1)                                   # [12, 6, 6]
    g2 = conv2d(c1, filters: 4, kernel: 3, padding: -1, activation: relu)
    c2 = concatenate(x2, g1, g2)                               # [16, 6, 6]

    features = globalavgpool2d(c2)
    out = dense(features, 1) -> sigmoid
    loss binary_crossentropy(out)
    """)]
public partial class ResidualCnnClassifier;
