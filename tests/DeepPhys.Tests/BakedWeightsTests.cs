using System.Runtime.CompilerServices;
using DeepPhys.Training;

namespace DeepPhys.Tests;

/// <summary>The network whose checkpoint BakedWeights/BakedNet.weights.json (parameters and batch norm statistics) is baked into <c>BakedNet.FromBakedWeights()</c>.</summary>
[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(4, Activation.Tanh)]
[BatchNorm]
[Dense(2)]
public partial class BakedNet;

/// <summary>
/// Issue 8, deployment without a file system: the checked-in checkpoint, passed to the generator as an
/// AdditionalFiles item (see the .csproj), gives a network bit-identical to loading that checkpoint from disk.
/// </summary>
public class BakedWeightsTests
{
    /// <summary>Set to 1 to rewrite the checked-in checkpoint from <see cref="Parameters"/>; build and test again afterwards, since the bake happens at compile time.</summary>
    private const string RegenerateVariable = "DEEPPHYS_REGENERATE_BAKED_WEIGHTS";

    [Fact]
    public void FromBakedWeights_PredictsBitIdenticallyToTheLoadedCheckpoint()
    {
        var loaded = new BakedNet(seed: 3);
        Checkpoint.Load(loaded, WeightsPath());
        var baked = BakedNet.FromBakedWeights();

        Assert.Equal(Parameters(), baked.Parameters.ToArray());
        Assert.Equal(loaded.Parameters.ToArray(), baked.Parameters.ToArray());
        Assert.Equal(State(), baked.State.ToArray());
        double[][] inputs = [[0, 0, 0], [0.5, -1.25, 2], [1e-3, 7, -3.5], [-0.1, 0.2, -0.3]];
        foreach (var x in inputs)
        {
            double[] expected = loaded.Predict(x), actual = baked.Predict(x);
            Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), actual.Select(BitConverter.DoubleToInt64Bits));
        }

        Assert.NotEqual(new BakedNet().Predict(inputs[1]), baked.Predict(inputs[1]));
    }

    /// <summary>The checked-in file is exactly what Checkpoint.Save writes for <see cref="Parameters"/>; with the variable set, it is rewritten.</summary>
    [Fact]
    public void CheckedInWeights_AreTheSavedCheckpointOfTheDocumentedParameters()
    {
        var network = new BakedNet();
        Parameters().CopyTo(network.Parameters);
        State().CopyTo(network.State);
        string saved = Path.Combine(Directory.CreateTempSubdirectory("deepphys-baked-").FullName, "BakedNet.weights.json");
        Checkpoint.Save(network, saved);
        if (Environment.GetEnvironmentVariable(RegenerateVariable) == "1") File.Copy(saved, WeightsPath(), overwrite: true);

        Assert.Equal(File.ReadAllText(saved), File.ReadAllText(WeightsPath()));
        Directory.Delete(Path.GetDirectoryName(saved)!, recursive: true);
    }

    /// <summary>34 parameters with full mantissas and both signs: sin(i + 1) · 0.7.</summary>
    private static double[] Parameters() => Enumerable.Range(0, BakedNet.Layout.ParameterCount).Select(i => Math.Sin(i + 1) * 0.7).ToArray();

    /// <summary>The batch norm's running means (cos(i) · 0.3) and positive variances (1.5 + sin(i)), away from their initial 0 and 1.</summary>
    private static double[] State() => [.. Enumerable.Range(0, 4).Select(i => Math.Cos(i) * 0.3), .. Enumerable.Range(0, 4).Select(i => 1.5 + Math.Sin(i))];

    private static string WeightsPath([CallerFilePath] string testFile = "") =>
        Path.Combine(Path.GetDirectoryName(testFile)!, "BakedWeights", "BakedNet.weights.json");
}
