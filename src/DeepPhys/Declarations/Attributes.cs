namespace DeepPhys;

/// <summary>
/// Declares a <c>partial</c> class as a network. The DeepPhys generator reads the layer
/// attributes that follow (<see cref="InputAttribute"/>, then <see cref="DenseAttribute"/>s in
/// source order) and emits its forward and backward passes at compile time.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>Declares the network with the layer attributes that follow and <see cref="Loss"/>.</summary>
    public NetworkAttribute()
    {
    }

    /// <summary>Declares the network in the DeepPhys DSL (docs/dsl.md): inputs, nodes, losses and precision in one text; no layer attributes.</summary>
    /// <param name="architecture">The network in the DSL, e.g. <c>"input x[4]\nout = dense(x, 3) -> softmax\nloss categorical_crossentropy(out)"</c>.</param>
    public NetworkAttribute(string architecture) => Architecture = architecture;

    /// <summary>The DSL text given to the constructor, or <c>null</c> for an attribute-declared network.</summary>
    public string? Architecture { get; }

    /// <summary>The loss the network is trained on. Required.</summary>
    public Loss Loss { get; set; }

    /// <summary>The floating-point type of the network; <see cref="Precision.Single"/> by default.</summary>
    public Precision Precision { get; set; }
}

/// <summary>Declares the network's input: a vector of features, a sequence <c>[time, features]</c>, a signal <c>[channels, length]</c>, or an image <c>[channels, height, width]</c> per sample (batch first, NCHW).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class InputAttribute : Attribute
{
    /// <summary>A vector input.</summary>
    /// <param name="size">The number of input features, at least one.</param>
    public InputAttribute(int size) => Shape = [size];

    /// <summary>
    /// A two-axis input, stored row by row: a sequence <c>[time, features]</c> for recurrent layers (steps one after another),
    /// or a signal <c>[channels, length]</c> for a 1-D convolutional stack (channels one after another, as PyTorch's Conv1d).
    /// </summary>
    /// <param name="rows">Steps of a sequence or channels of a signal, at least one.</param>
    /// <param name="columns">Features per step of a sequence or values per channel of a signal, at least one.</param>
    public InputAttribute(int rows, int columns) => Shape = [rows, columns];

    /// <summary>An image input, for a convolutional stack; each sample's row holds the image channel by channel, row by row.</summary>
    /// <param name="channels">Channels, at least one.</param>
    /// <param name="height">Rows, at least one.</param>
    /// <param name="width">Columns, at least one.</param>
    public InputAttribute(int channels, int height, int width) => Shape = [channels, height, width];

    /// <summary>The shape per sample: <c>[features]</c>, <c>[time, features]</c>, <c>[channels, length]</c> or <c>[channels, height, width]</c>.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>The number of input values per sample.</summary>
    public int Size => Shape.Aggregate(1, (product, dimension) => product * dimension);
}

/// <summary>A fully connected layer: <c>y = activation(x · W + b)</c>, weights <c>[inputs, units]</c>.</summary>
/// <param name="units">The number of output units, at least one.</param>
/// <param name="activation">The activation applied to the affine output.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute(int units, Activation activation = Activation.Linear) : Attribute
{
    /// <summary>The number of output units.</summary>
    public int Units { get; } = units;

    /// <summary>The activation applied to the affine output.</summary>
    public Activation Activation { get; } = activation;

    /// <summary>The slope for negative inputs of <see cref="Activation.LeakyReLU"/>; 0.01 by default (PyTorch's).</summary>
    public double NegativeSlope { get; set; } = 0.01;

    /// <summary>The layer's name in the summary and in parameter names; <c>dense</c>, <c>dense_1</c>, … by default.</summary>
    public string? Name { get; set; }
}

/// <summary>
/// What the 2-D convolution layers share: <c>filters</c> output channels, a kernel of <c>kernel</c> × <c>kernel</c> or
/// <c>kernelHeight</c> × <c>kernelWidth</c> values, a stride per axis, padding, bias, activation and name.
/// </summary>
public abstract class Convolution2DAttribute : Attribute
{
    private protected Convolution2DAttribute(int filters, int kernelHeight, int kernelWidth, Activation activation)
    {
        Filters = filters;
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
        Activation = activation;
    }

    /// <summary>Output channels.</summary>
    public int Filters { get; }

    /// <summary>The kernel's rows.</summary>
    public int KernelHeight { get; }

    /// <summary>The kernel's columns.</summary>
    public int KernelWidth { get; }

    /// <summary>The activation applied after the convolution.</summary>
    public Activation Activation { get; }

    /// <summary>The slope for negative inputs of <see cref="Activation.LeakyReLU"/>; 0.01 by default (PyTorch's).</summary>
    public double NegativeSlope { get; set; } = 0.01;

    /// <summary>The step between windows along both axes; 1 by default (<see cref="StrideHeight"/> and <see cref="StrideWidth"/> set one axis).</summary>
    public int Stride { get; set; } = 1;

    /// <summary>The step between windows down the rows; 0 (the default) means <see cref="Stride"/>.</summary>
    public int StrideHeight { get; set; }

    /// <summary>The step between windows along the columns; 0 (the default) means <see cref="Stride"/>.</summary>
    public int StrideWidth { get; set; }

    /// <summary><see cref="Padding.Valid"/> (the default) or <see cref="Padding.Same"/>, per axis.</summary>
    public Padding Padding { get; set; }

    /// <summary>Whether the layer adds a bias per filter; true by default.</summary>
    public bool UseBias { get; set; } = true;

    /// <summary>The layer's name; by default the layer type's (<c>conv2d</c>, <c>conv2d_1</c>, …).</summary>
    public string? Name { get; set; }
}

/// <summary>
/// A 2-D convolution over an image: weights <c>[filters, channels, kernelHeight, kernelWidth]</c> (PyTorch's layout)
/// followed by the bias. 'Same' padding gives <c>⌈size / stride⌉</c> outputs per axis.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv2DAttribute : Convolution2DAttribute
{
    /// <summary>A square kernel: <c>[Conv2D(16, 3)]</c> is 16 filters of 3 × 3.</summary>
    /// <param name="filters">Output channels, at least one.</param>
    /// <param name="kernel">The kernel's height and width, at least one.</param>
    /// <param name="activation">The activation applied after the convolution.</param>
    public Conv2DAttribute(int filters, int kernel, Activation activation = Activation.Linear)
        : base(filters, kernel, kernel, activation)
    {
    }

    /// <summary>A rectangular kernel: <c>[Conv2D(16, 3, 5)]</c> is 16 filters of 3 rows × 5 columns.</summary>
    /// <param name="filters">Output channels, at least one.</param>
    /// <param name="kernelHeight">The kernel's rows, at least one.</param>
    /// <param name="kernelWidth">The kernel's columns, at least one.</param>
    /// <param name="activation">The activation applied after the convolution.</param>
    public Conv2DAttribute(int filters, int kernelHeight, int kernelWidth, Activation activation = Activation.Linear)
        : base(filters, kernelHeight, kernelWidth, activation)
    {
    }
}

/// <summary>
/// A 2-D transposed convolution over an image (PyTorch's <c>ConvTranspose2d</c>, Keras's <c>Conv2DTranspose</c>), the
/// upsampling of a decoder: weights <c>[channels, filters, kernelHeight, kernelWidth]</c> (PyTorch's layout) followed by the
/// bias. Per axis the output has <c>in · stride</c> values with <see cref="Padding.Same"/> (Keras's: the full output
/// cropped by <c>max(kernel − stride, 0)</c>, the odd one at the bottom and right) and <c>(in − 1) · stride + kernel</c> with
/// <see cref="Padding.Valid"/>. Named <c>conv2d_transpose</c>, <c>conv2d_transpose_1</c>, … by default.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv2DTransposeAttribute : Convolution2DAttribute
{
    /// <summary>A square kernel: <c>[Conv2DTranspose(8, 3, Stride = 2)]</c> is 8 filters of 3 × 3, doubling the height and width.</summary>
    /// <param name="filters">Output channels, at least one.</param>
    /// <param name="kernel">The kernel's height and width, at least one.</param>
    /// <param name="activation">The activation applied after the transposed convolution.</param>
    public Conv2DTransposeAttribute(int filters, int kernel, Activation activation = Activation.Linear)
        : base(filters, kernel, kernel, activation)
    {
    }

    /// <summary>A rectangular kernel: <c>[Conv2DTranspose(8, 1, 4)]</c> is 8 filters of 1 row × 4 columns.</summary>
    /// <param name="filters">Output channels, at least one.</param>
    /// <param name="kernelHeight">The kernel's rows, at least one.</param>
    /// <param name="kernelWidth">The kernel's columns, at least one.</param>
    /// <param name="activation">The activation applied after the transposed convolution.</param>
    public Conv2DTransposeAttribute(int filters, int kernelHeight, int kernelWidth, Activation activation = Activation.Linear)
        : base(filters, kernelHeight, kernelWidth, activation)
    {
    }
}

/// <summary>
/// A 1-D convolution over a signal or sequence <c>[channels, length]</c>: <c>filters</c> output channels, weights
/// <c>[filters, channels, kernel]</c> (PyTorch's <c>Conv1d</c> layout) followed by the bias.
/// </summary>
/// <param name="filters">Output channels, at least one.</param>
/// <param name="kernel">The kernel's length, at least one.</param>
/// <param name="activation">The activation applied after the convolution.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv1DAttribute(int filters, int kernel, Activation activation = Activation.Linear) : Attribute
{
    /// <summary>Output channels.</summary>
    public int Filters { get; } = filters;

    /// <summary>The kernel's length.</summary>
    public int Kernel { get; } = kernel;

    /// <summary>The activation applied after the convolution.</summary>
    public Activation Activation { get; } = activation;

    /// <summary>The slope for negative inputs of <see cref="Activation.LeakyReLU"/>; 0.01 by default (PyTorch's).</summary>
    public double NegativeSlope { get; set; } = 0.01;

    /// <summary>The step between windows; 1 by default.</summary>
    public int Stride { get; set; } = 1;

    /// <summary><see cref="Padding.Valid"/> (the default) or <see cref="Padding.Same"/>.</summary>
    public Padding Padding { get; set; }

    /// <summary>Whether the layer adds a bias per filter; true by default.</summary>
    public bool UseBias { get; set; } = true;

    /// <summary>The layer's name; <c>conv1d</c>, <c>conv1d_1</c>, … by default.</summary>
    public string? Name { get; set; }
}

/// <summary>Max pooling of a signal <c>[channels, length]</c> over windows of <paramref name="window"/> values ('valid': no padding).</summary>
/// <param name="window">The window's length, at least one.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MaxPool1DAttribute(int window = 2) : Attribute
{
    /// <summary>The window's length.</summary>
    public int Window { get; } = window;

    /// <summary>The step between windows; 0 (the default) means the window.</summary>
    public int Stride { get; set; }
}

/// <summary>Average pooling of a signal <c>[channels, length]</c> over windows of <paramref name="window"/> values ('valid': no padding).</summary>
/// <param name="window">The window's length, at least one.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AvgPool1DAttribute(int window = 2) : Attribute
{
    /// <summary>The window's length.</summary>
    public int Window { get; } = window;

    /// <summary>The step between windows; 0 (the default) means the window.</summary>
    public int Stride { get; set; }
}

/// <summary>The mean of each channel over its length: a signal <c>[C, L]</c> becomes a vector <c>[C]</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GlobalAveragePooling1DAttribute : Attribute;

/// <summary>What max and average pooling of images share: a window and a stride per axis.</summary>
public abstract class Pool2DAttribute : Attribute
{
    private protected Pool2DAttribute(int windowHeight, int windowWidth)
    {
        WindowHeight = windowHeight;
        WindowWidth = windowWidth;
    }

    /// <summary>The window's rows.</summary>
    public int WindowHeight { get; }

    /// <summary>The window's columns.</summary>
    public int WindowWidth { get; }

    /// <summary>The step between windows along both axes; 0 (the default) means the window's size along each.</summary>
    public int Stride { get; set; }

    /// <summary>The step between windows down the rows; 0 (the default) means <see cref="Stride"/>, or the window's height.</summary>
    public int StrideHeight { get; set; }

    /// <summary>The step between windows along the columns; 0 (the default) means <see cref="Stride"/>, or the window's width.</summary>
    public int StrideWidth { get; set; }
}

/// <summary>Max pooling of an image over windows of <c>window</c> × <c>window</c> or <c>windowHeight</c> × <c>windowWidth</c> values ('valid': no padding).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MaxPool2DAttribute : Pool2DAttribute
{
    /// <summary>A square window.</summary>
    /// <param name="window">The window's height and width, at least one.</param>
    public MaxPool2DAttribute(int window = 2)
        : base(window, window)
    {
    }

    /// <summary>A rectangular window: <c>[MaxPool2D(1, 4)]</c> is 1 row × 4 columns.</summary>
    /// <param name="windowHeight">The window's rows, at least one.</param>
    /// <param name="windowWidth">The window's columns, at least one.</param>
    public MaxPool2DAttribute(int windowHeight, int windowWidth)
        : base(windowHeight, windowWidth)
    {
    }
}

/// <summary>Average pooling of an image over windows of <c>window</c> × <c>window</c> or <c>windowHeight</c> × <c>windowWidth</c> values ('valid': no padding).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AvgPool2DAttribute : Pool2DAttribute
{
    /// <summary>A square window.</summary>
    /// <param name="window">The window's height and width, at least one.</param>
    public AvgPool2DAttribute(int window = 2)
        : base(window, window)
    {
    }

    /// <summary>A rectangular window: <c>[AvgPool2D(1, 4)]</c> is 1 row × 4 columns.</summary>
    /// <param name="windowHeight">The window's rows, at least one.</param>
    /// <param name="windowWidth">The window's columns, at least one.</param>
    public AvgPool2DAttribute(int windowHeight, int windowWidth)
        : base(windowHeight, windowWidth)
    {
    }
}

/// <summary>The mean of each channel over its height and width: an image <c>[C, H, W]</c> becomes a vector <c>[C]</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GlobalAveragePooling2DAttribute : Attribute;

/// <summary>The maximum of each channel over its length: a signal <c>[C, L]</c> becomes a vector <c>[C]</c> (Keras's <c>GlobalMaxPooling1D</c>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GlobalMaxPooling1DAttribute : Attribute
{
    /// <summary>The layer's name; <c>global_max_pooling1d</c>, <c>global_max_pooling1d_1</c>, … by default.</summary>
    public string? Name { get; set; }
}

/// <summary>The maximum of each channel over its height and width: an image <c>[C, H, W]</c> becomes a vector <c>[C]</c> (Keras's <c>GlobalMaxPooling2D</c>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GlobalMaxPooling2DAttribute : Attribute
{
    /// <summary>The layer's name; <c>global_max_pooling2d</c>, <c>global_max_pooling2d_1</c>, … by default.</summary>
    public string? Name { get; set; }
}

/// <summary>
/// Nearest-neighbour upsampling of an image <c>[C, H, W]</c> by whole factors: each value repeated over a block, giving
/// <c>[C, H · Height, W · Width]</c> (Keras's <c>UpSampling2D</c>, PyTorch's <c>nn.Upsample(mode='nearest')</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class UpSampling2DAttribute : Attribute
{
    /// <summary>The same factor along the height and the width.</summary>
    /// <param name="size">Copies of each row and of each column, at least one; 2 by default.</param>
    public UpSampling2DAttribute(int size = 2) => (Height, Width) = (size, size);

    /// <summary>A factor per axis (Keras's <c>size=(height, width)</c>).</summary>
    /// <param name="height">Copies of each row, at least one.</param>
    /// <param name="width">Copies of each column, at least one.</param>
    public UpSampling2DAttribute(int height, int width) => (Height, Width) = (height, width);

    /// <summary>Copies of each row.</summary>
    public int Height { get; }

    /// <summary>Copies of each column.</summary>
    public int Width { get; }

    /// <summary>The layer's name; <c>up_sampling2d</c>, <c>up_sampling2d_1</c>, … by default.</summary>
    public string? Name { get; set; }
}

/// <summary>Nearest-neighbour upsampling of a signal <c>[C, L]</c>: each step repeated <paramref name="size"/> times, giving <c>[C, L · size]</c> (Keras's <c>UpSampling1D</c>).</summary>
/// <param name="size">Copies of each step, at least one; 2 by default.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class UpSampling1DAttribute(int size = 2) : Attribute
{
    /// <summary>Copies of each step.</summary>
    public int Size { get; } = size;

    /// <summary>The layer's name; <c>up_sampling1d</c>, <c>up_sampling1d_1</c>, … by default.</summary>
    public string? Name { get; set; }
}

/// <summary>
/// An activation as a layer of its own (Keras's <c>Activation</c>): the identity followed by <paramref name="activation"/>, so a
/// batch norm can sit between a convolution and its ReLU: <c>[Conv2D(8, 3)]</c>, <c>[BatchNorm]</c>, <c>[Activation(Activation.ReLU)]</c>.
/// </summary>
/// <param name="activation">The activation; a softmax normalises each sample's values.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ActivationAttribute(Activation activation) : Attribute
{
    /// <summary>The activation.</summary>
    public Activation Activation { get; } = activation;

    /// <summary>The slope for negative inputs of <see cref="Activation.LeakyReLU"/>; 0.01 by default (PyTorch's).</summary>
    public double NegativeSlope { get; set; } = 0.01;

    /// <summary>The layer's name; <c>activation</c>, <c>activation_1</c>, … by default.</summary>
    public string? Name { get; set; }
}

/// <summary>Flattens an image into a vector (the values stay in place: channel by channel, row by row).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class FlattenAttribute : Attribute;

/// <summary>
/// Swaps the two axes of each sample: a 1-D convolution's signal <c>[channels, length]</c> becomes the sequence
/// <c>[time, features]</c> a recurrent layer reads (PyTorch's <c>x.transpose(1, 2)</c>), and a sequence a signal.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class TransposeAttribute : Attribute;

/// <summary>
/// A VAE's sampling layer (the reparameterisation trick): the previous layer's vector of <c>2k</c> values is μ (the first
/// <c>k</c>) and logvar (the last <c>k</c>); training outputs <c>μ + exp(½ · logvar) · ε</c> with ε ~ N(0, 1) drawn from the
/// network's random stream, prediction and evaluation output μ. The DSL's <c>sample(mu, logvar)</c> takes the two as nodes.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SampleAttribute : Attribute;

/// <summary>Inverted dropout in training (kept values scaled by 1 / (1 − rate)); the identity in prediction and evaluation.</summary>
/// <param name="rate">The probability of dropping a value, in [0, 1).</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DropoutAttribute(double rate) : Attribute
{
    /// <summary>The probability of dropping a value.</summary>
    public double Rate { get; } = rate;
}

/// <summary>
/// Batch normalisation of each feature (vectors) or channel (images), Keras's BatchNormalization:
/// batch statistics in training, running averages (in <c>Network.State</c>, not trainable) in inference.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class BatchNormAttribute : Attribute
{
    /// <summary>Keras's momentum: <c>running = momentum · running + (1 − momentum) · batch</c>; 0.99 by default.</summary>
    public double Momentum { get; set; } = 0.99;

    /// <summary>Added to the variance; 1e-3 by default (Keras's).</summary>
    public double Epsilon { get; set; } = 1e-3;

    /// <summary>The layer's name; <c>batch_normalization</c>, <c>batch_normalization_1</c>, … by default.</summary>
    public string? Name { get; set; }
}

/// <summary>
/// A simple recurrent layer over a sequence input <c>[time, features]</c>: <c>h_t = activation(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh)</c>
/// from a zero state, PyTorch's <c>nn.RNN</c> (weights <c>W_ih</c>, <c>W_hh</c>, then the biases <c>b_ih</c>, <c>b_hh</c>; docs/layers.md).
/// </summary>
/// <param name="units">The state size, at least one.</param>
/// <param name="activation">The cell's activation: tanh (the default), ReLU, sigmoid or linear.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SimpleRNNAttribute(int units, Activation activation = Activation.Tanh) : Attribute
{
    /// <summary>The state size.</summary>
    public int Units { get; } = units;

    /// <summary>The cell's activation.</summary>
    public Activation Activation { get; } = activation;

    /// <summary>Whether the output is every step's state <c>[time, units]</c> rather than the last state <c>[units]</c>; false by default.</summary>
    public bool ReturnSequences { get; set; }

    /// <summary>The layer's name; <c>simple_rnn</c>, <c>simple_rnn_1</c>, … by default.</summary>
    public string? Name { get; set; }
}

/// <summary>
/// A long short-term memory layer over a sequence input <c>[time, features]</c>, PyTorch's <c>nn.LSTM</c> (gates i, f, g, o;
/// sigmoid gates, tanh cell), from a zero state; the forget gate's bias starts at 1 (Keras's <c>unit_forget_bias</c>).
/// </summary>
/// <param name="units">The state size, at least one.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LSTMAttribute(int units) : Attribute
{
    /// <summary>The state size.</summary>
    public int Units { get; } = units;

    /// <summary>Whether the output is every step's state <c>[time, units]</c> rather than the last state <c>[units]</c>; false by default.</summary>
    public bool ReturnSequences { get; set; }

    /// <summary>The layer's name; <c>lstm</c>, <c>lstm_1</c>, … by default.</summary>
    public string? Name { get; set; }
}

/// <summary>
/// A gated recurrent unit layer over a sequence input <c>[time, features]</c>, PyTorch's <c>nn.GRU</c> (gates r, z, n, the reset
/// gate applied to <c>W_hn h + b_hn</c>: Keras's <c>reset_after=True</c>), from a zero state.
/// </summary>
/// <param name="units">The state size, at least one.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GRUAttribute(int units) : Attribute
{
    /// <summary>The state size.</summary>
    public int Units { get; } = units;

    /// <summary>Whether the output is every step's state <c>[time, units]</c> rather than the last state <c>[units]</c>; false by default.</summary>
    public bool ReturnSequences { get; set; }

    /// <summary>The layer's name; <c>gru</c>, <c>gru_1</c>, … by default.</summary>
    public string? Name { get; set; }
}
