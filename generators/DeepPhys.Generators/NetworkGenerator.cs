using DeepPhys.Generators.Dsl;
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

            RegisterOutputs(context, models, TrackingNames.NetworkSpec, TrackingNames.ValidNetworkSpec, TrackingNames.NetworkDiagnostics);

            var files = context.AdditionalTextsProvider
                .Where(static file => file.Path.EndsWith(".dph", System.StringComparison.OrdinalIgnoreCase))
                .Select(DphFile.Parse)
                .WithTrackingName(TrackingNames.DphModel);
            RegisterOutputs(context, files, TrackingNames.DphSpec, TrackingNames.ValidDphSpec, TrackingNames.DphDiagnostics);

            ReportLayersWithoutNetwork(context, AttributeParser.InputAttribute, "Input", TrackingNames.OrphanInput);
            ReportLayersWithoutNetwork(context, AttributeParser.DenseAttribute, "Dense", TrackingNames.OrphanDense);
        }

        /// <summary>The spec (when valid) feeds emission, the diagnostics feed reporting: separate branches, so a moved diagnostic re-emits nothing.</summary>
        private static void RegisterOutputs(
            IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<NetworkModel> models, string spec, string validSpec, string diagnostics)
        {
            var specs = models
                .Select(static (model, _) => model.Spec)
                .WithTrackingName(spec)
                .Where(static spec => spec is not null)
                .WithTrackingName(validSpec);
            context.RegisterSourceOutput(specs, static (output, spec) =>
                output.AddSource(spec!.HintName + ".g.cs", NetworkEmitter.Emit(spec)));

            context.RegisterSourceOutput(
                models.Select(static (model, _) => model.Diagnostics).WithTrackingName(diagnostics),
                ReportDiagnostics);
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
