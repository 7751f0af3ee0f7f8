using BenchmarkDotNet.Attributes;
using DeepPhys.Kernels;
using DeepPhys.Optimizers;

namespace DeepPhys.Benchmarks;

/// <summary>
/// The kernels of W1a's step one by one, at its shapes (batch 32, 4-16-16-16-3), so where the step's
/// time goes is measured rather than guessed. Each runs alone, with warm caches and a trained branch
/// predictor, so the parts add up to somewhat less than the step.
/// </summary>
[MemoryDiagnoser]
public class IrisKernelBenchmarks
{
    private const int Batch = 32, Hidden = 16, Features = 4, Classes = 3;

    private readonly float[] features = Filled(Batch * Features, 1, rectified: false);
    private readonly float[] hidden = Filled(Batch * Hidden, 2, rectified: true);
    private readonly float[] firstWeights = Filled(Features * Hidden, 3, rectified: false);
    private readonly float[] hiddenWeights = Filled(Hidden * Hidden, 4, rectified: false);
    private readonly float[] outputWeights = Filled(Hidden * Classes, 5, rectified: false);
    private readonly float[] hiddenBias = Filled(Hidden, 6, rectified: false);
    private readonly float[] outputBias = Filled(Classes, 7, rectified: false);
    private readonly float[] hiddenDelta = Filled(Batch * Hidden, 8, rectified: false);
    private readonly float[] logits = Filled(Batch * Classes, 9, rectified: false);
    private readonly float[] targets = WorkloadData.OneHot(Batch, Classes, seed: 10);
    private readonly float[] outputDelta = new float[Batch * Classes];
    private readonly float[] hiddenOut = new float[Batch * Hidden];
    private readonly float[] classesOut = new float[Batch * Classes];
    private readonly float[] hiddenWeightGradient = new float[Hidden * Hidden];
    private readonly float[] firstWeightGradient = new float[Features * Hidden];
    private readonly float[] outputWeightGradient = new float[Hidden * Classes];
    private readonly float[] hiddenBiasGradient = new float[Hidden];
    private readonly float[] outputBiasGradient = new float[Classes];

    [Benchmark(Description = "forward 4→16 + ReLU")]
    public void ForwardFirst() => SmallDenseKernels.ForwardRelu<float>(features, firstWeights, hiddenBias, hiddenOut, Batch, Features, Hidden);

    [Benchmark(Description = "forward 16→16 + ReLU")]
    public void ForwardHidden() => SmallDenseKernels.ForwardRelu<float>(hidden, hiddenWeights, hiddenBias, hiddenOut, Batch, Hidden, Hidden);

    [Benchmark(Description = "forward 16→3")]
    public void ForwardOutput() => SmallDenseKernels.Forward<float>(hidden, outputWeights, outputBias, classesOut, Batch, Hidden, Classes);

    [Benchmark(Description = "softmax + cross-entropy with gradient")]
    public float SoftmaxCrossEntropy() => LossKernels.SoftmaxCrossEntropyWithGradient<float>(logits, targets, outputDelta, Batch, Classes);

    [Benchmark(Description = "dW, db 16→3")]
    public void ParametersOutput() => SmallDenseKernels.BackwardParameters<float>(hidden, logits, outputWeightGradient, outputBiasGradient, Batch, Hidden, Classes);

    [Benchmark(Description = "dx 16→3")]
    public void InputOutput() => SmallDenseKernels.BackwardInput<float>(logits, outputWeights, hiddenOut, Batch, Hidden, Classes);

    [Benchmark(Description = "ReLU backward 32 × 16")]
    public void ReluBackward() => ActivationKernels.ReluBackward<float>(hidden, hiddenOut);

    [Benchmark(Description = "dW, db 16→16")]
    public void ParametersHidden() => SmallDenseKernels.BackwardParameters<float>(hidden, hiddenDelta, hiddenWeightGradient, hiddenBiasGradient, Batch, Hidden, Hidden);

    [Benchmark(Description = "dx 16→16")]
    public void InputHidden() => SmallDenseKernels.BackwardInput<float>(hiddenDelta, hiddenWeights, hiddenOut, Batch, Hidden, Hidden);

    [Benchmark(Description = "dW, db 4→16")]
    public void ParametersFirst() => SmallDenseKernels.BackwardParameters<float>(features, hiddenDelta, firstWeightGradient, hiddenBiasGradient, Batch, Features, Hidden);

    private readonly float[] parameters = Filled(675, 11, rectified: false);
    private readonly float[] gradients = Filled(675, 12, rectified: false);
    private readonly Adam adam = new(1e-3);

    [Benchmark(Description = "Adam, 675 parameters")]
    public void AdamStep() => adam.Step<float>(parameters, gradients);

    /// <summary>Standard normal values from a fixed seed; with <paramref name="rectified"/>, the negative ones zero, as after a ReLU.</summary>
    private static float[] Filled(int count, int seed, bool rectified)
    {
        var values = WorkloadData.Normal(count, seed);
        if (rectified) ActivationKernels.Relu<float>(values);
        return values;
    }
}
