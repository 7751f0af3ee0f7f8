using DeepPhys;

namespace LspCheck;

// A dense layer with negative units (csharp-ls opens this file correct, with 4 units, then the client changes it).
[Network(Loss = Loss.MeanSquaredError)]
[Input(2)]
[Dense({|DPH0105:-4|}, Activation.ReLU)]
[Dense(1)]
public partial class NegativeUnits;
