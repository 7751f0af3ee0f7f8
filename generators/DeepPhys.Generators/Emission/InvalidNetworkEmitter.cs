using DeepPhys.Generators.Model;

namespace DeepPhys.Generators.Emission
{
    /// <summary>
    /// Writes the stand-in of a network whose declaration has errors: the public surface of a generated network (the
    /// constructor, <c>Layout</c>'s sizes, everything <c>Network&lt;T&gt;</c> gives), so the code using the network compiles
    /// and the DPH errors are all the build reports; running it throws <c>InvalidOperationException</c> naming them.
    /// </summary>
    internal static class InvalidNetworkEmitter
    {
        private const string Throw = "throw new global::System.InvalidOperationException(s_errors);";

        /// <summary>The Layout sizes every network has; the others depend on its layers, which are not known.</summary>
        private static readonly string[] LayoutSizes = { "InputSize", "OutputSize", "ParameterCount", "ActivationsPerSample" };

        public static string Emit(InvalidNetworkSpec invalid) => NetworkEmitter.EmitInClass(invalid.Class, writer => WriteClass(writer, invalid));

        private static void WriteClass(SourceWriter writer, InvalidNetworkSpec invalid)
        {
            string t = invalid.Precision.ElementType();
            string span = $"global::System.Span<{t}>", readOnlySpan = $"global::System.ReadOnlySpan<{t}>";
            writer.WriteLine("/// <summary>");
            writer.WriteLine($"/// Stands in for the network <c>{invalid.Class.ClassName}</c>, whose declaration has errors: code using it compiles, and");
            writer.WriteLine("/// creating it (or reading a Layout size) throws <see cref=\"global::System.InvalidOperationException\"/> naming them.");
            writer.WriteLine("/// <code>");
            foreach (string error in invalid.Errors) writer.WriteLine("/// " + NetworkEmitter.XmlEscape(error.Replace('\r', ' ').Replace('\n', ' ')));
            writer.WriteLine("/// </code>");
            writer.WriteLine("/// </summary>");
            writer.WriteLine($"partial class {invalid.Declaration} : global::DeepPhys.Network<{t}>");
            writer.OpenBlock();
            writer.WriteLine("/// <summary>What every member that cannot work throws with.</summary>");
            string message = invalid.Class.ClassName + " cannot run: " + string.Join(". ", invalid.Errors);
            writer.WriteLine($"private const string s_errors = {NetworkEmitter.Quote(message)};");
            writer.WriteLine();
            writer.WriteLine("/// <summary>");
            writer.WriteLine("/// Sizes the declaration would fix at compile time. While it has errors they are not known: each property throws");
            writer.WriteLine("/// rather than answer a wrong number (a silent 0 would size buffers wrongly), and is a constant again once they are fixed.");
            writer.WriteLine("/// </summary>");
            writer.WriteLine("public static class Layout");
            writer.OpenBlock();
            foreach (string size in LayoutSizes)
            {
                writer.WriteLine($"/// <summary>Not known while the declaration has errors: throws <see cref=\"global::System.InvalidOperationException\"/>.</summary>");
                writer.WriteLine($"public static int {size} => {Throw}");
            }

            writer.CloseBlock();
            writer.WriteLine();
            writer.WriteLine("/// <summary>There is no definition to hand the runtime while the declaration has errors.</summary>");
            writer.WriteLine($"private static global::DeepPhys.NetworkDefinition s_definition => {Throw}");
            writer.WriteLine();
            writer.WriteLine("/// <summary>Throws <see cref=\"global::System.InvalidOperationException\"/>: the declaration has errors.</summary>");
            writer.WriteLine("/// <param name=\"seed\">Would seed the random stream.</param>");
            writer.WriteLine($"public {NetworkEmitter.Identifier(invalid.Class.ClassName)}(int seed = 0) : base(s_definition, seed) {{ }}");
            // The base class asks for these; no instance exists to call them, as the constructor throws.
            string[] overrides =
            {
                $"void InitializeParameters({span} parameters, global::DeepPhys.RandomStream random)",
                $"{t} TrainBatch({readOnlySpan} inputs, {readOnlySpan} targets, int batch)",
                $"void PredictBatch({readOnlySpan} inputs, {span} outputs, {span} a, int batch)",
                $"{t} EvaluateBatch({readOnlySpan} inputs, {readOnlySpan} targets, {span} outputs, {span} a, int batch)",
            };
            foreach (string member in overrides)
            {
                writer.WriteLine();
                writer.WriteLine("/// <inheritdoc/>");
                writer.WriteLine($"protected override {member} => {Throw}");
            }

            writer.CloseBlock();
        }
    }
}
