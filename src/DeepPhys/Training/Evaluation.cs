using System.Globalization;
using System.Text;
using DeepPhys.Metrics;

namespace DeepPhys.Training;

/// <summary>
/// Loss, accuracy and confusion matrix of a network on a data set, and the figures that fit its
/// loss: the ROC curve of a single sigmoid output, one-vs-rest ROC curves of a softmax output,
/// regression figures under mean squared error. <c>Fit</c>'s per-epoch validation fills only the
/// first two.
/// </summary>
/// <param name="Loss">The mean loss per sample.</param>
/// <param name="Accuracy">The fraction classified right; null for a regression loss.</param>
/// <param name="ConfusionMatrix">Counts of (true, predicted) classes; null for regression and multi-label outputs.</param>
public sealed record Evaluation(double Loss, double? Accuracy, ConfusionMatrix? ConfusionMatrix)
{
    /// <summary>Precision, recall, specificity, … of a two-class confusion matrix (class 1 = signal); null otherwise.</summary>
    public BinaryClassification? Binary => ConfusionMatrix is { ClassCount: 2 } matrix ? BinaryClassification.FromConfusionMatrix(matrix) : null;

    /// <summary>The ROC curve of a single sigmoid output (binary cross-entropy) against targets above 0.5; null otherwise or when one class is absent.</summary>
    public RocCurve? Roc { get; init; }

    /// <summary>One-vs-rest ROC curves of a softmax output (categorical cross-entropy); null otherwise or when a class is absent.</summary>
    public OneVsRestRoc? RocPerClass { get; init; }

    /// <summary>MSE, MAE and R² of the outputs under mean squared error; null for classification losses.</summary>
    public RegressionMetrics? Regression { get; init; }

    /// <summary>The figures it has on one line: <c>loss 0.3120, accuracy 0.8750, AUC 0.9312</c> (<c>macro AUC</c> per class; <c>MSE, MAE, R²</c> for a regression).</summary>
    public override string ToString()
    {
        var line = new StringBuilder().Append(CultureInfo.InvariantCulture, $"loss {Loss:F4}");
        if (Accuracy is { } accuracy) line.Append(CultureInfo.InvariantCulture, $", accuracy {accuracy:F4}");
        if (Roc is { } roc) line.Append(CultureInfo.InvariantCulture, $", AUC {roc.Auc:F4}");
        if (RocPerClass is { } perClass) line.Append(CultureInfo.InvariantCulture, $", macro AUC {perClass.MacroAuc:F4}");
        if (Regression is { } r) line.Append(CultureInfo.InvariantCulture, $", MSE {r.MeanSquaredError:F4}, MAE {r.MeanAbsoluteError:F4}, R² {r.R2:F4}");
        return line.ToString();
    }
}
