using DeepPhys;
using DeepPhys.Runtime.Tests.Kernels;

namespace DeepPhys.Tests;

/// <summary>
/// The gradient check (<see cref="GradientCheck"/>) of every network in the catalog: every activation × loss pair and
/// every node kind, unweighted and with per-sample weights.
/// </summary>
public class GradientCheckTests
{
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
    public void TrainStepGradient_MatchesCentralDifferences(string name, bool weighted) =>
        GradientCheck.AssertMatchesCentralDifferences(TestNetworkCatalog.All[name](7), name, weighted);
}
