using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DeepPhys.Generators.Dsl;
using DeepPhys.Generators.Lowering;
using DeepPhys.Generators.Model;
using DeepPhys.Generators.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DeepPhys.Generators.Parsing
{
    /// <summary>
    /// Turns a [Network] class into a <see cref="NetworkModel"/>. Symbols, syntax and locations
    /// stay inside this class: what it returns is plain values, so the pipeline can cache it.
    /// </summary>
    internal static class AttributeParser
    {
        public const string NetworkAttribute = "DeepPhys.NetworkAttribute";
        public const string InputAttribute = "DeepPhys.InputAttribute";
        public const string DenseAttribute = "DeepPhys.DenseAttribute";

        /// <summary>The layer attributes of a plain stack besides [Dense], with their Keras default names.</summary>
        private static readonly (string Attribute, LayerAttributeKind Kind, string Name)[] StackLayers =
        {
            ("DeepPhys.Conv2DAttribute", LayerAttributeKind.Conv2D, "conv2d"),
            ("DeepPhys.MaxPool2DAttribute", LayerAttributeKind.MaxPool2D, "max_pooling2d"),
            ("DeepPhys.AvgPool2DAttribute", LayerAttributeKind.AvgPool2D, "average_pooling2d"),
            ("DeepPhys.GlobalAveragePooling2DAttribute", LayerAttributeKind.GlobalAveragePooling2D, "global_average_pooling2d"),
            ("DeepPhys.FlattenAttribute", LayerAttributeKind.Flatten, "flatten"),
            ("DeepPhys.DropoutAttribute", LayerAttributeKind.Dropout, "dropout"),
            ("DeepPhys.BatchNormAttribute", LayerAttributeKind.BatchNorm, "batch_normalization"),
            ("DeepPhys.SimpleRNNAttribute", LayerAttributeKind.SimpleRnn, "simple_rnn"),
            ("DeepPhys.LSTMAttribute", LayerAttributeKind.Lstm, "lstm"),
            ("DeepPhys.GRUAttribute", LayerAttributeKind.Gru, "gru"),
            ("DeepPhys.Conv1DAttribute", LayerAttributeKind.Conv1D, "conv1d"),
            ("DeepPhys.MaxPool1DAttribute", LayerAttributeKind.MaxPool1D, "max_pooling1d"),
            ("DeepPhys.AvgPool1DAttribute", LayerAttributeKind.AvgPool1D, "average_pooling1d"),
            ("DeepPhys.GlobalAveragePooling1DAttribute", LayerAttributeKind.GlobalAveragePooling1D, "global_average_pooling1d"),
            ("DeepPhys.TransposeAttribute", LayerAttributeKind.Transpose, "transpose"),
        };

        /// <summary>Every layer attribute's metadata name: [Input], [Dense] and the image-stack layers.</summary>
        public static readonly string[] LayerAttributes =
            new[] { InputAttribute, DenseAttribute }.Concat(StackLayers.Select(layer => layer.Attribute)).ToArray();

        /// <summary>The name a user writes: <c>DeepPhys.Conv2DAttribute</c> → <c>Conv2D</c>.</summary>
        public static string ShortName(string metadataName) =>
            metadataName.Substring("DeepPhys.".Length, metadataName.Length - "DeepPhys.".Length - "Attribute".Length);

        private static readonly NetworkModel Nothing = new(null, EquatableArray<DiagnosticInfo>.Empty);

        private static readonly SymbolDisplayFormat TypeNameFormat = new(
            genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
            miscellaneousOptions: SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

        private static readonly SymbolDisplayFormat NamespaceFormat = new(
            typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
            miscellaneousOptions: SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

        /// <summary>
        /// The predicate of every pipeline: a class, or a record class so that [Network] on one is
        /// DPH0003 rather than silently nothing. A struct or record struct is the compiler's CS0592.
        /// </summary>
        public static bool IsClassOrRecordClass(SyntaxNode node) =>
            node is ClassDeclarationSyntax || node.IsKind(SyntaxKind.RecordDeclaration);

        /// <summary>The transform of the [Network] pipeline.</summary>
        public static NetworkModel Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol type) return Nothing;

            var attributes = OwnAttributes(type);
            var network = attributes.FirstOrDefault(attribute => Is(attribute, NetworkAttribute));

            // [Network] on two partial parts is already CS0579; answer once, for the part holding the first.
            if (network is null || !AppliedWithin(network, context.TargetNode)) return Nothing;

            // Unbound or non-constant arguments are the compiler's to report; there is nothing sound to generate.
            if (attributes.Any(HasErrors)) return Nothing;

            var diagnostics = new List<DiagnosticInfo>();
            CheckClass(type, diagnostics, cancellationToken);
            if (network.ConstructorArguments.Length == 1 && network.ConstructorArguments[0].Value is string dsl)
            {
                return ParseDsl(type, network, dsl, attributes, diagnostics, cancellationToken);
            }

            var declaration = ReadDeclaration(type, network, attributes, cancellationToken);
            diagnostics.AddRange(NetworkValidator.Validate(declaration));

            var spec = diagnostics.Any(diagnostic => diagnostic.IsError) ? null : BuildSpec(type, declaration);
            diagnostics.AddRange(NetworkValidator.LargeNetwork(spec, declaration.Location));
            return new NetworkModel(spec, diagnostics.ToEquatableArray());
        }

        /// <summary>A network written inline in the DSL: <c>[Network("""…""")]</c>, with no layer attributes and no Loss or Precision arguments.</summary>
        private static NetworkModel ParseDsl(
            INamedTypeSymbol type, AttributeData network, string dsl, List<AttributeData> attributes, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
        {
            var syntax = Syntax(network, cancellationToken);
            foreach (var layer in attributes.Where(attribute => attribute != network))
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.InvalidDslDeclaration, LocationOf(layer), "A network written in the DSL takes no layer attributes; declare the layer in the DSL text"));
            }

            foreach (var argument in syntax?.ArgumentList?.Arguments.Where(argument => argument.NameEquals is not null) ?? Enumerable.Empty<AttributeArgumentSyntax>())
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.InvalidDslDeclaration, LocationInfo.From(argument), "A network written in the DSL sets its losses and precision in the DSL text ('loss mse(out)', 'precision double'), not as attribute arguments"));
            }

            var expression = syntax?.ArgumentList?.Arguments.FirstOrDefault(argument => argument.NameEquals is null)?.Expression;
            var locate = expression is null ? (_, _) => LocationInfo.From(syntax) : InlineLocator.Create(expression, dsl);
            var result = DslCompiler.Compile(dsl, locate, type.Name);
            diagnostics.AddRange(result.Diagnostics);
            var spec = diagnostics.Any(diagnostic => diagnostic.IsError) || result.Graph is null ? null : BuildSpec(type, result.Precision, result.Graph);
            diagnostics.AddRange(NetworkValidator.LargeNetwork(spec, LocationOf(network)));
            return new NetworkModel(spec, diagnostics.ToEquatableArray());
        }

        /// <summary>The transform of the layer-attribute pipelines: DPH0005 for each such attribute on a class without [Network].</summary>
        public static EquatableArray<DiagnosticInfo> ParseLayersWithoutNetwork(GeneratorAttributeSyntaxContext context, string attributeName)
        {
            if (context.TargetSymbol is not INamedTypeSymbol type || type.GetAttributes().Any(attribute => Is(attribute, NetworkAttribute)))
            {
                return EquatableArray<DiagnosticInfo>.Empty;
            }

            // The context lists the attributes of the whole file; keep this declaration's, so each is reported once.
            return context.Attributes
                .Where(attribute => AppliedWithin(attribute, context.TargetNode))
                .Select(attribute => new DiagnosticInfo(DiagnosticDescriptors.LayerWithoutNetwork, LocationOf(attribute), type.Name, attributeName))
                .ToEquatableArray();
        }

        /// <summary>The DeepPhys attributes written on the class itself (all partial parts), in source order: file path, then position.</summary>
        private static List<AttributeData> OwnAttributes(INamedTypeSymbol type) =>
            type.GetAttributes()
                .Where(attribute => attribute.ApplicationSyntaxReference is not null
                    && (Is(attribute, NetworkAttribute) || Is(attribute, InputAttribute) || Is(attribute, DenseAttribute)
                        || StackLayers.Any(layer => Is(attribute, layer.Attribute))))
                .OrderBy(attribute => attribute.ApplicationSyntaxReference!.SyntaxTree.FilePath, StringComparer.Ordinal)
                .ThenBy(attribute => attribute.ApplicationSyntaxReference!.Span.Start)
                .ToList();

        private static bool Is(AttributeData attribute, string metadataName) =>
            attribute.AttributeClass is { } type
            && type.ContainingType is null
            && type.ContainingNamespace is { Name: "DeepPhys", ContainingNamespace.IsGlobalNamespace: true }
            && "DeepPhys." + type.MetadataName == metadataName;

        private static bool AppliedWithin(AttributeData attribute, SyntaxNode declaration) =>
            attribute.ApplicationSyntaxReference is { } reference
            && reference.SyntaxTree == declaration.SyntaxTree
            && declaration.Span.Contains(reference.Span);

        private static bool HasErrors(AttributeData attribute) =>
            attribute.AttributeClass is IErrorTypeSymbol
            || attribute.AttributeConstructor is null
            || attribute.ConstructorArguments.Any(argument => argument.Kind == TypedConstantKind.Error)
            || attribute.NamedArguments.Any(argument => argument.Value.Kind == TypedConstantKind.Error);

        private static void CheckClass(INamedTypeSymbol type, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
        {
            var declarations = Declarations(type, cancellationToken);
            var identifier = LocationInfo.From(declarations.FirstOrDefault()?.Identifier.GetLocation());

            var notPartial = declarations.FirstOrDefault(declaration => !IsPartial(declaration));
            if (notPartial is not null)
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.NetworkMustBePartial, LocationInfo.From(notPartial.Identifier.GetLocation()), type.Name));
            }

            for (var container = type.ContainingType; container is not null; container = container.ContainingType)
            {
                var notPartialContainer = Declarations(container, cancellationToken).FirstOrDefault(declaration => !IsPartial(declaration));
                if (notPartialContainer is not null)
                {
                    diagnostics.Add(new DiagnosticInfo(
                        DiagnosticDescriptors.ContainingTypeMustBePartial,
                        LocationInfo.From(notPartialContainer.Identifier.GetLocation()),
                        container.Name,
                        type.Name));
                }
            }

            foreach (string problem in UnsupportedModifiers(type))
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.UnsupportedNetworkClass, identifier, type.Name, problem));
            }

            if (type.BaseType is { SpecialType: not SpecialType.System_Object } baseType)
            {
                var baseSyntax = BaseClassSyntax(declarations, baseType);
                diagnostics.Add(new DiagnosticInfo(
                    DiagnosticDescriptors.NetworkHasBaseClass,
                    baseSyntax is null ? identifier : LocationInfo.From(baseSyntax),
                    type.Name,
                    baseType.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)));
            }
        }

        private static IEnumerable<string> UnsupportedModifiers(INamedTypeSymbol type)
        {
            if (type.IsStatic) yield return "static";
            if (type.IsAbstract) yield return "abstract";
            if (type.TypeParameters.Length > 0) yield return "generic";
            if (type.IsRecord) yield return "a record";
        }

        private static List<TypeDeclarationSyntax> Declarations(INamedTypeSymbol type, CancellationToken cancellationToken) =>
            type.DeclaringSyntaxReferences
                .Select(reference => reference.GetSyntax(cancellationToken))
                .OfType<TypeDeclarationSyntax>()
                .ToList();

        private static bool IsPartial(TypeDeclarationSyntax declaration) =>
            declaration.Modifiers.Any(modifier => modifier.IsKind(SyntaxKind.PartialKeyword));

        /// <summary>The base-list entry naming <paramref name="baseType"/>, matched by its simple name (base lists are not bound here).</summary>
        private static BaseTypeSyntax? BaseClassSyntax(List<TypeDeclarationSyntax> declarations, INamedTypeSymbol baseType)
        {
            var entries = declarations.SelectMany(declaration => declaration.BaseList?.Types ?? default).ToList();
            return entries.FirstOrDefault(entry => SimpleName(entry.Type) == baseType.Name) ?? entries.FirstOrDefault();
        }

        private static string? SimpleName(TypeSyntax type) => type switch
        {
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
            _ => null,
        };

        private static NetworkDeclaration ReadDeclaration(
            INamedTypeSymbol type, AttributeData network, List<AttributeData> attributes, CancellationToken cancellationToken)
        {
            var networkSyntax = Syntax(network, cancellationToken);
            var layers = new List<LayerDeclaration>();
            int denseCount = 0;
            var counts = new Dictionary<LayerAttributeKind, int>();
            foreach (var attribute in attributes)
            {
                if (Is(attribute, InputAttribute))
                {
                    layers.Add(ReadInput(attribute, cancellationToken));
                }
                else if (Is(attribute, DenseAttribute))
                {
                    layers.Add(ReadDense(attribute, denseCount++, cancellationToken));
                }
                else if (StackLayers.FirstOrDefault(layer => Is(attribute, layer.Attribute)) is { Attribute: not null } stack)
                {
                    counts.TryGetValue(stack.Kind, out int index);
                    counts[stack.Kind] = index + 1;
                    layers.Add(ReadStackLayer(attribute, stack.Kind, index == 0 ? stack.Name : stack.Name + "_" + index, cancellationToken));
                }
            }

            return new NetworkDeclaration(
                type.Name,
                LocationInfo.From(networkSyntax),
                IntNamedArgument(network, "Loss") ?? 0,
                LocationInfo.From(NamedArgumentSyntax(networkSyntax, "Loss")),
                IntNamedArgument(network, "Precision") ?? 0,
                LocationInfo.From(NamedArgumentSyntax(networkSyntax, "Precision")),
                layers.ToEquatableArray());
        }

        /// <summary>[Input(size)], or [Input(channels, height, width)]: the size is then the product (capped, so a huge image is a size error, not an overflow).</summary>
        private static LayerDeclaration ReadInput(AttributeData attribute, CancellationToken cancellationToken)
        {
            var syntax = Syntax(attribute, cancellationToken);
            var shape = Enumerable.Range(0, Math.Max(attribute.ConstructorArguments.Length, 1)).Select(index => IntConstructorArgument(attribute, index)).ToArray();
            long size = shape.Aggregate(1L, (product, dimension) => Math.Min(product * dimension, int.MaxValue));
            return new LayerDeclaration(
                LayerAttributeKind.Input,
                LocationInfo.From(syntax),
                shape.Any(dimension => dimension < 1) ? Math.Min(shape.Min(), 0) : (int)size,
                LocationInfo.From(shape.Length == 1 ? ConstructorArgumentSyntax(syntax, attribute, 0) : syntax),
                ActivationValue: 0,
                ActivationLocation: null,
                NegativeSlope: null,
                NegativeSlopeLocation: null,
                Name: "input",
                NameLocation: null,
                Arguments: shape.ToEquatableArray());
        }

        /// <summary>A conv, pool, flatten, dropout, batch norm or recurrent attribute; the validator checks its values and shapes.</summary>
        private static LayerDeclaration ReadStackLayer(AttributeData attribute, LayerAttributeKind kind, string defaultName, CancellationToken cancellationToken)
        {
            var syntax = Syntax(attribute, cancellationToken);
            var name = NamedArgument(attribute, "Name")?.Value as string;
            var arguments = kind switch
            {
                LayerAttributeKind.Conv2D or LayerAttributeKind.Conv1D => new[]
                {
                    IntConstructorArgument(attribute, 0), IntConstructorArgument(attribute, 1), IntNamedArgument(attribute, "Stride") ?? 1,
                    (IntNamedArgument(attribute, "Padding") ?? 0) switch { 0 => 0, 1 => -1, _ => int.MinValue },
                    NamedArgument(attribute, "UseBias")?.Value is false ? 0 : 1,
                },
                LayerAttributeKind.MaxPool2D or LayerAttributeKind.AvgPool2D or LayerAttributeKind.MaxPool1D or LayerAttributeKind.AvgPool1D => new[]
                {
                    IntConstructorArgument(attribute, 0), IntNamedArgument(attribute, "Stride") is int stride and not 0 ? stride : IntConstructorArgument(attribute, 0),
                },
                // The return-sequences flag and a simple RNN's cell activation (tanh when defaulted, as the constructor's default).
                LayerAttributeKind.SimpleRnn or LayerAttributeKind.Lstm or LayerAttributeKind.Gru => new[]
                {
                    NamedArgument(attribute, "ReturnSequences")?.Value is true ? 1 : 0,
                    kind == LayerAttributeKind.SimpleRnn && attribute.ConstructorArguments.Length > 1 ? IntConstructorArgument(attribute, 1) : (int)ActivationKind.Tanh,
                },
                _ => new int[0],
            };
            bool recurrent = kind is LayerAttributeKind.SimpleRnn or LayerAttributeKind.Lstm or LayerAttributeKind.Gru;
            return new LayerDeclaration(
                kind,
                LocationInfo.From(syntax),
                IsConvolution(kind) ? arguments[0] : recurrent ? IntConstructorArgument(attribute, 0) : 0,
                LocationInfo.From(ConstructorArgumentSyntax(syntax, attribute, 0)),
                IsConvolution(kind) ? IntConstructorArgument(attribute, 2) : 0,
                LocationInfo.From(ConstructorArgumentSyntax(syntax, attribute, kind == LayerAttributeKind.SimpleRnn ? 1 : 2)),
                NegativeSlope: null,
                NegativeSlopeLocation: null,
                name ?? defaultName,
                name is null ? null : LocationInfo.From(NamedArgumentSyntax(syntax, "Name")),
                arguments.ToEquatableArray(),
                kind == LayerAttributeKind.Dropout && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is double rate ? rate : 0,
                NamedArgument(attribute, "Momentum")?.Value is double momentum ? momentum : 0.99,
                NamedArgument(attribute, "Epsilon")?.Value is double epsilon ? epsilon : 0.001);
        }

        private static bool IsConvolution(LayerAttributeKind kind) => kind is LayerAttributeKind.Conv2D or LayerAttributeKind.Conv1D;

        /// <param name="index">The dense layer's position among the dense layers, for its default Keras name.</param>
        private static LayerDeclaration ReadDense(AttributeData attribute, int index, CancellationToken cancellationToken)
        {
            var syntax = Syntax(attribute, cancellationToken);
            var name = NamedArgument(attribute, "Name")?.Value as string;
            var slope = NamedArgument(attribute, "NegativeSlope")?.Value;
            return new LayerDeclaration(
                LayerAttributeKind.Dense,
                LocationInfo.From(syntax),
                IntConstructorArgument(attribute, 0),
                LocationInfo.From(ConstructorArgumentSyntax(syntax, attribute, 0)),
                IntConstructorArgument(attribute, 1),
                LocationInfo.From(ConstructorArgumentSyntax(syntax, attribute, 1)),
                slope is double value ? value : null,
                LocationInfo.From(NamedArgumentSyntax(syntax, "NegativeSlope")),
                name ?? (index == 0 ? "dense" : "dense_" + index),
                name is null ? null : LocationInfo.From(NamedArgumentSyntax(syntax, "Name")));
        }

        private static AttributeSyntax? Syntax(AttributeData attribute, CancellationToken cancellationToken) =>
            attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;

        private static LocationInfo? LocationOf(AttributeData attribute) =>
            LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax());

        private static TypedConstant? NamedArgument(AttributeData attribute, string name) =>
            attribute.NamedArguments.Where(argument => argument.Key == name).Select(argument => (TypedConstant?)argument.Value).FirstOrDefault();

        private static int? IntNamedArgument(AttributeData attribute, string name) =>
            NamedArgument(attribute, name)?.Value is int value ? value : null;

        /// <summary>An int (or enum) constructor argument; a missing one reads as 0, which the validator rejects where 0 is wrong.</summary>
        private static int IntConstructorArgument(AttributeData attribute, int index) =>
            index < attribute.ConstructorArguments.Length && attribute.ConstructorArguments[index].Value is int value ? value : 0;

        private static AttributeArgumentSyntax? NamedArgumentSyntax(AttributeSyntax? syntax, string name) =>
            syntax?.ArgumentList?.Arguments.FirstOrDefault(argument => argument.NameEquals?.Name.Identifier.ValueText == name);

        /// <summary>The syntax of constructor argument <paramref name="index"/>, written by name (<c>units: 3</c>) or by position; <c>null</c> when defaulted.</summary>
        private static AttributeArgumentSyntax? ConstructorArgumentSyntax(AttributeSyntax? syntax, AttributeData attribute, int index)
        {
            var constructor = attribute.AttributeConstructor;
            if (syntax?.ArgumentList is null || constructor is null || index >= constructor.Parameters.Length) return null;

            var positional = syntax.ArgumentList.Arguments.Where(argument => argument.NameEquals is null).ToList();
            string parameterName = constructor.Parameters[index].Name;
            return positional.FirstOrDefault(argument => argument.NameColon?.Name.Identifier.ValueText == parameterName)
                ?? (index < positional.Count && positional[index].NameColon is null ? positional[index] : null);
        }

        private static NetworkSpec BuildSpec(INamedTypeSymbol type, NetworkDeclaration declaration) =>
            BuildSpec(type, (PrecisionKind)declaration.PrecisionValue, ChainLowering.Lower(declaration));

        /// <summary>The spec of a [Network] class whose graph is built: names, nesting and hint name come from the symbol.</summary>
        public static NetworkSpec BuildSpec(INamedTypeSymbol type, PrecisionKind precision, GraphSpec graph)
        {
            var containingTypes = new List<ContainingTypeSpec>();
            for (var container = type.ContainingType; container is not null; container = container.ContainingType)
            {
                containingTypes.Insert(0, new ContainingTypeSpec(Keyword(container), container.ToDisplayString(TypeNameFormat)));
            }

            var ns = type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(NamespaceFormat);
            return new NetworkSpec(
                ns,
                type.Name,
                HintName(type),
                containingTypes.ToEquatableArray(),
                precision,
                OpTable.Complete(graph));
        }

        private static string Keyword(INamedTypeSymbol type) => type switch
        {
            { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
            { IsRecord: true } => "record",
            { TypeKind: TypeKind.Struct } => "struct",
            { TypeKind: TypeKind.Interface } => "interface",
            _ => "class",
        };

        /// <summary>Namespaces and types joined with '.', by metadata name (<c>Outer`1</c>, no '@'), so it is unique and a valid hint name.</summary>
        private static string HintName(INamedTypeSymbol type)
        {
            var parts = new List<string>();
            for (ISymbol symbol = type; symbol is INamedTypeSymbol or INamespaceSymbol { IsGlobalNamespace: false }; symbol = symbol.ContainingSymbol)
            {
                parts.Insert(0, symbol.MetadataName);
            }

            return string.Join(".", parts);
        }
    }
}
