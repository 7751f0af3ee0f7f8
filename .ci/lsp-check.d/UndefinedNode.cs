using DeepPhys;

namespace LspCheck;

// A DSL edge to a node that is not defined.
[Network("""
    input x[3]
    hidden = dense(x, 4) -> relu
    out = dense({|DPH0401:hiden|}, 1)
    loss mse(out)
    """)]
public partial class UndefinedNode;
