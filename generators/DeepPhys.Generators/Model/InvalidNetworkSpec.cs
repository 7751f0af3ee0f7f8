using System.Collections.Generic;
using System.Linq;

namespace DeepPhys.Generators.Model
{
    /// <summary>
    /// A network whose declaration has errors, as much as its stand-in class needs: where the class lives and its errors'
    /// text. Like <see cref="NetworkSpec"/> it holds no location, so moving the declaration emits nothing again.
    /// </summary>
    /// <param name="Class">Where the class lives.</param>
    /// <param name="Declaration">The class's name as its partial declaration writes it, with its type parameters (<c>Net&lt;T&gt;</c>).</param>
    /// <param name="Precision">The element type the declaration asks for (single when it cannot be read).</param>
    /// <param name="Errors">Each error as <c>DPH0204 message</c>, in the order reported.</param>
    internal sealed record InvalidNetworkSpec(ClassSpec Class, string Declaration, PrecisionKind Precision, EquatableArray<string> Errors)
    {
        /// <summary>The stand-in for a declaration with <paramref name="diagnostics"/>; <c>null</c> when none is an error.</summary>
        public static InvalidNetworkSpec? From(ClassSpec place, string declaration, PrecisionKind precision, IEnumerable<DiagnosticInfo> diagnostics)
        {
            var errors = diagnostics.Where(diagnostic => diagnostic.IsError).Select(diagnostic => diagnostic.Id + " " + diagnostic.Message).Distinct().ToEquatableArray();
            return errors.Count == 0 ? null : new InvalidNetworkSpec(place, declaration, precision, errors);
        }
    }
}
