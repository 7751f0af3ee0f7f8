using DeepPhys;

namespace DeepPhys.Tests;

// Every hidden activation under every loss with the output activation that loss calls for,
// then every output activation under mean squared error: small double-precision networks
// the gradient checks run over.

[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(3)] [Dense(5, Activation.Linear)] [Dense(2)]
public partial class MseLinearHidden;
[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(3)] [Dense(5, Activation.ReLU)] [Dense(2)]
public partial class MseReluHidden;
[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(3)] [Dense(5, Activation.LeakyReLU, NegativeSlope = 0.1)] [Dense(2)]
public partial class MseLeakyReluHidden;
[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(3)] [Dense(5, Activation.Sigmoid)] [Dense(2)]
public partial class MseSigmoidHidden;
[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(3)] [Dense(5, Activation.Tanh)] [Dense(2)]
public partial class MseTanhHidden;
[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(3)] [Dense(5, Activation.Softmax)] [Dense(2)]
public partial class MseSoftmaxHidden;

[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(3)] [Dense(5, Activation.Linear)] [Dense(2, Activation.Sigmoid)]
public partial class BceLinearHidden;
[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(3)] [Dense(5, Activation.ReLU)] [Dense(1, Activation.Sigmoid)]
public partial class BceReluHidden;
[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(3)] [Dense(5, Activation.LeakyReLU)] [Dense(2, Activation.Sigmoid)]
public partial class BceLeakyReluHidden;
[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(3)] [Dense(5, Activation.Sigmoid)] [Dense(2, Activation.Sigmoid)]
public partial class BceSigmoidHidden;
[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(3)] [Dense(5, Activation.Tanh)] [Dense(1, Activation.Sigmoid)]
public partial class BceTanhHidden;
[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(3)] [Dense(5, Activation.Softmax)] [Dense(2, Activation.Sigmoid)]
public partial class BceSoftmaxHidden;

[Network(Loss = Loss.CategoricalCrossEntropy, Precision = Precision.Double)] [Input(3)] [Dense(5, Activation.Linear)] [Dense(3, Activation.Softmax)]
public partial class CceLinearHidden;
[Network(Loss = Loss.CategoricalCrossEntropy, Precision = Precision.Double)] [Input(3)] [Dense(5, Activation.ReLU)] [Dense(3, Activation.Softmax)]
public partial class CceReluHidden;
[Network(Loss = Loss.CategoricalCrossEntropy, Precision = Precision.Double)] [Input(3)] [Dense(5, Activation.LeakyReLU, NegativeSlope = 0.2)] [Dense(3, Activation.Softmax)]
public partial class CceLeakyReluHidden;
[Network(Loss = Loss.CategoricalCrossEntropy, Precision = Precision.Double)] [Input(3)] [Dense(5, Activation.Sigmoid)] [Dense(3, Activation.Softmax)]
public partial class CceSigmoidHidden;
[Network(Loss = Loss.CategoricalCrossEntropy, Precision = Precision.Double)] [Input(3)] [Dense(5, Activation.Tanh)] [Dense(2, Activation.Softmax)]
public partial class CceTanhHidden;
[Network(Loss = Loss.CategoricalCrossEntropy, Precision = Precision.Double)] [Input(3)] [Dense(5, Activation.Softmax)] [Dense(3, Activation.Softmax)]
public partial class CceSoftmaxHidden;

// Three layers, every output activation under mean squared error.
[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(4)] [Dense(6, Activation.Tanh)] [Dense(5, Activation.ReLU)] [Dense(2, Activation.Sigmoid)]
public partial class MseSigmoidOutput;
[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(4)] [Dense(6, Activation.Tanh)] [Dense(5, Activation.ReLU)] [Dense(2, Activation.Tanh)]
public partial class MseTanhOutput;
[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(4)] [Dense(6, Activation.Tanh)] [Dense(5, Activation.Sigmoid)] [Dense(2, Activation.ReLU)]
public partial class MseReluOutput;
[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(4)] [Dense(6, Activation.Tanh)] [Dense(5, Activation.Sigmoid)] [Dense(2, Activation.LeakyReLU)]
public partial class MseLeakyReluOutput;
[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(4)] [Dense(6, Activation.Tanh)] [Dense(5, Activation.LeakyReLU)] [Dense(3, Activation.Softmax)]
public partial class MseSoftmaxOutput;

// Three layers under each classification loss.
[Network(Loss = Loss.CategoricalCrossEntropy, Precision = Precision.Double)] [Input(4)] [Dense(6, Activation.ReLU)] [Dense(5, Activation.Tanh)] [Dense(3, Activation.Softmax)]
public partial class CceThreeLayers;
[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(4)] [Dense(6, Activation.Sigmoid)] [Dense(5, Activation.LeakyReLU)] [Dense(1, Activation.Sigmoid)]
public partial class BceThreeLayers;

/// <summary>A float binary classifier for the bad-input and stability tests.</summary>
[Network(Loss = Loss.BinaryCrossEntropy)] [Input(2)] [Dense(1, Activation.Sigmoid)]
public partial class FloatLogistic;

/// <summary>The Iris network in double, for the comparison with PyTorch's float64 training.</summary>
[Network(Loss = Loss.CategoricalCrossEntropy, Precision = Precision.Double)]
[Input(4)] [Dense(16, Activation.ReLU)] [Dense(16, Activation.ReLU)] [Dense(16, Activation.ReLU)] [Dense(3, Activation.Softmax)]
public partial class IrisDouble;
