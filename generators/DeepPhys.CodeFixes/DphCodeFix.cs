using System.Collections.Immutable;
using Microsoft.CodeAnalysis.CodeFixes;

namespace DeepPhys.CodeFixes
{
    /// <summary>A fix for one DPH id, fixing all occurrences in a batch.</summary>
    public abstract class DphCodeFix(string id) : CodeFixProvider
    {
        public sealed override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(id);

        public sealed override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;
    }
}
