using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace DeepPhys.Generators.Model
{
    /// <summary>A diagnostic as plain values (see <see cref="LocationInfo"/>), turned into a <see cref="Diagnostic"/> only when reported.</summary>
    /// <param name="Id">The descriptor's id, e.g. <c>DPH0105</c>.</param>
    /// <param name="Location">Where to report it; <c>null</c> for no source location.</param>
    /// <param name="MessageArgs">The arguments of the descriptor's message format.</param>
    /// <param name="Properties">What a code fix needs (e.g. DPH0302's suggestion), as <see cref="Diagnostic.Properties"/>.</param>
    internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> MessageArgs, EquatableArray<DiagnosticProperty> Properties)
    {
        public DiagnosticInfo(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] messageArgs)
            : this(descriptor.Id, location, new EquatableArray<string>(messageArgs), EquatableArray<DiagnosticProperty>.Empty)
        {
        }

        public DiagnosticDescriptor Descriptor => DiagnosticDescriptors.ById[Id];

        public bool IsError => Descriptor.DefaultSeverity == DiagnosticSeverity.Error;

        /// <summary>The message as the compiler shows it, in the invariant culture.</summary>
        public string Message => string.Format(CultureInfo.InvariantCulture, Descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture), MessageArgs.Cast<object>().ToArray());

        /// <summary>The diagnostic, its location made by <paramref name="locate"/> (in a syntax tree or in an additional file).</summary>
        public Diagnostic ToDiagnostic(Func<LocationInfo, Location> locate) =>
            Diagnostic.Create(
                Descriptor,
                Location is null ? null : locate(Location),
                Properties.ToImmutableDictionary(property => property.Key, property => (string?)property.Value),
                MessageArgs.Cast<object>().ToArray());
    }

    /// <summary>One entry of a diagnostic's properties. The keys are the code fixes' contract.</summary>
    internal sealed record DiagnosticProperty(string Key, string Value)
    {
        /// <summary>
        /// The name to write at the diagnostic's location: DPH0302 instead of the unknown name, DPH0401 instead of the undefined node,
        /// DPH0204/0205 instead of the activation that does not fit the loss (the DSL's name, or the <c>Activation</c> member in an attribute).
        /// </summary>
        public const string Suggestion = nameof(Suggestion);

        /// <summary>DPH0405: the node a dense layer reads, which needs a flatten.</summary>
        public const string Input = nameof(Input);
    }
}
