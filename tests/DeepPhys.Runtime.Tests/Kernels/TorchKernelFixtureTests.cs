using System.Numerics;
using System.Text.Json;
using DeepPhys.Kernels;
using static DeepPhys.Runtime.Tests.Kernels.KernelTestKit;

namespace DeepPhys.Runtime.Tests.Kernels;

/// <summary>
/// The image and signal kernels fed PyTorch's float64 inputs, parameters and upstream gradient
/// (<c>Fixtures/make_kernel_fixtures.py</c>), in float and double: outputs and every gradient against PyTorch's.
/// </summary>
public class TorchKernelFixtureTests
{
    /// <summary>
    /// <c>nn.Conv2d</c> with rectangular kernels and a stride per axis, padded and not; <c>nn.MaxPool2d((1, 4), stride=(1, 2))</c>
    /// with ties and <c>nn.AvgPool2d((2, 3), stride=(1, 2))</c>; global max pooling as <c>nn.AdaptiveMaxPool2d(1)</c> and
    /// <c>F.max_pool1d</c> over the whole length, with tied maxima; nearest <c>nn.Upsample</c> of images and signals; and
    /// <c>nn.ConvTranspose2d(3, 2, …)</c> with kernel 3, stride 2, padding 1 (with and without output_padding 1), kernel 2
    /// at stride 2, and kernel (2, 3) at stride (2, 1) with padding (0, 1).
    /// </summary>
    [Theory]
    [InlineData("conv2d_rect_padded")]
    [InlineData("conv2d_rect_valid")]
    [InlineData("maxpool2d_rect")]
    [InlineData("avgpool2d_rect")]
    [InlineData("globalmax2d")]
    [InlineData("globalmax1d")]
    [InlineData("upsample2d")]
    [InlineData("upsample1d")]
    [InlineData("convtranspose2d_k3_s2_p1")]
    [InlineData("convtranspose2d_k3_s2_p1_op1")]
    [InlineData("convtranspose2d_k2_s2")]
    [InlineData("convtranspose2d_rect")]
    public void KernelsMatchPyTorch(string name)
    {
        var torch = TorchCase.Load(name);
        Match<float>(torch);
        Match<double>(torch);
    }

    /// <summary>Runs the case's kernels, each backward pass overwriting garbage, and compares every array it computed with PyTorch's of the same name.</summary>
    private static void Match<T>(TorchCase torch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] x = torch.Values<T>("x"), dy = torch.Values<T>("dy"), y = Garbage<T>(dy.Length), dx = Garbage<T>(x.Length);
        var results = new Dictionary<string, T[]> { ["y"] = y, ["dx"] = dx };
        int batch = torch.XShape[0], plane = torch.XShape.Skip(2).Aggregate(1, (a, b) => a * b);
        switch (torch.Name.Split('_')[0])
        {
            case "conv2d":
                Convolution(torch, x, dy, y, dx, results);
                break;
            case "maxpool2d":
                PoolingKernels.MaxForward<T>(x, y, batch, torch.Window());
                PoolingKernels.MaxBackward<T>(x, dy, dx, batch, torch.Window(), accumulate: false);
                break;
            case "avgpool2d":
                PoolingKernels.AverageForward<T>(x, y, batch, torch.Window());
                dx.AsSpan().Clear();
                PoolingKernels.AverageBackward<T>(dy, dx, batch, torch.Window());
                break;
            case "globalmax2d" or "globalmax1d":
                PoolingKernels.GlobalMaxForward<T>(x, y, plane);
                PoolingKernels.GlobalMaxBackward<T>(x, dy, dx, plane, accumulate: false);
                break;
            case "upsample2d" or "upsample1d":
                // Signals [batch, channels, length] are images one row tall.
                int[] scale = torch.Ints("scale");
                int height = torch.XShape.Length == 4 ? torch.XShape[2] : 1, width = torch.XShape[^1];
                UpSamplingKernels.Forward<T>(x, y, batch, torch.XShape[1], height, width, scale[0], scale[1]);
                UpSamplingKernels.Backward<T>(dy, dx, batch, torch.XShape[1], height, width, scale[0], scale[1], accumulate: false);
                break;
            case "convtranspose2d":
                TransposedConvolution(torch, x, dy, y, dx, results);
                break;
            default:
                throw new ArgumentException($"No kernels for fixture {torch.Name}.");
        }

        foreach (var (key, actual) in results) Close<T>(torch.Values<T>(key), actual, Tolerance<T>(), $"{torch.Name} {key}");
    }

    private static void Convolution<T>(TorchCase torch, T[] x, T[] dy, T[] y, T[] dx, Dictionary<string, T[]> results)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var window = torch.Window();
        int batch = torch.XShape[0], filters = torch.YShape[1];
        T[] weights = torch.Values<T>("weight"), bias = torch.Values<T>("bias");
        T[] dWeights = results["dWeight"] = Garbage<T>(weights.Length), dBias = results["dBias"] = Garbage<T>(bias.Length);
        Conv2DKernels.Forward<T>(x, weights, bias, y, batch, filters, window);
        Conv2DKernels.BackwardParameters<T>(x, dy, dWeights, dBias, batch, filters, window);
        Conv2DKernels.BackwardInput<T>(dy, weights, dx, batch, filters, window, accumulate: false);
    }

    /// <summary>The transposed convolution on the mirrored window; also without bias (PyTorch's output less its bias) and with the input gradient added onto ones.</summary>
    private static void TransposedConvolution<T>(TorchCase torch, T[] x, T[] dy, T[] y, T[] dx, Dictionary<string, T[]> results)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var window = torch.MirroredWindow();
        int batch = torch.XShape[0], inChannels = torch.XShape[1], plane = window.Height * window.Width;
        T[] weights = torch.Values<T>("weight"), bias = torch.Values<T>("bias");
        T[] dWeights = results["dWeight"] = Garbage<T>(weights.Length), dBias = results["dBias"] = Garbage<T>(bias.Length);

        Conv2DTransposeKernels.Forward<T>(x, weights, default, y, batch, inChannels, window);
        var unbiased = torch.Values<T>("y").Select((value, i) => value - bias[i / plane % window.Channels]).ToArray();
        Close<T>(unbiased, y, Tolerance<T>(), $"{torch.Name} y without bias");
        var added = new T[x.Length];
        added.AsSpan().Fill(T.One);
        Conv2DTransposeKernels.BackwardInput<T>(dy, weights, added, batch, inChannels, window);
        Close<T>(torch.Values<T>("dx").Select(value => value + T.One).ToArray(), added, Tolerance<T>(), $"{torch.Name} dx added onto ones");

        Conv2DTransposeKernels.Forward<T>(x, weights, bias, y, batch, inChannels, window);
        Conv2DTransposeKernels.BackwardParameters<T>(x, dy, dWeights, dBias, batch, inChannels, window);
        Conv2DTransposeKernels.BackwardInput<T>(dy, weights, dx, batch, inChannels, window, accumulate: false);
    }

    /// <summary>
    /// One case of <c>Fixtures/kernels_torch.json</c>: PyTorch's inputs, parameters, upstream gradient <c>dy</c>, outputs and
    /// gradients, flattened row-major, with the module's shapes and geometry.
    /// </summary>
    private sealed class TorchCase
    {
        private static readonly Lazy<JsonElement> Cases = new(() =>
        {
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "kernels_torch.json")));
            return json.RootElement.GetProperty("cases").Clone();
        });

        private readonly JsonElement element;

        private TorchCase(JsonElement element) => this.element = element;

        public string Name => element.GetProperty("name").GetString()!;

        /// <summary>The input's shape, <c>[batch, channels, …]</c>.</summary>
        public int[] XShape => Ints("xShape");

        /// <summary>The output's shape, <c>[batch, channels, …]</c>.</summary>
        public int[] YShape => Ints("yShape");

        public static TorchCase Load(string name) =>
            new(Cases.Value.EnumerateArray().Single(c => c.GetProperty("name").GetString() == name));

        /// <summary>The array <paramref name="key"/> (<c>x</c>, <c>dy</c>, <c>y</c>, <c>dx</c>, <c>weight</c>, <c>dWeight</c>, <c>bias</c>, <c>dBias</c>) in <typeparamref name="T"/>.</summary>
        public T[] Values<T>(string key)
            where T : IFloatingPointIeee754<T> =>
            element.GetProperty(key).EnumerateArray().Select(v => T.CreateChecked(v.GetDouble())).ToArray();

        public int[] Ints(string key) => element.GetProperty(key).EnumerateArray().Select(v => v.GetInt32()).ToArray();

        /// <summary>A convolution's or pool's window: from the input to the output, as PyTorch's module slides it.</summary>
        public ImageWindow Window()
        {
            int[] x = XShape, y = YShape, kernel = Ints("kernel"), stride = Ints("stride"), padding = Ints("padding");
            return new ImageWindow(x[1], x[2], x[3], kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1], y[2], y[3]);
        }

        /// <summary>
        /// A transposed convolution's mirrored window, as <see cref="Conv2DTransposeKernels"/> documents it: the convolution from its
        /// output (channels, height, width) back to its input (height, width), with its kernel, stride and padding.
        /// </summary>
        public ImageWindow MirroredWindow()
        {
            int[] x = XShape, y = YShape, kernel = Ints("kernel"), stride = Ints("stride"), padding = Ints("padding");
            return new ImageWindow(y[1], y[2], y[3], kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1], x[2], x[3]);
        }
    }
}
