using DeepPhys.Metrics;

namespace DeepPhys.Runtime.Tests.Metrics;

public class RocCurveTests
{
    [Fact]
    public void PerfectSeparation_HasAreaOneAndKeepsTheFirstCut()
    {
        // scikit-learn: fpr [0, 0, 0, 1], tpr [0, .5, 1, 1], thresholds [inf, .9, .8, .6]: the (0, .5)
        // point lies on the line from (0, 0) to (0, 1) but is kept because the test runs before (0, 0) is added.
        var roc = RocCurve.Compute([0.9, 0.8, 0.7, 0.6], [1, 1, 0, 0]);

        Assert.Equal([0, 0, 0, 1], roc.FalsePositiveRates);
        Assert.Equal([0, 0.5, 1, 1], roc.TruePositiveRates);
        Assert.Equal([double.PositiveInfinity, 0.9, 0.8, 0.6], roc.Thresholds);
        Assert.Equal(1, roc.Auc);
        Assert.Equal(new WorkingPoint(0.8, 1, 0), roc.BestThreshold());
    }

    [Fact]
    public void TieAcrossClasses_IsOneDiagonalStep()
    {
        var roc = RocCurve.Compute([0.9, 0.9, 0.8, 0.7], [1, 0, 1, 0]);

        Assert.Equal([0, 0.5, 0.5, 1], roc.FalsePositiveRates);
        Assert.Equal([0, 0.5, 1, 1], roc.TruePositiveRates);
        Assert.Equal(0.625, roc.Auc); // pairs (signal, background): 0.9 ≷ 0.9 counts ½, 0.9 > 0.7, 0.8 < 0.9, 0.8 > 0.7
    }

    [Fact]
    public void AtMistagRate_TakesTheBestRealCutWithoutInterpolating()
    {
        var roc = RocCurve.Compute([0.9, 0.9, 0.8, 0.7], [1, 0, 1, 0]);

        Assert.Equal(new WorkingPoint(double.PositiveInfinity, 0, 0), roc.AtMistagRate(0.4));
        Assert.Equal(new WorkingPoint(0.8, 1, 0.5), roc.AtMistagRate(0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => roc.AtMistagRate(1.5));
    }

    [Fact]
    public void BadInput_IsRejectedWithTheSample()
    {
        Assert.Contains("both classes", Assert.Throws<ArgumentException>(() => RocCurve.Compute([0.1, 0.2], [1, 1])).Message);
        Assert.Contains("Label 2 of sample 1", Assert.Throws<ArgumentException>(() => RocCurve.Compute([0.1, 0.2], [1, 2])).Message);
        Assert.Contains("sample 0 is NaN", Assert.Throws<ArgumentException>(() => RocCurve.Compute([double.NaN, 0.2], [1, 0])).Message);
        Assert.Throws<ArgumentException>(() => RocCurve.Compute([0.1], [1, 0]));
        Assert.Contains("outside [0, 2)", Assert.Throws<ArgumentException>(() => OneVsRestRoc.Compute([0.5, 0.5], [2], ["a", "b"])).Message);
    }

    [Fact]
    public void BinaryMetrics_ZeroDenominatorsAreZeroAsSklearn()
    {
        var nothingSelected = BinaryClassification.FromScores([0.1, 0.2], [1, 0], threshold: 0.5);

        Assert.Equal(0, nothingSelected.Precision);
        Assert.Equal(0, nothingSelected.F1);
        Assert.Equal(1, nothingSelected.Specificity);
        Assert.Equal(0.5, nothingSelected.Accuracy);
    }

    [Fact]
    public void RegressionR2_OfConstantTruth_FollowsSklearn()
    {
        Assert.Equal(1, RegressionMetrics.Compute([2, 2], [2, 2]).R2);
        Assert.Equal(0, RegressionMetrics.Compute([1, 3], [2, 2]).R2);
        Assert.Equal(new RegressionMetrics(1, 1, 0), RegressionMetrics.Compute([1, 3], [2, 2]));
    }

    [Fact]
    public void FractionTable_PrintsRowFractions()
    {
        var matrix = new ConfusionMatrix(["background", "signal"]);
        matrix.Add(0, 0);
        matrix.Add(0, 1);
        matrix.Add(1, 1);
        matrix.Add(0, 0);

        string[] lines = matrix.ToFractionString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(["true", "\\", "predicted", "background", "signal"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["background", "0.667", "0.333"], lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["signal", "0.000", "1.000"], lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
