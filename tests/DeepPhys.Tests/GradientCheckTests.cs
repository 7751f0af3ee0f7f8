using DeepPhys;
using DeepPhys.Runtime.Tests.Kernels;

namespace DeepPhys.Tests;

/// <summary>
/// TrainStep's analytic gradient against central finite differences of its own loss, in double,
/// for every activation × loss pair (relative error below 1e-6), unweighted and with per-sample
/// weights (which reach every loss kernel through the generated TrainBatch). Each step re-seeds the
/// random stream, so a dropout draws the same mask in every step of the finite differences.
/// </summary>
public class GradientCheckTests
{
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
        GradientCheck.ScatterParameters(network, seed: 3);
        double[] weights = [0.3, 2.5, 0, 1.2];
        double Step()
        {
            network.Reseed(17);
            return weighted ? network.TrainStep(inputs, targets, weights) : network.TrainStep(inputs, targets);
        }

        Step();
        double[] analytic = network.Gradients.ToArray();

        GradientCheck.AssertMatches(name, analytic, KernelTestKit.FiniteDifferences(network.Parameters, Step));
    }
}
