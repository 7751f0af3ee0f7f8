using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace DeepPhys.CodeFixes
{
    /// <summary>A fix for DPH ids: at most one action per diagnostic, all occurrences fixable in a batch.</summary>
    public abstract class DphCodeFix(params string[] ids) : CodeFixProvider
    {
        public sealed override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(ids);

        public sealed override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                if (await FixAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false) is { } action)
                {
                    context.RegisterCodeFix(action, diagnostic);
                }
            }
        }

        /// <summary>The action fixing <paramref name="diagnostic"/>, or null when this occurrence cannot be fixed.</summary>
        protected abstract Task<CodeAction?> FixAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken);
    }
}
