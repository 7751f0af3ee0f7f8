using DeepPhys;
using DeepPhys.Data;
using DeepPhys.Metrics;

namespace DeepPhys.Tests;

/// <summary><c>Evaluate</c> reports the curves its loss allows, equal to the metrics computed from <c>Predict</c>.</summary>
public class EvaluationMetricsTests
{
    private static double[] Predictions<T>(Network<T> network, Dataset<T> data) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        network.Predict(data.Features).Select(v => double.CreateTruncating(v)).ToArray();

    private static Dataset<double> Random(int samples, int features, Func<double[], double[]> target, int targetCount, int seed)
    {
        var random = new RandomStream(seed);
        var x = new double[samples * features];
        var y = new double[samples * targetCount];
        for (int i = 0; i < samples; i++)
        {
            for (int j = 0; j < features; j++) x[i * features + j] = random.NextNormal();
            target(x[(i * features)..((i + 1) * features)]).CopyTo(y, i * targetCount);
        }

        return new Dataset<double>(x, features, y, targetCount);
    }

    [Fact]
    public void BinaryCrossEntropy_ReportsRocAndBinaryMetricsOfThePredictions()
    {
        var data = Random(200, 3, x => [x[0] - x[1] + 0.5 * x[2] > 0 ? 1 : 0], 1, seed: 3);
        var network = new BceReluHidden(seed: 2);

        var report = network.Evaluate(data);

        double[] scores = Predictions(network, data);
        int[] labels = data.Targets.ToArray().Select(t => (int)t).ToArray();
        var roc = RocCurve.Compute(scores, labels);
        Assert.NotNull(report.Roc);
        Assert.Equal(roc.Auc, report.Roc.Auc);
        Assert.Equal(roc.Thresholds, report.Roc.Thresholds);
        Assert.InRange(report.Roc.Auc, 0.01, 0.99);
        Assert.Equal(report.Accuracy!.Value, report.Binary!.Accuracy, 12);
        Assert.Null(report.RocPerClass);
        Assert.Null(report.Regression);
    }

    [Fact]
    public void CategoricalCrossEntropy_ReportsOneVsRestCurves()
    {
        var random = new RandomStream(5);
        var labels = Enumerable.Range(0, 90).Select(i => i % 3).ToArray();
        var x = labels.SelectMany(c => new[] { c + random.NextNormal(), -c + random.NextNormal(), random.NextNormal() }).ToArray();
        var data = Dataset<double>.FromClassLabels(x, 3, labels, 3, classNames: ["e", "mu", "tau"]);
        var network = new CceReluHidden(seed: 4);

        var report = network.Evaluate(data);

        var expected = OneVsRestRoc.Compute(Predictions(network, data), labels, ["e", "mu", "tau"]);
        Assert.NotNull(report.RocPerClass);
        Assert.Equal(expected.MacroAuc, report.RocPerClass.MacroAuc);
        Assert.Equal(["e", "mu", "tau"], report.RocPerClass.ClassNames);
        Assert.Null(report.Binary);
        Assert.Null(report.Roc);
    }

    [Fact]
    public void MeanSquaredError_ReportsRegressionFiguresWhoseMseIsTheLoss()
    {
        var data = Random(50, 3, x => [x[0] + x[1], x[2] * 2], 2, seed: 6);
        var network = new MseTanhHidden(seed: 1);

        var report = network.Evaluate(data);

        var expected = RegressionMetrics.Compute(Predictions(network, data), data.Targets.ToArray(), outputs: 2);
        Assert.Equal(expected, report.Regression);
        Assert.Equal(report.Loss, report.Regression!.MeanSquaredError, 12);
        Assert.Null(report.ConfusionMatrix);
    }

    [Fact]
    public void OneClassOnly_LeavesTheCurveNull()
    {
        var data = new Dataset<double>([1, 2, 3, 4, 5, 6], 3, [1, 1], 1);

        var report = new BceReluHidden(seed: 2).Evaluate(data);

        Assert.Null(report.Roc);
        Assert.NotNull(report.Binary);
    }
}
