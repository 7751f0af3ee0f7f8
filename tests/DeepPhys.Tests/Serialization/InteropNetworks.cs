using DeepPhys;

namespace DeepPhys.Tests.Serialization;

/// <summary>The float network the PyTorch fixtures (Fixtures/make_safetensors_fixture.py, make_onnx_fixture.py) were built as.</summary>
[Network(Loss = Loss.CategoricalCrossEntropy)]
[Input(4)] [Dense(8, Activation.Tanh)] [Dense(6, Activation.LeakyReLU, NegativeSlope = 0.1)] [Dense(3, Activation.Softmax)]
public partial class TorchMlp;
