using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace DeepPhys.Generators.Tests;

/// <summary>
/// Seeded DSL texts for the fuzz tests: programs from the grammar (valid about half the time), and
/// character-level mutations of them (deletions, inserted tokens and characters, quotes, brackets,
/// unicode, huge numbers, deep nesting, very long lines). Input <c>i</c> of a seed is always the same text.
/// </summary>
internal static class DslFuzzer
{
    private static readonly string[] Activations = ["relu", "sigmoid", "tanh", "softmax", "linear", "leaky_relu"];

    private static readonly string[] Insertions =
    [
        "\"", "\"\"\"", "'", "(", ")", "[", "]", "{", "}", "->", ":", ",", "=", "#", "\n", "\r\n", "\t", "\\", "\\u12", "\\U00110000",
        "\0", "é", "λ", "𝛼", "\u200B", "\uFEFF", "\uD800", "\uDC00", "٣", "ǅ", "-", ".", "..", "1.2.3", ".5e-3", "1e", "1e+",
        "1e999", "-1e999", "1e308", "99999999999999999999", "2147483647", "2147483648", "-2147483648", "-0", "0", "NaN", "∞",
        "dense", "input", "loss", "precision double", "network Other", "namespace A.B", "x", "_", "__", "weight: ", "units: ",
        "activation: ", "slope: ", "shape: [", "axis: 1", "->relu", "= dense(x, 4)", "input x[4]\n", "loss mse(x)\n", "@", "$", "%",
    ];

    private static readonly string[] Numbers = ["0", "-1", "1", "2147483647", "2147483648", "46341", "65536", "1e308", "1e999", "0.5", "3.4e39", "1e-50"];

    /// <summary>Input <paramref name="index"/> of <paramref name="seed"/>: a grammar program, mutated one to four times two times in three.</summary>
    public static string Text(int seed, int index)
    {
        var random = new Random(unchecked((seed * 7919) + index));
        string text = Program(random);
        int mutations = random.Next(3) == 0 ? 0 : random.Next(1, 5);
        for (int i = 0; i < mutations; i++) text = Mutate(random, text);
        return text;
    }

    /// <summary>How a failing input is shown: a C# literal (control characters and lone surrogates visible), cut at 4000 characters.</summary>
    public static string Show(string text)
    {
        string literal = SymbolDisplay.FormatLiteral(text, quote: true);
        return literal.Length <= 4000 ? literal : literal.Substring(0, 4000) + $"… ({text.Length} characters)";
    }

    /// <summary>A program from the grammar: inputs, a chain of layers with merges, nested calls, reshapes and side branches, and one or two losses.</summary>
    private static string Program(Random random)
    {
        var text = new StringBuilder();
        if (random.Next(4) == 0) text.Append(random.Next(2) == 0 ? "precision double\n" : "precision single   # the default\n");
        var vectors = new List<(string Name, int Size)>();
        var images = new List<(string Name, int C, int H, int W)>();
        int inputs = random.Next(1, 3);
        for (int i = 0; i < inputs; i++)
        {
            if (random.Next(4) == 0)
            {
                var image = ($"img{i}", random.Next(1, 3), random.Next(2, 6), random.Next(2, 6));
                images.Add(image);
                text.Append($"input {image.Item1}[{image.Item2}, {image.Item3}, {image.Item4}]\n");
            }
            else
            {
                var vector = ($"x{i}", random.Next(1, 9));
                vectors.Add(vector);
                text.Append($"input {vector.Item1}[{vector.Item2}]\n");
            }
        }

        int count = random.Next(0, 7);
        string last = "";
        for (int i = 0; i < count || vectors.Count == 0; i++)
        {
            string name = $"h{i}";
            if (images.Count > 0 && (vectors.Count == 0 || random.Next(3) == 0))
            {
                var image = images[random.Next(images.Count)];
                if (random.Next(3) == 0)
                {
                    int axis = random.Next(3);
                    images.Add(axis switch { 0 => (name, image.C * 2, image.H, image.W), 1 => (name, image.C, image.H * 2, image.W), _ => (name, image.C, image.H, image.W * 2) });
                    text.Append($"{name} = concatenate({image.Name}, {image.Name}, axis: {(axis == 2 && random.Next(2) == 0 ? -1 : axis)})\n");
                    continue;
                }

                if (random.Next(4) == 0)
                {
                    // Back to a vector of the channels: an image of even height upsampled and max-pooled; otherwise its rows end to
                    // end as a signal, through conv1d, nearest upsampling and a 1-D global average.
                    vectors.Add((name, image.C));
                    text.Append(image.H % 2 == 0
                        ? $"{name} = globalmaxpool2d(upsampling2d({image.Name}, size: [2, 3]))\n"
                        : $"{name} = globalavgpool1d(upsampling1d(conv1d(reshape({image.Name}, shape: [{image.C}, {image.H * image.W}]), filters: {image.C}, kernel: 2, padding: -1)))\n");
                    continue;
                }

                if (random.Next(4) == 0)
                {
                    // A rectangular 'same' conv at stride (1, 2), and a transposed one twice as wide back: [C, H, 2·⌈W / 2⌉].
                    int width = 2 * ((image.W + 1) / 2);
                    images.Add((name, image.C, image.H, width));
                    text.Append($"{name} = conv2d_transpose(conv2d({image.Name}, 2, kernel: [1, 3], stride: [1, 2], padding: same), {image.C}, [2, 2], stride: [1, 2], padding: same)\n");
                    continue;
                }

                vectors.Add((name, image.C * image.H * image.W));
                text.Append(random.Next(3) == 0 ? $"{name} = reshape({image.Name}, shape: [{image.C * image.H * image.W}])\n" : $"{name} = flatten({image.Name})\n");
                continue;
            }

            var input = vectors[random.Next(vectors.Count)];
            switch (random.Next(8))
            {
                case 0:
                    text.Append($"{name} = {Activations[random.Next(Activations.Length)]}({input.Name})\n");
                    vectors.Add((name, input.Size));
                    break;
                case 1:
                    var same = vectors.Where(vector => vector.Size == input.Size).ToList();
                    text.Append($"{name} = {new[] { "add", "subtract", "multiply" }[random.Next(3)]}({input.Name}, {same[random.Next(same.Count)].Name})\n");
                    vectors.Add((name, input.Size));
                    break;
                case 2:
                    var other = vectors[random.Next(vectors.Count)];
                    text.Append($"{name} = concatenate({input.Name}, {other.Name})\n");
                    vectors.Add((name, input.Size + other.Size));
                    break;
                case 3:
                    int units = random.Next(1, 9);
                    text.Append($"{name} = dense({input.Name}, units: {units}, activation: {Activations[random.Next(4)]})\n");
                    vectors.Add((name, units));
                    break;
                case 4:
                    int leaky = random.Next(1, 9);
                    text.Append($"{name} = dense({input.Name}, {leaky}, leaky_relu, {random.Next(1, 30) / 100.0:R})   # slope\n");
                    vectors.Add((name, leaky));
                    break;
                case 5:
                    text.Append($"{name} = add({input.Name}, dense({input.Name}, units: {input.Size}, activation: {Activations[random.Next(4)]}))\n");
                    vectors.Add((name, input.Size));
                    break;
                default:
                    int width = random.Next(1, 9);
                    text.Append($"{name} = dense({input.Name}, {width}) -> {Activations[random.Next(4)]}\n");
                    vectors.Add((name, width));
                    break;
            }

            last = name;
        }

        // The last node and every later node feed the output, so nothing dangles; an image branch may still (DPH0409).
        var feed = vectors.Where(vector => string.CompareOrdinal(vector.Name, last) >= 0 && vector.Name.StartsWith('h')).Select(vector => vector.Name).Distinct().ToList();
        string head = feed.Count == 0 ? vectors[^1].Name : feed.Count == 1 ? feed[0] : "joined";
        if (feed.Count > 1) text.Append($"joined = concatenate({string.Join(", ", feed)})\n");
        Output(random, text, head, "out", weight: false);
        if (random.Next(5) == 0) Output(random, text, head, "aux", weight: true);
        return text.ToString();
    }

    private static void Output(Random random, StringBuilder text, string from, string name, bool weight)
    {
        string suffix = weight ? $", weight: {random.Next(1, 10) / 4.0:R}" : "";
        switch (random.Next(3))
        {
            case 0:
                text.Append($"{name} = dense({from}, 1)\nloss mse({name}{suffix})\n");
                break;
            case 1:
                text.Append($"{name} = dense({from}, 1) -> sigmoid\nloss binary_crossentropy({name}{suffix})\n");
                break;
            default:
                text.Append($"{name} = dense({from}, {random.Next(2, 5)}) -> softmax\nloss categorical_crossentropy({name}{suffix})\n");
                break;
        }
    }

    private static string Mutate(Random random, string text)
    {
        int at = random.Next(text.Length + 1);
        switch (random.Next(10))
        {
            case 0:
            case 1:
                int length = Math.Min(random.Next(1, 12), text.Length - at);
                return text.Remove(at, length);
            case 2:
            case 3:
                return text.Insert(at, Insertions[random.Next(Insertions.Length)]);
            case 4:
                return text.Insert(at, ((char)random.Next(0, 0x10000)).ToString());
            case 5:
                return ReplaceNumber(random, text);
            case 6:
                string open = new[] { "(", "[", "dense(", "add(x0, ", "[1, " }[random.Next(5)];
                return text.Insert(at, string.Concat(Enumerable.Repeat(open, random.Next(100, 3000))));
            case 7:
                string run = random.Next(2) == 0 ? new string('a', random.Next(1000, 40000)) : string.Concat(Enumerable.Repeat("1, ", random.Next(1000, 10000)));
                return text.Insert(at, run);
            case 8:
                var lines = text.Split('\n').ToList();
                int line = random.Next(lines.Count);
                if (random.Next(2) == 0) lines.Insert(random.Next(lines.Count + 1), lines[line]);
                else lines.RemoveAt(line);
                return string.Join("\n", lines);
            default:
                var all = text.Split('\n');
                int a = random.Next(all.Length), b = random.Next(all.Length);
                (all[a], all[b]) = (all[b], all[a]);
                return string.Join("\n", all);
        }
    }

    /// <summary>Replaces one run of digits by a boundary value: zero, negative, int.MaxValue and one more, overflowing floats.</summary>
    private static string ReplaceNumber(Random random, string text)
    {
        var starts = Enumerable.Range(0, text.Length).Where(i => char.IsAsciiDigit(text[i]) && (i == 0 || !char.IsAsciiDigit(text[i - 1]))).ToList();
        if (starts.Count == 0) return text;
        int start = starts[random.Next(starts.Count)], end = start;
        while (end < text.Length && char.IsAsciiDigit(text[end])) end++;
        return text.Substring(0, start) + Numbers[random.Next(Numbers.Length)] + text.Substring(end);
    }
}
