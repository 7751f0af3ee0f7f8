using DeepPhys.Data;

namespace DeepPhys.Runtime.Tests.Data;

public class StandardScalerTests
{
    [Fact]
    public void Fit_MatchesHandComputedMeanAndPopulationStd()
    {
        // Column 0: 1..4, mean 2.5, variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25. Column 1 is constant.
        var data = new Dataset<double>([1, 10, 2, 10, 3, 10, 4, 10], 2, [0, 0, 0, 0], 1);

        var scaler = StandardScaler.Fit(data);
        var scaled = scaler.Transform(data);

        Assert.Equal([2.5, 10], scaler.Mean);
        Assert.Equal(Math.Sqrt(1.25), scaler.Scale[0], 15);
        Assert.Equal(1, scaler.Scale[1]);
        double[] expected = [-1.5 / Math.Sqrt(1.25), 0, -0.5 / Math.Sqrt(1.25), 0, 0.5 / Math.Sqrt(1.25), 0, 1.5 / Math.Sqrt(1.25), 0];
        Assert.Equal(expected, scaled.Features.ToArray(), (a, b) => Math.Abs(a - b) < 1e-15);
    }

    [Fact]
    public void ConstantColumnWithRoundingNoise_GetsScaleOne()
    {
        // The mean of three 0.1 is 0.10000000000000002, so the deviations are tiny but not zero.
        var data = new Dataset<double>([0.1, 0.1, 0.1], 1, [0, 0, 0], 1);

        Assert.Equal(1, StandardScaler.Fit(data).Scale[0]);
    }

    [Fact]
    public void FittedSet_HasMeanZeroAndStdOne()
    {
        var (train, _, _) = Dataset<double>.FromCsv(CsvTests.IrisPath, "species").Split(0.6, 0.2, 0.2, seed: 1);

        var scaled = StandardScaler.Fit(train).Transform(train);

        for (int j = 0; j < scaled.FeatureCount; j++)
        {
            var column = Enumerable.Range(0, scaled.Count).Select(i => scaled.FeatureRow(i)[j]).ToArray();
            double mean = column.Average();
            Assert.Equal(0, mean, 12);
            Assert.Equal(1, Math.Sqrt(column.Average(x => (x - mean) * (x - mean))), 12);
        }
    }

    [Fact]
    public void Transform_SharesTargetsAndNames_AndRawRowsAgree()
    {
        var data = Dataset<float>.FromClassLabels([1, 5, 3, 7], 2, [0, 1], 2, ["a", "b"], ["x", "y"]);
        var scaler = StandardScaler.Fit(data);

        var scaled = scaler.Transform(data);
        float[] rows = [1, 5, 3, 7];
        scaler.Transform<float>(rows, rows);

        Assert.True(scaled.Targets == data.Targets);
        Assert.Same(data.ClassNames, scaled.ClassNames);
        Assert.Equal([-1f, -1, 1, 1], scaled.Features.ToArray());
        Assert.Equal(scaled.Features.ToArray(), rows);
    }

    [Fact]
    public void OtherFeatureCount_IsRejected()
    {
        var scaler = StandardScaler.Fit(new Dataset<double>([1, 2], 2, [0], 1));

        Assert.Throws<ArgumentException>(() => scaler.Transform(new Dataset<double>([1, 2, 3], 3, [0], 1)));
        Assert.Throws<ArgumentException>(() => scaler.Transform<double>([1, 2, 3], new double[3]));
        Assert.Throws<ArgumentException>(() => scaler.Transform<double>([1, 2], new double[4]));
    }
}
