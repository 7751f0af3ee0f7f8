using DeepPhys;

namespace LspCheck;

// A misspelled layer in the DSL.
[Network("""
    input x[3]
    h = {|DPH0302:dens|}(x, 4) -> relu
    out = dense(h, 1)
    loss mse(out)
    """)]
public partial class MisspelledLayer;
