using System.Globalization;
using System.Text;

namespace DeepPhys.Generators.Tests;

/// <summary>
/// Seeded source files of attribute and DSL networks written to break the generator rather than to
/// be valid: names that differ only in case, that are keywords, Unicode or the generator's own member
/// names; file-local, static, abstract, generic, record and struct classes, nested in containers that
/// may not be partial; input shapes whose products overflow <c>int</c>; sizes of zero, below zero and
/// <c>int.MaxValue</c>; enum values out of range; non-finite rates; heads with no parameter upstream.
/// About a third of them are valid networks, so the compile check also sees real generated code.
/// </summary>
internal static class HostileDeclarations
{
    private static readonly string[] Namespaces = ["", "Physics", "physics", "PHYSICS", "Physics.Models", "physics.Models", "A", "a", "DeepPhys.User", "Layout"];

    private static readonly string[] ClassNames =
    [
        "Net", "NET", "net", "Nét", "Ñet", "@class", "@Net", "Net_1", "Net1", "N", "Layout", "Weights", "TrainBatch", "Summary",
        "Definition", "Forward", "Network", "Input", "Dense", "Loss", "Activation", "System", "DeepPhys", "FromBakedWeights", "Predict",
    ];

    private static readonly string[] LayerNames = ["dense", "Dense", "out", "x", "", " ", "a.b", "Layout", "class", "é", "input", "weights", "dense_1", "0abc"];

    /// <summary>One compilation's worth: <paramref name="count"/> files, each one network; full names collide only in case.</summary>
    public static string[] Batch(int seed, int batch, int count)
    {
        var random = new Random(unchecked(seed * 7919 + batch)); // not HashCode.Combine: its seed changes per process
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var files = new string[count];
        for (int i = 0; i < count; i++) files[i] = File(random, taken, i);
        return files;
    }

    private static string File(Random random, HashSet<string> taken, int index)
    {
        string ns = Pick(random, Namespaces);
        string[] containers = random.Next(6) == 0 ? Containers(random) : [];
        string name = Pick(random, ClassNames);
        // Any type System or DeepPhys in the global namespace hides that namespace from all code, generated or not (C#'s CS0437).
        if (ns.Length == 0 && containers.Length == 0 && name is "System" or "DeepPhys") name = "Global" + name;
        // Exactly the same full name twice is one class declared twice, C#'s error and not the generator's; keep case collisions.
        if (!taken.Add($"{ns}/{string.Join(".", containers)}/{name.TrimStart('@')}"))
        {
            name = name.TrimStart('@') + "_" + index.ToString(CultureInfo.InvariantCulture);
            taken.Add($"{ns}/{string.Join(".", containers)}/{name}");
        }

        bool fileLocal = containers.Length == 0 && random.Next(15) == 0;
        var source = new StringBuilder("using DeepPhys;\n");
        if (ns.Length > 0) source.Append("namespace ").Append(ns).Append(";\n");
        foreach (string container in containers) source.Append(container).Append("\n{\n");
        source.Append(random.Next(3) == 0 ? Dsl(random) : Attributes(random));
        source.Append(fileLocal ? "file " : Pick(random, "public ", "public ", "public ", "internal ", "", "public sealed ", "public static ", "public abstract "));
        source.Append(random.Next(25) == 0 ? "class " : Pick(random, "partial class ", "partial class ", "partial class ", "partial class ", "partial class ", "partial class ", "partial record ", "partial struct "));
        source.Append(name);
        if (random.Next(25) == 0) source.Append("<T>");
        source.Append(";\n");
        foreach (string _ in containers) source.Append("}\n");
        return source.ToString();
    }

    private static string[] Containers(Random random) =>
        [.. Enumerable.Range(0, random.Next(1, 3)).Select(_ => Pick(random, "public partial class Outer", "partial class Weights", "public partial struct Box", "public class NotPartial", "public static partial class Models", "partial class Layout"))];

    private static string Attributes(Random random)
    {
        var text = new StringBuilder();
        var network = new List<string>();
        if (random.Next(8) > 0) network.Add("Loss = " + Enum(random, "Loss", "MeanSquaredError", "MeanSquaredError", "BinaryCrossEntropy", "CategoricalCrossEntropy", "None"));
        if (random.Next(4) == 0) network.Add("Precision = " + Enum(random, "Precision", "Single", "Double"));
        if (random.Next(12) > 0) text.Append("[Network(").Append(string.Join(", ", network)).Append(")]\n");

        // A stack of one family (vectors, images or sequences) is valid about as often as not; any layer in any place rarely is.
        int family = random.Next(4);
        int inputs = random.Next(12) switch { 0 => 0, 1 => 2, _ => 1 };
        for (int i = 0; i < inputs; i++) text.Append("[Input(").Append(family switch { 1 => ImageShape(random), 2 => SequenceShape(random), _ => Shape(random) }).Append(")]\n");
        for (int i = random.Next(7); i > 0; i--)
        {
            string layer = random.Next(6) == 0 ? Layer(random) : family switch { 1 => ImageLayer(random), 2 => SequenceLayer(random), _ => VectorLayer(random) };
            text.Append('[').Append(layer).Append("]\n");
        }

        if (family is 1 or 2 && random.Next(3) > 0) text.Append("[Flatten]\n");
        if (random.Next(3) > 0) text.Append("[Dense(").Append(random.Next(1, 4)).Append(", ").Append(Act(random)).Append(")]\n");
        return text.ToString();
    }

    private static string ImageShape(Random random) => random.Next(8) == 0 ? Shape(random) : $"{random.Next(1, 4)}, {random.Next(4, 12)}, {random.Next(4, 12)}";

    private static string SequenceShape(Random random) => random.Next(8) == 0 ? Shape(random) : $"{random.Next(2, 10)}, {random.Next(1, 6)}";

    private static string VectorLayer(Random random) => random.Next(6) switch
    {
        0 => $"Dropout({Rate(random)})",
        1 => $"BatchNorm(Momentum = {Rate(random)})",
        2 => $"Activation({Act(random)}{Named(random)})",
        _ => $"Dense({Small(random)}, {Act(random)}{Named(random)}{Slope(random)})",
    };

    private static string ImageLayer(Random random) => random.Next(7) switch
    {
        0 => $"Conv2D({Small(random)}, {Small(random, 3)}, {Act(random)}, Padding = Padding.Same{Named(random)})",
        1 => $"Conv2DTranspose({Small(random)}, {Small(random, 3)}, {Act(random)}, Padding = Padding.Same)",
        2 => "MaxPool2D(2)",
        3 => $"UpSampling2D({Small(random, 2)})",
        4 => "BatchNorm",
        5 => $"Dropout({Rate(random)})",
        _ => $"Conv2D({Small(random)}, 1, {Act(random)})",
    };

    private static string SequenceLayer(Random random) => random.Next(5) switch
    {
        0 => $"LSTM({Small(random)}, ReturnSequences = true)",
        1 => $"GRU({Small(random)}, ReturnSequences = true)",
        2 => $"SimpleRNN({Small(random)}, {Act(random)}, ReturnSequences = true)",
        3 => "Transpose",
        _ => $"Conv1D({Small(random)}, 1, {Act(random)})",
    };

    /// <summary>A valid size in [1, <paramref name="max"/>] but now and then a hostile one.</summary>
    private static string Small(Random random, int max = 8) => random.Next(12) == 0 ? Size(random) : random.Next(1, max + 1).ToString(CultureInfo.InvariantCulture);

    private static string Shape(Random random) => random.Next(10) switch
    {
        0 => Pick(random, "65536, 65536, 1", "65537, 65537, 1", "2147483647", "46341, 46341", "1000000, 1000000", "0", "-1", "1, 0, 1"),
        < 4 => $"{random.Next(1, 4)}, {random.Next(1, 12)}, {random.Next(1, 12)}",
        < 6 => $"{random.Next(1, 10)}, {random.Next(1, 6)}",
        _ => Size(random),
    };

    /// <summary>Any layer with any arguments.</summary>
    private static string Layer(Random random) => random.Next(24) switch
    {
        0 or 1 or 2 or 3 => $"Dense({Size(random)}, {Act(random)}{Named(random)}{Slope(random)})",
        4 => $"Conv2D({Size(random)}, {Size(random)}, {Act(random)}{Stride(random)}{Pad(random)}{Bias(random)}{Named(random)})",
        5 => $"Conv2D({Size(random)}, {Size(random)}, {Size(random)}, {Act(random)}, StrideHeight = {Size(random)}, StrideWidth = {Size(random)})",
        6 => $"Conv2DTranspose({Size(random)}, {Size(random)}, {Act(random)}{Stride(random)}{Pad(random)})",
        7 => $"Conv1D({Size(random)}, {Size(random)}, {Act(random)}{Stride(random)}{Pad(random)}{Bias(random)})",
        8 => $"MaxPool2D({Size(random)})",
        9 => $"AvgPool2D({Size(random)}, {Size(random)})",
        10 => $"MaxPool1D({Size(random)})",
        11 => $"AvgPool1D({Size(random)}{Stride(random)})",
        12 => Pick(random, "GlobalAveragePooling2D", "GlobalMaxPooling2D", "GlobalAveragePooling1D", "GlobalMaxPooling1D", "Flatten", "Transpose"),
        13 => $"UpSampling2D({Size(random)}{Named(random)})",
        14 => $"UpSampling1D({Size(random)})",
        15 => $"Activation({Act(random)}{Slope(random)}{Named(random)})",
        16 or 17 => $"Dropout({Rate(random)})",
        18 => $"BatchNorm(Momentum = {Rate(random)}, Epsilon = {Pick(random, "1e-3", "0", "-1", "double.NaN", "1e300")})",
        19 => $"SimpleRNN({Size(random)}, {Act(random)}, ReturnSequences = {Pick(random, "true", "false")})",
        20 => $"LSTM({Size(random)}, ReturnSequences = {Pick(random, "true", "false")})",
        21 => $"GRU({Size(random)})",
        _ => $"Dense({Size(random)})",
    };

    /// <summary>DSL texts, valid and not: parameter-free heads, overflowing shapes, names that are C# keywords.</summary>
    private static string Dsl(Random random)
    {
        string text = random.Next(10) switch
        {
            0 => "input x[4]\\nout = softmax(x)\\nloss categorical_crossentropy(out)",
            1 => "input x[4]\\nd = dropout(x, 0.5)\\nloss mse(d)",
            2 => "input x[2, 4, 4]\\ng = globalavgpool2d(x)\\nloss mse(g)",
            3 => "input x[4]\\nh = dense(x, 3) -> softmax\\nloss categorical_crossentropy(h)\\naux = relu(x)\\nloss mse(aux)",
            4 => $"input x[{Shape(random)}]\\nf = flatten(x)\\nout = dense(f, {Size(random)})\\nloss mse(out)",
            5 => "input class[3]\\nnamespace = dense(class, 2) -> softmax\\nloss categorical_crossentropy(namespace)",
            6 => $"input x[{random.Next(1, 5)}]\\nLayout = dense(x, {Size(random)})\\nloss mse(Layout)",
            7 => $"precision double\\ninput x[3]\\nh = dense(x, {Size(random)}) -> relu\\nr = add(h, h)\\nout = dense(r, 1)\\nloss mse(out)",
            8 => $"input img[1, {random.Next(1, 10)}, {random.Next(1, 10)}]\\nc = conv2d(img, {Size(random)}, {Size(random)}, padding: same) -> relu\\nf = flatten(c)\\nout = dense(f, 2) -> softmax\\nloss categorical_crossentropy(out)",
            _ => $"input x[{Size(random)}]\\nh = dense(x, {Size(random)}) -> {Pick(random, "relu", "tanh", "softmax", "sigmoid")}\\nloss {Pick(random, "mse", "binary_crossentropy", "categorical_crossentropy")}(h)",
        };
        return $"[Network(\"{text}\")]\n";
    }

    /// <summary>Mostly a small valid size, sometimes zero, negative, or large enough to overflow what it multiplies.</summary>
    private static string Size(Random random) => random.Next(14) switch
    {
        0 => "0",
        1 => "-1",
        2 => Pick(random, "int.MaxValue", "65536", "1 << 20", "46341"),
        _ => random.Next(1, 9).ToString(CultureInfo.InvariantCulture),
    };

    private static string Act(Random random) => Enum(random, "Activation", "Linear", "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Softmax");

    private static string Rate(Random random) => random.Next(6) > 0 ? Pick(random, "0.5", "0.2", "0", "0.99") : Pick(random, "1", "1.5", "-0.1", "double.NaN", "double.PositiveInfinity");

    private static string Slope(Random random) => random.Next(5) == 0 ? ", NegativeSlope = " + Pick(random, "0.2", "-0.1", "double.NaN", "1e300") : "";

    private static string Stride(Random random) => random.Next(3) == 0 ? ", Stride = " + Size(random) : "";

    private static string Pad(Random random) => random.Next(3) == 0 ? ", Padding = " + Enum(random, "Padding", "Valid", "Same") : "";

    private static string Bias(Random random) => random.Next(4) == 0 ? ", UseBias = false" : "";

    private static string Named(Random random) => random.Next(4) > 0 ? "" : $", Name = \"{Pick(random, LayerNames)}\"";

    /// <summary>An enum member, or now and then a cast of a value it does not have.</summary>
    private static string Enum(Random random, string type, params string[] members) =>
        random.Next(15) == 0 ? $"({type}){Pick(random, "-1", "99", "int.MaxValue")}" : $"{type}.{Pick(random, members)}";

    private static string Pick(Random random, params string[] items) => items[random.Next(items.Length)];
}
