using DeepPhys;

namespace DeepPhys.Samples.Iris;

/// <summary>The lecture's Keras model: 4 features, three hidden ReLU layers of 16, softmax over 3 species.</summary>
[Network(Loss = Loss.CategoricalCrossEntropy)]
[Input(4)]
[Dense(16, Activation.ReLU)]
[Dense(16, Activation.ReLU)]
[Dense(16, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class IrisClassifier;
