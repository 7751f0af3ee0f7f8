using DeepPhys;
using DeepPhys.Optimizers;
using DeepPhys.Runtime.Tests.Kernels;

namespace DeepPhys.Tests;

// MseTanhHidden split in two: its first layer, and its second reading the first's outputs.
[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(3)] [Dense(5, Activation.Tanh)]
public partial class TanhEncoder;
[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(5)] [Dense(2)]
public partial class LinearReadout;

/// <summary>Logistic regression: its saliency has a formula, σ(z)(1 − σ(z)) · w.</summary>
[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(3)] [Dense(1, Activation.Sigmoid)]
public partial class LogisticSaliency;

/// <summary>
/// Forward and Backward with a loss computed outside the network, and InputGradient: every catalog network's gradients against
/// central finite differences in double (each node kind, in training and in inference mode), the external MSE gradient against
/// the built-in loss, two networks chained against the same layers declared as one, a saliency by hand, allocations, bad arguments.
/// </summary>
public class InputGradientTests
{
    private const int Batch = 4;

    public static TheoryData<string> Networks => new(TestNetworkCatalog.All.Keys);

    /// <summary>
    /// f = Σ r · outputs of a training Forward, for a fixed random r: Backward's input and parameter gradients against central
    /// differences of f (dropout masks the same in every pass, batch norm on the batch's statistics).
    /// </summary>
    [Theory]
    [MemberData(nameof(Networks))]
    public void Backward_MatchesCentralDifferences(string name)
    {
        var network = TestNetworkCatalog.All[name](7);
        var (inputs, _) = GradientCheck.RandomBatch(network, Batch, seed: 11);
        GradientCheck.ScatterParameters(network, seed: 3);
        double[] outputGradient = KernelTestKit.Uniform<double>(5, Batch * network.OutputSize);
        var outputs = new double[outputGradient.Length];
        double F()
        {
            network.Reseed(17);
            network.Forward(inputs, outputs);
            return KernelTestKit.Weighted(outputGradient, outputs);
        }

        F();
        var inputGradient = new double[inputs.Length];
        network.Backward(outputGradient, inputGradient);
        double[] parameterGradient = network.Gradients.ToArray();

        GradientCheck.AssertMatches(name + " inputs", inputGradient, KernelTestKit.FiniteDifferences(inputs, F));
        GradientCheck.AssertMatches(name + " parameters", parameterGradient, KernelTestKit.FiniteDifferences(network.Parameters, F));
    }

    /// <summary>InputGradient differentiates Predict: dropout off, batch norm on running statistics (set away from their start); the gradients stay as they were.</summary>
    [Theory]
    [MemberData(nameof(Networks))]
    public void InputGradient_MatchesCentralDifferencesOfPredict(string name)
    {
        var network = TestNetworkCatalog.All[name](7);
        var (inputs, _) = GradientCheck.RandomBatch(network, Batch, seed: 11);
        GradientCheck.ScatterParameters(network, seed: 3);
        var random = new RandomStream(4);
        foreach (ref double value in network.State) value = 0.5 + random.NextDouble(); // running means and (positive) variances
        double[] outputGradient = KernelTestKit.Uniform<double>(5, Batch * network.OutputSize);
        var outputs = new double[outputGradient.Length];
        double F()
        {
            network.Predict(inputs, outputs);
            return KernelTestKit.Weighted(outputGradient, outputs);
        }

        double[] gradientsBefore = network.Gradients.ToArray();
        var inputGradient = new double[inputs.Length];
        network.InputGradient(inputs, outputGradient, inputGradient);

        GradientCheck.AssertMatches(name, inputGradient, KernelTestKit.FiniteDifferences(inputs, F));
        Assert.Equal(gradientsBefore, network.Gradients.ToArray());
    }

    /// <summary>The caller's MSE gradient, 2(y − t)/n as the loss kernel forms it, trains exactly as the built-in loss: same parameters bit for bit after some steps.</summary>
    [Theory]
    [InlineData(nameof(MseTanhOutput))]
    [InlineData(nameof(ResidualNet))]
    [InlineData(nameof(AttributeUpSamplingCnn))]
    [InlineData(nameof(StackedRecurrentNet))]
    public void ExternalMseGradient_TrainsBitIdenticallyToBuiltInLoss(string name)
    {
        var builtIn = TestNetworkCatalog.All[name](7);
        var external = TestNetworkCatalog.All[name](7);
        Assert.Equal(Loss.MeanSquaredError, builtIn.Definition.Loss);
        var (inputs, targets) = GradientCheck.RandomBatch(builtIn, Batch, seed: 11);
        var builtInOptimizer = new Adam(0.01);
        var externalOptimizer = new Adam(0.01);
        var outputs = new double[targets.Length];
        var outputGradient = new double[targets.Length];
        for (int step = 0; step < 5; step++)
        {
            builtIn.TrainStep(inputs, targets);
            builtIn.ApplyGradients(builtInOptimizer);

            external.Forward(inputs, outputs);
            MseGradient(outputs, targets, outputGradient);
            external.Backward(outputGradient, default);
            external.ApplyGradients(externalOptimizer);
        }

        Assert.NotEqual(TestNetworkCatalog.All[name](7).Parameters.ToArray(), builtIn.Parameters.ToArray());
        Assert.Equal(builtIn.Parameters.ToArray(), external.Parameters.ToArray());
        Assert.Equal(builtIn.State.ToArray(), external.State.ToArray());
    }

    /// <summary>
    /// A → B chained, A trained through B's loss by B's input gradient, equals the same layers declared as one network:
    /// bit for bit, since each network runs the same kernels on the same values as the joint one, only in other buffers.
    /// </summary>
    [Fact]
    public void ChainedNetworks_TrainBitIdenticallyToTheJointNetwork()
    {
        var joint = new MseTanhHidden(seed: 7);
        var encoder = new TanhEncoder(seed: 1);
        var readout = new LinearReadout(seed: 2);
        joint.Parameters[..encoder.ParameterCount].CopyTo(encoder.Parameters);
        joint.Parameters[encoder.ParameterCount..].CopyTo(readout.Parameters);
        var (inputs, targets) = GradientCheck.RandomBatch(joint, Batch, seed: 11);
        Optimizer jointOptimizer = new Sgd(0.1, momentum: 0.9), encoderOptimizer = new Sgd(0.1, momentum: 0.9), readoutOptimizer = new Sgd(0.1, momentum: 0.9);
        var hidden = new double[Batch * encoder.OutputSize];
        var hiddenGradient = new double[hidden.Length];
        var outputs = new double[targets.Length];
        var outputGradient = new double[targets.Length];
        for (int step = 0; step < 5; step++)
        {
            joint.TrainStep(inputs, targets);
            joint.ApplyGradients(jointOptimizer);

            encoder.Forward(inputs, hidden);
            readout.Forward(hidden, outputs);
            MseGradient(outputs, targets, outputGradient);
            readout.Backward(outputGradient, hiddenGradient);
            encoder.Backward(hiddenGradient, default);
            readout.ApplyGradients(readoutOptimizer);
            encoder.ApplyGradients(encoderOptimizer);
        }

        Assert.Equal(joint.Parameters[..encoder.ParameterCount].ToArray(), encoder.Parameters.ToArray());
        Assert.Equal(joint.Parameters[encoder.ParameterCount..].ToArray(), readout.Parameters.ToArray());
    }

    /// <summary>Logistic regression's saliency by hand: d σ(w·x + b)/dx = σ(1 − σ) · w.</summary>
    [Fact]
    public void Saliency_OfLogisticRegression_IsSigmoidSlopeTimesWeights()
    {
        var network = new LogisticSaliency();
        double[] w = [0.5, -1, 2];
        w.CopyTo(network.Parameters);
        network.Parameters[3] = 0.1;
        double[] x = [1, 2, 0.5];
        var saliency = new double[3];

        network.InputGradient(x, [1.0], saliency);

        double y = 1 / (1 + Math.Exp(0.4)); // z = 0.5 − 2 + 1 + 0.1 = −0.4
        Assert.Equal(y * (1 - y) * 0.5, saliency[0], 1e-15);
        Assert.Equal(y * (1 - y) * -1, saliency[1], 1e-15);
        Assert.Equal(y * (1 - y) * 2, saliency[2], 1e-15);
    }

    /// <summary>Forward, Backward with the input gradient, an Adam step and InputGradient allocate nothing after the first round.</summary>
    [Theory]
    [InlineData(nameof(NormalizedCnn))]
    [InlineData(nameof(LstmNet))]
    [InlineData(nameof(ConcatNet))]
    public void ForwardBackwardAndInputGradient_AfterWarmUp_AllocateNothing(string name)
    {
        var network = TestNetworkCatalog.All[name](1);
        var (inputs, _) = GradientCheck.RandomBatch(network, 8, seed: 3);
        var outputs = new double[8 * network.OutputSize];
        double[] outputGradient = KernelTestKit.Uniform<double>(5, outputs.Length);
        var inputGradient = new double[inputs.Length];
        var adam = new Adam();
        void Round()
        {
            network.Forward(inputs, outputs);
            network.Backward(outputGradient, inputGradient);
            network.ApplyGradients(adam);
            network.InputGradient(inputs, outputGradient, inputGradient);
        }

        Round();

        Assert.Equal(0, SteadyState.AllocatedBytes(Round, rounds: 20));
    }

    [Fact]
    public void Backward_WithoutForward_OrTwice_OrAfterAnotherPass_Throws()
    {
        var network = new MseTanhHidden();
        var (inputs, targets) = GradientCheck.RandomBatch(network, Batch, seed: 11);
        var outputs = new double[targets.Length];
        string expected = "MseTanhHidden.Backward needs a Forward just before it";

        Assert.StartsWith(expected, Assert.Throws<InvalidOperationException>(() => network.Backward(targets, default)).Message);
        network.Forward(inputs, outputs);
        network.Backward(targets, default);
        Assert.StartsWith(expected, Assert.Throws<InvalidOperationException>(() => network.Backward(targets, default)).Message);
        network.Forward(inputs, outputs);
        network.TrainStep(inputs, targets);
        Assert.StartsWith(expected, Assert.Throws<InvalidOperationException>(() => network.Backward(targets, default)).Message);

        // Predict and Evaluate rent workspaces of their own (they may run on other threads): a Forward's stays for its Backward.
        network.Forward(inputs, outputs);
        network.Predict(inputs, new double[outputs.Length]);
        network.Backward(targets, default);
    }

    [Fact]
    public void WrongLengths_NameTheSpanAndTheExpectedLength()
    {
        var network = new MseTanhHidden(); // 3 inputs, 2 outputs
        var inputs = new double[4 * 3];
        network.Forward(inputs, new double[8]);

        var outputGradient = Assert.Throws<ArgumentException>(() => network.Backward(new double[6], default));
        Assert.Equal("outputGradient", outputGradient.ParamName);
        Assert.StartsWith("outputGradient has 6 values; expected 8 (4 samples × 2 outputs).", outputGradient.Message);
        var inputGradient = Assert.Throws<ArgumentException>(() => network.Backward(new double[8], new double[9]));
        Assert.StartsWith("inputGradient has 9 values; expected 12 (4 samples × 3 inputs).", inputGradient.Message);
        var outputs = Assert.Throws<ArgumentException>(() => network.Forward(inputs, new double[7]));
        Assert.StartsWith("outputs has 7 values; expected 8 (4 samples × 2 outputs).", outputs.Message);
        var saliency = Assert.Throws<ArgumentException>(() => network.InputGradient(inputs, new double[8], new double[3]));
        Assert.Equal("inputGradient", saliency.ParamName);
        Assert.StartsWith("inputGradient has 3 values; expected 12 (4 samples × 3 inputs).", saliency.Message);
        Assert.Throws<ArgumentException>(() => network.InputGradient(inputs, new double[2], new double[12]));
    }

    /// <summary>The mean squared error's gradient, 2(y − t)/n, as <c>LossKernels.MeanSquaredErrorWithGradient</c> forms it: the difference, then times 2/n.</summary>
    private static void MseGradient(double[] outputs, double[] targets, double[] gradient)
    {
        for (int i = 0; i < outputs.Length; i++) gradient[i] = (outputs[i] - targets[i]) * (2.0 / outputs.Length);
    }
}
