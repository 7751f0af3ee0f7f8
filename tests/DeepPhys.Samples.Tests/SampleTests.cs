using DeepPhys.Data;
using DeepPhys.Samples.CaloRegression;
using DeepPhys.Samples.PolynomialFit;
using DeepPhys.Samples.Titanic;

namespace DeepPhys.Samples.Tests;

public sealed class TitanicDataTests
{
    [Fact]
    public void TheSameSeedGivesTheSameFileAndAnotherSeedAnother()
    {
        Assert.Equal(TitanicData.Generate(300, seed: 3), TitanicData.Generate(300, seed: 3));
        Assert.NotEqual(TitanicData.Generate(300, seed: 3), TitanicData.Generate(300, seed: 4));
    }

    [Fact]
    public void TheLogisticModelIsTheDocumentedOne()
    {
        // z = 0.4 + 2.5 + 0.3 for a 30-year-old first-class woman from Cherbourg.
        Assert.Equal(1 / (1 + Math.Exp(-3.2)), TitanicData.SurvivalProbability(1, female: true, age: 30, 'C'), 15);
        // z = 0.4 − 2.2 − 0.035·10 for a 40-year-old third-class man from Southampton.
        Assert.Equal(1 / (1 + Math.Exp(2.15)), TitanicData.SurvivalProbability(3, female: false, age: 40, 'S'), 15);
    }

    [Fact]
    public void TheFileReadsWithItsSchemaAndHasTheDocumentedMissingValues()
    {
        string path = Path.Combine(Path.GetTempPath(), $"passengers-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, TitanicData.Generate(2000, seed: 5));
        try
        {
            var table = DataTable.ReadCsv(path, TitanicData.Schema);
            Assert.Equal(2000, table.Count);
            Assert.InRange(table.Column("age").MissingCount, 340, 460);        // 20 % of 2000, ±3σ
            Assert.InRange(table.Column("embarked").MissingCount, 20, 62);     // 2 %
            Assert.Equal(0, table.Column("sex").MissingCount);

            string?[] sex = table.Column("sex").Texts!;
            double Rate(string who) => Enumerable.Range(0, table.Count).Where(i => sex[i] == who).Average(i => table.Targets[i] == "1" ? 1.0 : 0.0);
            Assert.True(Rate("female") > Rate("male") + 0.4, $"female {Rate("female"):F3}, male {Rate("male"):F3}");
        }
        finally
        {
            File.Delete(path);
        }
    }
}

public sealed class ToyCalorimeterTests
{
    [Fact]
    public void ALowEnergyShowerIsContainedAndALateHighEnergyOneLeaks()
    {
        Assert.InRange(ToyCalorimeter.Profile(2, start: 0).Sum(), 0.99, 1.0);
        double early = ToyCalorimeter.Profile(100, start: 0).Sum(), late = ToyCalorimeter.Profile(100, start: 3).Sum();
        Assert.True(late < early - 0.02, $"containment {early:F4} from the front, {late:F4} from 3 X0");
    }

    [Fact]
    public void TheMeanResponseIsTheSamplingFractionTimesTheContainedEnergyAndTheSpreadTheDocumentedResolution()
    {
        const double energy = 50;
        var random = new RandomStream(11);
        var events = Enumerable.Range(0, 20_000).Select(_ => ToyCalorimeter.Shoot(energy, random)).ToArray();
        double[] response = events.Select(e => e.Deposits.Sum() / (ToyCalorimeter.SamplingFraction * energy * e.Containment)).ToArray();
        double mean = response.Average();
        double sigma = Math.Sqrt(response.Sum(r => (r - mean) * (r - mean)) / response.Length);

        Assert.Equal(1.0, mean, 0.001);   // the statistical error of the mean is 0.00017
        double expected = ToyCalorimeter.ExpectedResolution(energy, events.Average(e => e.Containment));
        Assert.Equal(expected, sigma, expected * 0.03);
    }
}

public sealed class PolynomialDemoTests
{
    [Fact]
    public void DegreeTenInterpolatesTheTrainingPointsAndFailsOnTheTestPoints()
    {
        var result = PolynomialDemo.Run(seed: 1);
        var fits = result.Fits.ToDictionary(f => f.Degree);
        Assert.True(fits[10].TrainMse < 1e-3, $"degree 10 training MSE {fits[10].TrainMse}");
        Assert.True(fits[10].TestMse > 100 * fits[10].TrainMse && fits[10].TestMse > 1, $"degree 10 test MSE {fits[10].TestMse}");
        Assert.InRange(fits[1].TestMse, 0.07, 0.12);                                   // the noise variance is 0.09
        Assert.True(fits[1].TrainMse < fits[1].TestMse * 1.5 && fits[3].TestMse < fits[10].TestMse / 10);
    }

    [Fact]
    public void TheFeaturesAreLegendrePolynomialsOf2xMinus1()
    {
        var data = PolynomialDemo.Features(new PolynomialDemo.Points([0.75], [0]), degree: 3);
        double u = 0.5;
        Assert.Equal([u, (3 * u * u - 1) / 2, (5 * u * u * u - 3 * u) / 2], data.FeatureRow(0).ToArray(), new ToleranceComparer(1e-15));
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}

public sealed class CaloCnnTests
{
    [Fact]
    public void Images_AreSeeded_UnitSum_AndElectronsAreNarrower()
    {
        var (images, labels) = DeepPhys.Samples.CaloCnn.CaloImages.Generate(400, seed: 5);
        Assert.Equal(images, DeepPhys.Samples.CaloCnn.CaloImages.Generate(400, seed: 5).Images);
        const int cells = DeepPhys.Samples.CaloCnn.CaloImages.Size * DeepPhys.Samples.CaloCnn.CaloImages.Size;
        Assert.Equal(400 * cells, images.Length);
        Assert.InRange(labels.Average(), 0.4, 0.6);
        Assert.InRange(images.AsSpan(0, cells).ToArray().Sum(), 0.9, 1.1);
        double Width(int label) => Enumerable.Range(0, 400).Where(i => labels[i] == label)
            .Average(i => DeepPhys.Samples.CaloCnn.CaloImages.Width(images.AsSpan(i * cells, cells)));
        Assert.True(Width(1) + 0.3 < Width(0), $"electron width {Width(1):F2}, pion width {Width(0):F2}");
    }

    [Fact]
    public void Cnn_SeparatesElectronsFromPions_BetterThanTheWidthCut()
    {
        var result = DeepPhys.Samples.CaloCnn.CaloCnnPipeline.Run(seed: 1, trainCount: 1500, testCount: 1000, epochs: 4, mistagRate: 0.05);
        Assert.True(result.Auc > 0.9, $"AUC {result.Auc:F3}");
        Assert.True(result.Accuracy > 0.8, $"accuracy {result.Accuracy:P1}");
        Assert.True(result.Efficiency > result.WidthEfficiency, $"CNN {result.Efficiency:P1} vs width cut {result.WidthEfficiency:P1} at 5 % mistag");
    }
}

public sealed class ResidualCnnTests
{
    /// <summary>The residual and dense blocks (batch norm, skip additions, concatenations) train on a small run: 800 images, 3 epochs.</summary>
    [Fact]
    public void ResidualCnn_SeparatesElectronsFromPions_BetterThanTheWidthCut()
    {
        var network = new DeepPhys.Samples.ResidualCnn.ResidualCnnClassifier(seed: 1);
        var result = DeepPhys.Samples.CaloCnn.CaloCnnPipeline.Run(network, seed: 1, trainCount: 800, testCount: 1000, epochs: 3, mistagRate: 0.05);
        // Seed 1 gives AUC 0.943 and 65 % against the width cut's 41 %; the 0.5 cut is not yet calibrated after 75 steps (78 %).
        Assert.True(result.Auc > 0.92, $"AUC {result.Auc:F3}");
        Assert.True(result.Accuracy > 0.75, $"accuracy {result.Accuracy:P1}");
        Assert.True(result.Efficiency > result.WidthEfficiency + 0.15, $"residual CNN {result.Efficiency:P1} vs width cut {result.WidthEfficiency:P1} at 5 % mistag");
    }
}
