using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DeepPhys.CodeFixes
{
    /// <summary>DPH0001: adds <c>partial</c> to the network class, as the last modifier before <c>class</c>.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFix))]
    [Shared]
    public sealed class MakePartialCodeFix() : DphCodeFix("DPH0001")
    {
        protected override async Task<CodeAction?> FixAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var declaration = root?.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.AncestorsAndSelf().OfType<TypeDeclarationSyntax>().FirstOrDefault();
            if (root is null || declaration is null || declaration.Modifiers.Any(SyntaxKind.PartialKeyword)) return null;
            return CodeAction.Create(
                $"Make '{declaration.Identifier.Text}' partial",
                _ => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(declaration, WithPartial(declaration)))),
                equivalenceKey: nameof(MakePartialCodeFix));
        }

        private static TypeDeclarationSyntax WithPartial(TypeDeclarationSyntax declaration)
        {
            var partial = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
            if (declaration.Modifiers.Count > 0) return declaration.WithModifiers(declaration.Modifiers.Add(partial));

            // No modifiers: 'partial' takes over the keyword's leading trivia (indentation, comments).
            var keyword = declaration.Keyword;
            return declaration
                .WithKeyword(keyword.WithLeadingTrivia(SyntaxFactory.TriviaList()))
                .WithModifiers(SyntaxFactory.TokenList(partial.WithLeadingTrivia(keyword.LeadingTrivia)));
        }
    }
}
