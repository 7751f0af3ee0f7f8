using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace DeepPhys.Generators.Tests;

/// <summary>
/// Test source with locations marked as in Roslyn's analyzer testing: <c>{|#0:text|}</c> marks
/// <c>text</c> as location 0. <see cref="Text"/> is the source with the markers removed.
/// </summary>
internal sealed class MarkedSource
{
    private readonly Dictionary<int, TextSpan> spans = [];

    public MarkedSource(string markup)
    {
        var text = new StringBuilder();
        var open = new Stack<(int Marker, int Start)>();
        for (int i = 0; i < markup.Length; i++)
        {
            if (markup.AsSpan(i).StartsWith("{|#"))
            {
                int colon = markup.IndexOf(':', i);
                open.Push((int.Parse(markup.AsSpan(i + 3, colon - i - 3)), text.Length));
                i = colon;
            }
            else if (markup.AsSpan(i).StartsWith("|}"))
            {
                var (marker, start) = open.Pop();
                spans[marker] = TextSpan.FromBounds(start, text.Length);
                i++;
            }
            else
            {
                text.Append(markup[i]);
            }
        }

        Assert.Empty(open);
        Text = text.ToString();
    }

    public string Text { get; }

    /// <summary>The zero-based start of marker <paramref name="marker"/>, as a diagnostic reports it.</summary>
    public LinePosition Position(int marker) => SourceText.From(Text).Lines.GetLinePosition(spans[marker].Start);

    public TextSpan Span(int marker) => spans[marker];
}
