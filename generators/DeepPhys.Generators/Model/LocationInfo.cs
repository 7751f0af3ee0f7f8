using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace DeepPhys.Generators.Model
{
    /// <summary>
    /// A <see cref="Location"/> reduced to plain values: a <see cref="Location"/> holds its syntax
    /// tree, which would keep old compilations alive and break caching between runs.
    /// </summary>
    internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
    {
        public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

        /// <summary>A span of an additional file's <paramref name="text"/> (a .dph or .weights.json file).</summary>
        public static LocationInfo In(string path, SourceText text, int start, int length)
        {
            var span = new TextSpan(start, length);
            return new LocationInfo(path, span, text.Lines.GetLinePositionSpan(span));
        }

        public static LocationInfo? From(SyntaxNode? node) => node is null ? null : From(node.GetLocation());

        public static LocationInfo? From(Location? location) =>
            location?.SourceTree is null
                ? null
                : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
    }
}
