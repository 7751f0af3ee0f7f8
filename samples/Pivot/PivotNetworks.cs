namespace DeepPhys.Samples.Pivot;

/// <summary>The classifier: the two features to a logit (signal positive). Its loss is computed outside it (<see cref="PivotPipeline"/>), so the declared one is unused.</summary>
[Network(Loss = Loss.MeanSquaredError)]
[Input(PivotEvents.Features)]
[Dense(32, Activation.ReLU)]
[Dense(32, Activation.ReLU)]
[Dense(1)]
public partial class PivotClassifier;

/// <summary>The adversary: the classifier's output σ(logit) to logits of the background mass's bin.</summary>
[Network(Loss = Loss.MeanSquaredError)]
[Input(1)]
[Dense(32, Activation.ReLU)]
[Dense(32, Activation.ReLU)]
[Dense(PivotAdversary.MassBins)]
public partial class PivotAdversary
{
    /// <summary>Equal bins of the mass over [0, 1] that the adversary tells apart.</summary>
    public const int MassBins = 10;
}
