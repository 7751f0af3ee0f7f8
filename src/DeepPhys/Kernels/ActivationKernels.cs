using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DeepPhys.Kernels;

/// <summary>
/// Activation functions, applied in place to a layer's pre-activations, and their backward
/// passes, which scale the incoming gradient in place by the derivative written in terms of the
/// layer's <em>outputs</em> (so the pre-activations need not be kept).
/// </summary>
public static class ActivationKernels
{
    /// <summary>Rows narrower than this are reduced in plain loops: a library call costs more than the few values.</summary>
    private const int NarrowRow = 16;

    /// <summary>Rectified linear unit in place: <c>max(v, 0)</c>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="values">Pre-activations in, activations out.</param>
    /// <remarks>From 65,536 values on, shared over <see cref="KernelThreads.Count"/> threads in contiguous chunks (element-wise: the same results).</remarks>
    public static void Relu<T>(Span<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int parts = KernelJob.ElementParts(values.Length);
        if (parts == 1 || !ReluJob<T>.TryRun(backward: false, default, values, parts)) TensorPrimitives.Max(values, T.Zero, values);
    }

    /// <summary>ReLU backward: keeps the gradient where the output is positive, zeroes it elsewhere.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="outputs">The forward pass's activations.</param>
    /// <param name="gradient">Loss gradient with respect to the outputs in, with respect to the pre-activations out.</param>
    /// <remarks>From 65,536 values on, shared over <see cref="KernelThreads.Count"/> threads in contiguous chunks (element-wise: the same results).</remarks>
    public static void ReluBackward<T>(ReadOnlySpan<T> outputs, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int parts = KernelJob.ElementParts(gradient.Length);
        if (parts == 1 || !ReluJob<T>.TryRun(backward: true, outputs, gradient, parts)) ReluBackwardPass(outputs, gradient);
    }

    private static void ReluBackwardPass<T>(ReadOnlySpan<T> outputs, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int done = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            // Vector<T> is 256 bits even where 512-bit vectors run: the common activation gets its own wide loop.
            ref T output = ref MemoryMarshal.GetReference(outputs);
            ref T scaled = ref MemoryMarshal.GetReference(gradient);
            for (; done <= outputs.Length - Vector512<T>.Count; done += Vector512<T>.Count)
            {
                var slope = Vector512.ConditionalSelect(Vector512.GreaterThan(Vector512.LoadUnsafe(ref output, (nuint)done), Vector512<T>.Zero), Vector512<T>.One, Vector512<T>.Zero);
                (Vector512.LoadUnsafe(ref scaled, (nuint)done) * slope).StoreUnsafe(ref scaled, (nuint)done);
            }
        }

        done += ScaleByDerivative(outputs[done..], gradient[done..], new StepDerivative<T>(T.Zero));
        Scalar.ReluBackward(outputs[done..], gradient[done..]);
    }

    /// <summary>A ReLU pass shared with the <see cref="KernelThreads"/> workers, one per calling thread and element type.</summary>
    private sealed class ReluJob<T> : PinnedJob<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        private static ReluJob<T>? current;

        private bool backward;

        public static bool TryRun(bool backward, ReadOnlySpan<T> outputs, Span<T> values, int parts)
        {
            var job = current ??= new ReluJob<T>();
            job.backward = backward;
            return job.TryRun(outputs, default, default, values, parts);
        }

        protected override void Run(ReadOnlySpan<T> outputs, ReadOnlySpan<T> unused, ReadOnlySpan<T> alsoUnused, Span<T> values, int part, int parts)
        {
            var (start, end) = KernelJob.ShareElements(part, parts, values.Length);
            if (backward) ReluBackwardPass(outputs[start..end], values[start..end]);
            else TensorPrimitives.Max(values[start..end], T.Zero, values[start..end]);
        }
    }

    /// <summary>Leaky ReLU in place: <c>v</c> where positive, <c>negativeSlope · v</c> elsewhere.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="values">Pre-activations in, activations out.</param>
    /// <param name="negativeSlope">The slope for negative inputs, normally small and positive.</param>
    public static void LeakyRelu<T>(Span<T> values, T negativeSlope)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int done = ScaleByDerivative(values, values, new StepDerivative<T>(negativeSlope));
        Scalar.LeakyRelu(values[done..], negativeSlope);
    }

    /// <summary>Leaky ReLU backward: the derivative is 1 where the output is positive and <paramref name="negativeSlope"/> elsewhere.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="outputs">The forward pass's activations.</param>
    /// <param name="gradient">Loss gradient with respect to the outputs in, with respect to the pre-activations out.</param>
    /// <param name="negativeSlope">The slope the forward pass used.</param>
    public static void LeakyReluBackward<T>(ReadOnlySpan<T> outputs, Span<T> gradient, T negativeSlope)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int done = ScaleByDerivative(outputs, gradient, new StepDerivative<T>(negativeSlope));
        Scalar.LeakyReluBackward(outputs[done..], gradient[done..], negativeSlope);
    }

    /// <summary>Logistic sigmoid in place: <c>1 / (1 + e^−v)</c>; saturates to exactly 0 or 1 for large |v| without overflow to NaN.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="values">Pre-activations in, activations out.</param>
    public static void Sigmoid<T>(Span<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
        // e^−v overflows to +∞ for very negative v, and 1 / (1 + ∞) is the correct limit 0.
        => TensorPrimitives.Sigmoid(values, values);

    /// <summary>Sigmoid backward: multiplies the gradient by <c>o (1 − o)</c>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="outputs">The forward pass's activations.</param>
    /// <param name="gradient">Loss gradient with respect to the outputs in, with respect to the pre-activations out.</param>
    public static void SigmoidBackward<T>(ReadOnlySpan<T> outputs, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int done = ScaleByDerivative(outputs, gradient, default(SigmoidDerivative<T>));
        Scalar.SigmoidBackward(outputs[done..], gradient[done..]);
    }

    /// <summary>Hyperbolic tangent in place.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="values">Pre-activations in, activations out.</param>
    public static void Tanh<T>(Span<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
        => TensorPrimitives.Tanh(values, values);

    /// <summary>Tanh backward: multiplies the gradient by <c>1 − o²</c>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="outputs">The forward pass's activations.</param>
    /// <param name="gradient">Loss gradient with respect to the outputs in, with respect to the pre-activations out.</param>
    public static void TanhBackward<T>(ReadOnlySpan<T> outputs, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int done = ScaleByDerivative(outputs, gradient, default(TanhDerivative<T>));
        Scalar.TanhBackward(outputs[done..], gradient[done..]);
    }

    /// <summary>Row-wise softmax in place, with each row's maximum subtracted first so large logits cannot overflow.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="values">Logits in, probabilities out, <c>[batch, width]</c>.</param>
    /// <param name="batch">Rows.</param>
    /// <param name="width">Values per row, at least 1.</param>
    public static void Softmax<T>(Span<T> values, int batch, int width)
        where T : unmanaged, IFloatingPointIeee754<T> => Softmax(values, values, batch, width);

    /// <summary>Row-wise softmax of <paramref name="logits"/> into <paramref name="probabilities"/> (the same values as in place, without a copy first).</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="logits">Logits, <c>[batch, width]</c>.</param>
    /// <param name="probabilities">Receives the probabilities, <c>[batch, width]</c>; the same span as <paramref name="logits"/>, or one that does not overlap it.</param>
    /// <param name="batch">Rows.</param>
    /// <param name="width">Values per row, at least 1.</param>
    public static void Softmax<T>(ReadOnlySpan<T> logits, Span<T> probabilities, int batch, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Debug.Assert(width > 0 && logits.Length == batch * width && probabilities.Length == logits.Length, "logits and probabilities must be [batch, width].");
        // Not TensorPrimitives.SoftMax: it exponentiates without subtracting the maximum, so e^1e4 overflows.
        // The whole block is exponentiated in one call and narrow rows (a few classes) are shifted and
        // normalised in plain loops, so a row costs no library calls of its own.
        bool narrow = width < NarrowRow;
        for (int b = 0; b < batch; b++)
        {
            var row = logits.Slice(b * width, width);
            var shifted = probabilities.Slice(b * width, width);
            if (!narrow)
            {
                TensorPrimitives.Subtract(row, TensorPrimitives.Max<T>(row), shifted);
                continue;
            }

            T max = row[0];
            for (int j = 1; j < row.Length; j++) max = T.Max(max, row[j]);
            for (int j = 0; j < row.Length; j++) shifted[j] = row[j] - max;
        }

        TensorPrimitives.Exp(probabilities, probabilities);
        for (int b = 0; b < batch; b++)
        {
            var row = probabilities.Slice(b * width, width);
            if (!narrow)
            {
                TensorPrimitives.Divide(row, TensorPrimitives.Sum<T>(row), row);
                continue;
            }

            T sum = T.Zero;
            for (int j = 0; j < row.Length; j++) sum += row[j];
            for (int j = 0; j < row.Length; j++) row[j] /= sum;
        }
    }

    /// <summary>Softmax backward, row by row: <c>g_i ← o_i (g_i − Σ_j g_j o_j)</c>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="outputs">The forward pass's probabilities, <c>[batch, width]</c>.</param>
    /// <param name="gradient">Loss gradient with respect to the probabilities in, with respect to the logits out.</param>
    /// <param name="batch">Rows.</param>
    /// <param name="width">Values per row.</param>
    public static void SoftmaxBackward<T>(ReadOnlySpan<T> outputs, Span<T> gradient, int batch, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Debug.Assert(outputs.Length == batch * width && gradient.Length == outputs.Length, "outputs and gradient must be [batch, width].");
        for (int b = 0; b < batch; b++)
        {
            var o = outputs.Slice(b * width, width);
            var g = gradient.Slice(b * width, width);
            TensorPrimitives.Subtract(g, TensorPrimitives.Dot(g, o), g);
            TensorPrimitives.Multiply(g, o, g);
        }
    }

    /// <summary>
    /// Multiplies <paramref name="gradient"/> by <paramref name="derivative"/> of <paramref name="outputs"/> a whole
    /// <see cref="Vector{T}"/> at a time (no <see cref="TensorPrimitives"/> call fits these element-wise selects and
    /// products without a scratch buffer) and returns how many elements it did; the scalar twin does the tail.
    /// </summary>
    private static int ScaleByDerivative<T, TDerivative>(ReadOnlySpan<T> outputs, Span<T> gradient, TDerivative derivative)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TDerivative : struct, IDerivative<T>
    {
        Debug.Assert(outputs.Length == gradient.Length, "outputs and gradient must have the same length.");
        // Unchecked loads and stores: the loop bounds keep them in range, and a slice and copy per vector cost more than the multiply.
        ref T output = ref MemoryMarshal.GetReference(outputs);
        ref T scaled = ref MemoryMarshal.GetReference(gradient);
        int i = 0;
        for (; i <= outputs.Length - Vector<T>.Count; i += Vector<T>.Count)
        {
            var slope = derivative.Of(Vector.LoadUnsafe(ref output, (nuint)i));
            (Vector.LoadUnsafe(ref scaled, (nuint)i) * slope).StoreUnsafe(ref scaled, (nuint)i);
        }

        return i;
    }

    /// <summary>An activation's derivative as a function of its output, for <see cref="ScaleByDerivative"/>.</summary>
    private interface IDerivative<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T> Of(Vector<T> outputs);
    }

    /// <summary>1 where the value is positive, <c>negativeSlope</c> elsewhere: ReLU's derivative (slope 0) and leaky ReLU's, which is also its forward factor.</summary>
    private readonly struct StepDerivative<T>(T negativeSlope) : IDerivative<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public Vector<T> Of(Vector<T> outputs)
            => Vector.ConditionalSelect(Vector.GreaterThan(outputs, Vector<T>.Zero), Vector<T>.One, new Vector<T>(negativeSlope));
    }

    private readonly struct SigmoidDerivative<T> : IDerivative<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public Vector<T> Of(Vector<T> outputs) => outputs * (Vector<T>.One - outputs);
    }

    private readonly struct TanhDerivative<T> : IDerivative<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public Vector<T> Of(Vector<T> outputs) => Vector<T>.One - outputs * outputs;
    }

    /// <summary>Textbook loops with the same signatures: the reference the vectorised kernels are tested against.</summary>
    internal static class Scalar
    {
        internal static void Relu<T>(Span<T> values)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            // The IEEE maximum: NaN stays NaN, as in the vector kernels and PyTorch's relu.
            for (int i = 0; i < values.Length; i++) values[i] = T.Max(values[i], T.Zero);
        }

        internal static void ReluBackward<T>(ReadOnlySpan<T> outputs, Span<T> gradient)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            Debug.Assert(outputs.Length == gradient.Length, "outputs and gradient must have the same length.");
            for (int i = 0; i < gradient.Length; i++) gradient[i] *= outputs[i] > T.Zero ? T.One : T.Zero;
        }

        internal static void LeakyRelu<T>(Span<T> values, T negativeSlope)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < values.Length; i++) values[i] = values[i] > T.Zero ? values[i] : negativeSlope * values[i];
        }

        internal static void LeakyReluBackward<T>(ReadOnlySpan<T> outputs, Span<T> gradient, T negativeSlope)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            Debug.Assert(outputs.Length == gradient.Length, "outputs and gradient must have the same length.");
            for (int i = 0; i < gradient.Length; i++) gradient[i] *= outputs[i] > T.Zero ? T.One : negativeSlope;
        }

        internal static void Sigmoid<T>(Span<T> values)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < values.Length; i++) values[i] = Logistic(values[i]);
        }

        internal static void SigmoidBackward<T>(ReadOnlySpan<T> outputs, Span<T> gradient)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            Debug.Assert(outputs.Length == gradient.Length, "outputs and gradient must have the same length.");
            for (int i = 0; i < gradient.Length; i++) gradient[i] *= outputs[i] * (T.One - outputs[i]);
        }

        internal static void Tanh<T>(Span<T> values)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < values.Length; i++) values[i] = T.Tanh(values[i]);
        }

        internal static void TanhBackward<T>(ReadOnlySpan<T> outputs, Span<T> gradient)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            Debug.Assert(outputs.Length == gradient.Length, "outputs and gradient must have the same length.");
            for (int i = 0; i < gradient.Length; i++) gradient[i] *= T.One - outputs[i] * outputs[i];
        }

        internal static void Softmax<T>(Span<T> values, int batch, int width)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            Debug.Assert(width > 0 && values.Length == batch * width, "values must be [batch, width].");
            for (int b = 0; b < batch; b++)
            {
                var row = values.Slice(b * width, width);
                T max = row[0];
                for (int j = 1; j < width; j++) max = T.Max(max, row[j]);
                T sum = T.Zero;
                for (int j = 0; j < width; j++)
                {
                    row[j] = T.Exp(row[j] - max);
                    sum += row[j];
                }

                for (int j = 0; j < width; j++) row[j] /= sum;
            }
        }

        internal static void SoftmaxBackward<T>(ReadOnlySpan<T> outputs, Span<T> gradient, int batch, int width)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            Debug.Assert(outputs.Length == batch * width && gradient.Length == outputs.Length, "outputs and gradient must be [batch, width].");
            for (int b = 0; b < batch; b++)
            {
                int start = b * width;
                T dot = T.Zero;
                for (int j = 0; j < width; j++) dot += gradient[start + j] * outputs[start + j];
                for (int j = 0; j < width; j++) gradient[start + j] = outputs[start + j] * (gradient[start + j] - dot);
            }
        }

        /// <summary>The logistic function in the form that never exponentiates a positive number.</summary>
        internal static T Logistic<T>(T z)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (z >= T.Zero) return T.One / (T.One + T.Exp(-z));
            T e = T.Exp(z);
            return e / (T.One + e);
        }
    }
}
