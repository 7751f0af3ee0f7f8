using System.Globalization;
using System.Linq;
using DeepPhys.Generators.Model;

namespace DeepPhys.Generators.Emission
{
    /// <summary>
    /// Writes a network's baked weights: <c>FromBakedWeights()</c> and the parameters as a
    /// <c>ReadOnlySpan&lt;T&gt;</c> over a constant array, which C# compiles to a data blob in the
    /// assembly (RuntimeHelpers.CreateSpan): no allocation, no endianness or alignment handling, and
    /// literals that read back bit for bit and diff line by line.
    /// </summary>
    internal static class WeightsEmitter
    {
        private const int ValuesPerLine = 8;

        public static string Emit(BakedWeightsSpec baked)
        {
            string name = NetworkEmitter.Identifier(baked.Class.ClassName);
            return NetworkEmitter.EmitInClass(baked.Class, writer =>
            {
                writer.WriteLine($"partial class {name}");
                writer.OpenBlock();
                writer.WriteLine($"/// <summary>Creates the network with the parameters of <c>{baked.FileName}</c>, baked in at compile time: reads no file.</summary>");
                writer.WriteLine($"public static {name} FromBakedWeights()");
                writer.OpenBlock();
                writer.WriteLine($"var network = new {name}();");
                writer.WriteLine("BakedParameters.CopyTo(network.Parameters);");
                if (baked.State.Count > 0) writer.WriteLine("BakedState.CopyTo(network.State);");
                writer.WriteLine("return network;");
                writer.CloseBlock();
                writer.WriteLine();
                WriteValues(writer, baked, "BakedParameters", baked.Parameters, "parameters", "Parameters");
                if (baked.State.Count > 0)
                {
                    writer.WriteLine();
                    WriteValues(writer, baked, "BakedState", baked.State, "state values (batch norm's running statistics)", "State");
                }

                writer.CloseBlock();
            });
        }

        /// <summary>A <c>ReadOnlySpan&lt;T&gt;</c> property over a constant array of <paramref name="values"/>, eight literals a line.</summary>
        private static void WriteValues(SourceWriter writer, BakedWeightsSpec baked, string name, EquatableArray<double> values, string what, string buffer)
        {
            string t = baked.Precision.ElementType();
            writer.WriteLine($"/// <summary>The {values.Count.ToString(CultureInfo.InvariantCulture)} {what} of <c>{baked.FileName}</c>, laid out like <see cref=\"global::DeepPhys.Network{{T}}.{buffer}\"/>.</summary>");
            writer.WriteLine($"private static global::System.ReadOnlySpan<{t}> {name} => new {t}[]");
            writer.OpenBlock();
            for (int start = 0; start < values.Count; start += ValuesPerLine)
            {
                var line = values.Skip(start).Take(ValuesPerLine).Select(value => SourceWriter.Literal(value, baked.Precision) + ",");
                writer.WriteLine(string.Join(" ", line));
            }

            writer.CloseBlock(";");
        }
    }
}
