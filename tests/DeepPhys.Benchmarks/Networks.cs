using DeepPhys;

namespace DeepPhys.Benchmarks;

/// <summary>W1: the Iris MLP of the peer script, 4-16-16-16-3, softmax + cross-entropy.</summary>
[Network(Loss = Loss.CategoricalCrossEntropy)]
[Input(4)]
[Dense(16, Activation.ReLU)]
[Dense(16, Activation.ReLU)]
[Dense(16, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class IrisMlp;

/// <summary>W2: MLP 784-512-512-10, ReLU, softmax + cross-entropy.</summary>
[Network(Loss = Loss.CategoricalCrossEntropy)]
[Input(784)]
[Dense(512, Activation.ReLU)]
[Dense(512, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class WideMlp;

/// <summary>W3: two 3×3 convolutions (same padding) with ReLU and 2×2 max-pooling, then dense 1568 → 10.</summary>
[Network(Loss = Loss.CategoricalCrossEntropy)]
[Input(1, 28, 28)]
[Conv2D(16, 3, Activation.ReLU, Padding = Padding.Same)]
[MaxPool2D(2)]
[Conv2D(32, 3, Activation.ReLU, Padding = Padding.Same)]
[MaxPool2D(2)]
[Flatten]
[Dense(10, Activation.Softmax)]
public partial class SmallCnn;

/// <summary>W4: tabular classifier 28-64-64-1, sigmoid + binary cross-entropy.</summary>
[Network(Loss = Loss.BinaryCrossEntropy)]
[Input(28)]
[Dense(64, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(1, Activation.Sigmoid)]
public partial class TabularMlp;
