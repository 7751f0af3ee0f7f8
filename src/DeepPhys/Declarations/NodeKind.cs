// Compiled into the runtime and, with DEEPPHYS_GENERATOR defined, into the generator (which cannot reference the runtime):
// one list of kinds for both, so the generated `NodeKind.X` names and values are the generator's by construction.
#if DEEPPHYS_GENERATOR
namespace DeepPhys.Generators.Model;

/// <summary>Every operation a network node can be, each with its descriptor in <c>OpRegistry</c>: the runtime's <c>NodeKind</c>, from the same file.</summary>
internal enum OpKind
#else
namespace DeepPhys;

/// <summary>
/// The operation of a node in a network's graph (<see cref="NodeDefinition.Kind"/>) and the type of a layer
/// (<see cref="LayerDefinition.Kind"/>): the generator's operations, in its order. Shapes are per sample.
/// </summary>
public enum NodeKind
#endif
{
    /// <summary>A network input: the sample's features as declared, no computation (Keras's <c>Input</c>; a PyTorch module's <c>forward</c> argument).</summary>
    Input = 0,
    /// <summary><c>x·W + b</c> over a vector, then the node's activation (PyTorch's <c>nn.Linear</c>, Keras's <c>Dense</c>).</summary>
    Dense = 1,
    /// <summary>The identity followed by the node's activation: a standalone <c>relu(x)</c> (PyTorch's <c>nn.ReLU</c> and the like, Keras's <c>Activation</c>).</summary>
    Activation = 2,
    /// <summary>The element-wise sum of two inputs of one shape (PyTorch's <c>x + y</c>, Keras's <c>Add</c>).</summary>
    Add = 3,
    /// <summary>The element-wise difference of two inputs of one shape, the first minus the second (PyTorch's <c>x - y</c>, Keras's <c>Subtract</c>).</summary>
    Subtract = 4,
    /// <summary>The element-wise product of two inputs of one shape (PyTorch's <c>x * y</c>, Keras's <c>Multiply</c>).</summary>
    Multiply = 5,
    /// <summary>The inputs side by side along <see cref="NodeDefinition.Axis"/> (PyTorch's <c>torch.cat</c>, Keras's <c>Concatenate</c>).</summary>
    Concatenate = 6,
    /// <summary>An image or sequence as one row-major vector (PyTorch's <c>nn.Flatten</c>, Keras's <c>Flatten</c>).</summary>
    Flatten = 7,
    /// <summary>The same values in row-major order under another shape (PyTorch's <c>x.reshape</c>, Keras's <c>Reshape</c>).</summary>
    Reshape = 8,
    /// <summary>A 2-D cross-correlation of a <c>[channels, height, width]</c> image with its filters, plus a bias (PyTorch's <c>nn.Conv2d</c>, Keras's <c>Conv2D</c>).</summary>
    Conv2D = 9,
    /// <summary>The maximum of each window of an image, per channel (PyTorch's <c>nn.MaxPool2d</c>, Keras's <c>MaxPooling2D</c>).</summary>
    MaxPool2D = 10,
    /// <summary>The mean of each window of an image, per channel (PyTorch's <c>nn.AvgPool2d</c>, Keras's <c>AveragePooling2D</c>).</summary>
    AvgPool2D = 11,
    /// <summary>The mean of each channel over height and width, a <c>[channels]</c> vector (PyTorch's <c>nn.AdaptiveAvgPool2d(1)</c> then a flatten, Keras's <c>GlobalAveragePooling2D</c>).</summary>
    GlobalAvgPool2D = 12,
    /// <summary>In training each value kept with probability <c>1 − rate</c> and scaled by <c>1 / (1 − rate)</c>; the identity in inference (PyTorch's <c>nn.Dropout</c>, Keras's <c>Dropout</c>).</summary>
    Dropout = 13,
    /// <summary>
    /// Normalisation per feature of a vector or per channel of an image, with the batch's statistics in training and the running
    /// averages in inference, then <c>γ·x̂ + β</c> (PyTorch's <c>nn.BatchNorm1d</c>/<c>nn.BatchNorm2d</c>, Keras's <c>BatchNormalization</c>).
    /// </summary>
    BatchNorm = 14,
    /// <summary>An Elman recurrent layer over a <c>[time, features]</c> sequence, <c>h = φ(W_ih x + b_ih + W_hh h₋₁ + b_hh)</c> (PyTorch's <c>nn.RNN</c>, Keras's <c>SimpleRNN</c>).</summary>
    SimpleRnn = 15,
    /// <summary>A long short-term memory layer over a <c>[time, features]</c> sequence, gates i, f, g, o (PyTorch's <c>nn.LSTM</c>, Keras's <c>LSTM</c>).</summary>
    Lstm = 16,
    /// <summary>A gated recurrent unit layer over a <c>[time, features]</c> sequence, gates r, z, n, the reset after the recurrent product (PyTorch's <c>nn.GRU</c>, Keras's <c>GRU</c> with <c>reset_after=True</c>).</summary>
    Gru = 17,
    /// <summary>A 1-D cross-correlation of a <c>[channels, length]</c> signal with its filters, plus a bias (PyTorch's <c>nn.Conv1d</c>, Keras's <c>Conv1D</c>).</summary>
    Conv1D = 18,
    /// <summary>The maximum of each window of a signal, per channel (PyTorch's <c>nn.MaxPool1d</c>, Keras's <c>MaxPooling1D</c>).</summary>
    MaxPool1D = 19,
    /// <summary>The mean of each window of a signal, per channel (PyTorch's <c>nn.AvgPool1d</c>, Keras's <c>AveragePooling1D</c>).</summary>
    AvgPool1D = 20,
    /// <summary>The mean of each channel over the length, a <c>[channels]</c> vector (PyTorch's <c>nn.AdaptiveAvgPool1d(1)</c> then a flatten, Keras's <c>GlobalAveragePooling1D</c>).</summary>
    GlobalAvgPool1D = 21,
    /// <summary>The two axes of a sample swapped: <c>[channels, length]</c> becomes <c>[time, features]</c> (PyTorch's <c>x.transpose(1, 2)</c>, Keras's <c>Permute((2, 1))</c>).</summary>
    Transpose = 22,
    /// <summary>The maximum of each channel over height and width, a <c>[channels]</c> vector (PyTorch's <c>nn.AdaptiveMaxPool2d(1)</c> then a flatten, Keras's <c>GlobalMaxPooling2D</c>).</summary>
    GlobalMaxPool2D = 23,
    /// <summary>The maximum of each channel over the length, a <c>[channels]</c> vector (PyTorch's <c>nn.AdaptiveMaxPool1d(1)</c> then a flatten, Keras's <c>GlobalMaxPooling1D</c>).</summary>
    GlobalMaxPool1D = 24,
    /// <summary>
    /// Each value of an image repeated over a block of whole factors, <c>[channels, height · sh, width · sw]</c>
    /// (PyTorch's <c>nn.Upsample(scale_factor=(sh, sw), mode='nearest')</c>, Keras's <c>UpSampling2D</c>).
    /// </summary>
    UpSampling2D = 25,
    /// <summary>Each step of a signal repeated by a whole factor, <c>[channels, length · s]</c> (PyTorch's <c>nn.Upsample(scale_factor=s, mode='nearest')</c>, Keras's <c>UpSampling1D</c>).</summary>
    UpSampling1D = 26,
    /// <summary>
    /// A 2-D transposed convolution of a <c>[channels, height, width]</c> image, the input gradient of a convolution, plus a bias:
    /// weights <c>[channels, filters, kh, kw]</c>; per axis <c>in · stride</c> outputs for 'same', <c>(in − 1) · stride + kernel</c>
    /// for 'valid' (PyTorch's <c>nn.ConvTranspose2d</c>, Keras's <c>Conv2DTranspose</c>).
    /// </summary>
    Conv2DTranspose = 27,
    /// <summary>
    /// A VAE's reparameterised sample <c>z = μ + exp(½ · logvar) · ε</c>, ε ~ N(0, 1) from the network's random stream, in training;
    /// <c>z = μ</c> in inference. Two inputs μ and logvar of one shape, or one vector whose first half is μ and second half logvar.
    /// </summary>
    Sample = 28,
}
