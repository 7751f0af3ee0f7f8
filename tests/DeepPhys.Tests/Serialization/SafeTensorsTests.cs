using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using DeepPhys.Data;
using DeepPhys.Optimizers;
using DeepPhys.Serialization;

namespace DeepPhys.Tests.Serialization;

public class SafeTensorsTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures");

    /// <summary>A network trained a few Adam steps, with a fitted scaler, so every part of the file holds real values.</summary>
    internal static (TNetwork Network, Adam Optimizer, StandardScaler Scaler) Trained<TNetwork, T>(Func<int, TNetwork> create)
        where TNetwork : Network<T>
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var network = create(3);
        var random = new Random(5);
        var features = Enumerable.Range(0, 12 * network.InputSize).Select(_ => T.CreateTruncating(random.NextDouble() * 4 - 2)).ToArray();
        var labels = Enumerable.Range(0, 12).Select(i => i % network.OutputSize).ToArray();
        var data = Dataset<T>.FromClassLabels(features, network.InputSize, labels, network.OutputSize);
        var scaler = StandardScaler.Fit(data);
        var optimizer = new Adam(0.01);
        network.Fit(scaler.Transform(data), optimizer, epochs: 3, batchSize: 4);
        return (network, optimizer, scaler);
    }

    [Fact]
    public void RoundTrip_Float_RestoresParametersOptimizerAndScalerExactly()
    {
        var (network, optimizer, scaler) = Trained<TorchMlp, float>(seed => new TorchMlp(seed));
        string path = Path.Combine(Path.GetTempPath(), $"deepphys-{Guid.NewGuid():N}.safetensors");
        try
        {
            SafeTensors.Save(network, path, optimizer, scaler);
            var loaded = new TorchMlp(seed: 99);
            var restored = new Adam(0.5);
            var preprocessing = SafeTensors.Load(loaded, path, restored, rejectNonFinite: true);

            Assert.Equal(network.Parameters.ToArray(), loaded.Parameters.ToArray());
            AssertSameState(optimizer.ExportState(), restored.ExportState());
            Assert.Equal(scaler.Center, preprocessing.Scaler!.Center);
            Assert.Equal(scaler.Scale, preprocessing.Scaler.Scale);
            Assert.Null(preprocessing.Preprocessor);
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, $".{Path.GetFileNameWithoutExtension(path)}*"));
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Fact]
    public void RoundTrip_Double_IsBitExactAndStoresF64()
    {
        var (network, optimizer, _) = Trained<CceThreeLayers, double>(seed => new CceThreeLayers(seed));
        var bytes = SafeTensors.ToBytes(network, optimizer);
        var loaded = new CceThreeLayers(seed: 42);
        var restored = new Adam();
        SafeTensors.Load(loaded, new MemoryStream(bytes), "memory", restored);

        Assert.Equal(network.Parameters.ToArray(), loaded.Parameters.ToArray());
        AssertSameState(optimizer.ExportState(), restored.ExportState());
        using var header = Header(bytes);
        Assert.Equal("F64", header.RootElement.GetProperty("dense.weight").GetProperty("dtype").GetString());
        Assert.Equal("CceThreeLayers", header.RootElement.GetProperty("__metadata__").GetProperty("network").GetString());
    }

    [Fact]
    public void Layout_IsPyTorchLinear_WeightIsOutByInTransposed()
    {
        var network = new TorchMlp(seed: 1);
        var bytes = SafeTensors.ToBytes(network);
        using var header = Header(bytes);
        var root = header.RootElement;
        Assert.Equal(
            ["__metadata__", "dense.weight", "dense.bias", "dense_1.weight", "dense_1.bias", "dense_2.weight", "dense_2.bias"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal([8, 4], root.GetProperty("dense.weight").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([3], root.GetProperty("dense_2.bias").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));

        // dense.weight[u, i] is the flat buffer's [i, u]: element (2, 3) of an [8, 4] tensor.
        long data = 8 + BinaryPrimitives.ReadInt64LittleEndian(bytes);
        float stored = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan((int)data + (2 * 4 + 3) * 4));
        Assert.Equal(network.Parameters[3 * 8 + 2], stored);
        Assert.Equal(0, data % 8);
    }

    [Fact]
    public void PyTorchFixture_LoadsAndPredictsLikePyTorch()
    {
        var network = new TorchMlp(seed: 0);
        SafeTensors.Load(network, Path.Combine(Fixtures, "torch_mlp.safetensors"), rejectNonFinite: true);
        var expected = JsonSerializer.Deserialize<TorchOutputs>(System.IO.File.ReadAllText(Path.Combine(Fixtures, "torch_mlp_outputs.json")), Web)!;

        var outputs = network.Predict(expected.Inputs);

        Assert.Equal(expected.Outputs.Length, outputs.Length);
        for (int i = 0; i < outputs.Length; i++) Assert.True(Math.Abs(expected.Outputs[i] - outputs[i]) <= 1e-6, $"output {i}: PyTorch {expected.Outputs[i]}, DeepPhys {outputs[i]}");
    }

    public static TheoryData<string, string, string> Rejections => new()
    {
        { "not JSON", Valid.Replace("{\"dense.weight\"", "{dense.weight\""), "not valid UTF-8 JSON" },
        { "root array", "[1, 2]", "not a JSON object" },
        { "duplicate", Valid.Replace("\"dense.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}", "\"dense.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]},\"dense.bias\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[12,12]}"), "'dense.bias' appears twice" },
        { "unknown dtype", Valid.Replace("\"F32\",\"shape\":[1]", "\"F17\",\"shape\":[1]"), "'dense.bias' has the unknown dtype 'F17'" },
        { "size mismatch", Valid.Replace("[1,2]", "[1,3]"), "'dense.weight' of F32 [1, 3] needs 12 bytes" },
        { "overflowing shape", Valid.Replace("[1,2]", "[4611686018427387904,4611686018427387904]"), "'dense.weight' has the shape [4611686018427387904, 4611686018427387904], whose size overflows" },
        { "negative offset", Valid.Replace("[8,12]", "[-4,0]"), "'dense.bias': data_offsets holds -4" },
        { "huge offset", Valid.Replace("[8,12]", "[18446744073709551612,18446744073709551616]"), "'dense.bias': data_offsets holds 18446744073709551612" },
        { "overlap", Valid.Replace("[8,12]", "[4,8]"), "'dense.bias' at bytes [4, 8] overlaps" },
        { "gap", Valid.Replace("[8,12]", "[12,16]"), "'dense.bias' starts at byte 12, leaving a gap after byte 8" },
        { "invalid surrogate", Valid.Replace("dense.bias", "dense.\\ud800"), "a string that is not valid Unicode" },
        { "reversed offsets", Valid.Replace("[8,12]", "[12,8]"), "'dense.bias' has data_offsets [12, 8]" },
        { "fractional shape", Valid.Replace("[1,2]", "[1,2.0]"), "'dense.weight': shape holds 2.0" },
        { "extra field", Valid.Replace("\"dtype\":\"F32\",\"shape\":[1]", "\"dtype\":\"F32\",\"extra\":1,\"shape\":[1]"), "'dense.bias' has an unexpected, repeated or mistyped field 'extra'" },
        { "metadata not strings", Valid.Replace("{\"dense.weight\"", "{\"__metadata__\":{\"n\":1},\"dense.weight\""), "__metadata__ entry 'n' is not a string" },
        { "newer format version", Valid.Replace("{\"dense.weight\"", "{\"__metadata__\":{\"format\":\"deepphys\",\"format_version\":\"2\"},\"dense.weight\""), "DeepPhys safetensors version 2; this DeepPhys reads version 1" },
        { "format version not a number", Valid.Replace("{\"dense.weight\"", "{\"__metadata__\":{\"format\":\"deepphys\",\"format_version\":\"one\"},\"dense.weight\""), "DeepPhys safetensors version one; this DeepPhys reads version 1" },
        { "other network", Valid.Replace("{\"dense.weight\"", "{\"__metadata__\":{\"network\":\"Other\"},\"dense.weight\""), "it holds the network Other; expected FloatLogistic" },
        { "missing tensor", Valid.Replace("\"dense.bias\"", "\"optimizer.state0.dense.bias\""), "tensor 'dense.bias' is missing" },
        { "unexpected tensor", Valid.Replace("\"dense.bias\"", "\"dense_9.bias\""), "tensor 'dense_9.bias' is not a parameter of FloatLogistic" },
        { "wrong shape", Valid.Replace("[1,2]", "[2,1]"), "'dense.weight' has the shape [2, 1]; expected [1, 2]" },
        { "wrong dtype", Valid.Replace("\"F32\",\"shape\":[1]", "\"I32\",\"shape\":[1]"), "'dense.bias' is I32; expected F32 or F64" },
    };

    /// <summary>FloatLogistic's header: dense.weight [1, 2] and dense.bias [1] in 12 bytes of F32.</summary>
    private const string Valid =
        "{\"dense.weight\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]},\"dense.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";

    [Theory]
    [MemberData(nameof(Rejections))]
    public void Load_RejectsBadHeaders_WithTheFileAndTensorNamed(string why, string header, string message)
    {
        var network = new FloatLogistic(seed: 1);
        var before = network.Parameters.ToArray();

        var error = Assert.Throws<FormatException>(() => SafeTensors.Load(network, new MemoryStream(Build(header, Values(1f, 2f, 3f))), "bad.safetensors"));

        Assert.StartsWith("bad.safetensors: ", error.Message);
        Assert.True(error.Message.Contains(message, StringComparison.Ordinal), $"{why}: {error.Message}");
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Fact]
    public void Load_RejectsLengthPrefixesAndTruncation()
    {
        var valid = Build(Valid, Values(1f, 2f, 3f));
        var network = new FloatLogistic(seed: 1);
        FormatException Fails(byte[] bytes) => Assert.Throws<FormatException>(() => SafeTensors.Load(network, new MemoryStream(bytes), "x.safetensors"));

        Assert.Contains("the file has 5 bytes", Fails(valid[..5]).Message);
        var huge = (byte[])valid.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(huge, ulong.MaxValue);
        Assert.Contains($"the header claims {ulong.MaxValue} bytes", Fails(huge).Message);
        var longer = (byte[])valid.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(longer, (ulong)valid.Length);
        Assert.Contains("the limit is 100000000", Fails(longer).Message);
        Assert.Contains("the tensors cover 12 bytes of the data buffer, which holds 11", Fails(valid[..^1]).Message);
        Assert.Contains("which holds 13 (truncated or padded", Fails([.. valid, 0]).Message);
    }

    [Fact]
    public void Load_NonFinite_RejectedOnlyWhenAsked()
    {
        var bytes = Build(Valid, Values(1f, float.NaN, 3f));
        var network = new FloatLogistic(seed: 1);

        var error = Assert.Throws<FormatException>(() => SafeTensors.Load(network, new MemoryStream(bytes), "nan.safetensors", rejectNonFinite: true));
        Assert.Equal("nan.safetensors: tensor 'dense.weight' holds NaN at index 1.", error.Message);

        SafeTensors.Load(network, new MemoryStream(bytes), "nan.safetensors");
        Assert.Equal([1f, float.NaN, 3f], network.Parameters.ToArray());
    }

    [Fact]
    public void Load_OptimizerState_MissingOrOfAnotherType_IsRejected()
    {
        var (network, optimizer, _) = Trained<TorchMlp, float>(seed => new TorchMlp(seed));
        var withState = SafeTensors.ToBytes(network, optimizer);
        var without = SafeTensors.ToBytes(network);

        var missing = Assert.Throws<FormatException>(() => SafeTensors.Load(new TorchMlp(1), new MemoryStream(without), "w.safetensors", new Adam()));
        Assert.Equal("w.safetensors: the optimizer was asked for, but __metadata__ has no 'optimizer.steps'.", missing.Message);
        var other = Assert.Throws<FormatException>(() => SafeTensors.Load(new TorchMlp(1), new MemoryStream(withState), "w.safetensors", new Sgd(0.1)));
        Assert.Contains("holds the state of Adam; this optimizer is Sgd", other.Message);

        // Without an optimizer the state tensors are checked but ignored.
        var loaded = new TorchMlp(1);
        SafeTensors.Load(loaded, new MemoryStream(withState), "w.safetensors");
        Assert.Equal(network.Parameters.ToArray(), loaded.Parameters.ToArray());
    }

    [Fact]
    public void Fuzz_TenThousandMutatedFiles_OnlyFormatErrors_AndWhatLoadsRoundTrips()
    {
        var (network, optimizer, scaler) = Trained<TorchMlp, float>(seed => new TorchMlp(seed));
        var valid = SafeTensors.ToBytes(network, optimizer, scaler);
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(valid);
        string header = Encoding.UTF8.GetString(valid, 8, headerLength);
        var data = valid[(8 + headerLength)..];
        var random = new Random(8);
        string[] numbers = ["0", "1", "-1", "7", "4294967296", "9223372036854775807", "18446744073709551615", "99999999999999999999", "1e300", "2.5"];
        string[] dtypes = ["F16", "BF16", "I64", "U8", "BOOL", "F64", "X", ""];
        int accepted = 0, rejected = 0;

        for (int i = 0; i < 10_000; i++)
        {
            byte[] bytes = (i % 7) switch
            {
                0 => FlipBits(valid, random),
                1 => valid[..random.Next(valid.Length)],
                2 => WithLength(valid, random.Next(3) switch { 0 => ulong.MaxValue - (ulong)random.Next(1000), 1 => (ulong)random.NextInt64(), _ => (ulong)(headerLength + random.Next(-16, 17)) }),
                3 => Build(ReplaceNumber(header, numbers[random.Next(numbers.Length)], random), data),
                4 => Build(ReplaceDType(header, dtypes[random.Next(dtypes.Length)], random), data),
                5 => Build(EditText(header, random), data),
                _ => [.. valid, .. FlipBits(new byte[random.Next(1, 64)], random)],
            };

            var loaded = new TorchMlp(1);
            var adam = new Adam();
            bool rejectNonFinite = i % 2 == 0;
            Training.SavedPreprocessing preprocessing;
            try
            {
                preprocessing = SafeTensors.Load(loaded, new MemoryStream(bytes), $"fuzz#{i}", adam, rejectNonFinite);
            }
            catch (FormatException e)
            {
                Assert.StartsWith($"fuzz#{i}: ", e.Message);
                rejected++;
                continue;
            }

            // What a mutated file was allowed to load is a state the saver writes and the loader reads back unchanged.
            accepted++;
            if (rejectNonFinite) Assert.All(loaded.Parameters.ToArray(), value => Assert.True(float.IsFinite(value), $"fuzz#{i} loaded {value}"));
            var reloaded = new TorchMlp(2);
            var reloadedAdam = new Adam();
            var reloadedPreprocessing = SafeTensors.Load(reloaded, new MemoryStream(SafeTensors.ToBytes(loaded, adam, preprocessing.Scaler)), $"resaved#{i}", reloadedAdam);
            Assert.Equal(loaded.Parameters.ToArray(), reloaded.Parameters.ToArray());
            AssertSameState(adam.ExportState(), reloadedAdam.ExportState());
            Assert.Equal(preprocessing.Scaler?.Center, reloadedPreprocessing.Scaler?.Center);
            Assert.Equal(preprocessing.Scaler?.Scale, reloadedPreprocessing.Scaler?.Scale);
        }

        Assert.True(rejected > 7_000, $"only {rejected} of 10000 mutations were rejected");
        Assert.True(accepted > 0, "no mutation was harmless: the fuzz never reached a successful load");
    }

    /// <summary>
    /// The state_dict of PyTorch's TorchCnn (Fixtures/make_onnx_fixture.py, without num_batches_tracked) loads, running
    /// statistics included, and predicts as PyTorch; DeepPhys saves exactly those names and shapes back, so
    /// <c>load_state_dict(strict=False)</c> misses only num_batches_tracked.
    /// </summary>
    [Fact]
    public void PyTorchCnnFixture_LoadsWithRunningStatistics_AndSavesTheSameNames()
    {
        var network = new TorchCnn(seed: 0);
        string path = Path.Combine(Fixtures, "torch_cnn.safetensors");
        SafeTensors.Load(network, path, rejectNonFinite: true);
        var expected = JsonSerializer.Deserialize<TorchOutputs>(System.IO.File.ReadAllText(Path.Combine(Fixtures, "torch_cnn_outputs.json")), Web)!;

        var outputs = network.Predict(expected.Inputs);

        for (int i = 0; i < outputs.Length; i++) Assert.True(Math.Abs(expected.Outputs[i] - outputs[i]) <= 1e-5, $"output {i}: PyTorch {expected.Outputs[i]}, DeepPhys {outputs[i]}");
        using var torch = Header(System.IO.File.ReadAllBytes(path));
        using var saved = Header(SafeTensors.ToBytes(network));
        string[] Shapes(JsonDocument header) =>
            [.. header.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__").Select(p => $"{p.Name} {p.Value.GetProperty("shape")}").Order()];
        Assert.Equal(Shapes(torch), Shapes(saved));
        Assert.Contains("conv2d_1.weight [6,4,2,2]", Shapes(saved));
        Assert.Contains("bn.running_var [4]", Shapes(saved));
        Assert.DoesNotContain("conv2d_1.bias [6]", Shapes(saved));
    }

    [Fact]
    public void RoundTrip_TrainedCnnWithBatchNorm_RestoresParametersAndRunningStatistics()
    {
        var network = new NormalizedCnn(seed: 1);
        var (inputs, targets) = GradientCheck.RandomBatch(network, batch: 8, seed: 2);
        for (int step = 0; step < 3; step++) network.TrainStep(inputs, targets);
        var copy = new NormalizedCnn(seed: 3);

        SafeTensors.Load(copy, new MemoryStream(SafeTensors.ToBytes(network)), "memory");

        Assert.Equal(network.Parameters.ToArray(), copy.Parameters.ToArray());
        Assert.Equal(network.State.ToArray(), copy.State.ToArray());
        Assert.Equal(network.Predict(inputs), copy.Predict(inputs));
    }

    /// <summary>Recurrent layers are stored as PyTorch's nn.LSTM and nn.GRU state dicts name them, untransposed; a conv1d as nn.Conv1d.</summary>
    [Fact]
    public void RoundTrip_RecurrentAndConv1D_UsesPyTorchNamesAndShapes()
    {
        var network = new StackedRecurrentNet(seed: 1);
        var bytes = SafeTensors.ToBytes(network);
        using var header = Header(bytes);
        var root = header.RootElement;
        string[] Shapes(JsonElement tensors) => [.. tensors.EnumerateObject().Where(p => p.Name != "__metadata__").Select(p => $"{p.Name} {p.Value.GetProperty("shape")}")];
        Assert.Equal(
            ["lstm.weight_ih_l0 [16,2]", "lstm.weight_hh_l0 [16,4]", "lstm.bias_ih_l0 [16]", "lstm.bias_hh_l0 [16]",
             "gru.weight_ih_l0 [9,4]", "gru.weight_hh_l0 [9,3]", "gru.bias_ih_l0 [9]", "gru.bias_hh_l0 [9]", "dense.weight [2,3]", "dense.bias [2]"],
            Shapes(root));

        // gru.weight_hh_l0[7, 2] is W_hh's row 7, column 2, after the LSTM's 16·(2 + 4) + 16·2 values and the GRU's W_ih 9·4.
        long data = 8 + BinaryPrimitives.ReadInt64LittleEndian(bytes) + root.GetProperty("gru.weight_hh_l0").GetProperty("data_offsets")[0].GetInt64();
        Assert.Equal(network.Parameters[(16 * 6) + 32 + 36 + (7 * 3) + 2], BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan((int)data + ((7 * 3) + 2) * 8)));
        var copy = new StackedRecurrentNet(seed: 2);
        SafeTensors.Load(copy, new MemoryStream(bytes), "memory");
        Assert.Equal(network.Parameters.ToArray(), copy.Parameters.ToArray());

        var signal = new SignalCnn(seed: 1);
        using var signalHeader = Header(SafeTensors.ToBytes(signal));
        Assert.Equal(["c1.weight [3,2,4]", "c1.bias [3]", "c2.weight [2,3,3]", "n.weight [2]", "n.bias [2]", "out.weight [3,2]", "out.bias [3]", "n.running_mean [2]", "n.running_var [2]"], Shapes(signalHeader.RootElement));
        var signalCopy = new SignalCnn(seed: 2);
        SafeTensors.Load(signalCopy, new MemoryStream(SafeTensors.ToBytes(signal)), "memory");
        Assert.Equal(signal.Parameters.ToArray(), signalCopy.Parameters.ToArray());
    }

    internal sealed record TorchOutputs(float[] Inputs, float[] Outputs);

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static JsonDocument Header(byte[] bytes) =>
        JsonDocument.Parse(bytes.AsMemory(8, (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes)));

    private static void AssertSameState(OptimizerSnapshot expected, OptimizerSnapshot actual)
    {
        Assert.Equal(expected.Optimizer, actual.Optimizer);
        Assert.Equal(expected.Steps, actual.Steps);
        Assert.Equal(expected.LearningRate, actual.LearningRate);
        Assert.Equal(expected.ParameterCount, actual.ParameterCount);
        Assert.Equal(expected.Scalars, actual.Scalars);
        Assert.Equal(expected.Buffers.Count, actual.Buffers.Count);
        for (int k = 0; k < expected.Buffers.Count; k++) Assert.Equal(expected.Buffers[k], actual.Buffers[k]);
    }

    private static byte[] Values(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        return bytes;
    }

    private static byte[] Build(string header, byte[] data)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + json.Length);
        return bytes;
    }

    private static byte[] FlipBits(byte[] source, Random random)
    {
        var bytes = (byte[])source.Clone();
        for (int flips = random.Next(1, 9); flips > 0; flips--) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
        return bytes;
    }

    private static byte[] WithLength(byte[] source, ulong length)
    {
        var bytes = (byte[])source.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, length);
        return bytes;
    }

    private static string ReplaceNumber(string header, string number, Random random)
    {
        var digits = System.Text.RegularExpressions.Regex.Matches(header, "[0-9]+");
        var match = digits[random.Next(digits.Count)];
        return string.Concat(header.AsSpan(0, match.Index), number, header.AsSpan(match.Index + match.Length));
    }

    private static string ReplaceDType(string header, string dtype, Random random)
    {
        var matches = System.Text.RegularExpressions.Regex.Matches(header, "\"F32\"");
        var match = matches[random.Next(matches.Count)];
        return string.Concat(header.AsSpan(0, match.Index), $"\"{dtype}\"", header.AsSpan(match.Index + match.Length));
    }

    private static string EditText(string header, Random random)
    {
        int at = random.Next(header.Length);
        const string Pieces = "{}[],:\"0123456789-. ae";
        return random.Next(3) switch
        {
            0 => header.Remove(at, Math.Min(random.Next(1, 8), header.Length - at)),
            1 => header.Insert(at, Pieces[random.Next(Pieces.Length)].ToString()),
            _ => header.Remove(at, 1).Insert(at, Pieces[random.Next(Pieces.Length)].ToString()),
        };
    }
}
