using DeepPhys;

namespace DeepPhys.Tests;

/// <summary>
/// TrainStep's analytic gradient against central finite differences of its own loss, in double,
/// for every activation × loss pair (relative error below 1e-6), unweighted and with per-sample
/// weights (which reach every loss kernel through the generated TrainBatch). Each step re-seeds the
/// random stream, so a dropout draws the same mask in every step of the finite differences.
/// </summary>
public class GradientCheckTests
{
    private const double StepSize = 1e-6;
    private const int Batch = 4;

    public static TheoryData<string, bool> Networks
    {
        get
        {
            var data = new TheoryData<string, bool>();
            foreach (var name in TestNetworkCatalog.All.Keys)
            {
                data.Add(name, false);
                data.Add(name, true);
            }

            return data;
        }
    }

    /// <summary>Every node kind is in some network of the catalog, so the gradient check below covers every op's backward pass.</summary>
    [Fact]
    public void Catalog_HasEveryNodeKind()
    {
        var covered = TestNetworkCatalog.All.Values.SelectMany(create => create(0).Definition.Nodes.Select(node => node.Kind)).ToHashSet();

        Assert.Equal([], Enum.GetValues<NodeKind>().Except(covered));
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void TrainStepGradient_MatchesCentralDifferences(string name, bool weighted)
    {
        var network = TestNetworkCatalog.All[name](7);
        var (inputs, targets) = TestNetworkCatalog.RandomBatch(network, Batch, seed: 11);
        ScatterParameters(network, seed: 3);
        double[] weights = [0.3, 2.5, 0, 1.2];
        double Step()
        {
            network.Reseed(17);
            return weighted ? network.TrainStep(inputs, targets, weights) : network.TrainStep(inputs, targets);
        }

        Step();
        double[] analytic = network.Gradients.ToArray();
        double[] numeric = new double[analytic.Length];
        for (int i = 0; i < numeric.Length; i++)
        {
            double saved = network.Parameters[i];
            network.Parameters[i] = saved + StepSize;
            double plus = Step();
            network.Parameters[i] = saved - StepSize;
            double minus = Step();
            network.Parameters[i] = saved;
            numeric[i] = (plus - minus) / (2 * StepSize);
        }

        Assert.True(Norm(analytic) > 1e-3, $"{name}: the gradient is (nearly) zero, so the check would prove nothing");
        double relative = Norm(Difference(analytic, numeric)) / Math.Max(Norm(analytic), Norm(numeric));
        Assert.True(relative < 1e-6, $"{name}: relative error {relative:E2} between analytic and numeric gradients");
        for (int i = 0; i < analytic.Length; i++)
        {
            double bound = 1e-6 * Math.Max(Math.Abs(analytic[i]), Math.Abs(numeric[i])) + 1e-8;
            Assert.True(Math.Abs(analytic[i] - numeric[i]) <= bound, $"{name}: parameter {i}: analytic {analytic[i]:R}, numeric {numeric[i]:R}");
        }
    }

    /// <summary>Non-zero biases too, so every parameter moves the loss and dead ReLUs are unlikely.</summary>
    private static void ScatterParameters(Network<double> network, int seed)
    {
        var random = new RandomStream(seed);
        foreach (ref double p in network.Parameters) p += 0.3 * random.NextNormal();
    }

    private static double Norm(double[] values) => Math.Sqrt(values.Sum(v => v * v));

    private static double[] Difference(double[] a, double[] b) => a.Zip(b, (x, y) => x - y).ToArray();
}
