using DeepPhys.Data;

namespace DeepPhys.Runtime.Tests.Data;

public class KFoldTests
{
    [Fact]
    public void EverySampleIsHeldOutOnce_AndFoldSizesDifferByAtMostOne()
    {
        var folds = Splitting.KFold(23, [], k: 5, seed: 3);

        Assert.Equal(Enumerable.Range(0, 23), folds.SelectMany(f => f.Test).Order());
        Assert.Equal([5, 5, 5, 4, 4], folds.Select(f => f.Test.Length));
        Assert.All(folds, f => Assert.Equal(Enumerable.Range(0, 23), f.Train.Concat(f.Test).Order()));
        Assert.Equal(folds.Select(f => f.Test), Splitting.KFold(23, [], 5, seed: 3).Select(f => f.Test));
        Assert.NotEqual(folds[0].Test, Splitting.KFold(23, [], 5, seed: 4)[0].Test);
    }

    [Fact]
    public void Stratified_KeepsClassCountsWithinOneAcrossFolds()
    {
        int[] labels = [.. Enumerable.Repeat(0, 40), .. Enumerable.Repeat(1, 12), .. Enumerable.Repeat(2, 7)];

        var folds = Splitting.KFold(labels.Length, labels, k: 4, seed: 1);

        for (int c = 0; c < 3; c++)
        {
            var perFold = folds.Select(f => f.Test.Count(i => labels[i] == c)).ToArray();
            Assert.True(perFold.Max() - perFold.Min() <= 1, $"class {c}: {string.Join(", ", perFold)}");
            Assert.Equal(labels.Count(l => l == c), perFold.Sum());
        }
    }

    [Fact]
    public void IrisDataset_StratifiedFiveFold_Has101010PerClassInEachFold()
    {
        var iris = Dataset<double>.FromCsv(CsvTests.IrisPath, "species");
        var labels = iris.ClassLabels();

        var folds = iris.KFold(5, seed: 7);

        Assert.All(folds, f => Assert.Equal([10, 10, 10], Enumerable.Range(0, 3).Select(c => f.Test.Count(i => labels[i] == c))));
    }

    [Fact]
    public void BadK_IsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Splitting.KFold(5, [], k: 1, seed: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Splitting.KFold(5, [], k: 6, seed: 0));
        Assert.Throws<ArgumentException>(() => Splitting.KFold(5, [0, 1], k: 2, seed: 0));
    }
}
