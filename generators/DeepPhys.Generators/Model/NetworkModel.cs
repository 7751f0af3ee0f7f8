namespace DeepPhys.Generators.Model
{
    /// <summary>
    /// What the parser makes of one <c>[Network]</c> class: the spec when it is valid, and every problem found; when
    /// there are errors and the class can take a generated part, the stand-in that keeps the code using it compiling.
    /// </summary>
    internal sealed record NetworkModel(NetworkSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics, InvalidNetworkSpec? Invalid = null);
}
