using DeepPhys;

namespace DeepPhys.Tests;

// 1-D convolutional networks over signals [channels, length]. The gradient checks run through every
// conv1d and 1-D pool rule of the op table, and batch norm over the channels of a signal.

/// <summary>conv1d 'same' with an even kernel → max pool → strided conv1d without bias → batch norm → average pool → flatten → dense softmax.</summary>
[Network("""
    precision double
    input signal[2, 11]
    c1 = conv1d(signal, filters: 3, kernel: 4, padding: -1) -> relu
    p = maxpool1d(c1, window: 2)
    c2 = conv1d(p, filters: 2, kernel: 3, stride: 2, bias: 0) -> tanh
    n = batchnorm(c2)
    a = avgpool1d(n, window: 2, stride: 1)
    f = flatten(a)
    out = dense(f, 3) -> softmax
    loss categorical_crossentropy(out)
    """)]
public partial class SignalCnn;

/// <summary>The attribute stack of a 1-D CNN: strided 'same' conv, overlapping average pool, conv without bias, global average, dense.</summary>
[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(3, 9)]
[Conv1D(4, 3, Activation.LeakyReLU, Stride = 2, Padding = Padding.Same)]
[AvgPool1D(2, Stride = 1)]
[Conv1D(2, 2, UseBias = false, Name = "mix")]
[MaxPool1D(2, Stride = 1)]
[GlobalAveragePooling1D]
[Dense(2)]
public partial class AttributeSignalCnn;

/// <summary>A 1-D convolution's signal transposed into the sequence an LSTM reads (DSL), with a skip of the transposed signal into its own GRU: the transpose's gradient is written and then added to.</summary>
[Network("""
    precision double
    input signal[2, 9]
    c = conv1d(signal, filters: 3, kernel: 3) -> relu
    steps = transpose(c)
    h = lstm(steps, 4)
    g = gru(steps, 2)
    m = concatenate(h, g)
    out = dense(m, 1) -> sigmoid
    loss binary_crossentropy(out)
    """)]
public partial class SignalLstmNet;

/// <summary>The attribute stack of the same idea: Conv1D, [Transpose], GRU, dense softmax.</summary>
[Network(Loss = Loss.CategoricalCrossEntropy, Precision = Precision.Double)]
[Input(2, 8)]
[Conv1D(3, 3, Activation.Tanh)]
[Transpose]
[GRU(4)]
[Dense(2, Activation.Softmax)]
public partial class AttributeSignalGruNet;

/// <summary>Nearest upsampling of a signal and global max pooling (DSL); the upsampled signal feeds a strided conv and a global average, so its gradient is written and then added to.</summary>
[Network("""
    precision double
    input signal[2, 5]
    c1 = conv1d(signal, filters: 3, kernel: 2) -> leaky_relu
    u = upsampling1d(c1, 3)
    c2 = conv1d(u, filters: 2, kernel: 3, stride: 2) -> tanh
    g = globalmaxpool1d(c2)
    a = globalavgpool1d(u)
    both = concatenate(g, a)
    out = dense(both, 1) -> sigmoid
    loss binary_crossentropy(out)
    """)]
public partial class UpSamplingSignalCnn;

/// <summary>The attribute stack: conv1d, upsampling by the default 2, a strided conv1d, global max pooling, a LeakyReLU layer of its own, dense.</summary>
[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(2, 6)]
[Conv1D(3, 3)]
[UpSampling1D]
[Conv1D(2, 2, Stride = 2)]
[GlobalMaxPooling1D]
[Activation(Activation.LeakyReLU, NegativeSlope = 0.2)]
[Dense(2)]
public partial class AttributeUpSamplingSignalCnn;
