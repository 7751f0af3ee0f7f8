using System;
using System.Globalization;
using System.Text;
using DeepPhys.Generators.Model;

namespace DeepPhys.Generators.Emission
{
    /// <summary>Writes C# source line by line with four-space indentation and '\n' line ends, whatever the machine.</summary>
    internal sealed class SourceWriter
    {
        private readonly StringBuilder builder = new();
        private int indent;

        public void WriteLine(string line = "")
        {
            if (line.Length > 0) builder.Append(' ', indent * 4).Append(line);
            builder.Append('\n');
        }

        /// <summary>Writes <c>{</c> and indents what follows.</summary>
        public void OpenBlock()
        {
            WriteLine("{");
            indent++;
        }

        /// <summary>Writes <c>}</c>, with <paramref name="suffix"/> (e.g. <c>);</c>) after it.</summary>
        public void CloseBlock(string suffix = "")
        {
            indent--;
            WriteLine("}" + suffix);
        }

        public override string ToString() => builder.ToString();

        /// <summary>
        /// A literal of the network's element type that reads back as the same value:
        /// shortest round-trip digits, invariant culture, <c>f</c> suffix for float.
        /// </summary>
        public static string Literal(double value, PrecisionKind precision)
        {
            string text = precision == PrecisionKind.Double ? RoundTrip(value) : RoundTrip((float)value);
            if (text.IndexOf('.') < 0 && text.IndexOf('E') < 0) text += ".0";
            return precision == PrecisionKind.Double ? text : text + "f";
        }

        /// <summary>"R", checked: on .NET Framework (Visual Studio's compiler host) "R" can lose the last bit, so G17 then.</summary>
        private static string RoundTrip(double value)
        {
            string text = value.ToString("R", CultureInfo.InvariantCulture);
            return BitConverter.DoubleToInt64Bits(double.Parse(text, CultureInfo.InvariantCulture)) == BitConverter.DoubleToInt64Bits(value)
                ? text
                : value.ToString("G17", CultureInfo.InvariantCulture);
        }

        private static string RoundTrip(float value)
        {
            string text = value.ToString("R", CultureInfo.InvariantCulture);
            return float.Parse(text, CultureInfo.InvariantCulture).Equals(value) ? text : value.ToString("G9", CultureInfo.InvariantCulture);
        }
    }
}
