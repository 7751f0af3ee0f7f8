using DeepPhys.Data;
using DeepPhys.Optimizers;
using DeepPhys.Samples.Iris;
using DeepPhys.Training;

namespace DeepPhys.Tests;

public class CrossValidationTests
{
    private static readonly string IrisCsv = Path.Combine(AppContext.BaseDirectory, "Data", "iris.csv");

    [Fact]
    public void IrisFiveFold_TrainsAFreshNetworkPerFold_AndReportsMeanAndStd()
    {
        var iris = Dataset<float>.FromCsv(IrisCsv, "species");
        var seeds = new List<int>();

        var result = CrossValidation.Run(
            fold => { seeds.Add(fold); return new IrisClassifier(seed: fold); },
            iris, k: 5, new FitSettings(() => new Adam(1e-2), Epochs: 60), seed: 7);

        Assert.Equal([0, 1, 2, 3, 4], seeds);
        Assert.Equal(5, result.Folds.Count);
        Assert.All(result.Folds, f => Assert.Equal(30, f.Test.ConfusionMatrix!.Total));
        double[] accuracies = result.Folds.Select(f => f.Test.Accuracy!.Value).ToArray();
        Assert.Equal(accuracies.Average(), result.Accuracy!.Value.Mean, 12);
        Assert.Equal(Math.Sqrt(accuracies.Sum(a => (a - accuracies.Average()) * (a - accuracies.Average())) / 5), result.Accuracy.Value.Std, 12);
        Assert.True(result.Accuracy.Value.Mean >= 0.9, result.ToString());
        Assert.EndsWith(FormattableString.Invariant($"accuracy {result.Accuracy.Value.Mean:F4} ± {result.Accuracy.Value.Std:F4}"), result.ToString());
    }
}
