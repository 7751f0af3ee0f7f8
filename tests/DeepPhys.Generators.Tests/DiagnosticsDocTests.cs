using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace DeepPhys.Generators.Tests;

/// <summary>
/// docs/diagnostics.md, the page every help link points to, against the generator: one table row
/// and one anchored section per descriptor, and each section's example really produces its id
/// and message while its fix produces nothing.
/// </summary>
public partial class DiagnosticsDocTests
{
    private static readonly string Page = File.ReadAllText(PagePath()).ReplaceLineEndings("\n");

    public static TheoryData<string> Ids => [.. DiagnosticDescriptors.ById.Keys.Order(StringComparer.Ordinal)];

    [Fact]
    public void Table_ListsEveryDescriptor_WithSeverityAndTitle()
    {
        var rows = TableRow().Matches(Page).ToDictionary(row => row.Groups["id"].Value);

        Assert.Equal(DiagnosticDescriptors.ById.Keys.Order(StringComparer.Ordinal), rows.Keys.Order(StringComparer.Ordinal));
        foreach (var (id, descriptor) in DiagnosticDescriptors.ById)
        {
            var row = rows[id];
            Assert.Equal(descriptor.DefaultSeverity.ToString(), row.Groups["severity"].Value);
            Assert.Equal(descriptor.Title.ToString(), row.Groups["title"].Value);
            Assert.Equal(id.ToLowerInvariant(), row.Groups["anchor"].Value);
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Section_HasTheHelpLinkAnchorAndTitle(string id)
    {
        var descriptor = DiagnosticDescriptors.ById[id];
        string anchor = descriptor.HelpLinkUri.Substring(descriptor.HelpLinkUri.IndexOf('#') + 1);

        Assert.EndsWith("/docs/diagnostics.md#" + anchor, descriptor.HelpLinkUri);
        Assert.Contains($"<a id=\"{anchor}\"></a>\n## {id}: {descriptor.Title}\n", Page);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Example_ProducesItsIdAndMessage(string id)
    {
        var (example, message, _) = Section(id);
        var result = GeneratorHarness.Run(example);

        // A section may name other ids its example necessarily reports too, on a line "Also reported: DPHnnnn".
        var also = AlsoReported().Matches(SectionText(id)).Select(match => match.Groups["id"].Value);
        Assert.Null(result.RunResult.Exception);
        Assert.Equal(new[] { id }.Concat(also).Order(StringComparer.Ordinal), result.Diagnostics.Select(d => d.Id).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains(message, result.Diagnostics.Select(d => d.GetMessage()));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Fix_ProducesNoDiagnosticAndCompiles(string id)
    {
        var (_, _, fix) = Section(id);
        var result = GeneratorHarness.Run(fix);

        Assert.Empty(result.Diagnostics);
        Assert.Single(result.Sources);
        Assert.Empty(result.OutputErrors());
    }

    /// <summary>The section's first C# block (the example), its text block (the message) and its second C# block (the fix).</summary>
    private static (string Example, string Message, string Fix) Section(string id)
    {
        string section = SectionText(id);

        var csharp = Block("csharp").Matches(section);
        var text = Block("text").Matches(section);
        Assert.Equal(2, csharp.Count);
        Assert.Single(text);
        return (csharp[0].Groups["body"].Value, text[0].Groups["body"].Value.TrimEnd('\n'), csharp[1].Groups["body"].Value);
    }

    private static string SectionText(string id)
    {
        string start = $"<a id=\"{id.ToLowerInvariant()}\"></a>\n";
        int from = Page.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, $"No section for {id}");
        int to = Page.IndexOf("<a id=\"", from + start.Length, StringComparison.Ordinal);
        return to < 0 ? Page[from..] : Page[from..to];
    }

    [GeneratedRegex(@"^Also reported: (?<id>DPH\d{4})", RegexOptions.Multiline)]
    private static partial Regex AlsoReported();

    private static Regex Block(string language) => new($"^```{language}\n(?<body>.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline);

    [GeneratedRegex(@"^\| (?<id>DPH\d{4}) \| (?<severity>\w+) \| \[(?<title>.+)\]\(#(?<anchor>dph\d{4})\) \|$", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    private static string PagePath([CallerFilePath] string testFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(testFile)!, "..", "..", "docs", "diagnostics.md"));
}
