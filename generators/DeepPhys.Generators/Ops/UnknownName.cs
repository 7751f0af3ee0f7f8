using System;
using System.Collections.Generic;
using System.Linq;
using DeepPhys.Generators.Model;

namespace DeepPhys.Generators.Ops
{
    /// <summary>DPH0302, an unknown layer, activation, loss or argument, with the closest known name as a suggestion.</summary>
    internal static class UnknownName
    {
        /// <summary>The diagnostic; the suggestion also goes into its properties, so the code fix need not recompute it.</summary>
        public static DiagnosticInfo Create(LocationInfo? location, string kind, string text, IEnumerable<string> candidates, string note = "")
        {
            string? suggestion = Suggest(text, candidates);
            return new DiagnosticInfo(DiagnosticDescriptors.UnknownName.Id, location, new EquatableArray<string>(new[] { kind, text, Hint(suggestion) + note }), SuggestionProperty(suggestion));
        }

        /// <summary>The properties carrying <paramref name="suggestion"/> for a code fix to write; none without one.</summary>
        public static EquatableArray<DiagnosticProperty> SuggestionProperty(string? suggestion) =>
            suggestion is null ? EquatableArray<DiagnosticProperty>.Empty : new EquatableArray<DiagnosticProperty>(new[] { new DiagnosticProperty(DiagnosticProperty.Suggestion, suggestion) });

        public static string Hint(string? suggestion) => suggestion is null ? string.Empty : $"; did you mean '{suggestion}'?";

        /// <summary>The closest candidate within two edits, or null.</summary>
        public static string? Suggest(string name, IEnumerable<string> candidates)
        {
            // The distance is at least the difference in length: a 40,000-character name is compared with nothing.
            var best = candidates
                .Where(candidate => Math.Abs(candidate.Length - name.Length) <= 2)
                .Select(candidate => (Candidate: candidate, Distance: Dsl.EditDistance.Between(name, candidate)))
                .Where(pair => pair.Distance <= 2 && pair.Distance < Math.Max(name.Length, 2))
                .OrderBy(pair => pair.Distance)
                .ThenBy(pair => pair.Candidate, StringComparer.Ordinal)
                .FirstOrDefault();
            return best.Candidate;
        }
    }
}
