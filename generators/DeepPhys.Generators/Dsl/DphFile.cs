using System.Linq;
using System.Threading;
using DeepPhys.Generators.Emission;
using DeepPhys.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace DeepPhys.Generators.Dsl
{
    /// <summary>
    /// The transform of the .dph pipeline: a file that names its class (<c>network CaloNet</c>, and
    /// <c>namespace Physics.Models</c> unless global) generates that whole class; diagnostics point into the file.
    /// </summary>
    internal static class DphFile
    {
        public static bool IsDphFile(AdditionalText file) => file.Path.EndsWith(".dph", System.StringComparison.OrdinalIgnoreCase);

        public static NetworkModel Parse(AdditionalText file, CancellationToken cancellationToken)
        {
            var text = file.GetText(cancellationToken);
            return text is null ? new NetworkModel(null, EquatableArray<DiagnosticInfo>.Empty) : Parse(text, file.Path, defaultClassName: null);
        }

        /// <summary>
        /// The model of a .dph text, diagnostics in <paramref name="path"/>. The generator requires the <c>network</c> line
        /// (<paramref name="defaultClassName"/> null); the run-time compiler (DeepPhys.Compiler) passes the name to use without one.
        /// </summary>
        public static NetworkModel Parse(SourceText text, string path, string? defaultClassName)
        {
            var result = DslCompiler.Compile(
                text.ToString(),
                (start, length) => LocationInfo.In(path, text, start, length),
                className: null,
                networkRequired: defaultClassName is null);
            string? className = result.ClassName ?? defaultClassName;
            var place = className is null
                ? null
                : new ClassSpec(
                    // Escaped like the attribute path's namespace: 'namespace My.class' must emit My.@class.
                    result.Namespace is null ? null : string.Join(".", result.Namespace.Split('.').Select(NetworkEmitter.Identifier)),
                    className,
                    HintName(result.Namespace, className, path),
                    EquatableArray<ContainingTypeSpec>.Empty);
            var spec = result.Graph is null || place is null || result.Diagnostics.Any(diagnostic => diagnostic.IsError)
                ? null
                : new NetworkSpec(place.Namespace, place.ClassName, place.HintName, place.ContainingTypes, result.Precision, result.Graph);
            var invalid = spec is null && place is not null
                ? InvalidNetworkSpec.From(place, NetworkEmitter.Identifier(place.ClassName), result.Precision, result.Diagnostics)
                : null;
            // At the file's start, as DPH0111: the file is the declaration.
            var large = Frontend.DraftGraph.LargeNetwork(spec, LocationInfo.In(path, text, 0, 0));
            return new NetworkModel(spec, result.Diagnostics.Concat(large).ToEquatableArray(), invalid);
        }

        /// <summary><c>Namespace.Class.dph.</c> and a hash of the path, so two files naming one class make a compile error, not a generator crash.</summary>
        private static string HintName(string? ns, string className, string path)
        {
            uint hash = 2166136261;
            foreach (char c in path) hash = unchecked((hash ^ c) * 16777619);
            return (ns is null ? "" : ns + ".") + className + ".dph." + hash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
