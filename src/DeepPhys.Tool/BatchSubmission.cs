using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DeepPhys.IO;

namespace DeepPhys.Tool;

/// <summary>What a batch job asks of the farm: <c>--partition</c>, <c>--time</c>, <c>--mem</c>, <c>--cpus</c>, and the tool's command on the nodes.</summary>
/// <param name="Partition">The Slurm partition; the cluster's default when null.</param>
/// <param name="Time">The wall-time limit per job, Slurm's <c>hh:mm:ss</c>.</param>
/// <param name="Memory">Memory per job, e.g. <c>4G</c>.</param>
/// <param name="Cpus">Cores per job.</param>
/// <param name="Deepphys">The <c>deepphys</c> command as the nodes run it.</param>
internal sealed record BatchResources(string? Partition, string Time, string Memory, int Cpus, string Deepphys);

/// <summary>
/// The array-job submission of a scan (docs/tool.md, <i>On a batch farm</i>): job i runs <c>deepphys scan … --point i</c>,
/// a last job <c>deepphys merge</c>. Slurm gets <c>scan.sbatch</c> and <c>merge.sbatch</c> (submitted with
/// <c>--dependency=afterok</c> on the array), HTCondor <c>scan.sub</c> (<c>queue N</c>, the index <c>$(Process)</c>).
/// </summary>
internal static partial class BatchSubmission
{
    /// <summary>The files written into the scan folder.</summary>
    public const string SlurmScan = "scan.sbatch", SlurmMerge = "merge.sbatch", Condor = "scan.sub", Logs = "logs";

    /// <summary>Writes the Slurm scripts into <paramref name="folder"/> and returns how to submit them.</summary>
    /// <param name="folder">The scan folder, absolute.</param>
    /// <param name="points">How many points (array jobs).</param>
    /// <param name="pointCommand">The node's command for one point without <c>--point</c>, a word each.</param>
    /// <param name="resources">What each job asks for.</param>
    public static string WriteSlurm(string folder, int points, IReadOnlyList<string> pointCommand, BatchResources resources)
    {
        string logs = Path.Combine(folder, Logs);
        Directory.CreateDirectory(logs);
        AtomicFile.WriteAllText(Path.Combine(folder, SlurmScan), SlurmScript(
            "deepphys-scan", [$"--array=0-{points - 1}", $"--output={Path.Combine(logs, "point-%a.out")}"], resources,
            $"{string.Join(' ', pointCommand.Select(Quote))} --point \"$SLURM_ARRAY_TASK_ID\""));
        AtomicFile.WriteAllText(Path.Combine(folder, SlurmMerge), SlurmScript(
            "deepphys-merge", [$"--output={Path.Combine(logs, "merge.out")}"], resources with { Cpus = 1 },
            $"{Quote(resources.Deepphys)} merge {Quote(folder)}"));
        return $"""
            jobid=$(sbatch --parsable {Quote(Path.Combine(folder, SlurmScan))})
            sbatch --dependency=afterok:$jobid {Quote(Path.Combine(folder, SlurmMerge))}
            """;
    }

    /// <summary>Writes the HTCondor submit file into <paramref name="folder"/> and returns how to submit it.</summary>
    /// <inheritdoc cref="WriteSlurm"/>
    public static string WriteCondor(string folder, int points, IReadOnlyList<string> pointCommand, BatchResources resources)
    {
        string logs = Path.Combine(folder, Logs);
        Directory.CreateDirectory(logs);
        // HTCondor runs an executable with arguments, not a shell line: the command's words go into 'arguments'.
        var words = pointCommand;
        string text = string.Join("\n",
            "# deepphys scan: one point per job, the point's index is $(Process). After every job: deepphys merge " + Quote(folder),
            $"executable     = {words[0]}",
            $"arguments      = \"{string.Join(' ', words.Skip(1).Select(CondorWord))} --point $(Process)\"",
            $"initialdir     = {folder}",
            $"output         = {Path.Combine(logs, "point-$(Process).out")}",
            $"error          = {Path.Combine(logs, "point-$(Process).err")}",
            $"log            = {Path.Combine(logs, "scan.log")}",
            $"request_cpus   = {resources.Cpus.ToString(CultureInfo.InvariantCulture)}",
            $"request_memory = {resources.Memory}",
            "getenv         = True",
            $"queue {points.ToString(CultureInfo.InvariantCulture)}",
            "");
        AtomicFile.WriteAllText(Path.Combine(folder, Condor), text);
        return $"""
            condor_submit {Quote(Path.Combine(folder, Condor))}
            condor_wait {Quote(Path.Combine(logs, "scan.log"))} && {Quote(resources.Deepphys)} merge {Quote(folder)}
            """;
    }

    private static string SlurmScript(string name, IEnumerable<string> options, BatchResources resources, string command)
    {
        var text = new StringBuilder("#!/bin/bash\n");
        var all = new List<string> { $"--job-name={name}" };
        all.AddRange(options);
        if (resources.Partition is { } partition) all.Add($"--partition={partition}");
        all.Add($"--time={resources.Time}");
        all.Add($"--mem={resources.Memory}");
        all.Add($"--cpus-per-task={resources.Cpus.ToString(CultureInfo.InvariantCulture)}");
        foreach (string option in all) text.Append("#SBATCH ").Append(option).Append('\n');
        text.Append("set -euo pipefail\n").Append(command).Append('\n');
        return text.ToString();
    }

    /// <summary>A word for a POSIX shell: as it is when it has no special characters, else in single quotes.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && PlainWord().IsMatch(word) ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>A word of HTCondor's new <c>arguments</c> syntax: in single quotes when it has a space or a quote.</summary>
    private static string CondorWord(string word) =>
        word.Contains(' ', StringComparison.Ordinal) || word.Contains('\'', StringComparison.Ordinal) || word.Contains('"', StringComparison.Ordinal)
            ? "'" + word.Replace("'", "''", StringComparison.Ordinal).Replace("\"", "\"\"", StringComparison.Ordinal) + "'"
            : word;

    [GeneratedRegex(@"^[A-Za-z0-9_./:=@%+,-]+$")]
    private static partial Regex PlainWord();
}
