using System.Buffers;
using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace DeepPhys.Kernels;

/// <summary>
/// Loss functions on a batch. Each returns the mean loss; the <c>WithGradient</c> variants also
/// write the gradient of that mean with respect to their first argument. The cross-entropies take
/// logits and are written so that logits of ±1e4 still give finite losses and gradients.
/// The <c>WithGradient</c> overloads taking <c>sampleWeights</c> (one per row, or empty for none)
/// return <c>Σ_b w_b ℓ_b / batch</c>, where <c>ℓ_b</c> is row <c>b</c>'s mean loss, and its gradient:
/// Keras's weighted loss. Empty weights run the unweighted kernel, bit for bit.
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
        if (classes < NarrowRow)
        {
            total = NarrowSoftmaxCrossEntropyWithGradient(logits, targets, gradient, batch, classes);
        }
        else
        {
            for (int b = 0; b < batch; b++)
            {
                var t = targets.Slice(b * classes, classes);
                var g = gradient.Slice(b * classes, classes);
                // The row's exponentials land in the gradient, which then only needs scaling and the targets removed.
                total += SoftmaxCrossEntropyRow(logits.Slice(b * classes, classes), t, g, out T scale);
                TensorPrimitives.Multiply(g, scale, g);
                TensorPrimitives.Subtract(g, t, g);
            }
        }

        TensorPrimitives.Divide(gradient, T.CreateChecked(batch), gradient);
        return total / T.CreateChecked(batch);
    }

    /// <summary>
    /// <see cref="SoftmaxCrossEntropyWithGradient{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, int, int)"/> with row <c>b</c>'s
    /// loss and gradient multiplied by <c>sampleWeights[b]</c>: <c>Σ_b w_b ℓ_b / batch</c>.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="logits">Logits, <c>[batch, classes]</c>.</param>
    /// <param name="targets">Target distributions (normally one-hot), <c>[batch, classes]</c>.</param>
    /// <param name="sampleWeights">One weight per row, or empty for the unweighted kernel.</param>
    /// <param name="gradient">Receives the gradient, <c>[batch, classes]</c>; must not overlap the inputs.</param>
    /// <param name="batch">Rows, at least 1.</param>
    /// <param name="classes">Classes per row, at least 1.</param>
    /// <returns>The weighted loss.</returns>
    public static T SoftmaxCrossEntropyWithGradient<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> targets, ReadOnlySpan<T> sampleWeights, Span<T> gradient, int batch, int classes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (sampleWeights.IsEmpty) return SoftmaxCrossEntropyWithGradient(logits, targets, gradient, batch, classes);
        AssertRows(logits.Length, targets.Length, batch, classes);
        Debug.Assert(gradient.Length == logits.Length && sampleWeights.Length == batch, "gradient must be [batch, classes] and the weights [batch].");
        T rows = T.CreateChecked(batch);
        T total = T.Zero;
        for (int b = 0; b < batch; b++)
        {
            var t = targets.Slice(b * classes, classes);
            var g = gradient.Slice(b * classes, classes);
            T weight = sampleWeights[b];
            total += weight * SoftmaxCrossEntropyRow(logits.Slice(b * classes, classes), t, g, out T scale);
            // w (e·scale − t) / batch = e·(w·scale/batch) − t·(w/batch), in two passes over the row.
            TensorPrimitives.Multiply(g, weight * scale / rows, g);
            TensorPrimitives.MultiplyAdd(t, -weight / rows, g, g);
        }

        return total / rows;
    }

    /// <summary>Binary cross-entropy on logits: the mean over all elements of <c>max(z, 0) − z·t + log(1 + e^−|z|)</c>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="logits">Logits, any shape.</param>
    /// <param name="targets">Targets in [0, 1], same shape.</param>
    /// <returns>The mean loss.</returns>
    public static T SigmoidBinaryCrossEntropy<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> targets)
        where T : unmanaged, IFloatingPointIeee754<T>
        => SigmoidBinaryCrossEntropySum(logits, targets, []) / T.CreateChecked(logits.Length);

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

    /// <summary>
    /// <see cref="SigmoidBinaryCrossEntropyWithGradient{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/> on rows of
    /// <c>n / sampleWeights.Length</c> elements, each row's terms multiplied by its weight.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="logits">Logits, <c>[batch, outputs]</c>.</param>
    /// <param name="targets">Targets in [0, 1], same shape.</param>
    /// <param name="sampleWeights">One weight per row, or empty for the unweighted kernel.</param>
    /// <param name="gradient">Receives the gradient, same shape; must not overlap the inputs.</param>
    /// <returns>The weighted loss.</returns>
    public static T SigmoidBinaryCrossEntropyWithGradient<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> targets, ReadOnlySpan<T> sampleWeights, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (sampleWeights.IsEmpty) return SigmoidBinaryCrossEntropyWithGradient(logits, targets, gradient);
        Debug.Assert(gradient.Length == logits.Length && logits.Length % sampleWeights.Length == 0, "gradient must have the logits' length, a whole number of rows.");
        T n = T.CreateChecked(logits.Length);
        TensorPrimitives.Sigmoid(logits, gradient);
        TensorPrimitives.Subtract(gradient, targets, gradient);
        ScaleRows(gradient, sampleWeights, n);
        return SigmoidBinaryCrossEntropySum(logits, targets, sampleWeights) / n;
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
    /// <see cref="MeanSquaredErrorWithGradient{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/> on rows of
    /// <c>n / sampleWeights.Length</c> elements, each row's terms multiplied by its weight.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="outputs">Predictions, <c>[batch, outputs]</c>.</param>
    /// <param name="targets">Targets, same shape.</param>
    /// <param name="sampleWeights">One weight per row, or empty for the unweighted kernel.</param>
    /// <param name="gradient">Receives the gradient, same shape; must not overlap the inputs.</param>
    /// <returns>The weighted loss.</returns>
    public static T MeanSquaredErrorWithGradient<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, ReadOnlySpan<T> sampleWeights, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (sampleWeights.IsEmpty) return MeanSquaredErrorWithGradient(outputs, targets, gradient);
        Debug.Assert(gradient.Length == outputs.Length && targets.Length == outputs.Length && outputs.Length % sampleWeights.Length == 0, "outputs, targets and gradient must have the same length, a whole number of rows.");
        T n = T.CreateChecked(outputs.Length);
        int width = outputs.Length / sampleWeights.Length;
        TensorPrimitives.Subtract(outputs, targets, gradient);
        T total = T.Zero;
        for (int b = 0; b < sampleWeights.Length; b++) total += sampleWeights[b] * TensorPrimitives.SumOfSquares<T>(gradient.Slice(b * width, width));
        ScaleRows(gradient, sampleWeights, n / (T.One + T.One));
        return total / n;
    }

    /// <summary>Multiplies each row of <paramref name="values"/> (as many rows as weights) by <c>weight / divisor</c>.</summary>
    private static void ScaleRows<T>(Span<T> values, ReadOnlySpan<T> sampleWeights, T divisor)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = values.Length / sampleWeights.Length;
        for (int b = 0; b < sampleWeights.Length; b++)
        {
            var row = values.Slice(b * width, width);
            TensorPrimitives.Multiply(row, sampleWeights[b] / divisor, row);
        }
    }

    /// <summary>
    /// <c>Σ_i w_row(i) · (max(z, 0) − z·t + log(1 + e^−|z|))</c>, rows being <c>n / sampleWeights.Length</c>
    /// elements; empty weights mean 1 for every element.
    /// </summary>
    private static T SigmoidBinaryCrossEntropySum<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> targets, ReadOnlySpan<T> sampleWeights)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Debug.Assert(logits.Length > 0 && targets.Length == logits.Length, "logits and targets must have the same, positive length.");
        int width = sampleWeights.IsEmpty ? 0 : logits.Length / sampleWeights.Length;
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
            if (sampleWeights.IsEmpty)
            {
                total += TensorPrimitives.Sum<T>(term);
                continue;
            }

            // The chunk's pieces of each row it touches, each summed and weighted.
            for (int i = 0; i < n;)
            {
                int row = (start + i) / width;
                int end = Math.Min(n, (row + 1) * width - start);
                total += sampleWeights[row] * TensorPrimitives.Sum<T>(term[i..end]);
                i = end;
            }
        }

        return total;
    }

    /// <summary>
    /// One row's <c>−Σ_j t_j (z_j − m − log s)</c> with <c>m = max z</c> and <c>s = Σ_j e^(z_j − m)</c>.
    /// Leaves <c>e^(z_j − m)</c> in <paramref name="exps"/> and sets <paramref name="softmaxScale"/> to <c>Σt / s</c>,
    /// so <c>exps · softmaxScale − t</c> is the row's gradient.
    /// </summary>
    private static T SoftmaxCrossEntropyRow<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> t, Span<T> exps, out T softmaxScale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (z.Length < NarrowRow) return NarrowSoftmaxCrossEntropyRow(z, t, exps, out softmaxScale);
        TensorPrimitives.Subtract(z, TensorPrimitives.Max(z), exps);
        // Taken on the shifted logits, so it never subtracts two large numbers.
        T targetDotShifted = TensorPrimitives.Dot<T>(t, exps);
        TensorPrimitives.Exp(exps, exps);
        T sum = TensorPrimitives.Sum<T>(exps);
        T targetMass = TensorPrimitives.Sum(t);
        softmaxScale = targetMass / sum;
        return targetMass * T.Log(sum) - targetDotShifted;
    }

    /// <summary><see cref="SoftmaxCrossEntropyRow"/> in plain loops, for rows of a few classes where library calls cost more than the values.</summary>
    private static T NarrowSoftmaxCrossEntropyRow<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> t, Span<T> exps, out T softmaxScale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = RowMax(z);
        T targetDotShifted = T.Zero, sum = T.Zero, targetMass = T.Zero;
        for (int j = 0; j < z.Length; j++)
        {
            T shifted = z[j] - max;
            targetDotShifted += t[j] * shifted;
            exps[j] = T.Exp(shifted);
            sum += exps[j];
            targetMass += t[j];
        }

        softmaxScale = targetMass / sum;
        return targetMass * T.Log(sum) - targetDotShifted;
    }

    /// <summary>
    /// The summed loss of rows of a few classes, leaving <c>e·scale − t</c> per row in <paramref name="gradient"/>: the
    /// shifted logits of a block of rows go through one vectorised exponential, and the rows' sums through one vectorised
    /// logarithm, since one scalar exponential or logarithm per value costs more than the rest of the row.
    /// </summary>
    [SkipLocalsInit] // both row buffers are written before they are read
    private static T NarrowSoftmaxCrossEntropyWithGradient<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> targets, Span<T> gradient, int batch, int classes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Row b's loss is m_b·log(Σ e) − t·(z − max) (m_b its target mass). The exponentials and then the logarithms go
        // through one vectorised call per block of rows.
        Span<T> sums = stackalloc T[Math.Min(batch, RowBlock)];
        Span<T> masses = stackalloc T[sums.Length];
        T total = T.Zero;
        for (int first = 0; first < batch; first += RowBlock)
        {
            int rows = Math.Min(RowBlock, batch - first);
            var block = gradient.Slice(first * classes, rows * classes);
            ref T z = ref Unsafe.AsRef(in logits[first * classes]);
            ref T t = ref Unsafe.AsRef(in targets[first * classes]);
            ref T g = ref block[0];
            for (int r = 0; r < rows; r++)
            {
                T max = z;
                for (int j = 1; j < classes; j++) max = T.Max(max, Unsafe.Add(ref z, j));
                T targetDotShifted = T.Zero, targetMass = T.Zero;
                for (int j = 0; j < classes; j++)
                {
                    T shifted = Unsafe.Add(ref z, j) - max;
                    Unsafe.Add(ref g, j) = shifted;
                    targetDotShifted += Unsafe.Add(ref t, j) * shifted;
                    targetMass += Unsafe.Add(ref t, j);
                }

                total -= targetDotShifted;
                masses[r] = targetMass;
                z = ref Unsafe.Add(ref z, classes);
                t = ref Unsafe.Add(ref t, classes);
                g = ref Unsafe.Add(ref g, classes);
            }

            TensorPrimitives.Exp(block, block);
            t = ref Unsafe.AsRef(in targets[first * classes]);
            g = ref block[0];
            for (int r = 0; r < rows; r++)
            {
                T sum = T.Zero;
                for (int j = 0; j < classes; j++) sum += Unsafe.Add(ref g, j);
                T scale = masses[r] / sum;
                for (int j = 0; j < classes; j++) Unsafe.Add(ref g, j) = (Unsafe.Add(ref g, j) * scale) - Unsafe.Add(ref t, j);
                sums[r] = sum;
                t = ref Unsafe.Add(ref t, classes);
                g = ref Unsafe.Add(ref g, classes);
            }

            TensorPrimitives.Log(sums[..rows], sums);
            total += TensorPrimitives.Dot(masses[..rows], sums[..rows]);
        }

        return total;
    }

    /// <summary>Rows of <see cref="NarrowSoftmaxCrossEntropyWithGradient{T}"/> whose sums wait on the stack for one vectorised logarithm.</summary>
    private const int RowBlock = 256;

    private static T RowMax<T>(ReadOnlySpan<T> z)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = z[0];
        for (int j = 1; j < z.Length; j++) max = T.Max(max, z[j]);
        return max;
    }

    /// <summary>Rows narrower than this run in plain loops.</summary>
    private const int NarrowRow = 16;

    [Conditional("DEBUG")]
    private static void AssertRows(int logitsLength, int targetsLength, int batch, int classes)
    {
        Debug.Assert(batch > 0 && classes > 0, "batch and classes must be positive.");
        Debug.Assert(logitsLength == batch * classes, "logits must be [batch, classes].");
        Debug.Assert(targetsLength == logitsLength, "targets must be [batch, classes].");
    }

    /// <summary>
    /// The KL divergence of a VAE's posterior from its prior, <c>KL(N(μ, σ²) ‖ N(0, 1)) = −½ Σ_j (1 + logvar_j − μ_j² − exp(logvar_j))</c>,
    /// summed over each row's latent values and averaged over the rows (PyTorch VAE code's
    /// <c>torch.mean(-0.5 * torch.sum(1 + logvar - mu**2 - logvar.exp(), dim=1))</c>).
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="mu">μ, <c>[batch, latent]</c>.</param>
    /// <param name="logVariance">logvar, same shape.</param>
    /// <param name="batch">Rows, at least 1.</param>
    /// <returns>The mean over rows of each row's divergence.</returns>
    public static T KullbackLeibler<T>(ReadOnlySpan<T> mu, ReadOnlySpan<T> logVariance, int batch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Debug.Assert(batch > 0 && mu.Length == logVariance.Length && mu.Length % batch == 0, "mu and logVariance must be batch rows of one length.");
        T sum = T.Zero;
        for (int i = 0; i < mu.Length; i++) sum += KullbackLeiblerTerm(mu[i], logVariance[i]);
        return sum / T.CreateChecked(batch);
    }

    /// <summary>
    /// <see cref="KullbackLeibler{T}"/> weighted per row (<c>Σ_b w_b KL_b / batch</c>, empty weights meaning 1) and its gradient times
    /// <paramref name="scale"/> (the term's weight β in the total loss): <c>∂/∂μ = w_b μ / batch</c>, <c>∂/∂logvar = w_b (exp(logvar) − 1) / (2 batch)</c>.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="mu">μ, <c>[batch, latent]</c>.</param>
    /// <param name="logVariance">logvar, same shape.</param>
    /// <param name="sampleWeights">One weight per row, or empty for none.</param>
    /// <param name="muGradient">Receives the gradient with respect to μ, overwritten.</param>
    /// <param name="logVarianceGradient">Receives the gradient with respect to logvar, overwritten.</param>
    /// <param name="batch">Rows, at least 1.</param>
    /// <param name="scale">Multiplies the gradients (not the returned loss).</param>
    /// <returns>The weighted mean divergence.</returns>
    public static T KullbackLeiblerWithGradient<T>(
        ReadOnlySpan<T> mu, ReadOnlySpan<T> logVariance, ReadOnlySpan<T> sampleWeights, Span<T> muGradient, Span<T> logVarianceGradient, int batch, T scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Debug.Assert(batch > 0 && mu.Length == logVariance.Length && mu.Length % batch == 0 && muGradient.Length == mu.Length && logVarianceGradient.Length == mu.Length, "mu, logVariance and their gradients must be batch rows of one length.");
        Debug.Assert(sampleWeights.IsEmpty || sampleWeights.Length == batch, "one sample weight per row, or none.");
        int latent = mu.Length / batch;
        T n = T.CreateChecked(batch), half = T.CreateTruncating(0.5), total = T.Zero;
        for (int b = 0; b < batch; b++)
        {
            T weight = sampleWeights.IsEmpty ? T.One : sampleWeights[b], row = T.Zero, factor = weight * scale / n;
            for (int i = b * latent; i < (b + 1) * latent; i++)
            {
                row += KullbackLeiblerTerm(mu[i], logVariance[i]);
                muGradient[i] = factor * mu[i];
                logVarianceGradient[i] = factor * half * (T.Exp(logVariance[i]) - T.One);
            }

            total += weight * row;
        }

        return total / n;
    }

    /// <summary>One latent value's <c>−½ (1 + logvar − μ² − exp(logvar))</c>.</summary>
    private static T KullbackLeiblerTerm<T>(T mu, T logVariance)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        -T.CreateTruncating(0.5) * (T.One + logVariance - mu * mu - T.Exp(logVariance));

    /// <summary>
    /// Textbook loops with the same signatures: the reference the vectorised kernels are tested against.
    /// The unweighted twins are the weighted ones with every weight 1.
    /// </summary>
    internal static class Scalar
    {
        internal static T SoftmaxCrossEntropy<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> targets, int batch, int classes)
            where T : unmanaged, IFloatingPointIeee754<T>
            => SoftmaxCrossEntropy(logits, targets, [], batch, classes);

        internal static T SoftmaxCrossEntropyWithGradient<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> targets, Span<T> gradient, int batch, int classes)
            where T : unmanaged, IFloatingPointIeee754<T>
            => SoftmaxCrossEntropyWithGradient(logits, targets, [], gradient, batch, classes);

        internal static T SoftmaxCrossEntropyWithGradient<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> targets, ReadOnlySpan<T> sampleWeights, Span<T> gradient, int batch, int classes)
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
                    gradient[b * classes + j] = WeightOf(sampleWeights, b) * (probability * targetMass - t[j]) / rows;
                }
            }

            return SoftmaxCrossEntropy(logits, targets, sampleWeights, batch, classes);
        }

        internal static T SigmoidBinaryCrossEntropy<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> targets)
            where T : unmanaged, IFloatingPointIeee754<T>
            => SigmoidBinaryCrossEntropyWithGradient(logits, targets, [], []);

        internal static T SigmoidBinaryCrossEntropyWithGradient<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> targets, Span<T> gradient)
            where T : unmanaged, IFloatingPointIeee754<T>
            => SigmoidBinaryCrossEntropyWithGradient(logits, targets, [], gradient);

        internal static T SigmoidBinaryCrossEntropyWithGradient<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> targets, ReadOnlySpan<T> sampleWeights, Span<T> gradient)
            where T : unmanaged, IFloatingPointIeee754<T>
            => Elementwise(
                logits, targets, sampleWeights, gradient,
                static (z, t) => T.Max(z, T.Zero) - z * t + T.Log(T.One + T.Exp(-T.Abs(z))),
                static (z, t) => ActivationKernels.Scalar.Logistic(z) - t);

        internal static T MeanSquaredError<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets)
            where T : unmanaged, IFloatingPointIeee754<T>
            => MeanSquaredErrorWithGradient(outputs, targets, [], []);

        internal static T MeanSquaredErrorWithGradient<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, Span<T> gradient)
            where T : unmanaged, IFloatingPointIeee754<T>
            => MeanSquaredErrorWithGradient(outputs, targets, [], gradient);

        internal static T MeanSquaredErrorWithGradient<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, ReadOnlySpan<T> sampleWeights, Span<T> gradient)
            where T : unmanaged, IFloatingPointIeee754<T>
            => Elementwise(
                outputs, targets, sampleWeights, gradient,
                static (y, t) => (y - t) * (y - t),
                static (y, t) => (T.One + T.One) * (y - t));

        /// <summary>
        /// <c>Σ_i w_row(i) · term(y_i, t_i) / n</c> and, unless <paramref name="gradient"/> is empty, its gradient
        /// <c>w_row(i) · derivative(y_i, t_i) / n</c>; rows are <c>n / sampleWeights.Length</c> elements.
        /// </summary>
        private static T Elementwise<T>(
            ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, ReadOnlySpan<T> sampleWeights, Span<T> gradient, Func<T, T, T> term, Func<T, T, T> derivative)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            Debug.Assert(outputs.Length > 0 && targets.Length == outputs.Length, "outputs and targets must have the same, positive length.");
            Debug.Assert(gradient.IsEmpty || gradient.Length == outputs.Length, "gradient must have the outputs' length.");
            T n = T.CreateChecked(outputs.Length);
            T total = T.Zero;
            for (int i = 0; i < outputs.Length; i++)
            {
                T weight = WeightOf(sampleWeights, RowOf(i, outputs.Length, sampleWeights));
                total += weight * term(outputs[i], targets[i]);
                if (!gradient.IsEmpty) gradient[i] = weight * derivative(outputs[i], targets[i]) / n;
            }

            return total / n;
        }

        private static T SoftmaxCrossEntropy<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> targets, ReadOnlySpan<T> sampleWeights, int batch, int classes)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            AssertRows(logits.Length, targets.Length, batch, classes);
            T total = T.Zero;
            for (int b = 0; b < batch; b++)
            {
                var z = logits.Slice(b * classes, classes);
                var (max, logSum) = LogSumExpParts(z);
                for (int j = 0; j < classes; j++) total -= WeightOf(sampleWeights, b) * targets[b * classes + j] * (z[j] - max - logSum);
            }

            return total / T.CreateChecked(batch);
        }

        /// <summary>Row <paramref name="b"/>'s weight; 1 when there are none.</summary>
        private static T WeightOf<T>(ReadOnlySpan<T> sampleWeights, int b)
            where T : unmanaged, IFloatingPointIeee754<T>
            => sampleWeights.IsEmpty ? T.One : sampleWeights[b];

        /// <summary>The row of element <paramref name="i"/> of <paramref name="length"/>, split into as many rows as weights.</summary>
        private static int RowOf<T>(int i, int length, ReadOnlySpan<T> sampleWeights) => sampleWeights.IsEmpty ? 0 : i / (length / sampleWeights.Length);

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
