using DeepPhys;

namespace LspCheck;

// Sigmoid output with categorical cross-entropy.
[Network(Loss = Loss.CategoricalCrossEntropy)]
[Input(4)]
[Dense(8, Activation.ReLU)]
[Dense(3, {|DPH0204:Activation.Sigmoid|})]
public partial class SigmoidCategorical;
