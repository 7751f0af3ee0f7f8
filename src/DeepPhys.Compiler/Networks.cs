using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using DeepPhys.Generators.Dsl;
using DeepPhys.Generators.Emission;
using DeepPhys.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace DeepPhys;

/// <summary>
/// Networks compiled while the program runs, from the DSL (docs/dsl.md): the generator's front end checks the text
/// (the same <c>DPH</c> diagnostics, thrown as a <see cref="NetworkCompileException"/>), its emitter writes the same
/// C# it writes at build time, and Roslyn compiles that into a collectible assembly. Use it for architectures
/// chosen at run time (scans, notebooks, scripts); see docs/runtime-compile.md. It needs the JIT: under Native AOT or
/// trimming (<c>PublishAot</c>, <c>PublishTrimmed</c>) its methods are flagged (IL2026, IL3050), as they cannot work there.
/// </summary>
public static class Networks
{
    /// <summary>The class name of a text without a <c>network</c> line and without a name given.</summary>
    public const string DefaultName = "CompiledNetwork";

    /// <summary>Compiled classes by their generated source, which holds everything that makes one differ: text, name and precision.</summary>
    private static readonly ConcurrentDictionary<string, Lazy<Func<int, object>>> Compiled = new(StringComparer.Ordinal);

    /// <summary>Compiles a network from DSL text (the <c>network</c> and <c>namespace</c> lines are optional) and creates it.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/> (a text saying <c>precision double</c> needs <see cref="double"/>).</typeparam>
    /// <param name="dsl">The network in the DSL, as in a <c>[Network("""…""")]</c> or a .dph file.</param>
    /// <param name="seed">Seeds the parameters' initialisation; the same seed gives the parameters a build-time network of the same text gets.</param>
    /// <param name="name">The class name (shown in <see cref="Network{T}.Summary"/>) when the text has no <c>network</c> line.</param>
    /// <param name="parameters">Values for the text's <c>param</c> lines (docs/dsl.md, <i>Parameters</i>), e.g. a <see cref="Scans.ScanPoint"/>;
    /// a parameter not given keeps its written value.</param>
    /// <returns>A new network; the same text with the same parameter values compiles once per process, later calls only create an instance.</returns>
    /// <exception cref="NetworkCompileException">The text has errors: each with its id, line and column.</exception>
    /// <exception cref="ArgumentException"><paramref name="parameters"/> names a parameter the text does not declare, or a value is not finite.</exception>
    [RequiresUnreferencedCode(NetworkAssembly.WhyNotUnderAot)]
    [RequiresDynamicCode(NetworkAssembly.WhyNotUnderAot)]
    [RequiresAssemblyFiles(NetworkAssembly.WhyNotUnderAot)]
    public static Network<T> Compile<T>(string dsl, int seed = 0, string? name = null, IReadOnlyDictionary<string, double>? parameters = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(dsl);
        if (name is not null && !SyntaxFacts.IsValidIdentifier(name)) throw new ArgumentException($"'{name}' is not a C# identifier.", nameof(name));
        // Without a namespace line the class is global, where System and DeepPhys would hide namespaces too.
        if (name is not null && NetworkEmitter.NameClash(name, inGlobalNamespace: true) is { } clash)
        {
            throw new ArgumentException($"A network class '{name}' {clash} (DPH0006).", nameof(name));
        }

        return Create<T>(dsl, path: null, name ?? DefaultName, seed, parameters);
    }

    /// <summary>The <c>param</c> lines of a DSL text (docs/dsl.md, <i>Parameters</i>) with their written values, in the order written.</summary>
    /// <param name="dsl">The network in the DSL.</param>
    public static IReadOnlyList<KeyValuePair<string, double>> Parameters(string dsl)
    {
        ArgumentNullException.ThrowIfNull(dsl);
        return DslCompiler.DeclaredParameters(dsl);
    }

    /// <summary>The precision a DSL text declares: <see cref="Precision.Double"/> for a <c>precision double</c> line, else single.</summary>
    /// <param name="dsl">The network in the DSL.</param>
    /// <returns>Which <c>T</c> the text compiles as: a double text needs <c>Network&lt;double&gt;</c>; a single one compiles as either.</returns>
    public static Precision DeclaredPrecision(string dsl)
    {
        ArgumentNullException.ThrowIfNull(dsl);
        return DslCompiler.DeclaresDouble(dsl) ? Precision.Double : Precision.Single;
    }

    /// <summary>Compiles the network of a .dph file (docs/dsl.md) and creates it; without a <c>network</c> line its class is <see cref="DefaultName"/>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="path">The .dph file.</param>
    /// <param name="seed">Seeds the parameters' initialisation.</param>
    /// <param name="parameters">Values for the file's <c>param</c> lines, as for <see cref="Compile{T}"/>.</param>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="NetworkCompileException">The file has errors; the message names the file, as a compiler does.</exception>
    /// <exception cref="ArgumentException"><paramref name="parameters"/> names a parameter the file does not declare, or a value is not finite.</exception>
    [RequiresUnreferencedCode(NetworkAssembly.WhyNotUnderAot)]
    [RequiresDynamicCode(NetworkAssembly.WhyNotUnderAot)]
    [RequiresAssemblyFiles(NetworkAssembly.WhyNotUnderAot)]
    public static Network<T> Load<T>(string path, int seed = 0, IReadOnlyDictionary<string, double>? parameters = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"There is no network file '{path}'.", path);
        return Create<T>(File.ReadAllText(path), path, DefaultName, seed, parameters);
    }

    [RequiresUnreferencedCode(NetworkAssembly.WhyNotUnderAot)]
    [RequiresDynamicCode(NetworkAssembly.WhyNotUnderAot)]
    [RequiresAssemblyFiles(NetworkAssembly.WhyNotUnderAot)]
    private static Network<T> Create<T>(string dsl, string? path, string defaultName, int seed, IReadOnlyDictionary<string, double>? parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (parameters is not null) CheckParameters(dsl, path, parameters);
        var precision = typeof(T) == typeof(float) ? PrecisionKind.Single
            : typeof(T) == typeof(double) ? PrecisionKind.Double
            : throw new NotSupportedException($"Networks are float or double, not {typeof(T).Name}.");
        var model = DphFile.Parse(SourceText.From(dsl), path ?? "", defaultName, parameters);
        if (model.Spec is null || model.Diagnostics.Any(diagnostic => diagnostic.IsError))
        {
            throw new NetworkCompileException(path, model.Diagnostics.Select(ToDiagnostic).ToList());
        }

        // The text's 'precision' line says double; without it (single, the default) T decides.
        if (model.Spec.Precision == PrecisionKind.Double && precision == PrecisionKind.Single)
        {
            throw new ArgumentException("The network says 'precision double': compile it as a Network<double>.", nameof(T));
        }

        string source = NetworkEmitter.Emit(model.Spec with { Precision = precision });
        var create = Compiled.GetOrAdd(source, key => new Lazy<Func<int, object>>(() => NetworkAssembly.Compile(key, typeof(Network<T>)))).Value;
        return (Network<T>)create(seed);
    }

    /// <summary>Each override names a declared parameter and is finite: a scan's typo must not train the written value silently.</summary>
    private static void CheckParameters(string dsl, string? path, IReadOnlyDictionary<string, double> parameters)
    {
        var declared = DslCompiler.DeclaredParameters(dsl).Select(pair => pair.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, value) in parameters)
        {
            string text = path is null ? "The network text" : $"'{path}'";
            if (!declared.Contains(key))
            {
                string known = declared.Count == 0 ? "it declares none" : "it declares " + string.Join(", ", declared.Order(StringComparer.Ordinal));
                throw new ArgumentException($"{text} has no parameter '{key}' ({known}; a parameter is a line 'param {key} = …').", nameof(parameters));
            }

            if (!double.IsFinite(value)) throw new ArgumentException($"Parameter '{key}' is {value}; a parameter must be a finite number.", nameof(parameters));
        }
    }

    private static NetworkDiagnostic ToDiagnostic(DiagnosticInfo info)
    {
        var start = info.Location?.LineSpan.Start ?? default;
        return new NetworkDiagnostic(info.Id, info.Descriptor.DefaultSeverity.ToString().ToLowerInvariant(), start.Line + 1, start.Character + 1, info.Message);
    }
}
