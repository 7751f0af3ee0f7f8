namespace DeepPhys.Generators.Model
{
    /// <summary>A type the network is nested in, as the generated partial declaration repeats it.</summary>
    /// <param name="Keyword">The declaration keyword: <c>class</c>, <c>struct</c>, <c>record</c>, <c>record struct</c> or <c>interface</c>.</param>
    /// <param name="Name">The name with its type parameter list, e.g. <c>Outer&lt;T&gt;</c>.</param>
    internal sealed record ContainingTypeSpec(string Keyword, string Name);
}
