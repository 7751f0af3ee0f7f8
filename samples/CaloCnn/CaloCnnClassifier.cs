namespace DeepPhys.Samples.CaloCnn;

/// <summary>Electron or pion from a 12 × 12 calorimeter image: two convolutions, pooling, one sigmoid unit.</summary>
[Network(Loss = Loss.BinaryCrossEntropy)]
[Input(1, CaloImages.Size, CaloImages.Size)]
[Conv2D(8, 3, Activation.ReLU, Padding = Padding.Same)]
[MaxPool2D(2)]
[Conv2D(16, 3, Activation.ReLU)]
[GlobalAveragePooling2D]
[Dense(1, Activation.Sigmoid)]
public partial class CaloCnnClassifier;

/// <summary>Trains the classifier and scores it: accuracy at 0.5 and the electron efficiency at a fixed pion mistag rate.</summary>
public static class CaloCnnPipeline
{
    /// <summary>What a run gives.</summary>
    /// <param name="Accuracy">Test accuracy with the 0.5 threshold.</param>
    /// <param name="Auc">Area under the test ROC curve.</param>
    /// <param name="Efficiency">Electron efficiency at <paramref name="MistagRate"/>.</param>
    /// <param name="MistagRate">The pion mistag rate of the working point.</param>
    /// <param name="WidthEfficiency">The shower-width cut's electron efficiency at the same mistag rate: the classic baseline.</param>
    /// <param name="Roc">The CNN's test ROC curve.</param>
    /// <param name="WidthRoc">The shower-width cut's test ROC curve.</param>
    /// <param name="Scores">The CNN's score per test image.</param>
    /// <param name="Labels">The label per test image (1: electron, 0: pion).</param>
    public sealed record Result(double Accuracy, double Auc, double Efficiency, double MistagRate, double WidthEfficiency,
        global::DeepPhys.Metrics.RocCurve Roc, global::DeepPhys.Metrics.RocCurve WidthRoc, double[] Scores, int[] Labels);

    public static Result Run(int seed, int trainCount, int testCount, int epochs, double mistagRate = 0.01) =>
        Run(new CaloCnnClassifier(seed), seed, trainCount, testCount, epochs, mistagRate);

    /// <summary>Trains and scores <paramref name="network"/>, any classifier of one 12 × 12 image with one sigmoid output, on the images of <paramref name="seed"/>.</summary>
    public static Result Run(Network<float> network, int seed, int trainCount, int testCount, int epochs, double mistagRate = 0.01)
    {
        var (trainImages, trainLabels) = CaloImages.Generate(trainCount, seed);
        var (testImages, testLabels) = CaloImages.Generate(testCount, seed + 1);
        var train = new global::DeepPhys.Data.Dataset<float>(trainImages, CaloImages.Size * CaloImages.Size, trainLabels.Select(label => (float)label).ToArray(), 1);
        network.Fit(train, new global::DeepPhys.Optimizers.Adam(0.01), epochs, batchSize: 32);

        var scores = network.Predict(testImages).Select(score => (double)score).ToArray();
        double accuracy = scores.Zip(testLabels, (score, label) => (score >= 0.5 ? 1 : 0) == label ? 1.0 : 0).Average();
        var roc = global::DeepPhys.Metrics.RocCurve.Compute(scores, testLabels);
        // Narrow is electron-like: the score of the width cut is minus the width.
        var widths = Enumerable.Range(0, testCount).Select(i => -CaloImages.Width(testImages.AsSpan(i * CaloImages.Size * CaloImages.Size, CaloImages.Size * CaloImages.Size))).ToArray();
        var widthRoc = global::DeepPhys.Metrics.RocCurve.Compute(widths, testLabels);
        return new Result(accuracy, roc.Auc, roc.AtMistagRate(mistagRate).SignalEfficiency, mistagRate, widthRoc.AtMistagRate(mistagRate).SignalEfficiency,
            roc, widthRoc, scores, testLabels);
    }
}
