using DeepPhys.Generators.Emission;
using DeepPhys.Generators.Model;
using DeepPhys.Generators.Parsing;
using Microsoft.CodeAnalysis;

namespace DeepPhys.Generators
{
    /// <summary>
    /// Emits the forward and backward passes of every <c>[Network]</c> class. Source and
    /// diagnostics travel in separate branches, so a diagnostic that only moved re-emits nothing.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class NetworkGenerator : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var models = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    AttributeParser.NetworkAttribute,
                    predicate: static (node, _) => AttributeParser.IsClassOrRecordClass(node),
                    transform: AttributeParser.Parse)
                .WithTrackingName(TrackingNames.NetworkModel);

            var specs = models
                .Select(static (model, _) => model.Spec)
                .WithTrackingName(TrackingNames.NetworkSpec)
                .Where(static spec => spec is not null)
                .WithTrackingName(TrackingNames.ValidNetworkSpec);
            context.RegisterSourceOutput(specs, static (output, spec) =>
                output.AddSource(spec!.HintName + ".g.cs", NetworkEmitter.Emit(spec)));

            var diagnostics = models
                .Select(static (model, _) => model.Diagnostics)
                .WithTrackingName(TrackingNames.NetworkDiagnostics);
            context.RegisterSourceOutput(diagnostics, ReportDiagnostics);

            ReportLayersWithoutNetwork(context, AttributeParser.InputAttribute, "Input", TrackingNames.OrphanInput);
            ReportLayersWithoutNetwork(context, AttributeParser.DenseAttribute, "Dense", TrackingNames.OrphanDense);
        }

        /// <summary>DPH0005 for each [Input] or [Dense] on a class that has no [Network].</summary>
        private static void ReportLayersWithoutNetwork(
            IncrementalGeneratorInitializationContext context, string metadataName, string shortName, string trackingName)
        {
            var diagnostics = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    metadataName,
                    predicate: static (node, _) => AttributeParser.IsClassOrRecordClass(node),
                    transform: (syntax, _) => AttributeParser.ParseLayersWithoutNetwork(syntax, shortName))
                .WithTrackingName(trackingName);
            context.RegisterSourceOutput(diagnostics, ReportDiagnostics);
        }

        private static void ReportDiagnostics(SourceProductionContext output, EquatableArray<DiagnosticInfo> diagnostics)
        {
            foreach (var diagnostic in diagnostics) output.ReportDiagnostic(diagnostic.ToDiagnostic());
        }
    }
}
