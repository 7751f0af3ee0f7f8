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
