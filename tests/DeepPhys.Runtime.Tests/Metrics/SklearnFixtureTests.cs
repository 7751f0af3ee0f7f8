using System.Text.Json;
using DeepPhys.Metrics;

namespace DeepPhys.Runtime.Tests.Metrics;

/// <summary>
/// Every metric against scikit-learn 1.2 on the same predictions (Fixtures/metric_fixtures.json,
/// written by Fixtures/make_metric_fixtures.py, run by hand): tied scores, float32 outputs,
/// collinear runs, three classes, one and two regression outputs.
/// </summary>
public class SklearnFixtureTests
{
    private const double Tolerance = 1e-12;

    public sealed record WorkingPointCase(double MistagTarget, int ThresholdIndex, double Efficiency, double Mistag);

    public sealed record BinaryCase(
        string Name, double[] Scores, int[] Labels, double Threshold, double Accuracy, double Precision, double Recall,
        double Specificity, double F1, long[] Confusion, double[] ConfusionFractions,
        double[] Fpr, double[] Tpr, double[] ThresholdsAfterFirst,
        double[] FullFpr, double[] FullTpr, double[] FullThresholdsAfterFirst,
        double Auc, WorkingPointCase[] AtMistag, int BestThresholdIndex);

    public sealed record MulticlassCase(
        double[] Scores, int[] Labels, double[] PerClassAuc, double MacroAuc, long[] Confusion, double[] ConfusionFractions);

    public sealed record RegressionCase(int Outputs, double[] Truth, double[] Prediction, double Mse, double Mae, double R2);

    public sealed record Fixtures(BinaryCase[] Binary, MulticlassCase Multiclass, RegressionCase[] Regression);

    private static readonly Fixtures Data = JsonSerializer.Deserialize<Fixtures>(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "metric_fixtures.json")),
        new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })!;

    public static TheoryData<string> BinaryNames => new(Data.Binary.Select(c => c.Name));

    private static BinaryCase Case(string name) => Data.Binary.Single(c => c.Name == name);

    [Theory]
    [MemberData(nameof(BinaryNames))]
    public void ThresholdMetrics_MatchSklearn(string name)
    {
        var c = Case(name);

        var metrics = BinaryClassification.FromScores(c.Scores, c.Labels, c.Threshold);

        Assert.Equal(c.Accuracy, metrics.Accuracy, Tolerance);
        Assert.Equal(c.Precision, metrics.Precision, Tolerance);
        Assert.Equal(c.Recall, metrics.Recall, Tolerance);
        Assert.Equal(c.Recall, metrics.SignalEfficiency);
        Assert.Equal(c.Specificity, metrics.Specificity, Tolerance);
        Assert.Equal(1 - c.Specificity, metrics.MistagRate, Tolerance);
        Assert.Equal(c.F1, metrics.F1, Tolerance);
        Assert.Equal(c.Confusion, new[] { metrics.TrueNegatives, metrics.FalsePositives, metrics.FalseNegatives, metrics.TruePositives });
    }

    [Theory]
    [MemberData(nameof(BinaryNames))]
    public void ConfusionMatrixFractions_MatchSklearnNormalizeTrue(string name)
    {
        var c = Case(name);
        var matrix = new ConfusionMatrix(["background", "signal"]);
        for (int i = 0; i < c.Labels.Length; i++) matrix.Add(c.Labels[i], c.Scores[i] >= c.Threshold ? 1 : 0);

        Assert.Equal(c.Confusion, new[] { matrix[0, 0], matrix[0, 1], matrix[1, 0], matrix[1, 1] });
        double[] fractions = [matrix.Fraction(0, 0), matrix.Fraction(0, 1), matrix.Fraction(1, 0), matrix.Fraction(1, 1)];
        AssertClose(c.ConfusionFractions, fractions);
        Assert.Equal(BinaryClassification.FromScores(c.Scores, c.Labels, c.Threshold), BinaryClassification.FromConfusionMatrix(matrix));
    }

    [Theory]
    [MemberData(nameof(BinaryNames))]
    public void RocCurve_MatchesSklearnWithAndWithoutDroppingIntermediatePoints(string name)
    {
        var c = Case(name);

        var dropped = RocCurve.Compute(c.Scores, c.Labels);
        var full = RocCurve.Compute(c.Scores, c.Labels, dropIntermediate: false);

        AssertCurve(c.Fpr, c.Tpr, c.ThresholdsAfterFirst, dropped);
        AssertCurve(c.FullFpr, c.FullTpr, c.FullThresholdsAfterFirst, full);
        Assert.Equal(c.Auc, dropped.Auc, Tolerance);
        Assert.Equal(c.Auc, full.Auc, Tolerance);
        Assert.Equal(c.Labels.Sum(), dropped.Positives);
        Assert.Equal(c.Labels.Length - c.Labels.Sum(), dropped.Negatives);
    }

    [Theory]
    [MemberData(nameof(BinaryNames))]
    public void WorkingPoints_MatchNumpyOverTheFullCurve(string name)
    {
        var c = Case(name);
        var roc = RocCurve.Compute(c.Scores, c.Labels);
        double FullThreshold(int index) => index == 0 ? double.PositiveInfinity : c.FullThresholdsAfterFirst[index - 1];

        foreach (var expected in c.AtMistag)
        {
            var point = roc.AtMistagRate(expected.MistagTarget);
            Assert.Equal(FullThreshold(expected.ThresholdIndex), point.Threshold);
            Assert.Equal(expected.Efficiency, point.SignalEfficiency, Tolerance);
            Assert.Equal(expected.Mistag, point.MistagRate, Tolerance);
        }

        var best = roc.BestThreshold();
        Assert.Equal(FullThreshold(c.BestThresholdIndex), best.Threshold);

        // The working point's cut gives back its rates through the threshold metrics.
        var atBest = BinaryClassification.FromScores(c.Scores, c.Labels, best.Threshold);
        Assert.Equal(best.SignalEfficiency, atBest.SignalEfficiency, Tolerance);
        Assert.Equal(best.MistagRate, atBest.MistagRate, Tolerance);
    }

    [Fact]
    public void OneVsRest_MatchesSklearnMacroAuc()
    {
        var c = Data.Multiclass;

        var roc = OneVsRestRoc.Compute(c.Scores, c.Labels, ["a", "b", "c"]);

        AssertClose(c.PerClassAuc, roc.Curves.Select(curve => curve.Auc).ToArray());
        Assert.Equal(c.MacroAuc, roc.MacroAuc, Tolerance);
        Assert.Equal(["a", "b", "c"], roc.ClassNames);
    }

    [Fact]
    public void MulticlassConfusionFractions_MatchSklearn()
    {
        var c = Data.Multiclass;
        var matrix = new ConfusionMatrix(["a", "b", "c"]);
        for (int i = 0; i < c.Labels.Length; i++)
        {
            var row = c.Scores.AsSpan(i * 3, 3);
            matrix.Add(c.Labels[i], row.IndexOf(Max(row)));
        }

        Assert.Equal(c.Confusion, Enumerable.Range(0, 9).Select(k => matrix[k / 3, k % 3]).ToArray());
        AssertClose(c.ConfusionFractions, Enumerable.Range(0, 9).Select(k => matrix.Fraction(k / 3, k % 3)).ToArray());
    }

    [Fact]
    public void Regression_MatchesSklearn()
    {
        foreach (var c in Data.Regression)
        {
            var metrics = RegressionMetrics.Compute(c.Prediction, c.Truth, c.Outputs);

            Assert.Equal(c.Mse, metrics.MeanSquaredError, Tolerance * c.Mse);
            Assert.Equal(c.Mae, metrics.MeanAbsoluteError, Tolerance * c.Mae);
            Assert.Equal(c.R2, metrics.R2, Tolerance);
        }
    }

    private static double Max(ReadOnlySpan<double> row)
    {
        double max = row[0];
        foreach (double v in row) max = Math.Max(max, v);
        return max;
    }

    private static void AssertCurve(double[] fpr, double[] tpr, double[] thresholdsAfterFirst, RocCurve curve)
    {
        AssertClose(fpr, curve.FalsePositiveRates.ToArray());
        AssertClose(tpr, curve.TruePositiveRates.ToArray());
        Assert.Equal(double.PositiveInfinity, curve.Thresholds[0]);
        Assert.Equal(thresholdsAfterFirst, curve.Thresholds.Skip(1).ToArray());
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= Tolerance, $"[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
    }
}
