using System.CommandLine;

namespace DeepPhys.Tool;

/// <summary><c>deepphys summary net.dph</c>: the network's summary table, as <see cref="Network{T}.Summary"/> gives it.</summary>
internal static class SummaryCommand
{
    public static Command Create(TextWriter output)
    {
        var network = new Argument<string>("network") { Description = "The .dph file." };
        var command = new Command("summary", "Print the network's layers, output shapes and parameter counts.") { network };
        command.SetAction(parse =>
        {
            string path = parse.GetRequiredValue(network);
            // The summary does not depend on the precision; a 'precision double' file compiles as double.
            string summary = NetworkFile.PrecisionOf(path, requested: null) == Precision.Double
                ? NetworkFile.Load<double>(path, 0).Summary
                : NetworkFile.Load<float>(path, 0).Summary;
            output.WriteLine(summary.TrimEnd());
            return 0;
        });
        return command;
    }
}
