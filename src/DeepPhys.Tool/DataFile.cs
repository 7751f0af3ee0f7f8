using System.Globalization;
using System.Numerics;
using DeepPhys.Data;
using Parquet;

namespace DeepPhys.Tool;

/// <summary>
/// A table of samples read for a network: a CSV (<see cref="Dataset{T}.FromCsv"/>) or a Parquet file
/// (<see cref="ParquetBatchSource{T}"/>), every column but the target a feature. The target is one-hot classes for a
/// categorical cross-entropy network (a CSV's class names, a Parquet column's class indices 0, 1, …), else numbers.
/// </summary>
internal static class DataFile
{
    /// <summary>Reads <paramref name="path"/> for <paramref name="network"/> (of the file <paramref name="networkPath"/>) and checks that the shapes fit.</summary>
    /// <param name="path">A .csv or .parquet file.</param>
    /// <param name="target">The target column.</param>
    /// <param name="network">The network the data is for.</param>
    /// <param name="networkPath">The network's file, named in the messages.</param>
    /// <param name="trained">For a trained network, its run: the data's columns must be the run's, its classes are put in the run's order.</param>
    public static Dataset<T> Read<T>(string path, string target, Network<T> network, string networkPath, RunSettings? trained = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!File.Exists(path)) throw new ToolException($"{path}: no such data file.");
        bool classes = network.Definition.Loss == Loss.CategoricalCrossEntropy;
        try
        {
            var data = Path.GetExtension(path).ToLowerInvariant() switch
            {
                ".csv" => Dataset<T>.FromCsv(path, target, classes ? TargetEncoding.OneHot : TargetEncoding.Numeric),
                ".parquet" => ReadParquet<T>(path, target, classes ? network.OutputSize : 0),
                _ => throw new ToolException($"{path}: expected a .csv or .parquet file."),
            };
            if (trained is not null) data = AsTrained(data, path, trained.Features, trained.Classes);
            CheckShape(data, path, target, network, networkPath);
            return data;
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            throw new ToolException(e.Message);
        }
    }

    /// <summary>
    /// <paramref name="data"/> with its columns as a training run had them: the same feature columns in the same order,
    /// and the one-hot target columns in the run's class order (a test file may lack a class; a class the run never saw is an error).
    /// </summary>
    /// <param name="data">Samples read by <see cref="Read{T}"/>.</param>
    /// <param name="path">Their file, named in the messages.</param>
    /// <param name="features">The run's feature columns.</param>
    /// <param name="classes">The run's class names; null for numeric targets.</param>
    private static Dataset<T> AsTrained<T>(Dataset<T> data, string path, IReadOnlyList<string> features, IReadOnlyList<string>? classes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (data.FeatureNames is { } names && !names.SequenceEqual(features))
        {
            throw new ToolException($"{path} has the feature columns {List(names)}; the network was trained on {List(features)}.");
        }

        if (classes is null || data.ClassNames is not { } found || found.SequenceEqual(classes)) return data;
        var column = found.Select(name => classes.ToList().IndexOf(name) is var index and >= 0
            ? index
            : throw new ToolException($"{path} has the class '{name}', which the network was not trained on; it knows {List(classes)}.")).ToArray();
        var targets = new T[data.Count * classes.Count];
        for (int i = 0; i < data.Count; i++)
        {
            var row = data.TargetRow(i);
            for (int j = 0; j < row.Length; j++) targets[i * classes.Count + column[j]] = row[j];
        }

        return new Dataset<T>(data.Features.ToArray(), data.FeatureCount, targets, classes.Count, data.FeatureNames, classes);
    }

    private static void CheckShape<T>(Dataset<T> data, string path, string target, Network<T> network, string networkPath)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (data.FeatureCount != network.InputSize)
        {
            throw new ToolException(
                $"{path} has {data.FeatureCount} feature columns besides '{target}'; {networkPath} takes {network.InputSize} inputs.");
        }

        if (data.TargetCount != network.OutputSize)
        {
            string found = data.ClassNames is { } classes ? $"{classes.Count} classes {List(classes)}" : $"{data.TargetCount} value per row";
            throw new ToolException($"{path}'s target '{target}' has {found}; {networkPath} has {network.OutputSize} outputs.");
        }
    }

    /// <summary>Every column but <paramref name="target"/> as features; a class index column as one-hot rows when <paramref name="classCount"/> is above 0.</summary>
    private static Dataset<T> ReadParquet<T>(string path, string target, int classCount) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var reader = ParquetReader.CreateAsync(path).GetAwaiter().GetResult();
        string[] columns = reader.Schema.GetDataFields().Select(field => field.Name).ToArray();
        reader.DisposeAsync().AsTask().GetAwaiter().GetResult();

        if (!columns.Contains(target)) throw new ToolException($"{path}: no column '{target}'; columns are: {string.Join(", ", columns)}.");
        var data = new ParquetBatchSource<T>(path, columns.Where(name => name != target).ToArray(), [target]).ReadAll();
        return classCount == 0 ? data : OneHot(data, path, target, classCount);
    }

    private static Dataset<T> OneHot<T>(Dataset<T> data, string path, string target, int classCount) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var labels = new int[data.Count];
        for (int i = 0; i < data.Count; i++)
        {
            T value = data.TargetRow(i)[0];
            if (!T.IsInteger(value) || value < T.Zero || value >= T.CreateTruncating(classCount))
            {
                throw new ToolException(string.Create(CultureInfo.InvariantCulture,
                    $"{path}: row {i}, column '{target}': {value} is not a class index 0 to {classCount - 1}."));
            }

            labels[i] = int.CreateTruncating(value);
        }

        var names = Enumerable.Range(0, classCount).Select(index => index.ToString(CultureInfo.InvariantCulture)).ToArray();
        return Dataset<T>.FromClassLabels(data.Features.ToArray(), data.FeatureCount, labels, classCount, data.FeatureNames, names);
    }

    private static string List(IEnumerable<string> names) => "(" + string.Join(", ", names) + ")";
}
