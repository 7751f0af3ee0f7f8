using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DeepPhys.Scans;

/// <summary>
/// The points of a scan: every combination of the values of some DSL parameters (<c>param</c> lines, docs/dsl.md).
/// Points are numbered from 0 with the last parameter varying fastest, as nested loops in the written order:
/// <c>width: [16, 32], depth: [2, 3]</c> is (16, 2), (16, 3), (32, 2), (32, 3). The numbering is what a batch-farm
/// array job's index means, so it depends only on the grid as written.
/// </summary>
public sealed partial class ScanGrid : IReadOnlyList<ScanPoint>
{
    private readonly (string Name, double[] Values)[] axes;

    /// <summary>A grid from its parameters and their values, in order.</summary>
    /// <param name="axes">Each parameter's name (a DSL name) and its values (finite, distinct, at least one).</param>
    /// <exception cref="ArgumentException">No parameter, a name that is not a DSL name or repeats, a parameter without values, a value not finite or repeated.</exception>
    public ScanGrid(IEnumerable<KeyValuePair<string, IReadOnlyList<double>>> axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        this.axes = axes.Select(axis => (axis.Key, axis.Value.ToArray())).ToArray();
        if (this.axes.Length == 0) throw new ArgumentException("A scan grid needs at least one parameter.", nameof(axes));
        long count = 1;
        foreach (var (name, values) in this.axes)
        {
            if (!DslName().IsMatch(name)) throw new ArgumentException($"'{name}' is not a parameter name (a letter or '_', then letters, digits, '_').", nameof(axes));
            if (this.axes.Count(axis => axis.Name == name) > 1) throw new ArgumentException($"Parameter '{name}' appears twice in the grid.", nameof(axes));
            if (values.Length == 0) throw new ArgumentException($"Parameter '{name}' has no values.", nameof(axes));
            if (values.FirstOrDefault(value => !double.IsFinite(value)) is var bad && !double.IsFinite(bad)) throw new ArgumentException($"Parameter '{name}' has the value {bad}; values must be finite.", nameof(axes));
            if (values.Distinct().Count() != values.Length) throw new ArgumentException($"Parameter '{name}' repeats a value: {Format(values)}.", nameof(axes));
            count *= values.Length;
            if (count > int.MaxValue) throw new ArgumentException("The grid has more than 2³¹ points.", nameof(axes));
        }

        Count = (int)count;
    }

    /// <summary>The parameters' names, in order.</summary>
    public IReadOnlyList<string> Names => axes.Select(axis => axis.Name).ToArray();

    /// <summary>The number of points: the product of the numbers of values.</summary>
    public int Count { get; }

    /// <summary>Point <paramref name="index"/>, the last parameter varying fastest.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not in [0, <see cref="Count"/>).</exception>
    public ScanPoint this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            var values = new double[axes.Length];
            int rest = index;
            for (int axis = axes.Length - 1; axis >= 0; axis--)
            {
                values[axis] = axes[axis].Values[rest % axes[axis].Values.Length];
                rest /= axes[axis].Values.Length;
            }

            return new ScanPoint(index, axes.Select(axis => axis.Name).ToArray(), values);
        }
    }

    /// <summary>The values of parameter <paramref name="name"/>, as written.</summary>
    /// <exception cref="KeyNotFoundException">The grid has no such parameter.</exception>
    public IReadOnlyList<double> ValuesOf(string name) =>
        axes.FirstOrDefault(axis => axis.Name == name).Values ?? throw new KeyNotFoundException($"The grid has no parameter '{name}' (it has {string.Join(", ", Names)}).");

    /// <summary>Reads the text form, <c>width: [16, 32, 64], depth: [2, 3]</c>.</summary>
    /// <exception cref="FormatException">The text is not of that form; the message gives the column.</exception>
    public static ScanGrid Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var axes = new List<KeyValuePair<string, IReadOnlyList<double>>>();
        int position = 0;
        while (position < text.Length || axes.Count == 0)
        {
            var match = TextAxis().Match(text, position);
            if (!match.Success || match.Index != position || (!match.Groups["comma"].Success && text[(position + match.Length)..].Trim().Length > 0))
            {
                throw new FormatException($"Scan grid, column {position + 1}: expected 'name: [value, …]' separated by commas, e.g. width: [16, 32], depth: [2, 3].");
            }

            var values = new List<double>();
            foreach (var item in match.Groups["values"].Value.Split(','))
            {
                if (!double.TryParse(item, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                {
                    throw new FormatException($"Scan grid, column {match.Groups["values"].Index + 1}: '{item.Trim()}' in {match.Groups["name"].Value}'s values is not a number.");
                }

                values.Add(value);
            }

            axes.Add(new(match.Groups["name"].Value, values));
            position = match.Index + match.Length;
        }

        return Create(axes, "Scan grid");
    }

    /// <summary>Reads the JSON form, an object of arrays of numbers: <c>{"width": [16, 32, 64], "depth": [2, 3]}</c>.</summary>
    /// <exception cref="FormatException">The JSON is not of that form.</exception>
    public static ScanGrid FromJson(string json) => FromJson(json, "Scan grid JSON");

    /// <summary>Reads a JSON file of the form <see cref="FromJson(string)"/> reads.</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="FormatException">The file is not a grid; the message names it.</exception>
    public static ScanGrid Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"There is no scan grid file '{path}'.", path);
        return FromJson(File.ReadAllText(path), path);
    }

    internal static ScanGrid FromJson(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            return FromJson(document.RootElement, source);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: not JSON ({e.Message}).", e);
        }
    }

    internal static ScanGrid FromJson(JsonElement root, string source)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException($"{source}: expected an object like {{\"width\": [16, 32], \"depth\": [2, 3]}}, not {root.ValueKind}.");
        var axes = root.EnumerateObject().Select(property => new KeyValuePair<string, IReadOnlyList<double>>(
            property.Name,
            property.Value.ValueKind == JsonValueKind.Array && property.Value.EnumerateArray().All(item => item.ValueKind == JsonValueKind.Number)
                ? property.Value.EnumerateArray().Select(item => item.GetDouble()).ToArray()
                : throw new FormatException($"{source}: '{property.Name}' must be an array of numbers, not {property.Value.GetRawText()}."))).ToList();
        return Create(axes, source);
    }

    private static ScanGrid Create(List<KeyValuePair<string, IReadOnlyList<double>>> axes, string source)
    {
        try
        {
            return new ScanGrid(axes);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"{source}: {e.Message.Split(" (Parameter")[0]}", e);
        }
    }

    /// <summary>The JSON form, one line, numbers in their shortest round-trip form; equal grids give equal text.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteJson(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    internal void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        foreach (var (name, values) in axes)
        {
            writer.WriteStartArray(name);
            foreach (double value in values) writer.WriteNumberValue(value);
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    /// <summary>The text form <see cref="Parse"/> reads: <c>width: [16, 32, 64], depth: [2, 3]</c>.</summary>
    public override string ToString() => string.Join(", ", axes.Select(axis => axis.Name + ": " + Format(axis.Values)));

    /// <summary>Every point, in index order.</summary>
    public IEnumerator<ScanPoint> GetEnumerator()
    {
        for (int i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Format(double[] values) => "[" + string.Join(", ", values.Select(Format)) + "]";

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex DslName();

    [GeneratedRegex(@"\s*(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*:\s*\[(?<values>[^\]]*)\]\s*(?<comma>,)?\s*")]
    private static partial Regex TextAxis();
}

/// <summary>One point of a <see cref="ScanGrid"/>: a value per parameter, by name, and its index in the grid. Pass it to <c>Networks.Compile</c> as the parameters.</summary>
public sealed class ScanPoint : IReadOnlyDictionary<string, double>
{
    private readonly string[] names;
    private readonly double[] values;

    internal ScanPoint(int index, string[] names, double[] values)
    {
        Index = index;
        this.names = names;
        this.values = values;
    }

    /// <summary>The point's number in its grid, from 0.</summary>
    public int Index { get; }

    /// <summary><c>width=32, depth=2</c>.</summary>
    public string Label => string.Join(", ", names.Select((name, i) => name + "=" + ScanGrid.Format(values[i])));

    /// <summary>The parameter's value at this point.</summary>
    /// <exception cref="KeyNotFoundException">The grid has no such parameter.</exception>
    public double this[string key] => TryGetValue(key, out double value) ? value : throw new KeyNotFoundException($"The scan point has no parameter '{key}' (it has {string.Join(", ", names)}).");

    /// <inheritdoc/>
    public IEnumerable<string> Keys => names;

    /// <inheritdoc/>
    public IEnumerable<double> Values => values;

    /// <inheritdoc/>
    public int Count => names.Length;

    /// <inheritdoc/>
    public bool ContainsKey(string key) => Array.IndexOf(names, key) >= 0;

    /// <inheritdoc/>
    public bool TryGetValue(string key, out double value)
    {
        int i = Array.IndexOf(names, key);
        value = i >= 0 ? values[i] : 0;
        return i >= 0;
    }

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, double>> GetEnumerator() => names.Select((name, i) => new KeyValuePair<string, double>(name, values[i])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary><c>point 3 (width=32, depth=2)</c>.</summary>
    public override string ToString() => $"point {Index} ({Label})";
}
