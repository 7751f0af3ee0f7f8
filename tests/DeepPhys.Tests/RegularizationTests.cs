using DeepPhys.Data;
using DeepPhys.Optimizers;
using DeepPhys.Regularization;
using DeepPhys.Training;

namespace DeepPhys.Tests;

/// <summary>Weight penalties through a real generated network: the step Fit takes is the gradient of the penalised loss, checked by finite differences.</summary>
public class RegularizationTests
{
    private static readonly WeightPenalty[] Penalties = [WeightPenalty.L1L2(0.01, 0.02, "dense_1"), WeightPenalty.L2(0.03)];

    [Fact]
    public void FitStep_IsTheGradientOfLossPlusPenalties_AndTheReportedLossIncludesThem()
    {
        var network = new CceReluHidden(7);
        foreach (ref double p in network.Parameters) p += 0.2;
        var (inputs, targets) = GradientCheck.RandomBatch(network, 6, seed: 5);
        var data = new Dataset<double>(inputs, 3, targets, 3);
        double[] before = network.Parameters.ToArray();
        double expectedLoss = PenalisedLoss(network, inputs, targets);

        // One full-batch step of plain SGD with rate 1: the parameters move by exactly minus the gradient.
        var history = network.Fit(data, new Sgd(1.0), new FitOptions<double> { Epochs = 1, BatchSize = 6, Shuffle = false, Regularizers = Penalties });
        double[] analytic = before.Zip(network.Parameters.ToArray(), (b, a) => b - a).ToArray();

        Assert.Equal(expectedLoss, history[0].Loss, 1e-14);
        before.CopyTo(network.Parameters);
        const double h = 1e-6;
        for (int i = 0; i < before.Length; i++)
        {
            network.Parameters[i] = before[i] + h;
            double plus = PenalisedLoss(network, inputs, targets);
            network.Parameters[i] = before[i] - h;
            double minus = PenalisedLoss(network, inputs, targets);
            network.Parameters[i] = before[i];
            double numeric = (plus - minus) / (2 * h);
            Assert.True(Math.Abs(analytic[i] - numeric) <= 1e-7 + 1e-6 * Math.Abs(numeric), $"parameter {i}: analytic {analytic[i]:R}, numeric {numeric:R}");
        }
    }

    [Fact]
    public void Penalties_CoverWeightsOnly_OfTheNamedLayers()
    {
        // CceReluHidden: dense weights [0, 15), bias [15, 20); dense_1 weights [20, 35), bias [35, 38).
        var network = new CceReluHidden(1);
        network.Parameters.Fill(2.0);
        var data = new Dataset<double>(new double[3], 3, [1.0, 0, 0], 3);
        network.TrainStep(data.Features, data.Targets);
        double[] dataGradient = network.Gradients.ToArray();

        network.Fit(data, new Sgd(1.0), new FitOptions<double> { Epochs = 1, Regularizers = [WeightPenalty.L1L2(0.5, 0.25, "dense_1")] });

        for (int i = 0; i < 38; i++)
        {
            double penaltyGradient = i is >= 20 and < 35 ? 0.5 + 2 * 0.25 * 2.0 : 0;   // λ₁·sign(w) + 2λ₂w
            Assert.Equal(2.0 - dataGradient[i] - penaltyGradient, network.Parameters[i], 1e-14);
        }
    }

    [Fact]
    public void Penalty_OnAnUnknownLayer_ListsTheLayers()
    {
        var data = new Dataset<double>(new double[3], 3, [1.0, 0, 0], 3);

        var error = Assert.Throws<ArgumentException>(() =>
            new CceReluHidden(1).Fit(data, new Sgd(), new FitOptions<double> { Regularizers = [WeightPenalty.L2(0.1, "hidden")] }));

        Assert.Equal("CceReluHidden has no layer 'hidden'; its layers are dense, dense_1.", error.Message);
    }

    private static double PenalisedLoss(Network<double> network, double[] inputs, double[] targets)
    {
        double loss = network.TrainStep(inputs, targets);
        var p = network.Parameters;
        for (int i = 0; i < 35; i++)
        {
            if (i is >= 15 and < 20) continue;   // dense's bias
            loss += 0.03 * p[i] * p[i];
            if (i >= 20) loss += 0.01 * Math.Abs(p[i]) + 0.02 * p[i] * p[i];
        }

        return loss;
    }

    [Fact]
    public void Penalties_CoverConvWeights_NotBiasesPoolsOrBatchNorm()
    {
        // NormalizedCnn: c1 weights [0, 54), bias [54, 57); n1 γ, β [57, 63); h weights [63, 198), bias [198, 203); n2 [203, 213); out weights [213, 228), bias [228, 231).
        var ranges = WeightPenalty.L2(0.1).Ranges(new NormalizedCnn(1).Definition).Where(range => range.Length > 0);
        Assert.Equal([(0, 54), (63, 135), (213, 15)], ranges);
        Assert.Equal([(0, 54)], WeightPenalty.L2(0.1).Ranges(new SmallCnn(1).Definition).Take(1));
    }
}
