using DeepPhys.Data;
using DeepPhys.Optimizers;
using DeepPhys.Samples.CaloCnn;
using DeepPhys.Samples.PolynomialFit;
using DeepPhys.Scans;

namespace DeepPhys.Samples.ArchitectureScan;

/// <summary>
/// Architecture scans with networks compiled at run time from one parameterised text each: lecture 003's polynomial degree
/// (training and validation MSE against the degree) and a CNN's width and depth on the toy calorimeter images.
/// </summary>
public static class ArchitectureScanDemo
{
    /// <summary>A polynomial of degree d as a linear model on d features (the Legendre features of <see cref="PolynomialDemo.Features"/>).</summary>
    public const string PolynomialText = """
        precision double
        param degree = 3
        input x[degree]
        out = dense(x, 1)
        loss mse(out)
        """;

    /// <summary>A convolution and pooling, then <c>depth</c> more convolutions, all <c>filters</c> wide; the CaloCnn sample's shape.</summary>
    public const string CnnText = """
        param filters = 8
        param depth = 1
        input image[1, 12, 12]
        c = conv2d(image, filters, kernel: 3, padding: same) -> relu
        p = maxpool2d(c, 2)
        repeat depth: h = conv2d(p, filters, kernel: 3, padding: same) -> relu
        g = globalavgpool2d(h)
        out = dense(g, 1) -> sigmoid
        loss binary_crossentropy(out)
        """;

    /// <summary>
    /// Degrees 1 … <paramref name="maxDegree"/> fitted to 10 noisy points of y = 2x (σ = 0.3, as in PolynomialFit) by full-batch Adam,
    /// each scored on the training points and on 200 validation points; ranked by the validation MSE.
    /// </summary>
    /// <param name="directory">Where the scan's JSON files go; none when <c>null</c>.</param>
    /// <param name="epochs">Full-batch steps per degree.</param>
    /// <param name="seed">Seeds the points and the networks.</param>
    /// <param name="maxDegree">The largest degree.</param>
    public static ScanTable PolynomialScan(string? directory, int epochs = 20_000, int seed = 1, int maxDegree = 12)
    {
        var random = new RandomStream(seed);
        var train = PolynomialDemo.Sample(10, 0.3, random);
        var validation = PolynomialDemo.Sample(200, 0.3, random);
        var grid = new ScanGrid([new("degree", Enumerable.Range(1, maxDegree).Select(degree => (double)degree).ToArray())]);
        return Scan.Run(grid, point =>
        {
            int degree = (int)point["degree"];
            var scaler = StandardScaler.Fit(PolynomialDemo.Features(train, degree));
            var trainData = scaler.Transform(PolynomialDemo.Features(train, degree));
            var network = Networks.Compile<double>(PolynomialText, seed, "Polynomial", point);
            network.Fit(trainData, new Adam(learningRate: 3e-2), epochs, batchSize: trainData.Count, shuffle: false);
            return new Dictionary<string, double>
            {
                ["train_mse"] = network.Evaluate(trainData).Loss,
                ["validation_mse"] = network.Evaluate(scaler.Transform(PolynomialDemo.Features(validation, degree))).Loss,
            };
        }, new ScanOptions { Metric = "validation_mse", Directory = directory });
    }

    /// <summary>
    /// The CNN at each point of <paramref name="grid"/> (<c>filters</c>, <c>depth</c>) trained on the calorimeter images by
    /// <see cref="CaloCnnPipeline"/> and scored on fresh ones: ROC AUC (the ranking), accuracy, electron efficiency at a 5 % pion mistag rate.
    /// </summary>
    public static ScanTable CnnScan(string? directory, ScanGrid grid, int trainCount, int testCount, int epochs, int seed = 1) =>
        Scan.Run(grid, point =>
        {
            var network = Networks.Compile<float>(CnnText, seed, "CaloScanCnn", point);
            var result = CaloCnnPipeline.Run(network, seed, trainCount, testCount, epochs, mistagRate: 0.05);
            return new Dictionary<string, double> { ["auc"] = result.Auc, ["accuracy"] = result.Accuracy, ["efficiency"] = result.Efficiency };
        }, new ScanOptions { Metric = "auc", Minimize = false, Directory = directory });
}
