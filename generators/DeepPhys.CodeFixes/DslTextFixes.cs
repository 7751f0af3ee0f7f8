using System.Composition;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace DeepPhys.CodeFixes
{
    /// <summary>
    /// Writes the suggested name (the diagnostic's <c>Suggestion</c> property) over a name in an inline DSL: DPH0302 over an unknown
    /// layer, activation, loss or argument, DPH0401 over an undefined node, DPH0204/0205 over an activation that does not fit the loss.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseSuggestedNameCodeFix))]
    [Shared]
    public sealed class UseSuggestedNameCodeFix() : DphCodeFix("DPH0302", "DPH0401", "DPH0204", "DPH0205")
    {
        protected override async Task<CodeAction?> FixAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (!diagnostic.Properties.TryGetValue("Suggestion", out string? suggestion) || suggestion is null) return null;

            // A DSL that is not one literal (a constant, a concatenation) reports on the whole argument: replace only a single name
            // inside a string literal. That also leaves DPH0204/0205 in an attribute to UseFittingActivationCodeFix.
            var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var span = diagnostic.Location.SourceSpan;
            var token = root?.FindToken(span.Start) ?? default;
            if (!token.Parent.IsKind(SyntaxKind.StringLiteralExpression) || !token.Span.Contains(span) || !SyntaxFacts.IsValidIdentifier(text.ToString(span))) return null;
            return CodeAction.Create(
                $"Use '{suggestion}'",
                _ => Task.FromResult(document.WithText(text.WithChanges(new TextChange(span, suggestion)))),
                equivalenceKey: nameof(UseSuggestedNameCodeFix) + suggestion);
        }
    }

    /// <summary>
    /// DPH0405: a dense layer reads an image; the fix flattens it in place, <c>dense(img, 4)</c> becoming
    /// <c>dense(flatten(img), 4)</c> (a nested call). Inline DSL only: a .dph file is not a C# document.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InsertFlattenCodeFix))]
    [Shared]
    public sealed class InsertFlattenCodeFix() : DphCodeFix("DPH0405")
    {
        protected override async Task<CodeAction?> FixAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (!diagnostic.Properties.TryGetValue("Input", out string? input) || input is null) return null;

            // The diagnostic is at the layer's name: the input is the call's first argument. A DSL that is not a
            // plain literal reports on the whole argument, where this finds no call and offers nothing.
            var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
            var line = text.Lines.GetLineFromPosition(diagnostic.Location.SourceSpan.End);
            var call = new Regex(@"\G\s*\(\s*(" + Regex.Escape(input) + @")\b").Match(line.ToString(), diagnostic.Location.SourceSpan.End - line.Start);
            if (!call.Success) return null;
            var change = new TextChange(new TextSpan(line.Start + call.Groups[1].Index, input.Length), $"flatten({input})");
            return CodeAction.Create($"Flatten '{input}'", _ => Task.FromResult(document.WithText(text.WithChanges(change))), equivalenceKey: nameof(InsertFlattenCodeFix));
        }
    }
}
