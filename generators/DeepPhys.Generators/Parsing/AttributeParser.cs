using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DeepPhys.Generators.Dsl;
using DeepPhys.Generators.Emission;
using DeepPhys.Generators.Frontend;
using DeepPhys.Generators.Model;
using DeepPhys.Generators.Ops;
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
        /// <summary>Every layer attribute's metadata name, from the op descriptors.</summary>
        public static readonly string[] LayerAttributes = OpRegistry.ByAttribute.Keys.ToArray();

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
        public static NetworkModel Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
            context.TargetSymbol is INamedTypeSymbol type ? Parse(type, context.TargetNode, cancellationToken) : Nothing;

        /// <summary>The model of <paramref name="type"/> as seen from its <paramref name="declaration"/>: nothing unless this part holds the [Network] attribute.</summary>
        public static NetworkModel Parse(INamedTypeSymbol type, SyntaxNode declaration, CancellationToken cancellationToken)
        {
            var attributes = OwnAttributes(type);
            var network = attributes.FirstOrDefault(attribute => Is(attribute, NetworkAttribute));

            // [Network] on two partial parts is already CS0579; answer once, for the part holding the first.
            if (network is null || !AppliedWithin(network, declaration)) return Nothing;

            // Unbound or non-constant arguments are the compiler's to report; there is nothing sound to generate.
            if (attributes.Any(HasErrors)) return Nothing;

            var diagnostics = new List<DiagnosticInfo>();
            CheckClass(type, diagnostics, cancellationToken);
            if (network.ConstructorArguments.Length == 1 && network.ConstructorArguments[0].Value is string dsl)
            {
                return ParseDsl(type, network, dsl, attributes, diagnostics, cancellationToken);
            }

            var layers = attributes.Where(attribute => !Is(attribute, NetworkAttribute)).Select(attribute => (attribute, OpRegistry.ByAttribute[Name(attribute)])).ToList();
            var graph = AttributeStack.Lower(type.Name, network, layers, diagnostics, cancellationToken);
            return Model(type, network, AttributeStack.Precision(network), graph, diagnostics);
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
            return Model(type, network, result.Precision, result.Graph, diagnostics);
        }

        /// <summary>The spec when the graph is built without errors; otherwise the stand-in, when the class can take a generated part.</summary>
        private static NetworkModel Model(INamedTypeSymbol type, AttributeData network, PrecisionKind precision, GraphSpec? graph, List<DiagnosticInfo> diagnostics)
        {
            var spec = diagnostics.Any(diagnostic => diagnostic.IsError) || graph is null ? null : BuildSpec(type, precision, graph);
            diagnostics.AddRange(DraftGraph.LargeNetwork(spec, LocationOf(network)));
            var invalid = spec is null && TakesGeneratedPart(type, diagnostics)
                ? InvalidNetworkSpec.From(Place(type), type.ToDisplayString(TypeNameFormat), precision, diagnostics)
                : null;
            return new NetworkModel(spec, diagnostics.ToEquatableArray(), invalid);
        }

        /// <summary>
        /// Whether a generated part deriving from <c>Network&lt;T&gt;</c> can join the class: not when it or a containing type
        /// is not partial (the part would be a second declaration; DPH0001 has a code fix), when it declares a base class (two
        /// base classes), when it has a generated member's name (CS0542), when it is file-local (its parts share one file), or
        /// when it is static or a record (neither can derive from a class). Abstract and generic classes can.
        /// </summary>
        private static bool TakesGeneratedPart(INamedTypeSymbol type, List<DiagnosticInfo> diagnostics) =>
            !type.IsStatic
            && !type.IsRecord
            && !type.IsFileLocal
            && !diagnostics.Any(diagnostic => diagnostic.Id == DiagnosticDescriptors.NetworkMustBePartial.Id
                || diagnostic.Id == DiagnosticDescriptors.ContainingTypeMustBePartial.Id
                || diagnostic.Id == DiagnosticDescriptors.NetworkHasBaseClass.Id
                || diagnostic.Id == DiagnosticDescriptors.NetworkNamedLikeAGeneratedMember.Id);

        /// <summary>DPH0005: each layer attribute of this <paramref name="declaration"/> of a class without [Network].</summary>
        public static EquatableArray<DiagnosticInfo> LayersWithoutNetwork(INamedTypeSymbol type, SyntaxNode declaration)
        {
            if (type.GetAttributes().Any(attribute => Is(attribute, NetworkAttribute))) return EquatableArray<DiagnosticInfo>.Empty;

            // A partial class lists the attributes of all its parts; keep this declaration's, so each is reported once.
            return type.GetAttributes()
                .Where(attribute => AppliedWithin(attribute, declaration) && OpRegistry.ByAttribute.ContainsKey(Name(attribute)))
                .Select(attribute => new DiagnosticInfo(DiagnosticDescriptors.LayerWithoutNetwork, LocationOf(attribute), type.Name, ShortName(Name(attribute))))
                .ToEquatableArray();
        }

        /// <summary>The DeepPhys attributes written on the class itself (all partial parts), in source order: file path, then position.</summary>
        private static List<AttributeData> OwnAttributes(INamedTypeSymbol type) =>
            type.GetAttributes()
                .Where(attribute => attribute.ApplicationSyntaxReference is not null
                    && (Is(attribute, NetworkAttribute) || OpRegistry.ByAttribute.ContainsKey(Name(attribute))))
                .OrderBy(attribute => attribute.ApplicationSyntaxReference!.SyntaxTree.FilePath, StringComparer.Ordinal)
                .ThenBy(attribute => attribute.ApplicationSyntaxReference!.Span.Start)
                .ToList();

        private static bool Is(AttributeData attribute, string metadataName) => Name(attribute) == metadataName;

        /// <summary>The metadata name of a DeepPhys attribute (<c>DeepPhys.DenseAttribute</c>), or empty for any other.</summary>
        private static string Name(AttributeData attribute) =>
            attribute.AttributeClass is { ContainingType: null, ContainingNamespace: { Name: "DeepPhys", ContainingNamespace.IsGlobalNamespace: true } } type
                ? "DeepPhys." + type.MetadataName
                : string.Empty;

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

            if (NetworkEmitter.NameClash(type.Name, inGlobalNamespace: type.ContainingType is null && type.ContainingNamespace.IsGlobalNamespace) is { } clash)
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.NetworkNamedLikeAGeneratedMember, identifier, type.Name, clash));
            }

            // A member of the user's parts with a generated member's name would be declared twice (CS0102); the analyzer also
            // sees the generated part, whose members are the generator's own.
            foreach (var member in type.GetMembers().Where(member => Array.IndexOf(NetworkEmitter.GeneratedMemberNames, member.Name) >= 0
                && member.DeclaringSyntaxReferences.Any(reference => !IsGeneratedPart(reference.SyntaxTree))))
            {
                diagnostics.Add(new DiagnosticInfo(
                    DiagnosticDescriptors.NetworkNamedLikeAGeneratedMember,
                    LocationInfo.From(member.Locations.FirstOrDefault()),
                    type.Name,
                    $"declares '{member.Name}', a member the generator adds to it; rename that member"));
            }

            foreach (string problem in UnsupportedModifiers(type))
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.UnsupportedNetworkClass, identifier, type.Name, problem));
            }

            if (type.BaseType is { SpecialType: not SpecialType.System_Object } baseType)
            {
                // Base lists are not bound here: the entry naming the base class is matched by its simple name.
                var baseList = declarations.SelectMany(declaration => declaration.BaseList?.Types ?? default).ToList();
                var written = baseList.FirstOrDefault(entry => SimpleName(entry.Type) == baseType.Name);

                // The generated part of a valid network derives it from Network<T>: only a base class the user wrote is an error.
                if (written is not null || !type.DeclaringSyntaxReferences.Any(reference => IsGeneratedPart(reference.SyntaxTree)))
                {
                    diagnostics.Add(new DiagnosticInfo(
                        DiagnosticDescriptors.NetworkHasBaseClass,
                        (written ?? baseList.FirstOrDefault()) is { } entry ? LocationInfo.From(entry) : identifier,
                        type.Name,
                        baseType.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)));
                }
            }
        }

        private static IEnumerable<string> UnsupportedModifiers(INamedTypeSymbol type)
        {
            if (type.IsStatic) yield return "static";
            if (type.IsAbstract) yield return "abstract";
            if (type.TypeParameters.Length > 0) yield return "generic";
            if (type.IsFileLocal) yield return "file-local";
            if (type.IsRecord) yield return "a record";
        }

        /// <summary>
        /// A source this generator added (Roslyn names its trees <c>DeepPhys.Generators/DeepPhys.Generators.NetworkGenerator/…</c>):
        /// the analyzer sees the compilation with them, the generator without.
        /// </summary>
        private static bool IsGeneratedPart(SyntaxTree tree) =>
            tree.FilePath.IndexOf(typeof(NetworkGenerator).FullName, StringComparison.Ordinal) >= 0;

        /// <summary>The declarations the user wrote (not the generated part).</summary>
        private static List<TypeDeclarationSyntax> Declarations(INamedTypeSymbol type, CancellationToken cancellationToken) =>
            type.DeclaringSyntaxReferences
                .Where(reference => !IsGeneratedPart(reference.SyntaxTree))
                .Select(reference => reference.GetSyntax(cancellationToken))
                .OfType<TypeDeclarationSyntax>()
                .ToList();

        private static bool IsPartial(TypeDeclarationSyntax declaration) =>
            declaration.Modifiers.Any(modifier => modifier.IsKind(SyntaxKind.PartialKeyword));

        private static string? SimpleName(TypeSyntax type) => type switch
        {
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
            _ => null,
        };

        private static AttributeSyntax? Syntax(AttributeData attribute, CancellationToken cancellationToken) =>
            attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;

        private static LocationInfo? LocationOf(AttributeData attribute) =>
            LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax());

        /// <summary>The spec of a [Network] class whose graph is built: names, nesting and hint name come from the symbol.</summary>
        public static NetworkSpec BuildSpec(INamedTypeSymbol type, PrecisionKind precision, GraphSpec graph)
        {
            var place = Place(type);
            return new NetworkSpec(place.Namespace, place.ClassName, place.HintName, place.ContainingTypes, precision, graph);
        }

        /// <summary>The class's namespace, containing types, name and generated file name.</summary>
        private static ClassSpec Place(INamedTypeSymbol type)
        {
            var containingTypes = new List<ContainingTypeSpec>();
            for (var container = type.ContainingType; container is not null; container = container.ContainingType)
            {
                containingTypes.Insert(0, new ContainingTypeSpec(Keyword(container), container.ToDisplayString(TypeNameFormat)));
            }

            var ns = type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(NamespaceFormat);
            return new ClassSpec(ns, type.Name, HintName(type), containingTypes.ToEquatableArray());
        }

        private static string Keyword(INamedTypeSymbol type) => type switch
        {
            { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
            { IsRecord: true } => "record",
            { TypeKind: TypeKind.Struct } => "struct",
            { TypeKind: TypeKind.Interface } => "interface",
            _ => "class",
        };

        /// <summary>
        /// The metadata full name (<c>Physics.Outer`1+Net</c>, no '@'): unique, where joining nested types with '.' is not
        /// (<c>Physics.Models.Net</c> in a namespace and nested in a class <c>Physics.Models</c>). <see cref="HintNames"/> asks
        /// for the dotted form.
        /// </summary>
        private static string HintName(INamedTypeSymbol type)
        {
            string name = type.MetadataName;
            for (var container = type.ContainingType; container is not null; container = container.ContainingType) name = container.MetadataName + "+" + name;
            for (var ns = type.ContainingNamespace; !ns.IsGlobalNamespace; ns = ns.ContainingNamespace) name = ns.MetadataName + "." + name;
            return name;
        }
    }
}
