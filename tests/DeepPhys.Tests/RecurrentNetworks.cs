using DeepPhys;

namespace DeepPhys.Tests;

// Recurrent networks over sequence inputs [time, features]. The gradient checks (GradientCheckTests,
// through TestNetworkCatalog) run backpropagation through time of every cell and both return modes.

/// <summary>An LSTM's last state into a softmax classifier: the whole-network gradient check.</summary>
[Network("""
    precision double
    input seq[5, 3]
    h = lstm(seq, 4)
    out = dense(h, 3) -> softmax
    loss categorical_crossentropy(out)
    """)]
public partial class LstmNet;

/// <summary>A GRU returning every step, flattened into a sigmoid output.</summary>
[Network("""
    precision double
    input seq[4, 2]
    h = gru(seq, units: 3, return_sequences: true)
    f = flatten(h)
    out = dense(f, 1) -> sigmoid
    loss binary_crossentropy(out)
    """)]
public partial class GruSequenceNet;

/// <summary>A simple RNN with a sigmoid cell and a tanh after it, straight into the loss.</summary>
[Network("""
    precision double
    input seq[6, 2]
    h = simple_rnn(seq, 3, activation: sigmoid) -> tanh
    loss mse(h)
    """)]
public partial class SimpleRnnNet;

/// <summary>Stacked: an LSTM's whole sequence into a GRU's last state (attributes), then a dense output.</summary>
[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(5, 2)]
[LSTM(4, ReturnSequences = true)]
[GRU(3)]
[Dense(2)]
public partial class StackedRecurrentNet;

/// <summary>A simple RNN returning the sequence into another (attributes, tanh and ReLU cells) and a dense softmax.</summary>
[Network(Loss = Loss.CategoricalCrossEntropy, Precision = Precision.Double)]
[Input(4, 3)]
[SimpleRNN(5, ReturnSequences = true, Name = "encoder")]
[SimpleRNN(4, Activation.ReLU)]
[Dense(2, Activation.Softmax)]
public partial class StackedSimpleRnnNet;

/// <summary>A simple RNN with a linear cell (ONNX's Affine activation on export), then a dense output.</summary>
[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(5, 2)]
[SimpleRNN(3, Activation.Linear)]
[Dense(1)]
public partial class LinearSimpleRnnNet;

/// <summary>The float twin of <see cref="LstmNet"/>'s shape, for Predict, TrainStep and allocation checks in single precision.</summary>
[Network(Loss = Loss.BinaryCrossEntropy)]
[Input(8, 2)]
[GRU(6, ReturnSequences = true)]
[LSTM(5)]
[Dense(1, Activation.Sigmoid)]
public partial class FloatRecurrentNet;
