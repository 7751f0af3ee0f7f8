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
            string name = NetworkEmitter.Identifier(baked.Class.ClassName), t = baked.Precision.ElementType();
            return NetworkEmitter.EmitInClass(baked.Class, writer =>
            {
                writer.WriteLine($"partial class {name}");
                writer.OpenBlock();
                writer.WriteLine($"/// <summary>Creates the network with the parameters of <c>{baked.FileName}</c>, baked in at compile time: reads no file.</summary>");
                writer.WriteLine($"public static {name} FromBakedWeights()");
                writer.OpenBlock();
                writer.WriteLine($"var network = new {name}();");
                writer.WriteLine("BakedParameters.CopyTo(network.Parameters);");
                writer.WriteLine("return network;");
                writer.CloseBlock();
                writer.WriteLine();
                writer.WriteLine($"/// <summary>The {baked.Parameters.Count.ToString(CultureInfo.InvariantCulture)} parameters of <c>{baked.FileName}</c>, laid out like <see cref=\"global::DeepPhys.Network{{T}}.Parameters\"/>.</summary>");
                writer.WriteLine($"private static global::System.ReadOnlySpan<{t}> BakedParameters => new {t}[]");
                writer.OpenBlock();
                for (int start = 0; start < baked.Parameters.Count; start += ValuesPerLine)
                {
                    var line = baked.Parameters.Skip(start).Take(ValuesPerLine).Select(value => SourceWriter.Literal(value, baked.Precision) + ",");
                    writer.WriteLine(string.Join(" ", line));
                }

                writer.CloseBlock(";");
                writer.CloseBlock();
            });
        }
    }
}
