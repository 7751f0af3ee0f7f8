using DeepPhys.Kernels;
using DeepPhys.Metrics;
using DeepPhys.Optimizers;

namespace DeepPhys.Samples.Pivot;

/// <summary>
/// Learning to pivot (Louppe, Kagan, Cranmer 2017): the classifier f minimises L_f − λ·L_r, where L_r is the loss of an
/// adversary r that predicts the background's mass bin from f's output; r minimises L_r. With λ = 0 the same loop trains f
/// alone (r still learns, without effect on f).
/// </summary>
public static class PivotPipeline
{
    /// <summary>Training events (half signal).</summary>
    public const int TrainCount = 20_000;

    /// <summary>Test events.</summary>
    public const int TestCount = 20_000;

    /// <summary>Epochs in all.</summary>
    public const int Epochs = 20;

    /// <summary>Epochs of the classifier alone (the adversary learning beside it) before the adversarial term is switched on.</summary>
    public const int PretrainEpochs = 5;

    /// <summary>Events per step.</summary>
    public const int Batch = 128;

    /// <summary>The λ of the sample's adversarial run.</summary>
    public const double Lambda = 200;

    /// <summary>The fraction of the background the cut on the classifier's output keeps.</summary>
    public const double BackgroundEfficiency = 0.1;

    /// <summary>Bins of the mass histograms whose Jensen–Shannon divergence measures the sculpting.</summary>
    public const int HistogramBins = 20;

    /// <summary>What a run gives on the test events.</summary>
    /// <param name="Roc">The classifier's ROC curve.</param>
    /// <param name="BackgroundMasses">Every test background event's mass.</param>
    /// <param name="SelectedMasses">The masses of the background events passing the cut (<see cref="BackgroundEfficiency"/>).</param>
    /// <param name="Divergence">Jensen–Shannon divergence (bits) between the background mass spectrum before and after the cut.</param>
    /// <param name="ClassifierLoss">The classifier's binary cross-entropy per epoch.</param>
    /// <param name="AdversaryLoss">The adversary's cross-entropy per epoch (background events only; ln 10 = 2.30 knows nothing).</param>
    public sealed record Result(RocCurve Roc, double[] BackgroundMasses, double[] SelectedMasses, double Divergence, double[] ClassifierLoss, double[] AdversaryLoss);

    public static Result Run(int seed, double lambda, int trainCount = TrainCount, int testCount = TestCount, int epochs = Epochs)
    {
        var (features, masses, labels) = PivotEvents.Generate(trainCount, seed);
        var classifier = new PivotClassifier(seed);
        var adversary = new PivotAdversary(seed + 1);
        Optimizer classifierOptimizer = new Adam(1e-3), adversaryOptimizer = new Adam(1e-3);
        const int Bins = PivotAdversary.MassBins;
        var x = new float[Batch * PivotEvents.Features];
        var (targets, logits, logitGradient, scores, scoreGradient, weights) = (new float[Batch], new float[Batch], new float[Batch], new float[Batch], new float[Batch], new float[Batch]);
        var (binTargets, binLogits, binGradient) = (new float[Batch * Bins], new float[Batch * Bins], new float[Batch * Bins]);
        var order = Enumerable.Range(0, trainCount).ToArray();
        var random = new RandomStream(seed + 2);
        var (classifierLoss, adversaryLoss) = (new double[epochs], new double[epochs]);
        int steps = trainCount / Batch;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            random.Shuffle(order.AsSpan());
            float weight = epoch < PretrainEpochs ? 0 : (float)lambda;
            for (int step = 0; step < steps; step++)
            {
                Array.Clear(binTargets);
                for (int i = 0; i < Batch; i++)
                {
                    int e = order[(step * Batch) + i];
                    features.AsSpan(e * PivotEvents.Features, PivotEvents.Features).CopyTo(x.AsSpan(i * PivotEvents.Features));
                    targets[i] = labels[e];
                    weights[i] = 1 - labels[e]; // the adversary learns (and f is decorrelated) on the background only
                    binTargets[(i * Bins) + MassBin(masses[e])] = 1;
                }

                classifier.Forward(x, logits);
                classifierLoss[epoch] += LossKernels.SigmoidBinaryCrossEntropyWithGradient<float>(logits, targets, logitGradient) / steps;
                System.Numerics.Tensors.TensorPrimitives.Sigmoid(logits, scores);
                adversary.Forward(scores, binLogits);
                adversaryLoss[epoch] += LossKernels.SoftmaxCrossEntropyWithGradient<float>(binLogits, binTargets, weights, binGradient, Batch, Bins) / steps;
                adversary.Backward(binGradient, scoreGradient);
                // d(L_f − λ L_r)/d logit: the adversary's gradient through σ, σ' = σ(1 − σ).
                for (int i = 0; i < Batch; i++) logitGradient[i] -= weight * scoreGradient[i] * scores[i] * (1 - scores[i]);
                classifier.Backward(logitGradient, default);
                classifier.ApplyGradients(classifierOptimizer);
                adversary.ApplyGradients(adversaryOptimizer);
            }
        }

        // The adversary's loss is Σ w ℓ / batch with half the batch background: twice that is its mean over background events.
        for (int epoch = 0; epoch < epochs; epoch++) adversaryLoss[epoch] *= 2;
        return Evaluate(classifier, seed + 3, testCount) with { ClassifierLoss = classifierLoss, AdversaryLoss = adversaryLoss };
    }

    /// <summary>The mass's bin among <see cref="PivotAdversary.MassBins"/> equal bins of [0, 1].</summary>
    public static int MassBin(double mass) => Math.Clamp((int)(mass * PivotAdversary.MassBins), 0, PivotAdversary.MassBins - 1);

    /// <summary>
    /// The Jensen–Shannon divergence of two samples' histograms (equal bins of [0, 1]), in bits: 0 for the same shape, 1 for
    /// disjoint ones. ½ KL(p ‖ q̄) + ½ KL(q ‖ q̄), q̄ the mean of the two.
    /// </summary>
    public static double JensenShannon(IReadOnlyList<double> a, IReadOnlyList<double> b, int bins)
    {
        double[] Histogram(IReadOnlyList<double> values)
        {
            var counts = new double[bins];
            foreach (double v in values) counts[Math.Clamp((int)(v * bins), 0, bins - 1)] += 1.0 / values.Count;
            return counts;
        }

        double[] p = Histogram(a), q = Histogram(b);
        double divergence = 0;
        for (int i = 0; i < bins; i++)
        {
            double mean = (p[i] + q[i]) / 2;
            if (p[i] > 0) divergence += p[i] * Math.Log2(p[i] / mean) / 2;
            if (q[i] > 0) divergence += q[i] * Math.Log2(q[i] / mean) / 2;
        }

        return divergence;
    }

    private static Result Evaluate(PivotClassifier classifier, int seed, int testCount)
    {
        var (features, masses, labels) = PivotEvents.Generate(testCount, seed);
        double[] scores = classifier.Predict(features).Select(score => (double)score).ToArray();
        var background = Enumerable.Range(0, testCount).Where(i => labels[i] == 0).ToArray();
        double[] backgroundScores = background.Select(i => scores[i]).Order().ToArray();
        double cut = backgroundScores[(int)((1 - BackgroundEfficiency) * backgroundScores.Length)];
        double[] backgroundMasses = background.Select(i => masses[i]).ToArray();
        double[] selected = background.Where(i => scores[i] >= cut).Select(i => masses[i]).ToArray();
        return new Result(RocCurve.Compute(scores, labels), backgroundMasses, selected, JensenShannon(backgroundMasses, selected, HistogramBins), [], []);
    }
}
