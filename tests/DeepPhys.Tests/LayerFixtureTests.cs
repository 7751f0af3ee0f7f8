using System.Text.Json;
using DeepPhys.Kernels;

namespace DeepPhys.Tests;

/// <summary>
/// Golden values from an independent implementation: PyTorch's outputs and autograd gradients for every
/// non-recurrent layer (Fixtures/layer_fixtures.json, written by Fixtures/make_layer_fixtures.py, run by
/// hand; the script documents how the weight layouts map). The kernels the generated code calls are fed
/// the same inputs, parameters and upstream gradient and must agree within 1e-6 relative, in double.
/// </summary>
public class LayerFixtureTests
{
    private const double Tolerance = 1e-6;

    private static readonly Lazy<Dictionary<string, Case>> Cases = new(Load);

    public static TheoryData<string> Names(string kind) => new(Cases.Value.Values.Where(c => c.Kind == kind).Select(c => c.Name));

    public static TheoryData<string> DenseCases => Names("dense");

    public static TheoryData<string> ConvolutionCases => new(Cases.Value.Values.Where(c => c.Kind is "conv2d" or "conv1d").Select(c => c.Name));

    public static TheoryData<string> PoolCases => new(Cases.Value.Values.Where(c => c.Kind.Contains("pool", StringComparison.Ordinal)).Select(c => c.Name));

    public static TheoryData<string> BatchNormCases => Names("batchnorm");

    public static TheoryData<string> MergeCases => new(Cases.Value.Values.Where(c => c.Kind is "add" or "subtract" or "multiply" or "concatenate" or "flatten").Select(c => c.Name));

    [Fact]
    public void Fixture_CoversEveryNonRecurrentLayer()
    {
        string[] kinds = ["dense", "conv2d", "conv1d", "maxpool2d", "avgpool2d", "maxpool1d", "avgpool1d", "globalavgpool", "batchnorm", "add", "subtract", "multiply", "concatenate", "flatten", "dropout", "network"];
        Assert.Equal(kinds.Order(), Cases.Value.Values.Select(c => c.Kind).Distinct().Order());
        Assert.Equal(["leaky_relu", "linear", "relu", "sigmoid", "softmax", "tanh"], Cases.Value.Values.Where(c => c.Kind == "dense").Select(c => c.Text("activation")).Order());
    }

    [Theory]
    [MemberData(nameof(DenseCases))]
    public void Dense_WithEachActivation_MatchesPyTorch(string name)
    {
        var c = Cases.Value[name];
        int batch = c.Int("batch"), inputs = c.Int("inputs"), units = c.Int("units");
        double slope = c.Number("slope");
        var y = new double[batch * units];
        DenseKernels.Forward<double>(c["x"], c["weights"], c["bias"], y, batch, inputs, units);
        string activation = c.Text("activation");
        switch (activation)
        {
            case "relu": ActivationKernels.Relu<double>(y); break;
            case "leaky_relu": ActivationKernels.LeakyRelu<double>(y, slope); break;
            case "sigmoid": ActivationKernels.Sigmoid<double>(y); break;
            case "tanh": ActivationKernels.Tanh<double>(y); break;
            case "softmax": ActivationKernels.Softmax<double>(y, batch, units); break;
        }

        Close(c, "y", y);
        var gradient = c["dy"].ToArray();
        switch (activation)
        {
            case "relu": ActivationKernels.ReluBackward<double>(y, gradient); break;
            case "leaky_relu": ActivationKernels.LeakyReluBackward<double>(y, gradient, slope); break;
            case "sigmoid": ActivationKernels.SigmoidBackward<double>(y, gradient); break;
            case "tanh": ActivationKernels.TanhBackward<double>(y, gradient); break;
            case "softmax": ActivationKernels.SoftmaxBackward<double>(y, gradient, batch, units); break;
        }

        var dWeights = new double[inputs * units];
        var dBias = new double[units];
        var dx = new double[batch * inputs];
        DenseKernels.BackwardParameters<double>(c["x"], gradient, dWeights, dBias, batch, inputs, units);
        DenseKernels.BackwardInput<double>(gradient, c["weights"], dx, batch, inputs, units);
        Close(c, "dweights", dWeights);
        Close(c, "dbias", dBias);
        Close(c, "dx", dx);
    }

    [Theory]
    [MemberData(nameof(ConvolutionCases))]
    public void Convolutions_MatchPyTorch(string name)
    {
        var c = Cases.Value[name];
        int batch = c.Int("batch"), filters = c.Int("filters");
        var w = c.Ints("window");
        var bias = c.Has("bias") ? c["bias"] : [];
        var y = new double[c["y"].Length];
        var dWeights = new double[c["weights"].Length];
        var dBias = new double[bias.Length];
        var dx = new double[c["x"].Length];
        if (c.Kind == "conv2d")
        {
            Conv2DKernels.Forward<double>(c["x"], c["weights"], bias, y, batch, filters, Image(w));
            Conv2DKernels.BackwardParameters<double>(c["x"], c["dy"], dWeights, dBias, batch, filters, Image(w));
            Conv2DKernels.BackwardInput<double>(c["dy"], c["weights"], dx, batch, filters, Image(w));
        }
        else
        {
            Conv1DKernels.Forward<double>(c["x"], c["weights"], bias, y, batch, filters, Signal(w));
            Conv1DKernels.BackwardParameters<double>(c["x"], c["dy"], dWeights, dBias, batch, filters, Signal(w));
            Conv1DKernels.BackwardInput<double>(c["dy"], c["weights"], dx, batch, filters, Signal(w));
        }

        Close(c, "y", y);
        Close(c, "dweights", dWeights);
        if (bias.Length > 0) Close(c, "dbias", dBias);
        Close(c, "dx", dx);
    }

    [Theory]
    [MemberData(nameof(PoolCases))]
    public void Pooling_MatchesPyTorch(string name)
    {
        var c = Cases.Value[name];
        int batch = c.Int("batch");
        var x = c["x"];
        var y = new double[c["y"].Length];
        var dx = new double[x.Length];
        var w = c.Has("window") ? c.Ints("window") : [];
        switch (c.Kind)
        {
            case "maxpool2d":
                PoolingKernels.MaxForward<double>(x, y, batch, Image(w));
                PoolingKernels.MaxBackward<double>(x, c["dy"], dx, batch, Image(w));
                break;
            case "avgpool2d":
                PoolingKernels.AverageForward<double>(x, y, batch, Image(w));
                PoolingKernels.AverageBackward<double>(c["dy"], dx, batch, Image(w));
                break;
            case "maxpool1d":
                PoolingKernels.MaxForward<double>(x, y, batch, Signal(w));
                PoolingKernels.MaxBackward<double>(x, c["dy"], dx, batch, Signal(w));
                break;
            case "avgpool1d":
                PoolingKernels.AverageForward<double>(x, y, batch, Signal(w));
                PoolingKernels.AverageBackward<double>(c["dy"], dx, batch, Signal(w));
                break;
            default:
                PoolingKernels.GlobalAverageForward<double>(x, y, c.Int("plane"));
                PoolingKernels.GlobalAverageBackward<double>(c["dy"], dx, c.Int("plane"));
                break;
        }

        Close(c, "y", y);
        Close(c, "dx", dx);
    }

    /// <summary>Training: batch statistics, output, gradients and Keras's running averages; inference with the earlier running averages.</summary>
    [Theory]
    [MemberData(nameof(BatchNormCases))]
    public void BatchNorm_MatchesPyTorch(string name)
    {
        var c = Cases.Value[name];
        int batch = c.Int("batch"), plane = c.Int("plane"), channels = c["gamma"].Length;
        var x = c["x"];
        var y = new double[x.Length];
        var normalized = new double[x.Length];
        var inverseStd = new double[channels];
        var runningMean = c["running_mean0"].ToArray();
        var runningVariance = c["running_var0"].ToArray();
        BatchNormKernels.Forward<double>(x, c["gamma"], c["beta"], y, normalized, inverseStd, runningMean, runningVariance, batch, plane, c.Number("momentum"), c.Number("epsilon"));
        Close(c, "y", y);
        Close(c, "running_mean", runningMean);
        Close(c, "running_var", runningVariance);

        var dGamma = new double[channels];
        var dBeta = new double[channels];
        var dx = new double[x.Length];
        BatchNormKernels.BackwardParameters<double>(c["dy"], normalized, dGamma, dBeta, batch, plane);
        BatchNormKernels.BackwardInput<double>(c["dy"], normalized, c["gamma"], inverseStd, dx, batch, plane);
        Close(c, "dgamma", dGamma);
        Close(c, "dbeta", dBeta);
        Close(c, "dx", dx);

        var inference = new double[x.Length];
        BatchNormKernels.Inference<double>(c["x_eval"], c["gamma"], c["beta"], c["running_mean0"], c["running_var0"], inference, batch, plane, c.Number("epsilon"));
        Close(c, "y_eval", inference);
    }

    [Theory]
    [MemberData(nameof(MergeCases))]
    public void MergesAndFlatten_MatchPyTorch(string name)
    {
        var c = Cases.Value[name];
        int batch = c.Int("batch");
        var y = new double[c["y"].Length];
        var dy = c["dy"];
        switch (c.Kind)
        {
            case "add":
                GraphKernels.Add<double>(c["a"], c["b"], y);
                Close(c, "y", y);
                Close(c, "da", dy);
                Close(c, "db", dy);
                break;
            case "subtract":
                var negated = new double[dy.Length];
                GraphKernels.Subtract<double>(c["a"], c["b"], y);
                GraphKernels.Negate<double>(dy, negated);
                Close(c, "y", y);
                Close(c, "da", dy);
                Close(c, "db", negated);
                break;
            case "multiply":
                var da = new double[dy.Length];
                var db = new double[dy.Length];
                GraphKernels.Multiply<double>(c["a"], c["b"], y);
                GraphKernels.Multiply<double>(dy, c["b"], da);
                GraphKernels.Multiply<double>(dy, c["a"], db);
                Close(c, "y", y);
                Close(c, "da", da);
                Close(c, "db", db);
                break;
            case "concatenate":
                Concatenate(c, batch, y);
                break;
            default:
                // Flatten moves nothing: the row-major NCHW values are already PyTorch's flatten(x, 1), and so is the gradient.
                Close(c, "y", c["x"]);
                Close(c, "dx", dy);
                break;
        }
    }

    [Fact]
    public void Dropout_ScalesKeptValuesAsPyTorch()
    {
        var c = Cases.Value["dropout"];
        double rate = c.Number("rate");
        var x = Enumerable.Range(1, 400).Select(i => 1.0 + (i / 400.0)).ToArray();
        var y = new double[x.Length];
        var mask = new double[x.Length];
        DropoutKernels.Forward<double>(x, y, mask, rate, new RandomStream(3));
        var scales = x.Zip(y).Where(pair => pair.Second != 0).Select(pair => pair.Second / pair.First).ToArray();
        Assert.InRange(scales.Length, 200, 360);
        foreach (double expected in c["scales"])
        {
            Assert.All(scales, scale => Assert.True(Math.Abs(scale - expected) <= Tolerance * expected, $"kept value scaled by {scale:R}, PyTorch by {expected:R}"));
        }
    }

    /// <summary>
    /// Whole generated networks from PyTorch's parameters: Predict's outputs (inference: batch norm's running averages, the
    /// output activation applied), then a training step's loss and every gradient. AttributeSignalCnn: conv1d 'same' stride 2,
    /// pools, conv1d without bias, global average, dense. AttributeUpSamplingCnn: conv, batch norm, an [Activation] ReLU,
    /// upsampling by (2, 3), strided conv, global max, dense. UpSamplingSignalCnn: conv1d, upsampling by 3 feeding a strided
    /// conv1d with a global max and a global average, concatenated, dense sigmoid with binary cross-entropy.
    /// </summary>
    [Theory]
    [MemberData(nameof(NetworkCases))]
    public void Network_PredictAndTrainStep_MatchPyTorch(string name, Type type) =>
        AssertTrainsLikePyTorch(Cases.Value[name], (Network<double>)Activator.CreateInstance(type, 1)!);

    /// <summary>The whole test networks PyTorch rebuilt (make_layer_fixtures.py's window_networks: rectangular windows, transposed convolutions), by catalog name.</summary>
    public static TheoryData<string> CatalogNetworkCases => new(CatalogCaseNames());

    private static IEnumerable<string> CatalogCaseNames() => Cases.Value.Values.Where(c => c.Kind == "network" && TestNetworkCatalog.All.ContainsKey(c.Name)).Select(c => c.Name);

    /// <summary>A catalog network's generated code from PyTorch's parameters: Predict's outputs, the loss and every gradient of a training step.</summary>
    [Theory]
    [MemberData(nameof(CatalogNetworkCases))]
    public void CatalogNetwork_PredictAndTrainStep_MatchPyTorch(string name) => AssertTrainsLikePyTorch(Cases.Value[name], TestNetworkCatalog.All[name](1));

    /// <summary>The network with the case's parameters: Predict's outputs, then one training step's loss and every gradient.</summary>
    private static void AssertTrainsLikePyTorch(Case c, Network<double> network)
    {
        Assert.Equal(c["parameters"].Length, network.ParameterCount);
        c["parameters"].CopyTo(network.Parameters);
        Close(c, "y", network.Predict(c["x"]));
        double loss = network.TrainStep(c["x"], c["targets"]);
        Assert.True(Math.Abs(loss - c.Number("loss")) <= Tolerance * c.Number("loss"), $"{c.Name}: loss: PyTorch {c.Number("loss"):R}, DeepPhys {loss:R}");
        Close(c, "gradients", network.Gradients);
    }

    public static TheoryData<string, Type> NetworkCases => new()
    {
        { "attribute_signal_cnn", typeof(AttributeSignalCnn) },
        { "attribute_upsampling_cnn", typeof(AttributeUpSamplingCnn) },
        { "upsampling_signal_cnn", typeof(UpSamplingSignalCnn) },
    };

    /// <summary>The layers without cases of their own (upsampling, global max pooling, a standalone activation) are in the whole networks compared with PyTorch, and every network case is tested.</summary>
    [Fact]
    public void NetworkCases_CoverTheLayersWithoutCasesOfTheirOwn()
    {
        var networks = NetworkCases.Select(row => ((string)row[0], (Type)row[1])).ToList();
        var kinds = networks.SelectMany(row => ((Network<double>)Activator.CreateInstance(row.Item2, 1)!).Definition.Nodes.Select(node => node.Kind)).ToHashSet();

        Assert.Superset(new HashSet<NodeKind> { NodeKind.UpSampling2D, NodeKind.UpSampling1D, NodeKind.GlobalMaxPool2D, NodeKind.GlobalMaxPool1D, NodeKind.Activation }, kinds);
        Assert.Equal(Cases.Value.Values.Where(c => c.Kind == "network").Select(c => c.Name).Order(), networks.Select(row => row.Item1).Concat(CatalogCaseNames()).Order());
    }

    /// <summary>As the generated code: each input a block of columns over batch × (axes before the concatenated one) rows; the gradient split back.</summary>
    private static void Concatenate(Case c, int batch, double[] y)
    {
        int axis = c.Int("axis");
        int[][] shapes = [c.Ints("a"), c.Ints("b")];
        int outer = shapes[0].Take(axis).Aggregate(1, (p, d) => p * d), width = y.Length / batch / outer, offset = 0;
        string[] keys = ["a", "b"];
        for (int i = 0; i < 2; i++)
        {
            int block = c[keys[i]].Length / batch / outer;
            GraphKernels.PlaceColumns<double>(c[keys[i]], block, y, width, offset, batch * outer);
            var gradient = new double[c[keys[i]].Length];
            GraphKernels.CopyColumns<double>(c["dy"], width, offset, gradient, block, batch * outer);
            Close(c, "d" + keys[i], gradient);
            offset += block;
        }

        Close(c, "y", y);
    }

    /// <summary>The fixtures' square windows: [channels, height, width, kernel, stride, top, left, out height, out width].</summary>
    private static ImageWindow Image(int[] w) => new(w[0], w[1], w[2], w[3], w[3], w[4], w[4], w[5], w[6], w[7], w[8]);

    private static SignalWindow Signal(int[] w) => new(w[0], w[1], w[2], w[3], w[4], w[5]);

    private static void Close(Case c, string key, ReadOnlySpan<double> actual)
    {
        var expected = c[key];
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            // Relative, with a floor far below the values' scale (they are of order 1) for the rare one near zero.
            double bound = (Tolerance * Math.Abs(expected[i])) + 1e-12;
            Assert.True(Math.Abs(actual[i] - expected[i]) <= bound, $"{c.Name}: {key}[{i}]: PyTorch {expected[i]:R}, DeepPhys {actual[i]:R}");
        }
    }

    private static Dictionary<string, Case> Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "layer_fixtures.json")));
        return document.RootElement.GetProperty("cases").EnumerateArray().Select(element => new Case(
            element.GetProperty("name").GetString()!,
            element.GetProperty("kind").GetString()!,
            element.GetProperty("config").Clone(),
            element.GetProperty("tensors").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(v => v.GetDouble()).ToArray())))
            .ToDictionary(c => c.Name);
    }

    /// <summary>One fixture case: its configuration and named tensors.</summary>
    private sealed record Case(string Name, string Kind, JsonElement Config, Dictionary<string, double[]> Tensors)
    {
        public double[] this[string key] => Tensors[key];

        public bool Has(string key) => Config.TryGetProperty(key, out _) || Tensors.ContainsKey(key);

        public int Int(string key) => Config.GetProperty(key).GetInt32();

        public double Number(string key) => Config.GetProperty(key).GetDouble();

        public string Text(string key) => Config.GetProperty(key).GetString()!;

        public int[] Ints(string key) => Config.GetProperty(key).EnumerateArray().Select(v => v.GetInt32()).ToArray();
    }
}
