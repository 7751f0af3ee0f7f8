using System.Composition;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace DeepPhys.CodeFixes
{
    /// <summary>DPH0302: writes the suggested name (from the diagnostic's <c>Suggestion</c> property) over the unknown one in an inline DSL.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseSuggestedNameCodeFix))]
    [Shared]
    public sealed class UseSuggestedNameCodeFix() : DphCodeFix("DPH0302")
    {
        public override Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                if (!diagnostic.Properties.TryGetValue("Suggestion", out string? suggestion) || suggestion is null) continue;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Use '{suggestion}'",
                        async cancellationToken =>
                        {
                            var text = await context.Document.GetTextAsync(cancellationToken).ConfigureAwait(false);
                            return context.Document.WithText(text.WithChanges(new TextChange(diagnostic.Location.SourceSpan, suggestion)));
                        },
                        equivalenceKey: nameof(UseSuggestedNameCodeFix) + suggestion),
                    diagnostic);
            }

            return Task.CompletedTask;
        }
    }

    /// <summary>
    /// DPH0405: a dense layer reads an image. The DSL has no nested calls, so the fix inserts a line
    /// <c>img_flat = flatten(img)</c> before the layer's and rewires the layer to it. Inline DSL in a
    /// raw (<c>"""</c>) or verbatim string only: a regular string would need <c>\n</c> escapes.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InsertFlattenCodeFix))]
    [Shared]
    public sealed class InsertFlattenCodeFix() : DphCodeFix("DPH0405")
    {
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var text = await context.Document.GetTextAsync(context.CancellationToken).ConfigureAwait(false);
            foreach (var diagnostic in context.Diagnostics)
            {
                if (!diagnostic.Properties.TryGetValue("Input", out string? input) || input is null || root is null) continue;
                var token = root.FindToken(diagnostic.Location.SourceSpan.Start);
                bool multiLine = token.IsKind(SyntaxKind.MultiLineRawStringLiteralToken)
                    || (token.IsKind(SyntaxKind.StringLiteralToken) && token.Text.StartsWith("@", System.StringComparison.Ordinal));
                if (!multiLine || Rewire(text, diagnostic.Location.SourceSpan, input, token.Text) is not { } changes) continue;
                context.RegisterCodeFix(
                    CodeAction.Create($"Insert flatten({input})", _ => Task.FromResult(context.Document.WithText(text.WithChanges(changes))), equivalenceKey: nameof(InsertFlattenCodeFix)),
                    diagnostic);
            }
        }

        /// <summary>The new line before the layer's (same indentation) and the input name in the call replaced; null if the call is not <c>layer(input…</c>.</summary>
        private static TextChange[]? Rewire(SourceText text, TextSpan layer, string input, string literal)
        {
            var line = text.Lines.GetLineFromPosition(layer.Start);
            string lineText = line.ToString();
            var call = new Regex(@"\G\s*\(\s*(" + Regex.Escape(input) + @")\b").Match(lineText, layer.End - line.Start);
            if (!call.Success) return null;

            string flat = input + "_flat";
            for (int i = 2; Regex.IsMatch(literal, @"\b" + Regex.Escape(flat) + @"\b"); i++) flat = input + "_flat" + i;
            string indentation = lineText.Substring(0, lineText.Length - lineText.TrimStart().Length);
            string lineBreak = text.ToString(TextSpan.FromBounds(line.End, line.EndIncludingLineBreak));
            return
            [
                new TextChange(new TextSpan(line.Start, 0), $"{indentation}{flat} = flatten({input}){lineBreak}"),
                new TextChange(new TextSpan(line.Start + call.Groups[1].Index, input.Length), flat),
            ];
        }
    }
}
