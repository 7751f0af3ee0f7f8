namespace DeepPhys.Samples.AnomalyDetection;

/// <summary>A dense autoencoder through a bottleneck of 8 units: it reconstructs well only events like those it was trained on.</summary>
[Network(Loss = Loss.MeanSquaredError)]
[Input(TriggerEvents.Features)]
[Dense(32, Activation.ReLU)]
[Dense(8, Activation.ReLU)]
[Dense(32, Activation.ReLU)]
[Dense(TriggerEvents.Features)]
public partial class TriggerAutoencoder;
