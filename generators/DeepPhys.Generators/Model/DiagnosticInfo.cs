using System.Linq;
using Microsoft.CodeAnalysis;

namespace DeepPhys.Generators.Model
{
    /// <summary>A diagnostic as plain values (see <see cref="LocationInfo"/>), turned into a <see cref="Diagnostic"/> only when reported.</summary>
    /// <param name="Id">The descriptor's id, e.g. <c>DPH0105</c>.</param>
    /// <param name="Location">Where to report it; <c>null</c> for no source location.</param>
    /// <param name="MessageArgs">The arguments of the descriptor's message format.</param>
    internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> MessageArgs)
    {
        public DiagnosticInfo(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] messageArgs)
            : this(descriptor.Id, location, new EquatableArray<string>(messageArgs))
        {
        }

        public DiagnosticDescriptor Descriptor => DiagnosticDescriptors.ById[Id];

        public bool IsError => Descriptor.DefaultSeverity == DiagnosticSeverity.Error;

        public Diagnostic ToDiagnostic() =>
            Diagnostic.Create(Descriptor, Location?.ToLocation(), MessageArgs.Cast<object>().ToArray());
    }
}
