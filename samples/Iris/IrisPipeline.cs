using DeepPhys.Data;
using DeepPhys.Optimizers;
using DeepPhys.Training;

namespace DeepPhys.Samples.Iris;

/// <summary>The whole Iris workflow of the lecture, shared by the sample's Program and its end-to-end test.</summary>
public static class IrisPipeline
{
    /// <summary>What one run produces.</summary>
    /// <param name="Network">The trained network.</param>
    /// <param name="Scaler">The scaler fitted on the training part, needed to predict new flowers.</param>
    /// <param name="History">Loss and accuracy per epoch.</param>
    /// <param name="Test">Loss, accuracy and confusion matrix on the held-out test part.</param>
    public sealed record Result(IrisClassifier Network, StandardScaler Scaler, History History, Evaluation Test);

    /// <summary>Passes over the training part.</summary>
    public const int Epochs = 200;

    /// <summary>Loads the CSV, splits 60/20/20 (stratified), standardises with training statistics only, trains with Adam and evaluates on the test part.</summary>
    /// <param name="csvPath">The Iris CSV: four measurements and a <c>species</c> column.</param>
    /// <param name="seed">Seeds the split, the initialisation and the shuffling.</param>
    /// <param name="progress">Receives every epoch's figures.</param>
    public static Result Run(string csvPath, int seed = 7, IProgress<EpochResult>? progress = null)
    {
        var data = Dataset<float>.FromCsv(csvPath, target: "species");
        var (train, validation, test) = data.Split(0.6, 0.2, 0.2, seed);

        // Statistics of the training part only: validation and test must stay unseen.
        var scaler = StandardScaler.Fit(train);
        train = scaler.Transform(train);
        validation = scaler.Transform(validation);
        test = scaler.Transform(test);

        var network = new IrisClassifier(seed);
        var history = network.Fit(train, new Adam(learningRate: 1e-3), epochs: Epochs, batchSize: 32, validation, progress: progress);
        return new Result(network, scaler, history, network.Evaluate(test));
    }
}
