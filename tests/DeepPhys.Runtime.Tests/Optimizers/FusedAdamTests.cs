using System.Numerics.Tensors;
using DeepPhys.Optimizers;

namespace DeepPhys.Runtime.Tests.Optimizers;

/// <summary>Adam's one-pass step gives exactly the bits of the per-operation passes it replaced, so seeds reproduce old runs.</summary>
public class FusedAdamTests
{
    [Theory]
    [InlineData(0.0, 675)]
    [InlineData(0.0, 17)]
    [InlineData(0.01, 6081)]
    public void Step_IsBitIdenticalToOnePassPerOperation(double weightDecay, int count)
    {
        const double rate = 1e-3, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
        var random = new RandomStream(count);
        float[] fused = new float[count], gradients = new float[count];
        for (int i = 0; i < count; i++) fused[i] = (float)(random.NextDouble() - 0.5);
        float[] reference = (float[])fused.Clone(), m = new float[count], v = new float[count], work = new float[count];
        Adam adam = weightDecay > 0 ? new AdamW(rate, weightDecay: weightDecay) : new Adam(rate);

        for (int step = 1; step <= 30; step++)
        {
            // Every seventh gradient is large, so the moments cover several magnitudes.
            for (int i = 0; i < count; i++) gradients[i] = (float)((random.NextDouble() - 0.5) * (step % 7 == 0 ? 100 : 1));
            adam.Step<float>(fused, gradients);

            double stepSize = rate / (1 - Math.Pow(beta1, step)), inverseRootCorrection = 1 / Math.Sqrt(1 - Math.Pow(beta2, step));
            if (weightDecay > 0) TensorPrimitives.Multiply(reference, (float)(1 - rate * weightDecay), reference);
            TensorPrimitives.Multiply(m, (float)beta1, m);
            TensorPrimitives.MultiplyAdd(gradients, (float)(1 - beta1), m, m);
            TensorPrimitives.Multiply(gradients, gradients, work);
            TensorPrimitives.Multiply(v, (float)beta2, v);
            TensorPrimitives.MultiplyAdd(work, (float)(1 - beta2), v, v);
            TensorPrimitives.Sqrt(v, work);
            TensorPrimitives.Multiply(work, (float)inverseRootCorrection, work);
            TensorPrimitives.Add(work, (float)epsilon, work);
            TensorPrimitives.Divide(m, work, work);
            TensorPrimitives.MultiplyAdd(work, (float)-stepSize, reference, reference);
        }

        Assert.Equal(reference, fused);
    }
}
