using DeepPhys;

namespace LspCheck;

// Sigmoid output with categorical cross-entropy.
[Network(Loss = Loss.CategoricalCrossEntropy)]
[Input(4)]
[Dense(8, Activation.ReLU)]
[{|DPH0204:Dense(3, Activation.Sigmoid)|}]
public partial class SigmoidCategorical;
