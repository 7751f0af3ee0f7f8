using DeepPhys;

namespace DeepPhys.Compiler.Tests;

/// <summary>Each text compiled twice: by the generator into the class below, and at run time by the tests.</summary>
public static class TestTexts
{
    /// <summary>Single precision, a skip connection, a softmax output under categorical cross-entropy.</summary>
    public const string Residual = """
        input x[4]
        h = dense(x, 8) -> tanh
        f = dense(h, 8) -> relu
        r = add(h, f)
        out = dense(r, 3) -> softmax
        loss categorical_crossentropy(out)
        """;

    /// <summary>Double precision, a convolution, batch norm (state), pooling and dropout (the random stream in training).</summary>
    public const string NormalizedCnn = """
        precision double
        input image[1, 6, 6]
        c = conv2d(image, filters: 2, kernel: 3, padding: same) -> relu
        n = batchnorm(c)
        p = maxpool2d(n, 2)
        d = dropout(flatten(p), rate: 0.25)
        out = dense(d, 2)
        loss mse(out)
        """;

    /// <summary>Parameters for a width, a depth (a repeated layer) and a dropout rate.</summary>
    public const string Parameterised = """
        param width = 6
        param depth = 2
        param p = 0.25
        input x[4]
        repeat depth: h = dense(x, width) -> tanh
        d = dropout(h, rate: p)
        out = dense(d, 3) -> softmax
        loss categorical_crossentropy(out)
        """;

    /// <summary><see cref="Parameterised"/> with width 8, depth 3 and rate 0.1 written out.</summary>
    public const string ParameterisedWritten = """
        input x[4]
        h_1 = dense(x, 8) -> tanh
        h_2 = dense(h_1, 8) -> tanh
        h = dense(h_2, 8) -> tanh
        d = dropout(h, rate: 0.1)
        out = dense(d, 3) -> softmax
        loss categorical_crossentropy(out)
        """;
}

[Network(TestTexts.Parameterised)]
public partial class BuildTimeParameterised;

[Network(TestTexts.ParameterisedWritten)]
public partial class BuildTimeParameterisedWritten;

[Network(TestTexts.Residual)]
public partial class BuildTimeResidual;

[Network(TestTexts.NormalizedCnn)]
public partial class BuildTimeNormalizedCnn;
