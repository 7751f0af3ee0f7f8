using DeepPhys.Generators.Dsl;
using DeepPhys.Generators.Emission;
using DeepPhys.Generators.Model;
using DeepPhys.Generators.Parsing;
using DeepPhys.Generators.Weights;
using Microsoft.CodeAnalysis;

namespace DeepPhys.Generators
{
    /// <summary>
    /// Emits the forward and backward passes of every <c>[Network]</c> class and <c>.dph</c> file. The DPH diagnostics of
    /// a declaration are <see cref="NetworkAnalyzer"/>'s to report (in the syntax tree, where suppressions apply); the generator
    /// reports only those of baked weights, which need every network at once.
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

            var attributeSpecs = RegisterOutputs(context, models, TrackingNames.NetworkSpec, TrackingNames.ValidNetworkSpec, TrackingNames.InvalidNetworkSpec);

            var files = context.AdditionalTextsProvider
                .Where(DphFile.IsDphFile)
                .Select(DphFile.Parse)
                .WithTrackingName(TrackingNames.DphModel);
            var dphSpecs = RegisterOutputs(context, files, TrackingNames.DphSpec, TrackingNames.ValidDphSpec, TrackingNames.InvalidDphSpec);

            RegisterBakedWeights(context, attributeSpecs, dphSpecs);
        }

        /// <summary>
        /// The spec (when valid) feeds emission, an invalid network's stand-in its own emission: separate branches of plain
        /// values without locations, so a moved diagnostic re-emits nothing. Returns the valid specs.
        /// </summary>
        private static IncrementalValuesProvider<NetworkSpec> RegisterOutputs(
            IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<NetworkModel> models, string spec, string validSpec, string invalidSpec)
        {
            var specs = models
                .Select(static (model, _) => model.Spec)
                .WithTrackingName(spec)
                .Where(static spec => spec is not null)
                .WithTrackingName(validSpec);
            context.RegisterSourceOutput(specs, static (output, spec) =>
                output.AddSource(spec!.HintName + ".g.cs", NetworkEmitter.Emit(spec)));
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
                static (output, diagnostics) =>
                {
                    foreach (var diagnostic in diagnostics) output.ReportDiagnostic(diagnostic.ToDiagnostic(location => location.ToLocation()));
                });
        }
    }
}
