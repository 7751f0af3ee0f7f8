using DeepPhys.Generators.Dsl;
using DeepPhys.Generators.Emission;
using DeepPhys.Generators.Model;
using DeepPhys.Generators.Parsing;
using DeepPhys.Generators.Weights;
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

            var attributeSpecs = RegisterOutputs(context, models, TrackingNames.NetworkSpec, TrackingNames.ValidNetworkSpec, TrackingNames.NetworkDiagnostics, TrackingNames.InvalidNetworkSpec);

            var files = context.AdditionalTextsProvider
                .Where(static file => file.Path.EndsWith(".dph", System.StringComparison.OrdinalIgnoreCase))
                .Select(DphFile.Parse)
                .WithTrackingName(TrackingNames.DphModel);
            var dphSpecs = RegisterOutputs(context, files, TrackingNames.DphSpec, TrackingNames.ValidDphSpec, TrackingNames.DphDiagnostics, TrackingNames.InvalidDphSpec);

            RegisterBakedWeights(context, attributeSpecs, dphSpecs);

            var orphans = context.SyntaxProvider
                .CreateSyntaxProvider(
                    predicate: static (node, _) => AttributeParser.MayHaveLayersWithoutNetwork(node),
                    transform: AttributeParser.ParseLayersWithoutNetwork)
                .WithTrackingName(TrackingNames.Orphan);
            context.RegisterSourceOutput(orphans, ReportDiagnostics);
        }

        /// <summary>
        /// The spec (when valid) feeds emission, the diagnostics feed reporting, an invalid network's stand-in its own emission:
        /// separate branches, so a moved diagnostic re-emits nothing. Returns the valid specs.
        /// </summary>
        private static IncrementalValuesProvider<NetworkSpec> RegisterOutputs(
            IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<NetworkModel> models, string spec, string validSpec, string diagnostics, string invalidSpec)
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
            context.RegisterSourceOutput(
                models.Select(static (model, _) => model.Invalid).WithTrackingName(invalidSpec).Where(static invalid => invalid is not null),
                static (output, invalid) => output.AddSource(invalid!.Class.HintName + ".g.cs", InvalidNetworkEmitter.Emit(invalid)));
            return specs.Select(static (spec, _) => spec!);
        }

        /// <summary>
        /// <c>Net.weights.json</c> additional files (Checkpoint.Save output) baked into <c>Net.FromBakedWeights()</c>.
        /// Each file is parsed on its own; the match with the networks yields one spec per baked network,
        /// so editing one weights file re-emits that network's weights only, and no network source.
        /// </summary>
        private static void RegisterBakedWeights(
            IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<NetworkSpec> attributeSpecs, IncrementalValuesProvider<NetworkSpec> dphSpecs)
        {
            var files = context.AdditionalTextsProvider
                .Where(WeightsFile.IsWeightsFile)
                .Select(WeightsFile.Parse)
                .WithTrackingName(TrackingNames.WeightsFile);
            var networks = attributeSpecs.Collect()
                .Combine(dphSpecs.Collect())
                .Select(static (pair, _) => pair.Left.AddRange(pair.Right).ToEquatableArray());
            var baked = files.Collect()
                .Combine(networks)
                .Select(static (pair, _) => WeightsFile.Match(pair.Left, pair.Right))
                .WithTrackingName(TrackingNames.BakedWeights);

            var specs = baked.SelectMany(static (model, _) => model.Specs).WithTrackingName(TrackingNames.BakedWeightsSpec);
            context.RegisterSourceOutput(specs, static (output, spec) =>
                output.AddSource(spec.Class.HintName + ".Weights.g.cs", WeightsEmitter.Emit(spec)));
            context.RegisterSourceOutput(
                baked.Select(static (model, _) => model.Diagnostics).WithTrackingName(TrackingNames.BakedWeightsDiagnostics),
                ReportDiagnostics);
        }

        private static void ReportDiagnostics(SourceProductionContext output, EquatableArray<DiagnosticInfo> diagnostics)
        {
            foreach (var diagnostic in diagnostics) output.ReportDiagnostic(diagnostic.ToDiagnostic());
        }
    }
}
