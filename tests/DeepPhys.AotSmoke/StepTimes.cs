using System.Diagnostics;
using DeepPhys.Benchmarks;
using DeepPhys.Optimizers;

namespace DeepPhys.AotSmoke;

/// <summary>
/// Training-step times as a new user's process sees them: step 1 (compilation under the JIT), the mean of steps 2–100 and
/// 101–1,000, and the warm step (the median of twenty 200-step blocks after step 3,000), for W1a (Iris MLP, batch 32),
/// W4 (tabular 28-64-64-1, batch 512) and W3 (the small CNN, batch 64), each network new, Adam (lr 1e-3), random data.
/// </summary>
internal static class StepTimes
{
    public static void Print()
    {
        Console.WriteLine("workload    step 1 µs   2-100 µs   101-1000 µs   warm µs   (2-100)/warm");
        Measure("W1a", new IrisMlp(seed: 0), batch: 32);
        Measure("W4", new TabularMlp(seed: 0), batch: 512);
        Measure("W3 CNN", new SmallCnn(seed: 0), batch: 64);
    }

    private static void Measure(string name, Network<float> network, int batch)
    {
        var random = new Random(2);
        var inputs = new float[batch * network.InputSize];
        var targets = new float[batch * network.OutputSize];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = (float)(random.NextDouble() * 2 - 1);
        for (int i = 0; i < batch; i++) targets[i * network.OutputSize + random.Next(network.OutputSize)] = 1;
        var adam = new Adam(1e-3);
        var clock = new Stopwatch();
        double Steps(int count)
        {
            clock.Restart();
            for (int i = 0; i < count; i++)
            {
                network.TrainStep(inputs, targets);
                adam.Step(network.Parameters, network.Gradients);
            }

            return clock.Elapsed.TotalMicroseconds / count;
        }

        double first = Steps(1), early = Steps(99), later = Steps(900);
        Steps(2_000);
        var blocks = Enumerable.Range(0, 20).Select(_ => Steps(200)).Order().ToArray();
        double warm = blocks[blocks.Length / 2];
        Console.WriteLine($"{name,-10} {first,9:F0} {early,10:F1} {later,13:F1} {warm,9:F1} {early / warm,14:F2}");
    }
}
