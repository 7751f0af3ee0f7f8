using System.Linq;

namespace DeepPhys.Generators.Model
{
    /// <summary>
    /// A valid network, everything the emitter needs and nothing more. It holds no location, so
    /// moving the declaration in its file leaves it equal and the source is not emitted again.
    /// </summary>
    /// <param name="Namespace">The containing namespace, or <c>null</c> for the global namespace.</param>
    /// <param name="ClassName">The network class's name.</param>
    /// <param name="HintName">The unique file name of the generated source, without extension.</param>
    /// <param name="ContainingTypes">The types the class is nested in, outermost first.</param>
    /// <param name="Precision">The element type.</param>
    /// <param name="Graph">The nodes and the trained outputs.</param>
    internal sealed record NetworkSpec(
        string? Namespace,
        string ClassName,
        string HintName,
        EquatableArray<ContainingTypeSpec> ContainingTypes,
        PrecisionKind Precision,
        GraphSpec Graph)
    {
        public string ElementType => Precision.ElementType();

        /// <summary>Where the class lives, which is all a second generated file of the same class needs.</summary>
        public ClassSpec Class => new(Namespace, ClassName, HintName, ContainingTypes);
    }

    /// <summary>A generated class's place: namespace, containing types, name and file name.</summary>
    internal sealed record ClassSpec(string? Namespace, string ClassName, string HintName, EquatableArray<ContainingTypeSpec> ContainingTypes)
    {
        /// <summary>Namespace, containing types and name as a reader writes them (<c>Models.Net</c>), to tell two declarations of one class.</summary>
        public string FullName => string.Join(".", new[] { Namespace }.Concat(ContainingTypes.Select(type => type.Name)).Append(ClassName).Where(part => part is not null));
    }

    internal static class PrecisionKindExtensions
    {
        /// <summary>The C# keyword of the element type.</summary>
        public static string ElementType(this PrecisionKind precision) => precision == PrecisionKind.Double ? "double" : "float";
    }
}
