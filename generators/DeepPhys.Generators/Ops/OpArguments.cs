using DeepPhys.Generators.Model;

namespace DeepPhys.Generators.Ops
{
    /// <summary>An op's checked arguments, one record type per op family; value-equal, so a node stays cacheable.</summary>
    internal abstract record OpArguments
    {
        /// <summary>The arguments of an op that takes none.</summary>
        public static readonly OpArguments None = new NoArguments();
    }

    internal sealed record NoArguments : OpArguments;

    /// <summary>An input's shape per sample.</summary>
    internal sealed record InputArguments(EquatableArray<int> Shape) : OpArguments;

    /// <summary>A dense layer's units.</summary>
    internal sealed record DenseArguments(int Units) : OpArguments;

    /// <summary>Zero padding: <paramref name="Size"/> zeros on every side, or Keras's (and PyTorch's) 'same' when <paramref name="Same"/>.</summary>
    internal sealed record ZeroPadding(bool Same, int Size)
    {
        public static readonly ZeroPadding None = new(false, 0);

        public override string ToString() => Same ? "same" : Size.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A convolution's filters, its kernel and stride per spatial axis (<c>[height, width]</c>, or <c>[length]</c> for a 1-D one),
    /// its padding and whether it has a bias.
    /// </summary>
    internal sealed record ConvolutionArguments(int Filters, EquatableArray<int> Kernel, EquatableArray<int> Stride, ZeroPadding Padding, bool Bias) : OpArguments;

    /// <summary>A pool's window and stride per spatial axis (<c>[height, width]</c> or <c>[length]</c>; no padding).</summary>
    internal sealed record PoolArguments(EquatableArray<int> Window, EquatableArray<int> Stride) : OpArguments;

    /// <summary>A recurrent layer's state size, whether it outputs every step, and a simple RNN's cell activation.</summary>
    internal sealed record RecurrentArguments(int Units, bool ReturnSequences, ActivationKind CellActivation) : OpArguments;

    /// <summary>A dropout's rate, in [0, 1).</summary>
    internal sealed record DropoutArguments(double Rate) : OpArguments;

    /// <summary>A batch norm's momentum of the running averages (Keras's convention) and epsilon.</summary>
    internal sealed record BatchNormArguments(double Momentum, double Epsilon) : OpArguments;

    /// <summary>A reshape's target shape per sample.</summary>
    internal sealed record ReshapeArguments(EquatableArray<int> Shape) : OpArguments;

    /// <summary>A concatenation's axis as written: from the front, or negative from the last (resolved against the inputs' rank by its shape rule).</summary>
    internal sealed record ConcatenateArguments(int Axis) : OpArguments;
}
