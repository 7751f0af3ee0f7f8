using DeepPhys.Samples.Oscillator;
using DeepPhys.Samples.Shared;

// Damped or driven? A GRU classifies noisy oscillator traces.
const int trainCount = 2000, testCount = 2000, epochs = 6;
Console.WriteLine(new TraceClassifier().Summary);
var result = TrainingProgress.Run("Oscillator", epochs, progress => OscillatorPipeline.Run(seed: 1, trainCount, testCount, epochs, progress: progress));
Console.WriteLine($"Toy oscillator traces: {OscillatorTraces.Steps} noisy displacements each, damped vs driven; {trainCount} training, {testCount} test traces");
Console.WriteLine($"Test accuracy: {result.Accuracy:P1}, ROC AUC {result.Auc:F4}");
Console.WriteLine($"Driven-trace efficiency at a {result.MistagRate:P0} mistag rate: GRU {result.Efficiency:P1}, late-to-early amplitude ratio {result.RatioEfficiency:P1}");
