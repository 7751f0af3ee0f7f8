using DeepPhys.Training;

namespace DeepPhys.Tests;

/// <summary>The network whose checkpoint Fixtures/BakedNet.weights.json (parameters and batch norm statistics) is baked into <c>BakedNet.FromBakedWeights()</c>.</summary>
[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(4, Activation.Tanh)]
[BatchNorm]
[Dense(2)]
public partial class BakedNet;

/// <summary>
/// Issue 8, deployment without a file system: a checkpoint written by a Python script (Fixtures/make_baked_weights.py),
/// passed to the generator as an AdditionalFiles item (see the .csproj), gives a network holding the script's values
/// and predicting bit-identically to loading that checkpoint from disk.
/// </summary>
public class BakedWeightsTests
{
    [Fact]
    public void FromBakedWeights_HoldsTheScriptsParametersAndStatistics()
    {
        var baked = BakedNet.FromBakedWeights();

        Assert.Equal(BakedNetFixture.Parameters(), baked.Parameters.ToArray());
        Assert.Equal(BakedNetFixture.State(), baked.State.ToArray());
        Assert.Equal([1 / 37.0, -2 / 37.0], baked.Parameters[..2].ToArray());
        Assert.Equal(2.0, baked.State[^1]);
    }

    [Fact]
    public void FromBakedWeights_PredictsBitIdenticallyToTheLoadedCheckpoint()
    {
        var loaded = new BakedNet(seed: 3);
        Checkpoint.Load(loaded, BakedNetFixture.FilePath);
        var baked = BakedNet.FromBakedWeights();

        Assert.Equal(BakedNetFixture.Parameters(), loaded.Parameters.ToArray());
        Assert.Equal(BakedNetFixture.State(), loaded.State.ToArray());
        double[][] inputs = [[0, 0, 0], [0.5, -1.25, 2], [1e-3, 7, -3.5], [-0.1, 0.2, -0.3]];
        foreach (var x in inputs)
        {
            double[] expected = loaded.Predict(x), actual = baked.Predict(x);
            Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), actual.Select(BitConverter.DoubleToInt64Bits));
        }

        Assert.NotEqual(new BakedNet().Predict(inputs[1]), baked.Predict(inputs[1]));
    }
}
