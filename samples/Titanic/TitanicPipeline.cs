using DeepPhys;
using DeepPhys.Data;
using DeepPhys.Optimizers;
using DeepPhys.Training;

namespace DeepPhys.Samples.Titanic;

/// <summary>
/// Survival from the encoded passenger row: pclass (index), sex (2 one-hot inputs), age, fare,
/// port (3 one-hot inputs); two hidden ReLU layers, a sigmoid output under binary cross-entropy.
/// </summary>
[Network(Loss = Loss.BinaryCrossEntropy)]
[Input(8)]
[Dense(16, Activation.ReLU)]
[Dense(16, Activation.ReLU)]
[Dense(1, Activation.Sigmoid)]
public partial class SurvivalClassifier;

/// <summary>Reads the passenger CSV, splits it, fits the preprocessing on the training rows only, trains and evaluates.</summary>
public static class TitanicPipeline
{
    /// <summary>What one run produces.</summary>
    /// <param name="Network">The trained network.</param>
    /// <param name="Preprocessor">Imputation, encoding and scaling fitted on the training rows.</param>
    /// <param name="Table">The whole table as read (missing values still missing).</param>
    /// <param name="History">Loss and accuracy per epoch.</param>
    /// <param name="Test">Loss, accuracy, confusion matrix and ROC curve on the test rows.</param>
    public sealed record Result(SurvivalClassifier Network, Preprocessor Preprocessor, DataTable Table, History History, Evaluation Test);

    /// <summary>
    /// Splits 60/20/20 (stratified by survival), fills missing ages with the training median and
    /// missing ports with the most frequent training port, one-hot encodes sex and port,
    /// standardises, and trains with Adam.
    /// </summary>
    /// <param name="csvPath">A file written by <see cref="TitanicData.Generate"/>.</param>
    /// <param name="seed">Seeds the split, the initialisation and the shuffling.</param>
    /// <param name="epochs">Passes over the training rows.</param>
    public static Result Run(string csvPath, int seed = 1, int epochs = 60)
    {
        var table = DataTable.ReadCsv(csvPath, TitanicData.Schema);
        var (train, validation, test) = table.Split(0.6, 0.2, 0.2, seed);
        var preprocessor = Preprocessor.Fit(train, Imputation.Median, Scaling.Standard);
        var network = new SurvivalClassifier(seed);
        var history = network.Fit(preprocessor.Transform<float>(train), new Adam(learningRate: 1e-3), epochs, batchSize: 32,
            preprocessor.Transform<float>(validation));
        return new Result(network, preprocessor, table, history, network.Evaluate(preprocessor.Transform<float>(test)));
    }
}
