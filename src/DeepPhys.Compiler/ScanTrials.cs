using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using DeepPhys.Data;
using DeepPhys.Scans;
using DeepPhys.Training;

namespace DeepPhys;

/// <summary>Trials for <see cref="Scan"/> that compile a DSL text at each point (docs/runtime-compile.md, <i>Scans</i>).</summary>
public static class ScanTrials
{
    /// <summary>
    /// k-fold cross-validation of the text at each point (<see cref="CrossValidation.Run"/>): fold i's network is
    /// <c>Networks.Compile&lt;T&gt;(dsl, seed + i, parameters: point)</c>, so each distinct point compiles once, and its metrics are the
    /// held-out <c>loss</c> (and <c>accuracy</c> for a classifier).
    /// </summary>
    /// <param name="dsl">The network, with <c>param</c> lines for the grid's parameters.</param>
    /// <param name="data">All the samples.</param>
    /// <param name="folds">k, at least 2.</param>
    /// <param name="settings">Optimizer, epochs, batch size, standardisation per fold.</param>
    /// <param name="seed">Seeds the folds and the networks; the same for every point, so points differ only by their parameters.</param>
    /// <exception cref="ArgumentException">The grid names a parameter the text does not declare (when the trial runs).</exception>
    [RequiresUnreferencedCode(NetworkAssembly.WhyNotUnderAot)]
    [RequiresDynamicCode(NetworkAssembly.WhyNotUnderAot)]
    [RequiresAssemblyFiles(NetworkAssembly.WhyNotUnderAot)]
    public static ScanTrial CrossValidate<T>(string dsl, Dataset<T> data, int folds, FitSettings settings, int seed = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(dsl);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        return point =>
        {
            var result = CrossValidation.Run(fold => Networks.Compile<T>(dsl, seed + fold, parameters: point), data, folds, settings, seed);
            return result.Folds.Select(fold => (IReadOnlyDictionary<string, double>)Metrics(fold.Test)).ToArray();
        };
    }

    private static Dictionary<string, double> Metrics(Evaluation test)
    {
        var metrics = new Dictionary<string, double> { ["loss"] = test.Loss };
        if (test.Accuracy is double accuracy) metrics["accuracy"] = accuracy;
        return metrics;
    }
}
