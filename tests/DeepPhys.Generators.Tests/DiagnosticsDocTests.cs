using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace DeepPhys.Generators.Tests;

/// <summary>
/// docs/diagnostics.md (the index) and docs/diagnostics/DPHnnnn.md (the page each help link points
/// to) against the generator: one table row and one page per descriptor, and each page's example
/// really produces its id and message while its fix produces nothing.
/// </summary>
public partial class DiagnosticsDocTests
{
    private static readonly string Index = File.ReadAllText(DocsPath("diagnostics.md")).ReplaceLineEndings("\n");

    public static TheoryData<string> Ids => [.. DiagnosticDescriptors.ById.Keys.Order(StringComparer.Ordinal)];

    [Fact]
    public void Table_ListsEveryDescriptor_WithSeverityAndTitle()
    {
        var rows = TableRow().Matches(Index).ToDictionary(row => row.Groups["id"].Value);

        Assert.Equal(DiagnosticDescriptors.ById.Keys.Order(StringComparer.Ordinal), rows.Keys.Order(StringComparer.Ordinal));
        foreach (var (id, descriptor) in DiagnosticDescriptors.ById)
        {
            var row = rows[id];
            Assert.Equal(descriptor.DefaultSeverity.ToString(), row.Groups["severity"].Value);
            Assert.Equal(descriptor.Title.ToString(), row.Groups["title"].Value);
            Assert.Equal(id, row.Groups["page"].Value);
        }
    }

    /// <summary>The help link is the page's address in the repository the package names (RepositoryUrl), on main.</summary>
    [Theory]
    [MemberData(nameof(Ids))]
    public void Page_IsTheHelpLink_AndStartsWithTheTitle(string id)
    {
        var descriptor = DiagnosticDescriptors.ById[id];

        Assert.Equal($"{RepositoryUrl()}/blob/main/docs/diagnostics/{id}.md", descriptor.HelpLinkUri);
        Assert.True(File.Exists(DocsPath("diagnostics", id + ".md")));
        Assert.StartsWith($"# {id}: {descriptor.Title}\n", SectionText(id));
    }

    [Fact]
    public void Pages_AreExactlyTheDescriptors()
    {
        var pages = Directory.GetFiles(DocsPath("diagnostics"), "*.md").Select(Path.GetFileNameWithoutExtension);

        Assert.Equal(DiagnosticDescriptors.ById.Keys.Order(StringComparer.Ordinal), pages.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Example_ProducesItsIdAndMessage(string id)
    {
        var (example, message, _, files, _) = Section(id);
        var result = Run(example, files);

        // A section may name other ids its example necessarily reports too, on a line "Also reported: DPHnnnn".
        var also = AlsoReported().Matches(SectionText(id)).Select(match => match.Groups["id"].Value);
        Assert.Null(result.RunResult.Exception);
        Assert.Equal(new[] { id }.Concat(also).Order(StringComparer.Ordinal), result.Diagnostics.Select(d => d.Id).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains(message, result.Diagnostics.Select(d => d.GetMessage()));
    }

    /// <summary>What each example generates (its network's stand-in, or the network when the error is elsewhere) compiles.</summary>
    [Theory]
    [MemberData(nameof(Ids))]
    public void Example_GeneratesOnlyCodeThatCompiles(string id)
    {
        var (example, _, _, files, _) = Section(id);
        var result = Run(example, files);

        Assert.Empty(result.GeneratedErrors());
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Fix_ProducesNoDiagnosticAndCompiles(string id)
    {
        var (_, _, fix, _, files) = Section(id);
        var result = Run(fix, files);

        // A fix may leave a large network, which DPH0112 (Info) reports on every page but its own.
        Assert.Empty(result.Diagnostics.Where(d => d.Id != "DPH0112" || id == "DPH0112"));
        Assert.Equal(files.Length == 0 ? 1 : 2, result.Sources.Count);  // a fixed weights file is baked, a fixed .dph file generates
        Assert.Empty(result.OutputErrors());
    }

    /// <summary>
    /// The section's first C# block (the example), its text block (the message) and its second C# block (the fix);
    /// <c>```json path</c> and <c>```dph path</c> blocks are additional files (baked weights, .dph networks), the example's before the
    /// fix's C# block, the fix's after it.
    /// </summary>
    private static (string Example, string Message, string Fix, AdditionalText[] ExampleFiles, AdditionalText[] FixFiles) Section(string id)
    {
        string section = SectionText(id);

        var csharp = Block("csharp").Matches(section);
        var text = Block("text").Matches(section);
        Assert.Equal(2, csharp.Count);
        Assert.Single(text);
        var files = JsonFile().Matches(section);
        AdditionalText[] Files(bool afterFix) => files
            .Where(file => file.Index > csharp[1].Index == afterFix)
            .Select(file => (AdditionalText)new InMemoryText(file.Groups["path"].Value, file.Groups["body"].Value))
            .ToArray();
        return (csharp[0].Groups["body"].Value, text[0].Groups["body"].Value.TrimEnd('\n'), csharp[1].Groups["body"].Value, Files(false), Files(true));
    }

    private static GeneratorResult Run(string source, AdditionalText[] files) =>
        GeneratorHarness.Run(GeneratorHarness.CreateDriver(files), GeneratorHarness.CreateCompilation(source)).Result;

    [GeneratedRegex(@"^```(?:json|dph) (?<path>\S+)\n(?<body>.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex JsonFile();

    private static string SectionText(string id) => File.ReadAllText(DocsPath("diagnostics", id + ".md")).ReplaceLineEndings("\n");

    [GeneratedRegex(@"^Also reported: (?<id>DPH\d{4})", RegexOptions.Multiline)]
    private static partial Regex AlsoReported();

    private static Regex Block(string language) => new($"^```{language}\n(?<body>.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline);

    [GeneratedRegex(@"^\| (?<id>DPH\d{4}) \| (?<severity>\w+) \| \[(?<title>.+)\]\(diagnostics/(?<page>DPH\d{4})\.md\) \|$", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    private static string RepositoryUrl() =>
        Regex.Match(File.ReadAllText(DocsPath("..", "Directory.Build.props")), "<RepositoryUrl>(?<url>[^<]+)</RepositoryUrl>").Groups["url"].Value;

    private static string DocsPath(string first, string? second = null, [CallerFilePath] string testFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(testFile)!, "..", "..", "docs", first, second ?? ""));
}
