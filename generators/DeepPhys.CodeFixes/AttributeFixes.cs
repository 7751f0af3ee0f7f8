using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace DeepPhys.CodeFixes
{
    /// <summary>
    /// DPH0204/0205 in a layer attribute: writes the activation that fits the loss (the <c>Suggestion</c> property, an
    /// <c>Activation</c> member) over the written one, keeping how it is qualified: <c>Activation.Sigmoid</c> becomes <c>Activation.Softmax</c>.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseFittingActivationCodeFix))]
    [Shared]
    public sealed class UseFittingActivationCodeFix() : DphCodeFix("DPH0204", "DPH0205")
    {
        protected override async Task<CodeAction?> FixAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (!diagnostic.Properties.TryGetValue("Suggestion", out string? member) || member is null) return null;
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (root is null || model is null || !root.FullSpan.Contains(diagnostic.Location.SourceSpan)) return null;

            // The diagnostic is at the activation argument's expression. Only an Activation value is rewritten: a DSL the
            // generator could not map reports on the whole [Network] argument, which may be a single name too.
            var expression = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            var name = expression switch
            {
                MemberAccessExpressionSyntax access => access.Name,
                IdentifierNameSyntax identifier => identifier,
                _ => null,
            };
            var type = model.GetTypeInfo(expression, cancellationToken).Type;
            if (name is null || type is not { Name: "Activation", ContainingNamespace.Name: "DeepPhys" }) return null;
            var fitting = SyntaxFactory.IdentifierName(member).WithTriviaFrom(name);
            return CodeAction.Create(
                $"Use Activation.{member}",
                _ => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(name, fitting))),
                equivalenceKey: nameof(UseFittingActivationCodeFix) + member);
        }
    }

    /// <summary>
    /// DPH0405 in an attribute stack: a dense layer reads an image; the fix inserts <c>[Flatten]</c> before the dense attribute,
    /// as its own list laid out like the dense one, or as <c>Flatten, </c> inside a list it shares.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InsertFlattenAttributeCodeFix))]
    [Shared]
    public sealed class InsertFlattenAttributeCodeFix() : DphCodeFix("DPH0405")
    {
        protected override async Task<CodeAction?> FixAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null || !root.FullSpan.Contains(diagnostic.Location.SourceSpan)) return null;

            // In a DSL the diagnostic is inside a string, where no attribute is found: InsertFlattenCodeFix handles that form.
            if (root.FindNode(diagnostic.Location.SourceSpan) is not AttributeSyntax { Parent: AttributeListSyntax list } dense) return null;
            var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);

            // Qualified as the dense attribute is: [DeepPhys.Dense(1)] gets [DeepPhys.Flatten].
            string flatten = dense.Name is QualifiedNameSyntax qualified ? qualified.Left + ".Flatten" : "Flatten";
            var change = list.Attributes[0] == dense
                ? new TextChange(new TextSpan(list.SpanStart, 0), $"[{flatten}]" + Separator(text, list))
                : new TextChange(new TextSpan(dense.SpanStart, 0), flatten + ", ");
            return CodeAction.Create($"Insert [{flatten}]", _ => Task.FromResult(document.WithText(text.WithChanges(change))), equivalenceKey: nameof(InsertFlattenAttributeCodeFix));
        }

        /// <summary>A line break and the list's indentation when the list starts its line, else a space.</summary>
        private static string Separator(SourceText text, AttributeListSyntax list)
        {
            var line = text.Lines.GetLineFromPosition(list.SpanStart);
            string indentation = text.ToString(TextSpan.FromBounds(line.Start, list.SpanStart));
            if (line.LineNumber == 0 || !string.IsNullOrWhiteSpace(indentation)) return " ";
            var previous = text.Lines[line.LineNumber - 1];
            return text.ToString(TextSpan.FromBounds(previous.End, previous.EndIncludingLineBreak)) + indentation;
        }
    }
}
