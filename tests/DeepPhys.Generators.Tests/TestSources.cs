namespace DeepPhys.Generators.Tests;

/// <summary>Network declarations shared by several test classes.</summary>
internal static class TestSources
{
    public const string Iris = """
        using DeepPhys;
        namespace Samples.Iris;

        [Network(Loss = Loss.CategoricalCrossEntropy)]
        [Input(4)]
        [Dense(16, Activation.ReLU)]
        [Dense(16, Activation.ReLU)]
        [Dense(16, Activation.ReLU)]
        [Dense(3, Activation.Softmax)]
        public partial class IrisClassifier;
        """;

    /// <summary>
    /// Convolutions, max pooling and a skip connection in the DSL: the pooled gradient is overwritten by the threaded image
    /// kernels (no separate clear), while the branch's input gradient is a sum of the convolution's and the skip's.
    /// </summary>
    public const string Convolutional = """"
        using DeepPhys;
        namespace Samples.Calo;
        [Network("""
            input image[1, 8, 8]
            c = conv2d(image, filters: 4, kernel: 3, padding: -1, activation: relu)
            p = maxpool2d(c, window: 2)
            r = conv2d(p, filters: 4, kernel: 3, padding: -1)
            s = add(p, r) -> relu
            f = flatten(s)
            out = dense(f, 1) -> sigmoid
            loss binary_crossentropy(out)
            """)]
        public partial class ShowerClassifier;
        """";

    /// <summary>
    /// A VAE: μ and logvar of one encoder layer, the sample (ε saved for the backward pass), a sigmoid decoder under binary
    /// cross-entropy, and the KL term with β = 0.5, whose gradient is written first into μ's and logvar's and the sample's added.
    /// </summary>
    public const string Vae = """"
        using DeepPhys;
        namespace Samples.Showers;
        [Network("""
            input image[16]
            h = dense(image, 8) -> relu
            mu = dense(h, 2)
            logvar = dense(h, 2)
            z = sample(mu, logvar)
            d = dense(z, 8) -> relu
            out = dense(d, 16) -> sigmoid
            loss binary_crossentropy(out)
            loss kl(mu, logvar, weight: 0.5)
            """)]
        public partial class ShowerVae;
        """";

    /// <summary>Recurrent layers: an LSTM returning its sequence into a GRU, then a sigmoid unit.</summary>
    public const string Recurrent = """
        using DeepPhys;
        namespace Samples.Oscillator;
        [Network(Loss = Loss.BinaryCrossEntropy)]
        [Input(20, 1)]
        [LSTM(8, ReturnSequences = true)]
        [GRU(4)]
        [Dense(1, Activation.Sigmoid)]
        public partial class TraceClassifier;
        """;

    /// <summary>Double precision, mean squared error, tanh hidden layers, a linear output, one named layer.</summary>
    public const string Regression = """
        using DeepPhys;
        namespace Samples.Pendulum;

        [Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)]
        [Input(2)]
        [Dense(32, Activation.Tanh)]
        [Dense(32, Activation.Tanh, Name = "hidden_layer")]
        [Dense(1)]
        public partial class PendulumRegressor;
        """;

    /// <summary>LeakyReLU hidden layers with a custom slope, a sigmoid output and binary cross-entropy.</summary>
    public const string BinaryClassifier = """
        using DeepPhys;
        namespace Samples.Moons;

        [Network(Loss = Loss.BinaryCrossEntropy)]
        [Input(2)]
        [Dense(8, Activation.LeakyReLU, NegativeSlope = 0.2)]
        [Dense(8, Activation.LeakyReLU, NegativeSlope = 0.2)]
        [Dense(1, Activation.Sigmoid, Name = "score")]
        public partial class MoonsClassifier;
        """;

    /// <summary>A network nested in a static class and a record; softmax output under mean squared error.</summary>
    public const string Nested = """
        using DeepPhys;
        namespace Physics.Models;

        public static partial class Experiments
        {
            internal partial record Detector
            {
                [Network(Loss = Loss.MeanSquaredError)]
                [Input(3)]
                [Dense(4, Activation.Sigmoid)]
                [Dense(2, Activation.Tanh)]
                internal partial class Calibration;
            }
        }
        """;
}
