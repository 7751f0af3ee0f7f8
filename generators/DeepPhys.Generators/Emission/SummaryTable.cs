using System.Globalization;
using System.Linq;
using System.Text;
using DeepPhys.Generators.Model;

namespace DeepPhys.Generators.Emission
{
    /// <summary>
    /// The Keras 2 style summary of a network, computed at compile time, with a column of forward FLOPs per sample.
    /// As in Keras, a layer's count includes its non-trainable state (a batch norm's running means and variances: 4 · channels).
    /// </summary>
    internal static class SummaryTable
    {
        private const int Width = 77;

        /// <summary>Where the Output Shape, Param # and FLOPs columns start (Keras's first three at 45% and 85% of 65).</summary>
        private const int ShapeColumn = 29, ParamColumn = 55, FlopsColumn = 67;

        public static string Build(NetworkSpec spec)
        {
            var text = new StringBuilder();
            text.Append("Model: \"").Append(spec.ClassName).Append("\"\n");
            text.Append('_', Width).Append('\n');
            Row(text, "Layer (type)", "Output Shape", "Param #", "FLOPs");
            text.Append('=', Width).Append('\n');
            foreach (var node in spec.Graph.Nodes)
            {
                if (node.Descriptor.IsInput) continue;
                string type = node.Activation == ActivationKind.Linear ? node.Op.ToString() : node.Op + ", " + node.Activation;
                string shape = "(None, " + string.Join(", ", node.Shape.Select(Number)) + ")";
                Row(text, $"{node.Name} ({type})", shape, Number(node.ParameterCount + node.StateCount), node.FlopsPerSample.ToString(CultureInfo.InvariantCulture));
            }

            long trainable = spec.Graph.ParameterCount, nonTrainable = spec.Graph.Nodes.Sum(node => (long)node.StateCount);
            text.Append('=', Width).Append('\n');
            text.Append("Total params: ").Append(Count(trainable + nonTrainable)).Append('\n');
            text.Append("Trainable params: ").Append(Count(trainable)).Append('\n');
            text.Append("Non-trainable params: ").Append(Count(nonTrainable)).Append('\n');
            text.Append("FLOPs per sample (forward): ").Append(spec.Graph.FlopsPerSample.ToString("N0", CultureInfo.InvariantCulture)).Append('\n');
            text.Append('_', Width).Append('\n');
            return text.ToString();
        }

        /// <summary>One row; a cell too wide for its column pushes the next one right instead of being cut.</summary>
        private static void Row(StringBuilder text, string layer, string shape, string parameters, string flops)
        {
            var line = new StringBuilder(" ").Append(layer);
            PadTo(line, ShapeColumn).Append(shape);
            PadTo(line, ParamColumn).Append(parameters);
            PadTo(line, FlopsColumn).Append(flops);
            text.Append(line).Append('\n');
        }

        private static StringBuilder PadTo(StringBuilder line, int column) =>
            line.Append(' ', line.Length < column ? column - line.Length : 1);

        private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

        private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
    }
}
