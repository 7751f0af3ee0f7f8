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
                [Dense(2, Activation.Softmax)]
                internal partial class Calibration;
            }
        }
        """;
}
