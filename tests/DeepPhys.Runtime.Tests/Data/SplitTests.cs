using DeepPhys.Data;

namespace DeepPhys.Runtime.Tests.Data;

public class SplitTests
{
    /// <summary>Feature 0 is the row index, so parts can be traced back to rows; <paramref name="perClass"/> rows of each class.</summary>
    private static Dataset<double> Indexed(params int[] perClass)
    {
        var labels = perClass.SelectMany((count, label) => Enumerable.Repeat(label, count)).ToArray();
        return Dataset<double>.FromClassLabels(Enumerable.Range(0, labels.Length).Select(i => (double)i).ToArray(), 1, labels, perClass.Length);
    }

    private static int[] Rows(Dataset<double> part) => part.Features.ToArray().Select(x => (int)x).ToArray();

    private static int[] PerClass(Dataset<double> part) =>
        Enumerable.Range(0, part.TargetCount).Select(c => part.ClassLabels().Count(label => label == c)).ToArray();

    [Fact]
    public void Iris_602020Stratified_Gives903030With301010PerClass()
    {
        var iris = Dataset<double>.FromCsv(CsvTests.IrisPath, "species");

        var (train, validation, test) = iris.Split(0.6, 0.2, 0.2, seed: 7);

        Assert.Equal((90, 30, 30), (train.Count, validation.Count, test.Count));
        Assert.Equal([30, 30, 30], PerClass(train));
        Assert.Equal([10, 10, 10], PerClass(validation));
        Assert.Equal([10, 10, 10], PerClass(test));
        Assert.Equal(iris.FeatureNames, train.FeatureNames);
        Assert.Equal(iris.ClassNames, test.ClassNames);
    }

    [Fact]
    public void Stratified_KeepsImbalancedProportions()
    {
        var (train, validation, test) = Indexed(80, 20).Split(0.5, 0.25, 0.25, seed: 1);

        Assert.Equal([40, 10], PerClass(train));
        Assert.Equal([20, 5], PerClass(validation));
        Assert.Equal([20, 5], PerClass(test));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Parts_CoverEveryRowOnce(bool stratify)
    {
        var (train, validation, test) = Indexed(50, 50, 50).Split(0.6, 0.2, 0.2, seed: 3, stratify);

        var all = Rows(train).Concat(Rows(validation)).Concat(Rows(test)).Order();

        Assert.Equal(Enumerable.Range(0, 150), all);
    }

    [Fact]
    public void SameSeed_SameParts_OtherSeed_OtherParts()
    {
        var data = Indexed(50, 50, 50);

        var first = data.Split(0.6, 0.2, 0.2, seed: 11);
        var again = data.Split(0.6, 0.2, 0.2, seed: 11);
        var other = data.Split(0.6, 0.2, 0.2, seed: 12);

        Assert.Equal(Rows(first.Train), Rows(again.Train));
        Assert.Equal(Rows(first.Validation), Rows(again.Validation));
        Assert.Equal(Rows(first.Test), Rows(again.Test));
        Assert.NotEqual(Rows(first.Validation).Order(), Rows(other.Validation).Order());
    }

    [Fact]
    public void Parts_AreShuffled_NotGroupedByClass()
    {
        var (train, _, _) = Indexed(50, 50, 50).Split(0.6, 0.2, 0.2, seed: 5);

        Assert.NotEqual(train.ClassLabels().Order(), train.ClassLabels());
    }

    [Theory]
    [InlineData(0.33, 0.33, 0.34, 4, 3, 3)]
    [InlineData(0.5, 0.25, 0.25, 6, 2, 2)]
    [InlineData(1, 0, 0, 10, 0, 0)]
    [InlineData(0, 0.55, 0.45, 0, 6, 4)]
    public void Unstratified_RoundsSizesWithRemainderToTraining(double train, double validation, double test, int trainCount, int validationCount, int testCount)
    {
        var data = new Dataset<double>(new double[10], 1, new double[10], 1);

        var parts = data.Split(train, validation, test, seed: 0);

        Assert.Equal((trainCount, validationCount, testCount), (parts.Train.Count, parts.Validation.Count, parts.Test.Count));
    }

    /// <summary>Issue 20, item 14: one row split 0.8/0.1/0.1 gave 1/0/0 and a validation set of none.</summary>
    [Fact]
    public void APartAskedForThatGetsNoSample_IsRejectedWithTheSizes()
    {
        var one = new Dataset<double>(new double[1], 1, new double[1], 1);

        var error = Assert.Throws<ArgumentException>(() => one.Split(0.8, 0.1, 0.1, seed: 0));

        Assert.Equal("Splitting 1 samples 0.8/0.1/0.1 gives 1 training, 0 validation and 0 test samples: the validation part asked for is empty. "
            + "Use more samples, larger fractions, or a fraction of 0 for a part you do not want.", error.Message);
    }

    [Theory]
    [InlineData(0.6, 0.2, 0.1)]
    [InlineData(0.7, 0.4, -0.1)]
    [InlineData(double.NaN, 0.5, 0.5)]
    public void BadFractions_AreRejected(double train, double validation, double test)
    {
        Assert.Throws<ArgumentException>(() => Indexed(5, 5).Split(train, validation, test, seed: 0));
    }
}
