using DeepPhys;
using DeepPhys.Data;
using DeepPhys.Optimizers;
using DeepPhys.Training;

namespace DeepPhys.Samples.CaloRegression;

/// <summary>The correction E_true / E_sum to the calibrated sum, from the 8 layer deposits.</summary>
[Network(Loss = Loss.MeanSquaredError)]
[Input(ToyCalorimeter.Layers)]
[Dense(32, Activation.ReLU)]
[Dense(32, Activation.ReLU)]
[Dense(1)]
public partial class EnergyRegressor;

/// <summary>Relative error (E_pred − E_true)/E_true of the events in one true-energy range.</summary>
/// <param name="Low">Lower edge, GeV (inclusive).</param>
/// <param name="High">Upper edge, GeV (exclusive).</param>
/// <param name="Count">Events in the bin.</param>
/// <param name="NetworkMean">Mean relative error of the network (the bias).</param>
/// <param name="NetworkSigma">Standard deviation of the network's relative error: its resolution.</param>
/// <param name="SumMean">Mean relative error of the calibrated sum.</param>
/// <param name="SumSigma">Standard deviation of the calibrated sum's relative error.</param>
public sealed record ResolutionBin(double Low, double High, int Count, double NetworkMean, double NetworkSigma, double SumMean, double SumSigma);

/// <summary>Simulates the toy calorimeter, trains the regression, and compares it with the calibrated sum of deposits.</summary>
public static class CaloPipeline
{
    /// <summary>What one run produces.</summary>
    /// <param name="TrueEnergy">The test events' true energies, GeV.</param>
    /// <param name="Predicted">The network's energies, GeV.</param>
    /// <param name="CalibratedSum">The sum of deposits times <paramref name="Calibration"/>, GeV.</param>
    /// <param name="Calibration">The factor fitted on the training events (least squares through the origin).</param>
    /// <param name="History">The training.</param>
    /// <param name="Bins">The resolution overall (first) and in true-energy bins.</param>
    public sealed record Result(double[] TrueEnergy, double[] Predicted, double[] CalibratedSum, double Calibration, History History, IReadOnlyList<ResolutionBin> Bins);

    /// <summary>Energy bin edges in GeV.</summary>
    public static readonly double[] BinEdges = [2, 10, 25, 50, 75, 100];

    /// <summary>
    /// Simulates training, validation and test electrons from <paramref name="seed"/>, trains the
    /// network and measures both resolutions on the test electrons. The network regresses the
    /// correction factor E_true / E_sum rather than E itself: its outputs are then of order one and
    /// mean squared error weighs relative errors alike at 2 and at 100 GeV (on E itself it would
    /// sacrifice the low energies). The predicted energy is E_sum times the predicted factor.
    /// </summary>
    public static Result Run(int seed = 1, int trainCount = 20_000, int testCount = 10_000, int epochs = 40)
    {
        var random = new RandomStream(seed);
        CaloEvent[] train = ToyCalorimeter.Generate(trainCount, random), validation = ToyCalorimeter.Generate(testCount / 2, random), test = ToyCalorimeter.Generate(testCount, random);

        // The classic estimate: one calibration factor on the summed deposits, fitted on the training events.
        double calibration = train.Sum(e => e.Deposits.Sum() * e.TrueEnergy) / train.Sum(e => e.Deposits.Sum() * e.Deposits.Sum());

        var scaler = StandardScaler.Fit(ToDataset(train, calibration));
        var network = new EnergyRegressor(seed);
        var history = network.Fit(scaler.Transform(ToDataset(train, calibration)), new Adam(learningRate: 1e-3), epochs, batchSize: 64,
            scaler.Transform(ToDataset(validation, calibration)));

        double[] truth = test.Select(e => e.TrueEnergy).ToArray();
        double[] summed = test.Select(e => calibration * e.Deposits.Sum()).ToArray();
        float[] factors = network.Predict(scaler.Transform(ToDataset(test, calibration)).Features);
        double[] predicted = summed.Select((sum, i) => sum * factors[i]).ToArray();
        var bins = new List<ResolutionBin> { Bin(truth, predicted, summed, BinEdges[0], BinEdges[^1]) };
        for (int i = 0; i + 1 < BinEdges.Length; i++) bins.Add(Bin(truth, predicted, summed, BinEdges[i], BinEdges[i + 1]));
        return new Result(truth, predicted, summed, calibration, history, bins);
    }

    /// <summary>Deposits as features, E_true / (<paramref name="calibration"/> × Σ deposits) as the target.</summary>
    public static Dataset<float> ToDataset(IReadOnlyList<CaloEvent> events, double calibration)
    {
        ArgumentNullException.ThrowIfNull(events);
        var features = events.SelectMany(e => e.Deposits).Select(d => (float)d).ToArray();
        var targets = events.Select(e => (float)(e.TrueEnergy / (calibration * e.Deposits.Sum()))).ToArray();
        return new Dataset<float>(features, ToyCalorimeter.Layers, targets, 1);
    }

    private static ResolutionBin Bin(double[] truth, double[] predicted, double[] summed, double low, double high)
    {
        int[] inBin = Enumerable.Range(0, truth.Length).Where(i => truth[i] >= low && (truth[i] < high || high == BinEdges[^1])).ToArray();
        var (networkMean, networkSigma) = MeanAndSigma(inBin.Select(i => (predicted[i] - truth[i]) / truth[i]));
        var (sumMean, sumSigma) = MeanAndSigma(inBin.Select(i => (summed[i] - truth[i]) / truth[i]));
        return new ResolutionBin(low, high, inBin.Length, networkMean, networkSigma, sumMean, sumSigma);
    }

    /// <summary>The mean and the standard deviation (divisor n).</summary>
    public static (double Mean, double Sigma) MeanAndSigma(IEnumerable<double> values)
    {
        double[] v = values.ToArray();
        double mean = v.Average();
        return (mean, Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / v.Length));
    }
}
