using System.Numerics;
using System.Numerics.Tensors;

namespace DeepPhys.Regularization;

/// <summary>
/// An L1 and/or L2 penalty on the weights (not the biases, as Keras's <c>kernel_regularizer</c>)
/// of chosen layers or of every layer: <c>λ₁Σ|w| + λ₂Σw²</c> is added to the reported training
/// loss and <c>λ₁·sign(w) + 2λ₂w</c> to the gradient before the optimizer's step.
/// </summary>
public sealed class WeightPenalty
{
    private readonly string[] layers;

    private WeightPenalty(double l1, double l2, string[] layers)
    {
        if (!(l1 >= 0 && double.IsFinite(l1))) throw new ArgumentOutOfRangeException(nameof(l1), l1, "The L1 factor must be non-negative and finite.");
        if (!(l2 >= 0 && double.IsFinite(l2))) throw new ArgumentOutOfRangeException(nameof(l2), l2, "The L2 factor must be non-negative and finite.");
        L1Factor = l1;
        L2Factor = l2;
        this.layers = layers;
    }

    /// <summary>λ₁ of <c>λ₁Σ|w|</c>.</summary>
    public double L1Factor { get; }

    /// <summary>λ₂ of <c>λ₂Σw²</c>.</summary>
    public double L2Factor { get; }

    /// <summary>The layers penalised, by name; empty for every layer.</summary>
    public IReadOnlyList<string> Layers => layers;

    /// <summary><c>λΣ|w|</c> on the named layers' weights, or every layer's when none is named.</summary>
    /// <param name="factor">λ, non-negative.</param>
    /// <param name="layers">Layer names (<c>dense</c>, <c>dense_1</c>, …); none for the whole network.</param>
    public static WeightPenalty L1(double factor, params string[] layers) => new(factor, 0, layers);

    /// <summary><c>λΣw²</c> on the named layers' weights, or every layer's when none is named.</summary>
    /// <param name="factor">λ, non-negative.</param>
    /// <param name="layers">Layer names; none for the whole network.</param>
    public static WeightPenalty L2(double factor, params string[] layers) => new(0, factor, layers);

    /// <summary><c>λ₁Σ|w| + λ₂Σw²</c> on the named layers' weights, or every layer's when none is named.</summary>
    /// <param name="l1">λ₁, non-negative.</param>
    /// <param name="l2">λ₂, non-negative.</param>
    /// <param name="layers">Layer names; none for the whole network.</param>
    public static WeightPenalty L1L2(double l1, double l2, params string[] layers) => new(l1, l2, layers);

    /// <summary>The weight ranges of the layers this penalty covers in <paramref name="definition"/>'s parameter buffer.</summary>
    /// <exception cref="ArgumentException">A named layer does not exist.</exception>
    internal (int Offset, int Length)[] Ranges(NetworkDefinition definition)
    {
        foreach (string name in layers)
        {
            if (!definition.Layers.Any(l => l.Name == name))
            {
                throw new ArgumentException(
                    $"{definition.Name} has no layer '{name}'; its layers are {string.Join(", ", definition.Layers.Select(l => l.Name))}.");
            }
        }

        // A layer's weights come first (dense [inputs, units], conv [filters, channels, k, k]), its bias last; pools, merges and batch norm have none.
        return definition.Layers
            .Where(l => layers.Length == 0 || layers.Contains(l.Name))
            .Select(l => (l.ParameterOffset, l.Weights))
            .ToArray();
    }

    /// <summary>Adds the penalty's gradient on <paramref name="ranges"/> to <paramref name="gradients"/> and returns the penalty.</summary>
    internal double Apply<T>((int Offset, int Length)[] ranges, ReadOnlySpan<T> parameters, Span<T> gradients)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double penalty = 0;
        T l1 = T.CreateChecked(L1Factor), twiceL2 = T.CreateChecked(2 * L2Factor);
        foreach (var (offset, length) in ranges)
        {
            var w = parameters.Slice(offset, length);
            var g = gradients.Slice(offset, length);
            if (L2Factor > 0)
            {
                penalty += L2Factor * double.CreateTruncating(TensorPrimitives.SumOfSquares(w));
                TensorPrimitives.MultiplyAdd(w, twiceL2, g, g);
            }

            if (L1Factor > 0)
            {
                penalty += L1Factor * double.CreateTruncating(TensorPrimitives.SumOfMagnitudes(w));
                for (int i = 0; i < w.Length; i++) g[i] += w[i] > T.Zero ? l1 : w[i] < T.Zero ? -l1 : T.Zero;
            }
        }

        return penalty;
    }
}

/// <summary>Limits the gradient before the optimizer's step: by its global norm (PyTorch's <c>clip_grad_norm_</c>) or element by element (<c>clip_grad_value_</c>).</summary>
public sealed class GradientClipping
{
    private GradientClipping(double limit, bool byNorm)
    {
        if (!(limit > 0 && double.IsFinite(limit))) throw new ArgumentOutOfRangeException(nameof(limit), limit, "The clipping limit must be positive and finite.");
        Limit = limit;
        ByNorm = byNorm;
    }

    /// <summary>The largest norm, or the largest magnitude of one component.</summary>
    public double Limit { get; }

    /// <summary>True when the whole gradient is rescaled to a norm of at most <see cref="Limit"/>; false when each component is clamped.</summary>
    public bool ByNorm { get; }

    /// <summary>Rescales the gradient by <c>c/(‖g‖ + 10⁻⁶)</c> when that is below 1, as PyTorch does; its direction is kept.</summary>
    /// <param name="maxNorm">c, the largest Euclidean norm of the whole gradient.</param>
    public static GradientClipping ByGlobalNorm(double maxNorm) => new(maxNorm, byNorm: true);

    /// <summary>Clamps every component to [−c, c].</summary>
    /// <param name="limit">c, the largest magnitude.</param>
    public static GradientClipping ByValue(double limit) => new(limit, byNorm: false);

    /// <summary>Clips <paramref name="gradients"/> in place.</summary>
    internal void Apply<T>(Span<T> gradients) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (ByNorm)
        {
            double norm = double.CreateTruncating(TensorPrimitives.Norm<T>(gradients));
            double scale = Limit / (norm + 1e-6);
            if (scale < 1) TensorPrimitives.Multiply(gradients, T.CreateChecked(scale), gradients);
        }
        else
        {
            TensorPrimitives.Min(gradients, T.CreateChecked(Limit), gradients);
            TensorPrimitives.Max(gradients, T.CreateChecked(-Limit), gradients);
        }
    }
}
