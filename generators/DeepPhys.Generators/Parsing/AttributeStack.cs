using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using DeepPhys.Generators.Frontend;
using DeepPhys.Generators.Model;
using DeepPhys.Generators.Ops;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DeepPhys.Generators.Parsing
{
    /// <summary>
    /// The attribute front end: <c>[Input]</c> and the layer attributes in source order become a chain of <see cref="DraftNode"/>s,
    /// each reading the one before, with their arguments found by the op's <see cref="Parameter.AttributeName"/>; what is
    /// particular to a stack (one input, first) is checked here, everything else by <see cref="DraftGraph"/> as for the DSL.
    /// </summary>
    internal static class AttributeStack
    {
        /// <summary>The stack's graph, or <c>null</c> when something is wrong (then <paramref name="diagnostics"/> says what).</summary>
        public static GraphSpec? Lower(
            string className, AttributeData network, IReadOnlyList<(AttributeData Attribute, OpDescriptor Op)> layers, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
        {
            int errors = diagnostics.Count(diagnostic => diagnostic.IsError);
            var networkSyntax = Syntax(network, cancellationToken);
            var at = LocationInfo.From(networkSyntax);
            var drafts = Read(layers, diagnostics, cancellationToken);
            bool structured = CheckStructure(className, at, drafts, diagnostics);
            CheckNames(drafts, diagnostics);
            var loss = CheckLossAndPrecision(className, network, networkSyntax, at, diagnostics);

            foreach (var draft in drafts.Where(draft => !draft.Op.IsInput)) DraftGraph.Bind(draft, diagnostics);
            if (structured)
            {
                foreach (var draft in drafts) DraftGraph.InferShape(drafts, draft, diagnostics);
                DraftGraph.CheckTotals(drafts, Enumerable.Range(0, drafts.Count), className, at, diagnostics);
            }

            if (loss is { } trained && drafts.Count > 1 && !drafts[drafts.Count - 1].Op.IsInput)
            {
                DraftGraph.CheckLossFit(drafts[drafts.Count - 1], trained, drafts[drafts.Count - 1].At, activation => activation.ToString(), diagnostics);
                var lossAt = LocationInfo.From(NamedArgumentSyntax(networkSyntax, "Loss")) ?? at;
                DraftGraph.CheckMethodology(drafts, new[] { (drafts.Count - 1, trained, lossAt) }, name => "Loss." + name, diagnostics);
            }

            if (loss is null || diagnostics.Count(diagnostic => diagnostic.IsError) > errors || drafts.Any(draft => draft.Shape is null)) return null;
            return DraftGraph.Build(drafts, Enumerable.Range(0, drafts.Count).ToList(), new[] { new OutputSpec(drafts.Count - 1, loss.Value, 1.0) });
        }

        /// <summary>The drafts in source order, each reading the one before; default names count per attribute (<c>dense</c>, <c>dense_1</c>, …).</summary>
        private static List<DraftNode> Read(IReadOnlyList<(AttributeData Attribute, OpDescriptor Op)> layers, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
        {
            var drafts = new List<DraftNode>();
            var counts = new Dictionary<OpDescriptor, int>();
            foreach (var (attribute, op) in layers)
            {
                var syntax = Syntax(attribute, cancellationToken);
                counts.TryGetValue(op, out int index);
                counts[op] = index + 1;
                string name = NamedArgument(attribute, "Name")?.Value as string ?? (index == 0 ? op.Attribute!.DefaultName : op.Attribute!.DefaultName + "_" + index.ToString(CultureInfo.InvariantCulture));
                var draft = new DraftNode(name, op, LocationInfo.From(syntax))
                {
                    NameAt = NamedArgument(attribute, "Name") is null ? null : LocationInfo.From(NamedArgumentSyntax(syntax, "Name")),
                };
                if (op.IsInput) ReadInput(draft, attribute, syntax, diagnostics);
                else ReadArguments(draft, attribute, syntax);
                if (drafts.Count > 0 && !op.IsInput) draft.Inputs.Add(drafts.Count - 1);
                drafts.Add(draft);
            }

            return drafts;
        }

        /// <summary>[Input(size)], [Input(rows, columns)] or [Input(channels, height, width)]: DPH0104 for a size below 1.</summary>
        private static void ReadInput(DraftNode draft, AttributeData attribute, AttributeSyntax? syntax, List<DiagnosticInfo> diagnostics)
        {
            var shape = attribute.ConstructorArguments.Select(argument => argument.Value is int value ? value : 0).ToArray();
            draft.Arguments = new InputArguments(new EquatableArray<int>(shape));
            if (shape.All(dimension => dimension >= 1))
            {
                draft.Shape = shape;
                return;
            }

            var where = shape.Length == 1 ? LocationInfo.From(ConstructorArgumentSyntax(syntax, attribute, 0)) ?? draft.At : draft.At;
            diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.InputSizeTooSmall, where, shape.Min().ToString(CultureInfo.InvariantCulture)));
            draft.Broken = true;
        }

        /// <summary>Each parameter the op's attribute holds, as a constructor argument or a property set by name.</summary>
        private static void ReadArguments(DraftNode draft, AttributeData attribute, AttributeSyntax? syntax)
        {
            var constructor = attribute.AttributeConstructor!.Parameters;
            foreach (var parameter in draft.Op.Parameters.Where(parameter => parameter.AttributeName is not null))
            {
                int position = constructor.Select(candidate => candidate.Name).ToList().IndexOf(parameter.AttributeName!);
                var value = position >= 0 ? attribute.ConstructorArguments[position] : NamedArgument(attribute, parameter.AttributeName!);
                if (value is not { Value: { } written } || Equals(written, parameter.AttributeUnset)) continue;
                var location = position >= 0 ? ConstructorArgumentSyntax(syntax, attribute, position) : NamedArgumentSyntax(syntax, parameter.AttributeName!);
                draft.Values[parameter.Name] = new WrittenValue(Written(value.Value), Text(written), LocationInfo.From(location));
                if (parameter.Type == ParameterType.PostActivation) draft.ActivationAt = LocationInfo.From(location?.Expression);
            }
        }

        /// <summary>An attribute's constant as the reader takes it: numbers as double, enum members by their integer.</summary>
        private static object Written(TypedConstant constant) => constant.Value switch
        {
            int value when constant.Kind == TypedConstantKind.Enum => new EnumMember(value),
            int value => (double)value,
            var other => other!,
        };

        private static string Text(object value) => value switch
        {
            double number => number.ToString("R", CultureInfo.InvariantCulture),
            bool flag => flag ? "true" : "false",
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };

        /// <summary>One [Input], first, and at least one layer after it (DPH0101–0103, DPH0106); <c>false</c> when the stack is not a chain from one input.</summary>
        private static bool CheckStructure(string className, LocationInfo? at, List<DraftNode> drafts, List<DiagnosticInfo> diagnostics)
        {
            var inputs = drafts.Where(draft => draft.Op.IsInput).ToList();
            if (inputs.Count == 0)
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.MissingInput, at, className));
                return false;
            }

            foreach (var extra in inputs.Skip(1)) diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.MultipleInputs, extra.At, className));
            if (drafts[0] != inputs[0]) diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.InputAfterLayer, inputs[0].At, className));
            if (drafts.All(draft => draft.Op.IsInput)) diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.NoLayers, at, className));
            return inputs.Count == 1 && drafts[0] == inputs[0] && drafts.Count > 1;
        }

        /// <summary>Names must be valid and unique, also after PascalCasing, since each one names constants (DPH0110).</summary>
        private static void CheckNames(List<DraftNode> drafts, List<DiagnosticInfo> diagnostics)
        {
            var seen = new Dictionary<string, DraftNode>(StringComparer.Ordinal);
            foreach (var draft in drafts.Where(draft => !draft.Op.IsInput))
            {
                if (!DraftGraph.IsValidName(draft.Name))
                {
                    diagnostics.Add(new DiagnosticInfo(
                        DiagnosticDescriptors.InvalidLayerName,
                        draft.NameAt ?? draft.At,
                        draft.Name,
                        "is not valid: a layer name starts with a letter and has only letters, digits and underscores"));
                    continue;
                }

                string identifier = DraftGraph.ToIdentifier(draft.Name);
                if (!seen.TryGetValue(identifier, out var earlier))
                {
                    seen.Add(identifier, draft);
                    continue;
                }

                // Point at a Name argument: a default name cannot clash unless an explicit one took it.
                string reason = earlier.Name == draft.Name
                    ? "is used by more than one layer; layer names must be unique"
                    : $"gives the same constant names ({identifier}Weights, {identifier}Bias) as layer '{earlier.Name}'; layer names must differ after PascalCasing";
                diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.InvalidLayerName, draft.NameAt ?? earlier.NameAt ?? draft.At, draft.Name, reason));
            }
        }

        /// <summary>The [Network] attribute's Loss (required) and Precision, each a member of its enum; the loss when there is one.</summary>
        private static LossKind? CheckLossAndPrecision(string className, AttributeData network, AttributeSyntax? syntax, LocationInfo? at, List<DiagnosticInfo> diagnostics)
        {
            int precision = NamedArgument(network, "Precision")?.Value is int p ? p : 0;
            if (!Enum.IsDefined(typeof(PrecisionKind), precision))
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.UnknownEnumValue, LocationInfo.From(NamedArgumentSyntax(syntax, "Precision")) ?? at, "Precision", precision.ToString(CultureInfo.InvariantCulture)));
            }

            int loss = NamedArgument(network, "Loss")?.Value is int l ? l : 0;
            if (!Enum.IsDefined(typeof(LossKind), loss))
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.UnknownEnumValue, LocationInfo.From(NamedArgumentSyntax(syntax, "Loss")) ?? at, "Loss", loss.ToString(CultureInfo.InvariantCulture)));
                return null;
            }

            if (loss != (int)LossKind.None) return (LossKind)loss;
            diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.MissingLoss, at, className));
            return null;
        }

        public static PrecisionKind Precision(AttributeData network) => NamedArgument(network, "Precision")?.Value is int p ? (PrecisionKind)p : PrecisionKind.Single;

        private static AttributeSyntax? Syntax(AttributeData attribute, CancellationToken cancellationToken) =>
            attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;

        private static TypedConstant? NamedArgument(AttributeData attribute, string name) =>
            attribute.NamedArguments.Where(argument => argument.Key == name).Select(argument => (TypedConstant?)argument.Value).FirstOrDefault();

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
    }
}
