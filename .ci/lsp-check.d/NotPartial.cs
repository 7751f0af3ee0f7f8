using DeepPhys;

namespace LspCheck;

// The network class without 'partial'.
[Network(Loss = Loss.MeanSquaredError)]
[Input(2)]
[Dense(1)]
public class {|DPH0001:NotPartial|};
