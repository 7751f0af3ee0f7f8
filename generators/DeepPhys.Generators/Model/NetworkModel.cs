namespace DeepPhys.Generators.Model
{
    /// <summary>What the parser makes of one <c>[Network]</c> class: the spec when it is valid, and every problem found.</summary>
    internal sealed record NetworkModel(NetworkSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);
}
