using DeepPhys;

namespace LspCheck;

// Dense after Conv2D without Flatten.
[Network(Loss = Loss.MeanSquaredError)]
[Input(1, 8, 8)]
[Conv2D(4, 3)]
[{|DPH0405:Dense(1)|}]
public partial class DenseAfterConv;
