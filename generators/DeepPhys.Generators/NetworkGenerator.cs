using DeepPhys.Generators.Dsl;
using DeepPhys.Generators.Emission;
using DeepPhys.Generators.Model;
using DeepPhys.Generators.Parsing;
using DeepPhys.Generators.Weights;
using System.Collections.Immutable;
using System.Linq;
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

            var files = context.AdditionalTextsProvider
                .Where(DphFile.IsDphFile)
                .Select(DphFile.Parse)
                .WithTrackingName(TrackingNames.DphModel);

            var attributeSpecs = ValidSpecs(models, TrackingNames.NetworkSpec, TrackingNames.ValidNetworkSpec);
            var attributeStandIns = StandIns(models, TrackingNames.InvalidNetworkSpec);

            // A .dph network whose class is declared already (DPH0007) generates nothing.
            var allDphSpecs = ValidSpecs(files, TrackingNames.DphSpec, TrackingNames.ValidDphSpec);
            var allDphStandIns = StandIns(files, TrackingNames.InvalidDphSpec);
            var repeated = Classes(attributeSpecs, attributeStandIns)
                .Combine(Classes(allDphSpecs, allDphStandIns))
                .Select(static (pair, _) => DphFile.Repeated(pair.Left, pair.Right))
                .WithTrackingName(TrackingNames.RepeatedDph);
            var dphSpecs = allDphSpecs.Combine(repeated).Where(static pair => !pair.Right.Contains(pair.Left.HintName)).Select(static (pair, _) => pair.Left);
            var dphStandIns = allDphStandIns.Combine(repeated).Where(static pair => !pair.Right.Contains(pair.Left.Class.HintName)).Select(static (pair, _) => pair.Left);

            // Every generated file's name at once: a name is unique only among all of them (HintNames).
            var specs = attributeSpecs.Collect().Combine(dphSpecs.Collect()).Select(static (pair, _) => pair.Left.AddRange(pair.Right));
            var standIns = attributeStandIns.Collect().Combine(dphStandIns.Collect()).Select(static (pair, _) => pair.Left.AddRange(pair.Right));
            var hintNames = specs.Combine(standIns)
                .Select(static (pair, _) => HintNames.Assign(
                    pair.Left.SelectMany(spec => new[] { HintNames.Network(spec.HintName), HintNames.Weights(spec.HintName) })
                        .Concat(pair.Right.Select(standIn => HintNames.Network(standIn.Class.HintName)))))
                .WithTrackingName(TrackingNames.HintNames);

            foreach (var (valid, emitted) in new[] { (attributeSpecs, TrackingNames.NetworkEmission), (dphSpecs, TrackingNames.DphEmission) })
            {
                context.RegisterSourceOutput(valid.Combine(hintNames).WithTrackingName(emitted), static (output, pair) =>
                    output.AddSource(pair.Right.For(HintNames.Network(pair.Left.HintName)) + ".g.cs", NetworkEmitter.Emit(pair.Left)));
            }

            foreach (var invalid in new[] { attributeStandIns, dphStandIns })
            {
                context.RegisterSourceOutput(invalid.Combine(hintNames), static (output, pair) =>
                    output.AddSource(pair.Right.For(HintNames.Network(pair.Left.Class.HintName)) + ".g.cs", InvalidNetworkEmitter.Emit(pair.Left)));
            }

            RegisterBakedWeights(context, specs, hintNames);
        }

        /// <summary>Where every network (valid or not) of one front end lives, collected.</summary>
        private static IncrementalValueProvider<ImmutableArray<ClassSpec>> Classes(
            IncrementalValuesProvider<NetworkSpec> specs, IncrementalValuesProvider<InvalidNetworkSpec> standIns) =>
            specs.Select(static (spec, _) => spec.Class).Collect()
                .Combine(standIns.Select(static (standIn, _) => standIn.Class).Collect())
                .Select(static (pair, _) => pair.Left.AddRange(pair.Right));

        /// <summary>The spec of each valid network: no location, so a moved diagnostic re-emits nothing.</summary>
        private static IncrementalValuesProvider<NetworkSpec> ValidSpecs(IncrementalValuesProvider<NetworkModel> models, string spec, string validSpec) =>
            models
                .Select(static (model, _) => model.Spec)
                .WithTrackingName(spec)
                .Where(static spec => spec is not null)
                .WithTrackingName(validSpec)
                .Select(static (spec, _) => spec!);

        /// <summary>The stand-in of each declaration with errors (null for a valid one, which pays one Select).</summary>
        private static IncrementalValuesProvider<InvalidNetworkSpec> StandIns(IncrementalValuesProvider<NetworkModel> models, string invalidSpec) =>
            models
                .Select(static (model, _) => model.Invalid)
                .WithTrackingName(invalidSpec)
                .Where(static invalid => invalid is not null)
                .Select(static (invalid, _) => invalid!);

        /// <summary>
        /// <c>Net.weights.json</c> additional files (Checkpoint.Save output) baked into <c>Net.FromBakedWeights()</c>.
        /// Each file is parsed on its own; the match with the networks yields one spec per baked network,
        /// so editing one weights file re-emits that network's weights only, and no network source.
        /// </summary>
        private static void RegisterBakedWeights(
            IncrementalGeneratorInitializationContext context, IncrementalValueProvider<ImmutableArray<NetworkSpec>> networks, IncrementalValueProvider<HintNames> hintNames)
        {
            var files = context.AdditionalTextsProvider
                .Where(WeightsFile.IsWeightsFile)
                .Select(WeightsFile.Parse)
                .WithTrackingName(TrackingNames.WeightsFile);
            var baked = files.Collect()
                .Combine(networks.Select(static (specs, _) => specs.ToEquatableArray()))
                .Select(static (pair, _) => WeightsFile.Match(pair.Left, pair.Right))
                .WithTrackingName(TrackingNames.BakedWeights);

            var specs = baked.SelectMany(static (model, _) => model.Specs).WithTrackingName(TrackingNames.BakedWeightsSpec);
            context.RegisterSourceOutput(specs.Combine(hintNames).WithTrackingName(TrackingNames.BakedWeightsEmission), static (output, pair) =>
                output.AddSource(pair.Right.For(HintNames.Weights(pair.Left.Class.HintName)) + ".g.cs", WeightsEmitter.Emit(pair.Left)));
            context.RegisterSourceOutput(
                baked.Select(static (model, _) => model.Diagnostics).WithTrackingName(TrackingNames.BakedWeightsDiagnostics),
                static (output, diagnostics) =>
                {
                    foreach (var diagnostic in diagnostics) output.ReportDiagnostic(diagnostic.ToDiagnostic(location => location.ToLocation()));
                });
        }
    }
}
