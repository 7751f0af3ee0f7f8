using DeepPhys;
using DeepPhys.AotSmoke;
using DeepPhys.Benchmarks;
using DeepPhys.Data;
using DeepPhys.Onnx;
using DeepPhys.Optimizers;
using DeepPhys.Serialization;
using DeepPhys.Training;

// Without arguments: the smoke run .ci/aot-check compares between the JIT and Native AOT builds (figures rounded, so
// instruction-set paths that differ in the last bits print the same). With `steps`: training-step times from this fresh process.
if (args is ["steps"])
{
    StepTimes.Print();
    return;
}

string folder = Directory.CreateTempSubdirectory("deepphys-aot-smoke-").FullName;
try
{
    Smoke(folder);
}
finally
{
    Directory.Delete(folder, recursive: true);
}

static void Smoke(string folder)
{
    // Three classes by the sign pattern of two fixed directions: a task the MLP learns in a few epochs.
    var random = new Random(1);
    var features = new float[150 * 4];
    var labels = new int[150];
    for (int i = 0; i < labels.Length; i++)
    {
        for (int j = 0; j < 4; j++) features[4 * i + j] = (float)(random.NextDouble() * 4 - 2) + j;
        float a = features[4 * i] - features[4 * i + 1] + 1, b = features[4 * i + 2] + features[4 * i + 3] - 5;
        labels[i] = a > 0 ? (b > 0 ? 0 : 1) : 2;
    }

    var data = Dataset<float>.FromClassLabels(features, 4, labels, 3);
    var scaler = StandardScaler.Fit(data);
    var scaled = scaler.Transform(data);
    var network = new IrisMlp(seed: 3);
    var adam = new Adam(0.01);
    var history = network.Fit(scaled, adam, epochs: 30, batchSize: 16);
    Console.WriteLine($"trained 30 epochs: loss {history.Loss[^1]:F3}, accuracy {network.Evaluate(scaled).Accuracy:F2}");

    string checkpoint = Path.Combine(folder, "model.json");
    Checkpoint.Save(network, checkpoint, adam, scaler);
    var fromCheckpoint = new IrisMlp(seed: 99);
    var restored = new Adam(0.5);
    var saved = Checkpoint.Load(fromCheckpoint, checkpoint, restored);
    Console.WriteLine($"checkpoint: parameters identical {fromCheckpoint.Parameters.SequenceEqual(network.Parameters)}, "
        + $"optimizer steps {restored.Steps}, scaler identical {saved.Scaler!.Center.SequenceEqual(scaler.Center) && saved.Scaler.Scale.SequenceEqual(scaler.Scale)}");

    var reread = FeatureScaler.FromJson(scaler.ToJson());
    Console.WriteLine($"scaler JSON round trip: identical {reread.Center.SequenceEqual(scaler.Center) && reread.Scale.SequenceEqual(scaler.Scale)}");

    string tensors = Path.Combine(folder, "model.safetensors");
    SafeTensors.Save(network, tensors, adam, scaler);
    var fromTensors = new IrisMlp(seed: 98);
    var restoredAgain = new Adam(0.5);
    SafeTensors.Load(fromTensors, tensors, restoredAgain, rejectNonFinite: true);
    Console.WriteLine($"safetensors: parameters identical {fromTensors.Parameters.SequenceEqual(network.Parameters)}, "
        + $"optimizer state identical {restoredAgain.ExportState().Buffers.Zip(adam.ExportState().Buffers).All(p => p.First.SequenceEqual(p.Second))}");

    string historyFile = Path.Combine(folder, "history.json");
    history.SaveJson(historyFile);
    Console.WriteLine($"history JSON: {History.LoadJson(historyFile).Count} epochs, losses identical {History.LoadJson(historyFile).Loss.SequenceEqual(history.Loss)}");

    string onnx = Path.Combine(folder, "model.onnx");
    OnnxModel.Export(network, onnx);
    var fromOnnx = new IrisMlp(seed: 97);
    OnnxModel.ImportWeights(fromOnnx, onnx);
    Console.WriteLine($"ONNX: exported and re-imported, parameters identical {fromOnnx.Parameters.SequenceEqual(network.Parameters)}");
}
