using DeepPhys;

namespace DeepPhys.Tests.Serialization;

/// <summary>The float network the PyTorch fixtures (Fixtures/make_safetensors_fixture.py, make_onnx_fixture.py) were built as.</summary>
[Network(Loss = Loss.CategoricalCrossEntropy)]
[Input(4)] [Dense(8, Activation.Tanh)] [Dense(6, Activation.LeakyReLU, NegativeSlope = 0.1)] [Dense(3, Activation.Softmax)]
public partial class TorchMlp;

/// <summary>TorchMlp with ReLU where PyTorch has Tanh: the import must name the operator.</summary>
[Network(Loss = Loss.CategoricalCrossEntropy)]
[Input(4)] [Dense(8, Activation.ReLU)] [Dense(6, Activation.LeakyReLU, NegativeSlope = 0.1)] [Dense(3, Activation.Softmax)]
public partial class WrongActivationMlp;

/// <summary>TorchMlp with another LeakyReLU slope.</summary>
[Network(Loss = Loss.CategoricalCrossEntropy)]
[Input(4)] [Dense(8, Activation.Tanh)] [Dense(6, Activation.LeakyReLU, NegativeSlope = 0.2)] [Dense(3, Activation.Softmax)]
public partial class WrongSlopeMlp;

/// <summary>TorchMlp's first layer only (with a linear output): the graph has nodes left over.</summary>
[Network(Loss = Loss.MeanSquaredError)]
[Input(4)] [Dense(8, Activation.Tanh)]
public partial class ShortMlp;

/// <summary>The CNN of Fixtures/make_onnx_fixture.py: conv, batch norm after the ReLU (so PyTorch keeps it), pool, a conv without bias, dense, a 1-D batch norm.</summary>
[Network(Loss = Loss.CategoricalCrossEntropy)]
[Input(1, 8, 8)]
[Conv2D(4, 3, Activation.ReLU, Padding = Padding.Same)]
[BatchNorm(Epsilon = 1e-5, Momentum = 0.9, Name = "bn")]
[MaxPool2D(2)]
[Conv2D(6, 2, Activation.Tanh, Stride = 2, UseBias = false)]
[Flatten]
[Dense(8)]
[BatchNorm(Epsilon = 1e-5, Momentum = 0.9, Name = "bn_1")]
[Dense(3, Activation.Softmax)]
public partial class TorchCnn;

/// <summary>TorchCnn's first layer, 'valid' where PyTorch pads by 1: the import stops at the pads.</summary>
[Network(Loss = Loss.MeanSquaredError)]
[Input(1, 8, 8)] [Conv2D(4, 3, Activation.ReLU)]
public partial class ValidPaddedTorchCnn;

/// <summary>TorchCnn's first layers with Keras's batch norm epsilon (1e-3) where PyTorch has 1e-5: the import stops at the epsilon.</summary>
[Network(Loss = Loss.MeanSquaredError)]
[Input(1, 8, 8)] [Conv2D(4, 3, Activation.ReLU, Padding = Padding.Same)] [BatchNorm(Name = "bn")]
public partial class KerasEpsilonCnn;

/// <summary>TorchCnn's first layers with an average pool where PyTorch max-pools: the import names the operator.</summary>
[Network(Loss = Loss.MeanSquaredError)]
[Input(1, 8, 8)] [Conv2D(4, 3, Activation.ReLU, Padding = Padding.Same)] [BatchNorm(Epsilon = 1e-5, Name = "bn")] [AvgPool2D(2)]
public partial class AvgPoolTorchCnn;

/// <summary>TorchCnn's first layers with a global max pool where PyTorch max-pools 2 × 2 windows: the import names the window.</summary>
[Network(Loss = Loss.MeanSquaredError)]
[Input(1, 8, 8)] [Conv2D(4, 3, Activation.ReLU, Padding = Padding.Same)] [BatchNorm(Epsilon = 1e-5, Name = "bn")] [GlobalMaxPooling2D]
public partial class GlobalMaxTorchCnn;

/// <summary>TorchCnn's first layer on 6×6 images where PyTorch's take 8×8: the import stops at the input.</summary>
[Network(Loss = Loss.MeanSquaredError)]
[Input(1, 6, 6)] [Conv2D(4, 3, Activation.ReLU, Padding = Padding.Same)]
public partial class SmallImageCnn;

/// <summary>
/// The rectangular CNN with transposed convolutions of Fixtures/make_onnx_window_fixture.py: a 3 × 5 conv at stride (1, 2),
/// 1 × 2 max pooling, a 4 × 4 transposed conv at stride 2 (PyTorch's padding 1, which is 'same' here) and a 'valid' 1 × 3
/// one at stride (1, 3): [1, 6, 11] → [4, 4, 4] → [4, 4, 2] → [2, 8, 4] → [1, 8, 12].
/// </summary>
[Network(Loss = Loss.MeanSquaredError)]
[Input(1, 6, 11)]
[Conv2D(4, 3, 5, Activation.ReLU, StrideWidth = 2)]
[MaxPool2D(1, 2)]
[Conv2DTranspose(2, 4, Activation.Tanh, Stride = 2, Padding = Padding.Same)]
[Conv2DTranspose(1, 1, 3, StrideWidth = 3)]
[Flatten]
public partial class TorchConvTranspose;

/// <summary><see cref="TorchConvTranspose"/> with its first transposed convolution 'valid' where PyTorch crops a row and column on each side: the import stops at the pads.</summary>
[Network(Loss = Loss.MeanSquaredError)]
[Input(1, 6, 11)]
[Conv2D(4, 3, 5, Activation.ReLU, StrideWidth = 2)]
[MaxPool2D(1, 2)]
[Conv2DTranspose(2, 4, Activation.Tanh, Stride = 2)]
public partial class ValidTorchConvTranspose;

/// <summary>
/// The ops the other test networks leave out, in float: a reshape of the features into an image, standalone activations
/// (a softmax over a whole image), images concatenated along their channels, then a batch norm and an average pool.
/// </summary>
[Network("""
    input x[12]
    img = reshape(x, shape: [3, 2, 2])
    c = conv2d(img, filters: 2, kernel: 1) -> sigmoid
    r = leaky_relu(img, slope: 0.2)
    both = concatenate(c, r)
    s = softmax(both)
    n = batchnorm(s)
    p = avgpool2d(n, window: 2, stride: 1)
    f = flatten(p)
    out = dense(f, 2) -> sigmoid
    loss binary_crossentropy(out)
    """)]
public partial class EveryOpNet;

/// <summary><see cref="SimpleRnnNet"/> with the default tanh cell where the export has a sigmoid one: the import must name the RNN node.</summary>
[Network("""
    precision double
    input seq[6, 2]
    h = simple_rnn(seq, 3) -> tanh
    loss mse(h)
    """)]
public partial class TanhCellRnnNet;

/// <summary><see cref="LstmNet"/> with a GRU of the same size: the import must name the LSTM it finds.</summary>
[Network("""
    precision double
    input seq[5, 3]
    h = gru(seq, 4)
    out = dense(h, 3) -> softmax
    loss categorical_crossentropy(out)
    """)]
public partial class GruInsteadOfLstmNet;

/// <summary>The stacked recurrent model of Fixtures/make_onnx_fixture.py: an LSTM's every step into a GRU's last state, then a dense layer.</summary>
[Network(Loss = Loss.MeanSquaredError)]
[Input(5, 2)] [LSTM(4, ReturnSequences = true)] [GRU(3)] [Dense(2)]
public partial class TorchStackedRecurrent;

/// <summary><see cref="TorchStackedRecurrent"/> with 5 LSTM units where PyTorch's has 4: the import stops at the hidden size.</summary>
[Network(Loss = Loss.MeanSquaredError)]
[Input(5, 2)] [LSTM(5, ReturnSequences = true)] [GRU(3)] [Dense(2)]
public partial class WideLstmTorchRecurrent;

/// <summary><see cref="TorchStackedRecurrent"/> with a GRU where PyTorch has the LSTM: the import names the LSTM node.</summary>
[Network(Loss = Loss.MeanSquaredError)]
[Input(5, 2)] [GRU(4, ReturnSequences = true)] [GRU(3)] [Dense(2)]
public partial class GruFirstTorchRecurrent;

/// <summary>The nn.RNN model of Fixtures/make_onnx_fixture.py: a tanh RNN's every step into a ReLU RNN's last state and a softmax.</summary>
[Network(Loss = Loss.CategoricalCrossEntropy)]
[Input(4, 3)] [SimpleRNN(5, ReturnSequences = true)] [SimpleRNN(4, Activation.ReLU)] [Dense(2, Activation.Softmax)]
public partial class TorchStackedRnn;

/// <summary>The two-layer nn.LSTM of Fixtures/make_onnx_fixture.py as two declared LSTMs returning every step, flattened into a sigmoid.</summary>
[Network(Loss = Loss.BinaryCrossEntropy)]
[Input(5, 2)] [LSTM(4, ReturnSequences = true)] [LSTM(4, ReturnSequences = true)] [Flatten] [Dense(1, Activation.Sigmoid)]
public partial class TorchTwoLayerLstm;

/// <summary>The network of <c>Fixtures/make_onnx_fixture.py</c>'s TorchConvLstm: Conv1d, ReLU, transpose(1, 2), an LSTM's last state, Linear.</summary>
[Network("""
    input signal[2, 9]
    conv1d = conv1d(signal, filters: 3, kernel: 3) -> relu
    steps = transpose(conv1d)
    lstm = lstm(steps, 4)
    dense = dense(lstm, 2)
    loss mse(dense)
    """)]
public partial class TorchConvLstm;

/// <summary>The C# side of make_onnx_fixture.py's TorchUpSamplingCnn: conv 'same' → ReLU → nearest upsampling by (2, 3) → strided conv → tanh → global max → dense.</summary>
[Network(Loss = Loss.MeanSquaredError)]
[Input(1, 4, 4)]
[Conv2D(3, 3, Activation.ReLU, Padding = Padding.Same)]
[UpSampling2D(2, 3)]
[Conv2D(4, 2, Activation.Tanh, Stride = 2)]
[GlobalMaxPooling2D]
[Dense(2)]
public partial class TorchUpSamplingCnn;

/// <summary>The C# side of make_onnx_fixture.py's TorchUpSamplingSignalCnn: conv1d → ReLU → nearest upsampling by 3 → strided conv1d → global max → dense.</summary>
[Network(Loss = Loss.MeanSquaredError)]
[Input(2, 5)]
[Conv1D(3, 2, Activation.ReLU)]
[UpSampling1D(3)]
[Conv1D(2, 3, Stride = 2)]
[GlobalMaxPooling1D]
[Dense(1)]
public partial class TorchUpSamplingSignalCnn;

/// <summary>TorchUpSamplingCnn upsampling by 2 along both axes: the import must refuse torch_upsampling.onnx's scales (2, 3).</summary>
[Network(Loss = Loss.MeanSquaredError)]
[Input(1, 4, 4)]
[Conv2D(3, 3, Activation.ReLU, Padding = Padding.Same)]
[UpSampling2D]
[Conv2D(4, 2, Activation.Tanh, Stride = 2)]
[GlobalMaxPooling2D]
[Dense(2)]
public partial class SquareUpSamplingTorchCnn;
