using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using DeepPhys.Generators.Dsl;
using DeepPhys.Generators.Model;
using DeepPhys.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DeepPhys.Generators
{
    /// <summary>
    /// Reports the DPH diagnostics of every network declaration: <c>[Network]</c> classes (attribute stacks and inline DSL),
    /// layer attributes without <c>[Network]</c>, and <c>.dph</c> additional files. It runs the same front end as
    /// <see cref="NetworkGenerator"/>, which emits code but reports only what needs every network at once (baked weights).
    /// Reported by an analyzer, a diagnostic sits in the syntax tree: editors and language servers show it, and
    /// <c>#pragma warning disable</c>, <c>[SuppressMessage]</c> and <c>.editorconfig</c> severities apply to it.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class NetworkAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = DiagnosticDescriptors.ById.Values.ToImmutableArray();

        public override void Initialize(AnalysisContext context)
        {
            // The generated part of a network carries [GeneratedCode], which makes the whole class generated code to Roslyn.
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                // A partial network's attributes may sit in another file than the declaration analyzed.
                var trees = new ConcurrentDictionary<string, SyntaxTree?>(StringComparer.Ordinal);
                SyntaxTree? TreeOf(string path) =>
                    trees.GetOrAdd(path, _ => start.Compilation.SyntaxTrees.FirstOrDefault(tree => tree.FilePath == path));

                start.RegisterSyntaxNodeAction(
                    node => AnalyzeDeclaration(node, TreeOf),
                    SyntaxKind.ClassDeclaration,
                    SyntaxKind.RecordDeclaration);
            });
            context.RegisterAdditionalFileAction(AnalyzeDphFile);
        }

        private static void AnalyzeDeclaration(SyntaxNodeAnalysisContext context, Func<string, SyntaxTree?> treeOf)
        {
            var declaration = (TypeDeclarationSyntax)context.Node;
            if (declaration.AttributeLists.Count == 0
                || context.SemanticModel.GetDeclaredSymbol(declaration, context.CancellationToken) is not INamedTypeSymbol type)
            {
                return;
            }

            // Each is empty unless it applies: the first to a [Network] class, the second to one without.
            var diagnostics = AttributeParser.Parse(type, declaration, context.CancellationToken).Diagnostics
                .Concat(AttributeParser.LayersWithoutNetwork(type, declaration));
            foreach (var diagnostic in diagnostics)
            {
                context.ReportDiagnostic(diagnostic.ToDiagnostic(location => InTree(location, treeOf)));
            }
        }

        /// <summary>The location in its syntax tree, so that suppressions in the source apply to it.</summary>
        private static Location InTree(LocationInfo location, Func<string, SyntaxTree?> treeOf) =>
            treeOf(location.FilePath) is { } tree ? Location.Create(tree, location.Span) : location.ToLocation();

        private static void AnalyzeDphFile(AdditionalFileAnalysisContext context)
        {
            if (!DphFile.IsDphFile(context.AdditionalFile)) return;
            var model = DphFile.Parse(context.AdditionalFile, context.CancellationToken);
            foreach (var diagnostic in model.Diagnostics)
            {
                context.ReportDiagnostic(diagnostic.ToDiagnostic(location => location.ToLocation()));
            }

            if ((model.Spec?.Class ?? model.Invalid?.Class) is { } place && FirstDeclaration(context, place) is { } first)
            {
                string path = context.AdditionalFile.Path;
                var top = Location.Create(path, default, default);
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NetworkDeclaredTwice, top, place.FullName, first, path));
            }
        }

        /// <summary>
        /// Where the class of a .dph network is declared already: a [Network] class of that name, or the .dph file that
        /// generates it by <see cref="DphFile.Repeated"/>; null when this file is the one that generates it.
        /// </summary>
        private static string? FirstDeclaration(AdditionalFileAnalysisContext context, ClassSpec place)
        {
            // Metadata names carry no '@': the namespace's keyword escapes go.
            string metadataName = place.FullName.Replace("@", "");
            if (context.Compilation.GetTypeByMetadataName(metadataName) is { } type
                && type.GetAttributes().Any(attribute => attribute.AttributeClass?.ToDisplayString() == AttributeParser.NetworkAttribute))
            {
                return "a [Network] class";
            }

            var others = context.Options.AdditionalFiles
                .Where(file => file.Path != context.AdditionalFile.Path && DphFile.IsDphFile(file))
                .Select(file => (file.Path, Model: DphFile.Parse(file, context.CancellationToken)))
                .Select(other => (other.Path, Class: other.Model.Spec?.Class ?? other.Model.Invalid?.Class))
                .Where(other => other.Class?.FullName == place.FullName)
                .ToList();

            // The generator's own rule decides which file generates the class; the report names that one.
            var repeated = DphFile.Repeated([], others.Select(other => other.Class!).Append(place));
            return repeated.Contains(place.HintName) ? $"'{others.Single(other => !repeated.Contains(other.Class!.HintName)).Path}'" : null;
        }
    }
}
