using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using DeepPhys.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace DeepPhys.Generators.Weights
{
    /// <summary>
    /// The transforms of the baked-weights pipeline: <see cref="Parse"/> reads one <c>.weights.json</c>
    /// additional file, <see cref="Match"/> pairs the files with the networks by class name
    /// (<c>Net.weights.json</c>, or <c>Models.Net.weights.json</c>, which wins over the bare name).
    /// </summary>
    internal static class WeightsFile
    {
        public const string Extension = ".weights.json";

        private const string Format = "deepphys-checkpoint";

        public static bool IsWeightsFile(AdditionalText file) => file.Path.EndsWith(Extension, StringComparison.OrdinalIgnoreCase);

        public static WeightsFileModel Parse(AdditionalText file, CancellationToken cancellationToken)
        {
            string name = System.IO.Path.GetFileName(file.Path);
            string stem = name.Substring(0, name.Length - Extension.Length);
            var text = file.GetText(cancellationToken);
            if (text is null) return new WeightsFileModel(file.Path, stem, null, EquatableArray<DiagnosticInfo>.Empty);

            LocationInfo At(int start, int length) => LocationInfo.In(file.Path, text, start, length);

            var diagnostics = new List<DiagnosticInfo>();
            void NotACheckpoint(int start, int length, string why) =>
                diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.NotACheckpoint, At(start, length), name, why));

            var read = CheckpointReader.Read(text.ToString());
            if (read.Error is not null)
            {
                NotACheckpoint(read.ErrorPosition, 0, read.Error);
                return new WeightsFileModel(file.Path, stem, null, diagnostics.ToEquatableArray());
            }

            var members = read.Members;
            if (!members.TryGetValue("Format", out var format) || format.Text != Format || !format.IsString)
            {
                if (format is null) NotACheckpoint(0, 0, "it has no \"Format\": \"" + Format + "\"");
                else NotACheckpoint(format.Start, format.Length, "its Format is " + Shown(format) + ", not \"" + Format + "\"");
            }
            else if (!members.TryGetValue("Version", out var version) || version.Text != "1" || version.IsString)
            {
                if (version is null) NotACheckpoint(0, 0, "it has no Version");
                else NotACheckpoint(version.Start, version.Length, "its Version is " + Shown(version) + "; version 1 can be baked");
            }
            else if (!members.TryGetValue("Network", out var network) || !network.IsString)
            {
                NotACheckpoint(network?.Start ?? 0, network?.Length ?? 0, "it has no Network name");
            }
            else if (read.Parameters is null)
            {
                NotACheckpoint(0, 0, "it has no Parameters array");
            }

            if (diagnostics.Count > 0) return new WeightsFileModel(file.Path, stem, null, diagnostics.ToEquatableArray());

            var parameters = read.Parameters!;
            for (int i = 0; i < parameters.Count; i++)
            {
                var element = parameters[i];
                if (element.Value is null)
                {
                    diagnostics.Add(new DiagnosticInfo(
                        DiagnosticDescriptors.InvalidBakedParameter, At(element.Start, element.Length), i.ToString(CultureInfo.InvariantCulture), name, element.Text));
                }
            }

            var state = read.State ?? new List<CheckpointReader.Element>();
            if (state.FirstOrDefault(element => element.Value is null) is { } invalid)
            {
                NotACheckpoint(invalid.Start, invalid.Length, "its State value " + state.IndexOf(invalid).ToString(CultureInfo.InvariantCulture) + " is " + invalid.Text + ", not a finite number");
            }

            if (diagnostics.Count > 0) return new WeightsFileModel(file.Path, stem, null, diagnostics.ToEquatableArray());

            var networkMember = members["Network"];
            var checkpoint = new CheckpointSpec(
                networkMember.Text,
                At(networkMember.Start, networkMember.Length),
                parameters.Select(element => element.Value!.Value).ToEquatableArray(),
                At(read.ParametersStart, 1))
            {
                State = state.Select(element => element.Value!.Value).ToEquatableArray(),
                StateLocation = read.State is null ? At(networkMember.Start, networkMember.Length) : At(read.StateStart, 1),
            };
            return new WeightsFileModel(file.Path, stem, checkpoint, EquatableArray<DiagnosticInfo>.Empty);
        }

        /// <summary>A member's value as the file writes it: strings quoted.</summary>
        private static string Shown(CheckpointReader.Member member) => member.IsString ? "\"" + member.Text + "\"" : member.Text;

        /// <summary>
        /// For each network, its weights file: the ones named by the qualified name if any, else by the
        /// class name; several make DPH0605 and the first by path is baked. A file of another network
        /// (DPH0602), size (DPH0603) or state size (DPH0606) is not baked.
        /// </summary>
        public static BakedWeightsModel Match(ImmutableArray<WeightsFileModel> files, EquatableArray<NetworkSpec> networks)
        {
            var specs = new List<BakedWeightsSpec>();
            var diagnostics = files.SelectMany(file => file.Diagnostics).ToList();
            var usable = files.Where(file => file.Checkpoint is not null).OrderBy(file => file.Path, StringComparer.Ordinal).ToList();
            foreach (var network in networks.OrderBy(network => network.HintName, StringComparer.Ordinal))
            {
                string qualified = string.Join(".", new[] { network.Namespace }.Concat(network.ContainingTypes.Select(type => type.Name)).Append(network.ClassName).Where(part => part is not null));
                var matches = usable.Where(file => file.Stem == qualified).ToList();
                if (matches.Count == 0) matches = usable.Where(file => file.Stem == network.ClassName).ToList();
                if (matches.Count == 0) continue;

                foreach (var extra in matches.Skip(1))
                {
                    diagnostics.Add(new DiagnosticInfo(
                        DiagnosticDescriptors.SeveralWeightsFiles, new LocationInfo(extra.Path, default, default), qualified, extra.Path, matches[0].Path));
                }

                var chosen = matches[0];
                var checkpoint = chosen.Checkpoint!;
                if (checkpoint.Network != network.ClassName)
                {
                    diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.WeightsOfAnotherNetwork, checkpoint.NetworkLocation, chosen.FileName, checkpoint.Network, network.ClassName));
                }
                else if (checkpoint.Parameters.Count != network.Graph.ParameterCount)
                {
                    diagnostics.Add(new DiagnosticInfo(
                        DiagnosticDescriptors.WrongBakedParameterCount,
                        checkpoint.ParametersLocation,
                        chosen.FileName,
                        checkpoint.Parameters.Count.ToString(CultureInfo.InvariantCulture),
                        qualified,
                        network.Graph.ParameterCount.ToString(CultureInfo.InvariantCulture)));
                }
                else if (checkpoint.State.Count != network.Graph.Nodes.Sum(node => node.StateCount))
                {
                    diagnostics.Add(new DiagnosticInfo(
                        DiagnosticDescriptors.WrongBakedStateCount,
                        checkpoint.StateLocation,
                        chosen.FileName,
                        checkpoint.State.Count.ToString(CultureInfo.InvariantCulture),
                        qualified,
                        network.Graph.Nodes.Sum(node => node.StateCount).ToString(CultureInfo.InvariantCulture)));
                }
                else
                {
                    specs.Add(new BakedWeightsSpec(network.Class, network.Precision, chosen.FileName, checkpoint.Parameters) { State = checkpoint.State });
                }
            }

            return new BakedWeightsModel(specs.ToEquatableArray(), diagnostics.Distinct().ToEquatableArray());
        }
    }
}
