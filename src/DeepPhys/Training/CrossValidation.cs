using System.Globalization;
using System.Numerics;
using System.Text;
using DeepPhys.Data;
using DeepPhys.Optimizers;

namespace DeepPhys.Training;

/// <summary>How each fold's network is trained.</summary>
/// <param name="MakeOptimizer">Makes a fresh optimizer per fold (an optimizer binds to one network).</param>
/// <param name="Epochs">Passes over the fold's training part.</param>
/// <param name="BatchSize">Samples per step.</param>
/// <param name="Standardize">Fit a <see cref="StandardScaler"/> on each fold's training part and apply it to both parts.</param>
public sealed record FitSettings(Func<Optimizer> MakeOptimizer, int Epochs, int BatchSize = 32, bool Standardize = true);

/// <summary>One fold's training history and its evaluation on the held-out part.</summary>
/// <param name="Fold">The fold number, from 0.</param>
/// <param name="History">The fold's training.</param>
/// <param name="Test">Loss, accuracy, … on the held-out part.</param>
public sealed record FoldResult(int Fold, History History, Evaluation Test);

/// <summary>The folds of a cross-validation and the mean and spread of their test figures.</summary>
public sealed class CrossValidationResult
{
    internal CrossValidationResult(FoldResult[] folds)
    {
        Folds = folds;
        Loss = MeanAndStd(folds.Select(f => f.Test.Loss));
        Accuracy = folds.All(f => f.Test.Accuracy is not null) ? MeanAndStd(folds.Select(f => f.Test.Accuracy!.Value)) : null;
    }

    /// <summary>Each fold, in order.</summary>
    public IReadOnlyList<FoldResult> Folds { get; }

    /// <summary>Mean and standard deviation of the held-out loss over the folds.</summary>
    public (double Mean, double Std) Loss { get; }

    /// <summary>Mean and standard deviation of the held-out accuracy over the folds; null for a regression loss.</summary>
    public (double Mean, double Std)? Accuracy { get; }

    /// <summary>One line per fold and the summary, e.g. <c>accuracy 0.953 ± 0.027</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var fold in Folds)
        {
            text.Append(CultureInfo.InvariantCulture, $"fold {fold.Fold + 1}: loss {fold.Test.Loss:F4}");
            if (fold.Test.Accuracy is { } accuracy) text.Append(CultureInfo.InvariantCulture, $", accuracy {accuracy:F4}");
            text.AppendLine();
        }

        text.Append(CultureInfo.InvariantCulture, $"mean ± std over {Folds.Count} folds: loss {Loss.Mean:F4} ± {Loss.Std:F4}");
        if (Accuracy is { } summary) text.Append(CultureInfo.InvariantCulture, $", accuracy {summary.Mean:F4} ± {summary.Std:F4}");
        return text.ToString();
    }

    /// <summary>The mean and the population standard deviation (divisor n, NumPy's default <c>std()</c> as printed for <c>cross_val_score</c>).</summary>
    private static (double Mean, double Std) MeanAndStd(IEnumerable<double> values)
    {
        double[] v = values.ToArray();
        double mean = v.Average();
        return (mean, Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / v.Length));
    }
}

/// <summary>k-fold cross-validation: a fresh network per fold, trained on the other folds and evaluated on the held-out one.</summary>
public static class CrossValidation
{
    /// <summary>
    /// Runs <paramref name="k"/>-fold cross-validation over <paramref name="data"/> (stratified by class
    /// for classification), training <c>makeNetwork(fold)</c> on each fold's training part and
    /// evaluating it on the held-out part.
    /// </summary>
    /// <param name="makeNetwork">Makes a fresh network for fold <c>i</c> (e.g. <c>i =&gt; new IrisClassifier(seed: i)</c>).</param>
    /// <param name="data">All the samples.</param>
    /// <param name="k">Number of folds.</param>
    /// <param name="settings">Optimizer, epochs, batch size, per-fold standardisation.</param>
    /// <param name="seed">Seeds the assignment of samples to folds.</param>
    public static CrossValidationResult Run<T>(Func<int, Network<T>> makeNetwork, Dataset<T> data, int k, FitSettings settings, int seed = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(makeNetwork);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(settings);
        var results = data.KFold(k, seed).Select(fold =>
        {
            Dataset<T> train = data.Subset(fold.Train), test = data.Subset(fold.Test);
            if (settings.Standardize)
            {
                var scaler = StandardScaler.Fit(train);
                (train, test) = (scaler.Transform(train), scaler.Transform(test));
            }

            var network = makeNetwork(fold.Index);
            var history = network.Fit(train, settings.MakeOptimizer(), settings.Epochs, settings.BatchSize);
            return new FoldResult(fold.Index, history, network.Evaluate(test));
        }).ToArray();
        return new CrossValidationResult(results);
    }
}
