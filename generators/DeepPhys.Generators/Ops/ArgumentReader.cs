using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DeepPhys.Generators.Model;

namespace DeepPhys.Generators.Ops
{
    /// <summary>An argument as written, whichever front end read it; where a diagnostic about it goes.</summary>
    /// <param name="Value">A <see cref="double"/>, a <see cref="bool"/>, a DSL identifier (<see cref="string"/>), a list (<see cref="EquatableArray{T}"/> of int) or an attribute's <see cref="EnumMember"/>.</param>
    /// <param name="Text">The value as the message quotes it.</param>
    /// <param name="Location">The argument, or <c>null</c> when it has no syntax of its own.</param>
    internal sealed record WrittenValue(object Value, string Text, LocationInfo? Location);

    /// <summary>An attribute argument of an enum type, by its integer (which may lie outside the enum).</summary>
    internal sealed record EnumMember(int Value);

    /// <summary>
    /// Reads one node's written arguments against its op's <see cref="OpDescriptor.Parameters"/>: the default when an argument
    /// is not written, and a diagnostic naming the argument (at it, or at the node) when its value does not fit. One reader for
    /// both front ends, so every check is written once.
    /// </summary>
    internal sealed class ArgumentReader
    {
        /// <summary>The DSL's activation names.</summary>
        public static readonly IReadOnlyDictionary<string, ActivationKind> ActivationNames = new Dictionary<string, ActivationKind>(StringComparer.Ordinal)
        {
            ["linear"] = ActivationKind.Linear, ["relu"] = ActivationKind.ReLU, ["leaky_relu"] = ActivationKind.LeakyReLU,
            ["sigmoid"] = ActivationKind.Sigmoid, ["tanh"] = ActivationKind.Tanh, ["softmax"] = ActivationKind.Softmax,
        };

        private readonly OpDescriptor op;
        private readonly IReadOnlyDictionary<string, WrittenValue> values;
        private readonly LocationInfo? at;
        private readonly List<DiagnosticInfo> diagnostics;

        /// <param name="op">The node's op.</param>
        /// <param name="node">The node's name, for messages.</param>
        /// <param name="values">The written arguments by DSL name.</param>
        /// <param name="at">Where a problem with an argument without a location of its own goes: the attribute, or the DSL's layer name.</param>
        /// <param name="diagnostics">Where problems go.</param>
        public ArgumentReader(OpDescriptor op, string node, IReadOnlyDictionary<string, WrittenValue> values, LocationInfo? at, List<DiagnosticInfo> diagnostics)
        {
            this.op = op;
            Node = node;
            this.values = values;
            this.at = at;
            this.diagnostics = diagnostics;
        }

        public string Node { get; }

        /// <summary>Whether some argument did not fit: the node is not built.</summary>
        public bool Broken { get; private set; }

        public bool Has(string name) => values.ContainsKey(name);

        public int Integer(string name)
        {
            if (!values.TryGetValue(name, out var value)) return Default<int>(name);
            if (value.Value is double number && number == Math.Floor(number) && Math.Abs(number) <= int.MaxValue) return (int)number;
            return Invalid(value, name, $"must be an integer, not '{value.Text}'", 0);
        }

        /// <summary>An integer of at least 1 (DPH0407, or <paramref name="tooSmall"/> with the node and the value).</summary>
        public int Positive(string name, Microsoft.CodeAnalysis.DiagnosticDescriptor? tooSmall = null)
        {
            int before = diagnostics.Count;
            int value = Integer(name);
            if (value >= 1 || diagnostics.Count > before) return Math.Max(value, 1);
            string text = value.ToString(CultureInfo.InvariantCulture);
            Report(tooSmall is null
                ? new DiagnosticInfo(DiagnosticDescriptors.SizeNotPositive, LocationOf(name), Node, name, text)
                : new DiagnosticInfo(tooSmall, LocationOf(name), Node, text));
            return 1;
        }

        /// <summary>A real number that is <paramref name="valid"/> (and finite as a float, since it becomes a literal of the element type).</summary>
        public double Number(string name, Func<double, bool> valid, string expected)
        {
            if (!values.TryGetValue(name, out var value)) return Default<double>(name);
            if (value.Value is double number && valid(number) && !float.IsInfinity((float)number)) return number;
            return Invalid(value, name, $"must be {expected}, not '{value.Text}'", Fallback<double>(name));
        }

        public bool Flag(string name)
        {
            if (!values.TryGetValue(name, out var value)) return Default<bool>(name);
            switch (value.Value)
            {
                case bool flag: return flag;
                case string identifier when identifier is "true" or "false": return identifier == "true";
                case double number when number is 0 or 1: return number == 1;
                default: return Invalid(value, name, $"must be true or false, not '{value.Text}'", Fallback<bool>(name));
            }
        }

        /// <summary>An activation, one of <paramref name="allowed"/> when given (a simple RNN's cell).</summary>
        public ActivationKind Activation(string name, params ActivationKind[] allowed)
        {
            if (!values.TryGetValue(name, out var value)) return Default<ActivationKind>(name);
            ActivationKind activation;
            if (value.Value is EnumMember member)
            {
                if (!Enum.IsDefined(typeof(ActivationKind), member.Value))
                {
                    Report(new DiagnosticInfo(DiagnosticDescriptors.UnknownActivation, LocationOf(name), Node, member.Value.ToString(CultureInfo.InvariantCulture)));
                    return Fallback<ActivationKind>(name);
                }

                activation = (ActivationKind)member.Value;
            }
            else if (value.Value is not string identifier || !ActivationNames.TryGetValue(identifier, out activation))
            {
                Report(UnknownName.Create(value.Location ?? at, "activation", value.Text, ActivationNames.Keys));
                return Fallback<ActivationKind>(name);
            }

            if (allowed.Length == 0 || allowed.Contains(activation)) return activation;
            string names = string.Join(", ", allowed.Take(allowed.Length - 1).Select(Lower)) + " or " + Lower(allowed[allowed.Length - 1]);
            return Invalid(value, name, $"of {op.DslName} '{Node}' must be {names}, not {Lower(activation)}", Fallback<ActivationKind>(name));
        }

        /// <summary>Zeros on every side (0 or more), or 'same': <c>-1</c> or <c>same</c> in the DSL, <c>Padding.Same</c> in an attribute.</summary>
        public ZeroPadding Padding(string name)
        {
            if (!values.TryGetValue(name, out var value)) return Ops.ZeroPadding.None;
            switch (value.Value)
            {
                case EnumMember { Value: 0 }:
                case string identifier when identifier == "valid":
                    return Ops.ZeroPadding.None;
                case EnumMember { Value: 1 }:
                case string identifier when identifier == "same":
                    return new ZeroPadding(true, 0);
                case EnumMember member:
                    Report(new DiagnosticInfo(DiagnosticDescriptors.UnknownEnumValue, LocationOf(name), "Padding", member.Value.ToString(CultureInfo.InvariantCulture)));
                    return Ops.ZeroPadding.None;
            }

            int size = Integer(name);
            if (size >= 0) return new ZeroPadding(false, size);
            if (size == -1) return new ZeroPadding(true, 0);
            return Invalid(value, name, $"must be 0 or more zeros on every side, or 'same' (or -1), not {value.Text}", Ops.ZeroPadding.None);
        }

        /// <summary>
        /// A size per spatial axis, each at least 1 (a kernel, stride or window): one number for every axis, or a list with one
        /// per axis (<c>[3, 5]</c>: height, width); then any attribute argument setting a single axis (<see cref="Parameter.AxisOf"/>).
        /// Not written, it is <paramref name="fallback"/> when given (a pool's stride: its window), else the default on every axis.
        /// </summary>
        public EquatableArray<int> PerAxis(string name, int axes, EquatableArray<int>? fallback = null)
        {
            var sizes = new int[axes];
            if (values.TryGetValue(name, out var value) && value.Value is EquatableArray<int> list)
            {
                string expected = axes == 2 ? "[height, width]" : "[length]";
                if (list.Count != axes) Invalid(value, name, $"must be a number or a list {expected}, not '{value.Text}'", 0);
                else if (list.Any(size => size < 1)) Report(new DiagnosticInfo(DiagnosticDescriptors.SizeNotPositive, LocationOf(name), Node, name, value.Text));
                for (int axis = 0; axis < axes; axis++) sizes[axis] = axis < list.Count ? Math.Max(list[axis], 1) : 1;
            }
            else if (value is null && fallback is { } whole)
            {
                sizes = whole.ToArray();
            }
            else
            {
                int size = Positive(name);
                for (int axis = 0; axis < axes; axis++) sizes[axis] = size;
            }

            foreach (var part in op.Parameters.Where(parameter => parameter.AxisOf == name && Has(parameter.Name)))
            {
                sizes[part.Axis] = Positive(part.Name);
            }

            return new EquatableArray<int>(sizes);
        }

        /// <summary>A list of integers each at least 1 (a reshape's target shape).</summary>
        public EquatableArray<int> PositiveList(string name, string example)
        {
            if (!values.TryGetValue(name, out var value) || value.Value is not EquatableArray<int> list)
            {
                Report(new DiagnosticInfo(DiagnosticDescriptors.InvalidArgument, values.TryGetValue(name, out var written) ? written.Location ?? at : at, op.DslName, $"needs '{name}', a list like {example}"));
                return EquatableArray<int>.Empty;
            }

            if (list.Any(dimension => dimension < 1))
            {
                Report(new DiagnosticInfo(DiagnosticDescriptors.SizeNotPositive, LocationOf(name), Node, name, string.Join(", ", list)));
            }

            return list;
        }

        /// <summary>A required argument that is not written (the DSL's <c>dense(x)</c>; an attribute's constructor always has it).</summary>
        private T Default<T>(string name)
        {
            var parameter = op.Parameters.First(candidate => candidate.Name == name);
            if (parameter.Default is T value) return value;
            Report(new DiagnosticInfo(DiagnosticDescriptors.InvalidArgument, at, op.DslName, $"needs '{name}'"));
            return default!;
        }

        /// <summary>What a value that does not fit reads as, so checking goes on: the default, or the type's.</summary>
        private T Fallback<T>(string name) => op.Parameters.First(candidate => candidate.Name == name).Default is T value ? value : default!;

        private T Invalid<T>(WrittenValue value, string name, string problem, T fallback)
        {
            Report(new DiagnosticInfo(DiagnosticDescriptors.InvalidArgument, value.Location ?? at, name, problem));
            return fallback;
        }

        private LocationInfo? LocationOf(string name) => values.TryGetValue(name, out var value) ? value.Location ?? at : at;

        private void Report(DiagnosticInfo diagnostic)
        {
            diagnostics.Add(diagnostic);
            Broken = true;
        }

        private static string Lower(ActivationKind activation) => activation.ToString().ToLowerInvariant();
    }
}
