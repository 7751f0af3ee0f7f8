using System.Buffers;
using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;

namespace DeepPhys.Kernels;

/// <summary>
/// Loss functions on a batch. Each returns the mean loss; the <c>WithGradient</c> variants also
/// write the gradient of that mean with respect to their first argument. The cross-entropies take
/// logits and are written so that logits of ±1e4 still give finite losses and gradients.
/// </summary>
public static class LossKernels
{
    /// <summary>Scratch values that may live on the stack; longer rows rent from the shared pool.</summary>
    private const int StackScratch = 256;

    /// <summary>Categorical cross-entropy on logits: the mean over rows of <c>−Σ_j t_j · log_softmax(z)_j</c>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="logits">Logits, <c>[batch, classes]</c>.</param>
    /// <param name="targets">Target distributions (normally one-hot), <c>[batch, classes]</c>.</param>
    /// <param name="batch">Rows, at least 1.</param>
    /// <param name="classes">Classes per row, at least 1.</param>
    /// <returns>The mean loss.</returns>
    public static T SoftmaxCrossEntropy<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> targets, int batch, int classes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertRows(logits.Length, targets.Length, batch, classes);
        T[]? rented = classes > StackScratch ? ArrayPool<T>.Shared.Rent(classes) : null;
        Span<T> scratch = rented is null ? stackalloc T[classes] : rented.AsSpan(0, classes);
        T total = T.Zero;
        for (int b = 0; b < batch; b++)
        {
            total += SoftmaxCrossEntropyRow(logits.Slice(b * classes, classes), targets.Slice(b * classes, classes), scratch, out _);
        }

        if (rented is not null) ArrayPool<T>.Shared.Return(rented);
        return total / T.CreateChecked(batch);
    }

    /// <summary>
    /// <see cref="SoftmaxCrossEntropy{T}"/> and its gradient with respect to the logits,
    /// <c>(softmax(z) · Σ_j t_j − t) / batch</c>.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="logits">Logits, <c>[batch, classes]</c>.</param>
    /// <param name="targets">Target distributions (normally one-hot), <c>[batch, classes]</c>.</param>
    /// <param name="gradient">Receives the gradient, <c>[batch, classes]</c>; must not overlap the inputs.</param>
    /// <param name="batch">Rows, at least 1.</param>
    /// <param name="classes">Classes per row, at least 1.</param>
    /// <returns>The mean loss.</returns>
    public static T SoftmaxCrossEntropyWithGradient<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> targets, Span<T> gradient, int batch, int classes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertRows(logits.Length, targets.Length, batch, classes);
        Debug.Assert(gradient.Length == logits.Length, "gradient must be [batch, classes].");
        T total = T.Zero;
        for (int b = 0; b < batch; b++)
        {
            var t = targets.Slice(b * classes, classes);
            var g = gradient.Slice(b * classes, classes);
            // The row's exponentials land in the gradient, which then only needs scaling and the targets removed.
            total += SoftmaxCrossEntropyRow(logits.Slice(b * classes, classes), t, g, out T scale);
            TensorPrimitives.Multiply(g, scale, g);
            TensorPrimitives.Subtract(g, t, g);
        }

        TensorPrimitives.Divide(gradient, T.CreateChecked(batch), gradient);
        return total / T.CreateChecked(batch);
    }

    /// <summary>Binary cross-entropy on logits: the mean over all elements of <c>max(z, 0) − z·t + log(1 + e^−|z|)</c>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="logits">Logits, any shape.</param>
    /// <param name="targets">Targets in [0, 1], same shape.</param>
    /// <returns>The mean loss.</returns>
    public static T SigmoidBinaryCrossEntropy<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> targets)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Debug.Assert(logits.Length > 0 && targets.Length == logits.Length, "logits and targets must have the same, positive length.");
        Span<T> terms = stackalloc T[StackScratch];
        Span<T> linear = stackalloc T[StackScratch];
        T total = T.Zero;
        // Chunks keep the scratch on the stack; each element's loss is formed before summing, which avoids the cancellation of summing the parts separately.
        for (int start = 0; start < logits.Length; start += StackScratch)
        {
            int n = Math.Min(StackScratch, logits.Length - start);
            var z = logits.Slice(start, n);
            var term = terms[..n];
            var lin = linear[..n];
            // log(1 + e^−|z|) stays in [0, ln 2]; max(z, 0) carries the large part exactly.
            TensorPrimitives.Abs(z, term);
            TensorPrimitives.Negate(term, term);
            TensorPrimitives.Exp(term, term);
            TensorPrimitives.LogP1(term, term);
            TensorPrimitives.Max(z, T.Zero, lin);
            TensorPrimitives.Add(term, lin, term);
            TensorPrimitives.Multiply(z, targets.Slice(start, n), lin);
            TensorPrimitives.Subtract(term, lin, term);
            total += TensorPrimitives.Sum<T>(term);
        }

        return total / T.CreateChecked(logits.Length);
    }

    /// <summary><see cref="SigmoidBinaryCrossEntropy{T}"/> and its gradient with respect to the logits, <c>(σ(z) − t) / n</c>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="logits">Logits, any shape.</param>
    /// <param name="targets">Targets in [0, 1], same shape.</param>
    /// <param name="gradient">Receives the gradient, same shape; must not overlap the inputs.</param>
    /// <returns>The mean loss.</returns>
    public static T SigmoidBinaryCrossEntropyWithGradient<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> targets, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Debug.Assert(gradient.Length == logits.Length, "gradient must have the logits' length.");
        TensorPrimitives.Sigmoid(logits, gradient);
        TensorPrimitives.Subtract(gradient, targets, gradient);
        TensorPrimitives.Divide(gradient, T.CreateChecked(logits.Length), gradient);
        return SigmoidBinaryCrossEntropy(logits, targets);
    }

    /// <summary>Mean squared error: the mean over all elements of <c>(y − t)²</c>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="outputs">Predictions, any shape.</param>
    /// <param name="targets">Targets, same shape.</param>
    /// <returns>The mean loss.</returns>
    public static T MeanSquaredError<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Debug.Assert(outputs.Length > 0 && targets.Length == outputs.Length, "outputs and targets must have the same, positive length.");
        // Distance is √Σ(y − t)²; squaring it back costs about one rounding and needs no scratch.
        T distance = TensorPrimitives.Distance(outputs, targets);
        return distance * distance / T.CreateChecked(outputs.Length);
    }

    /// <summary><see cref="MeanSquaredError{T}"/> and its gradient with respect to the outputs, <c>2 (y − t) / n</c>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="outputs">Predictions, any shape.</param>
    /// <param name="targets">Targets, same shape.</param>
    /// <param name="gradient">Receives the gradient, same shape; must not overlap the inputs.</param>
    /// <returns>The mean loss.</returns>
    public static T MeanSquaredErrorWithGradient<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Debug.Assert(outputs.Length > 0 && targets.Length == outputs.Length && gradient.Length == outputs.Length, "outputs, targets and gradient must have the same, positive length.");
        T n = T.CreateChecked(outputs.Length);
        TensorPrimitives.Subtract(outputs, targets, gradient);
        T loss = TensorPrimitives.SumOfSquares<T>(gradient) / n;
        TensorPrimitives.Multiply(gradient, (T.One + T.One) / n, gradient);
        return loss;
    }

    /// <summary>
    /// One row's <c>−Σ_j t_j (z_j − m − log s)</c> with <c>m = max z</c> and <c>s = Σ_j e^(z_j − m)</c>.
    /// Leaves <c>e^(z_j − m)</c> in <paramref name="exps"/> and sets <paramref name="softmaxScale"/> to <c>Σt / s</c>,
    /// so <c>exps · softmaxScale − t</c> is the row's gradient.
    /// </summary>
    private static T SoftmaxCrossEntropyRow<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> t, Span<T> exps, out T softmaxScale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Subtract(z, TensorPrimitives.Max(z), exps);
        // Taken on the shifted logits, so it never subtracts two large numbers.
        T targetDotShifted = TensorPrimitives.Dot<T>(t, exps);
        TensorPrimitives.Exp(exps, exps);
        T sum = TensorPrimitives.Sum<T>(exps);
        T targetMass = TensorPrimitives.Sum(t);
        softmaxScale = targetMass / sum;
        return targetMass * T.Log(sum) - targetDotShifted;
    }

    [Conditional("DEBUG")]
    private static void AssertRows(int logitsLength, int targetsLength, int batch, int classes)
    {
        Debug.Assert(batch > 0 && classes > 0, "batch and classes must be positive.");
        Debug.Assert(logitsLength == batch * classes, "logits must be [batch, classes].");
        Debug.Assert(targetsLength == logitsLength, "targets must be [batch, classes].");
    }

    /// <summary>Textbook loops with the same signatures: the reference the vectorised kernels are tested against.</summary>
    internal static class Scalar
    {
        internal static T SoftmaxCrossEntropy<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> targets, int batch, int classes)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            AssertRows(logits.Length, targets.Length, batch, classes);
            T total = T.Zero;
            for (int b = 0; b < batch; b++)
            {
                var z = logits.Slice(b * classes, classes);
                var (max, logSum) = LogSumExpParts(z);
                for (int j = 0; j < classes; j++) total -= targets[b * classes + j] * (z[j] - max - logSum);
            }

            return total / T.CreateChecked(batch);
        }

        internal static T SoftmaxCrossEntropyWithGradient<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> targets, Span<T> gradient, int batch, int classes)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            AssertRows(logits.Length, targets.Length, batch, classes);
            Debug.Assert(gradient.Length == logits.Length, "gradient must be [batch, classes].");
            T rows = T.CreateChecked(batch);
            for (int b = 0; b < batch; b++)
            {
                var z = logits.Slice(b * classes, classes);
                var t = targets.Slice(b * classes, classes);
                var (max, logSum) = LogSumExpParts(z);
                T targetMass = T.Zero;
                for (int j = 0; j < classes; j++) targetMass += t[j];
                for (int j = 0; j < classes; j++)
                {
                    T probability = T.Exp(z[j] - max - logSum);
                    gradient[b * classes + j] = (probability * targetMass - t[j]) / rows;
                }
            }

            return SoftmaxCrossEntropy(logits, targets, batch, classes);
        }

        internal static T SigmoidBinaryCrossEntropy<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> targets)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            Debug.Assert(logits.Length > 0 && targets.Length == logits.Length, "logits and targets must have the same, positive length.");
            T total = T.Zero;
            for (int i = 0; i < logits.Length; i++)
            {
                T z = logits[i];
                total += T.Max(z, T.Zero) - z * targets[i] + T.Log(T.One + T.Exp(-T.Abs(z)));
            }

            return total / T.CreateChecked(logits.Length);
        }

        internal static T SigmoidBinaryCrossEntropyWithGradient<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> targets, Span<T> gradient)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            Debug.Assert(gradient.Length == logits.Length, "gradient must have the logits' length.");
            T n = T.CreateChecked(logits.Length);
            for (int i = 0; i < logits.Length; i++) gradient[i] = (ActivationKernels.Scalar.Logistic(logits[i]) - targets[i]) / n;
            return SigmoidBinaryCrossEntropy(logits, targets);
        }

        internal static T MeanSquaredError<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            Debug.Assert(outputs.Length > 0 && targets.Length == outputs.Length, "outputs and targets must have the same, positive length.");
            T total = T.Zero;
            for (int i = 0; i < outputs.Length; i++)
            {
                T difference = outputs[i] - targets[i];
                total += difference * difference;
            }

            return total / T.CreateChecked(outputs.Length);
        }

        internal static T MeanSquaredErrorWithGradient<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, Span<T> gradient)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            Debug.Assert(gradient.Length == outputs.Length, "gradient must have the outputs' length.");
            T n = T.CreateChecked(outputs.Length);
            for (int i = 0; i < outputs.Length; i++) gradient[i] = (T.One + T.One) * (outputs[i] - targets[i]) / n;
            return MeanSquaredError(outputs, targets);
        }

        /// <summary>The row maximum <c>m</c> and <c>log Σ_j e^(z_j − m)</c>, whose sum is the log-sum-exp.</summary>
        private static (T Max, T LogSum) LogSumExpParts<T>(ReadOnlySpan<T> z)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            T max = z[0];
            for (int j = 1; j < z.Length; j++) max = T.Max(max, z[j]);
            T sum = T.Zero;
            for (int j = 0; j < z.Length; j++) sum += T.Exp(z[j] - max);
            return (max, T.Log(sum));
        }
    }
}
