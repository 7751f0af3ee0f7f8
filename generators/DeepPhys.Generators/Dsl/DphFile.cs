using System.Collections.Generic;
using System;
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
        /// (<paramref name="defaultClassName"/> null); the run-time compiler (DeepPhys.Compiler) passes the name to use without one,
        /// and the values of the <c>param</c> lines it overrides.
        /// </summary>
        public static NetworkModel Parse(SourceText text, string path, string? defaultClassName, IReadOnlyDictionary<string, double>? parameters = null)
        {
            var result = DslCompiler.Compile(
                text.ToString(),
                (start, length) => LocationInfo.In(path, text, start, length),
                className: null,
                networkRequired: defaultClassName is null,
                parameters);
            string? className = result.ClassName ?? defaultClassName;
            // A class named like a generated member gets no part at all, not even a stand-in (DPH0006).
            var place = className is null || result.Diagnostics.Any(diagnostic => diagnostic.Id == DiagnosticDescriptors.NetworkNamedLikeAGeneratedMember.Id)
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

        /// <summary>
        /// The hint names of the .dph networks not to generate, as a second declaration of their class would merge into the first
        /// (members twice, CS0102): a class a [Network] class declares, or one another .dph file declares with a hint name that
        /// sorts first. <see cref="NetworkAnalyzer"/> reports them (DPH0007) by the same rule.
        /// </summary>
        public static EquatableArray<string> Repeated(IEnumerable<ClassSpec> attributeClasses, IEnumerable<ClassSpec> dphClasses)
        {
            var declared = new HashSet<string>(attributeClasses.Select(place => place.FullName), StringComparer.Ordinal);
            return dphClasses
                .GroupBy(place => place.FullName, StringComparer.Ordinal)
                .SelectMany(group => declared.Contains(group.Key) ? group : group.OrderBy(place => place.HintName, StringComparer.Ordinal).Skip(1))
                .Select(place => place.HintName)
                .OrderBy(hint => hint, StringComparer.Ordinal)
                .ToEquatableArray();
        }

        /// <summary>
        /// <c>Namespace.Class.dph.</c> and the first 64 bits of the path's SHA-256, so two files naming one class make a compile
        /// error, not a generator crash (a 32-bit FNV hash was easy to make collide); <see cref="HintNames"/> settles the rest.
        /// </summary>
        private static string HintName(string? ns, string className, string path)
        {
            using var sha = System.Security.Cryptography.SHA256.Create();
            var hash = sha.ComputeHash(System.Text.Encoding.UTF8.GetBytes(path));
            return (ns is null ? "" : ns + ".") + className + ".dph." + string.Concat(hash.Take(8).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        }
    }
}
