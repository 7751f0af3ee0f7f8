using DeepPhys.Data;

namespace DeepPhys.Runtime.Tests.Data;

public class DatasetTests
{
    [Fact]
    public void NaNFeature_NamesSampleAndColumn()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new Dataset<double>([1, 2, 3, double.NaN], 2, [0, 1], 1, featureNames: ["a", "petal_length"]));

        Assert.StartsWith("Feature 'petal_length' of sample 1 is NaN; every input must be finite.", error.Message);
        Assert.Equal("features", error.ParamName);
    }

    [Theory]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void InfiniteFeature_WithoutNames_NamesColumnIndex(double value, string text)
    {
        var error = Assert.Throws<ArgumentException>(() => new Dataset<float>([1, 2, 3, 4, 5, (float)value], 3, [0, 1], 1));

        Assert.StartsWith($"Feature 2 of sample 1 is {text}; every input must be finite.", error.Message);
    }

    [Fact]
    public void NaNTarget_NamesSampleAndClass()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new Dataset<double>([1, 2], 1, [0, 1, double.NaN, 0], 2, classNames: ["cat", "dog"]));

        Assert.StartsWith("Target 'cat' of sample 1 is NaN; every target must be finite.", error.Message);
        Assert.Equal("targets", error.ParamName);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(-1)]
    public void LabelOutOfRange_NamesSampleAndLabel(int label)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Dataset<double>.FromClassLabels([1, 2, 3], 1, [0, 2, label], 3));

        Assert.StartsWith($"Label {label} of sample 2 is outside [0, 3)", error.Message);
    }

    [Fact]
    public void BadShapes_AreRejected()
    {
        Assert.Throws<ArgumentException>(() => new Dataset<double>([1, 2, 3], 2, [0], 1));
        Assert.Throws<ArgumentException>(() => new Dataset<double>([1, 2], 1, [0], 1));
        Assert.Throws<ArgumentException>(() => new Dataset<double>([1, 2], 2, [0], 1, featureNames: ["a"]));
        Assert.Throws<ArgumentException>(() => new Dataset<double>([1], 1, [0], 1, classNames: ["a", "b"]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dataset<double>([], 0, [], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dataset<double>([], 1, [], 0));
    }

    [Fact]
    public void FromClassLabels_BuildsOneHotRowsAndDefaultNames()
    {
        var data = Dataset<double>.FromClassLabels([1, 2, 3], 1, [2, 0, 1], 3);

        Assert.Equal([0.0, 0, 1, 1, 0, 0, 0, 1, 0], data.Targets.ToArray());
        Assert.Equal(["0", "1", "2"], data.ClassNames!);
        Assert.Equal([2, 0, 1], data.ClassLabels());
    }

    [Fact]
    public void ClassLabels_OfNumericTargets_Throws()
    {
        var data = new Dataset<double>([1, 2], 1, [0.5, 0.7], 1);

        Assert.Throws<InvalidOperationException>(() => data.ClassLabels());
    }

    [Fact]
    public void Gather_CopiesRowsInOrder()
    {
        var data = new Dataset<double>([10, 11, 20, 21, 30, 31], 2, [1, 2, 3], 1);
        var features = new double[6];
        var targets = new double[3];

        data.Gather([2, 0, 2], features, targets);

        Assert.Equal([30.0, 31, 10, 11, 30, 31], features);
        Assert.Equal([3.0, 1, 3], targets);
        Assert.Throws<ArgumentException>(() => data.Gather([0], new double[3], new double[1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Gather([3], new double[2], new double[1]));
    }

    [Fact]
    public void Subset_CopiesRowsAndKeepsNames()
    {
        double[] features = [10, 20, 30];
        var data = Dataset<double>.FromClassLabels(features, 1, [0, 1, 0], 2, ["x"], ["no", "yes"]);

        var subset = data.Subset([1, 2]);
        features[1] = 99;

        Assert.Equal([20.0, 30], subset.Features.ToArray());
        Assert.Equal([1, 0], subset.ClassLabels());
        Assert.Same(data.FeatureNames, subset.FeatureNames);
        Assert.Same(data.ClassNames, subset.ClassNames);
    }
}
