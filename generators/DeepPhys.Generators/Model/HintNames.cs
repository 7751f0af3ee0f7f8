using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DeepPhys.Generators.Model
{
    /// <summary>
    /// The file name of every generated source. Roslyn compares hint names ignoring case and rejects characters such as the
    /// '&lt;' of a file-local class's metadata name, so a class's own name is not enough: <c>Physics.Net</c> and
    /// <c>Physics.NET</c> are two classes, and a network nested as <c>Outer.Weights</c> meets <c>Outer</c>'s baked weights.
    /// One table over every generated file keeps each name as it is unless it collides, then appends <c>_2</c>, <c>_3</c>, …
    /// in ordinal order of the names asked for, so the table does not depend on the order the pipeline sees them.
    /// </summary>
    internal sealed record HintNames(EquatableArray<HintName> Names)
    {
        /// <summary>A network's (or its stand-in's) source: its class's hint name, nested types joined with '.' as namespaces are.</summary>
        public static HintName Network(string classHintName) => new(classHintName, Dotted(classHintName), Dotted(classHintName));

        /// <summary>A network's baked weights: <c>.Weights</c> added, and a key of its own (a nested network may be called Weights).</summary>
        public static HintName Weights(string classHintName) => new(classHintName + "\nweights", Dotted(classHintName) + ".Weights", Dotted(classHintName) + ".Weights");

        private static string Dotted(string classHintName) => classHintName.Replace('+', '.');

        /// <summary>Gives each source (by key) a name unique ignoring case and valid as a file name; the keys are the table's.</summary>
        public static HintNames Assign(IEnumerable<HintName> requested)
        {
            var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var names = new List<HintName>();
            foreach (var request in requested.Distinct().OrderBy(request => request.Requested, StringComparer.Ordinal).ThenBy(request => request.Key, StringComparer.Ordinal))
            {
                string valid = new(request.Requested.Select(c => char.IsLetterOrDigit(c) || c is '.' or '_' or '`' or '-' ? c : '_').ToArray());
                string unique = valid;
                for (int n = 2; !used.Add(unique); n++) unique = valid + "_" + n.ToString(CultureInfo.InvariantCulture);
                names.Add(request with { Unique = unique });
            }

            return new HintNames(names.ToEquatableArray());
        }

        /// <summary>The file name (without <c>.g.cs</c>) given to <paramref name="request"/>.</summary>
        public string For(HintName request) => Names.First(name => name.Key == request.Key).Unique;
    }

    /// <summary>A generated source's name: its key in the table, the name it asks for, and the name it is given.</summary>
    internal sealed record HintName(string Key, string Requested, string Unique);
}
