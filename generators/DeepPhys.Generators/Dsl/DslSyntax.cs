using System.Collections.Generic;

namespace DeepPhys.Generators.Dsl
{
    internal enum TokenKind
    {
        Identifier,
        Number,
        Equals,
        Arrow,
        Comma,
        Colon,
        Minus,
        OpenParen,
        CloseParen,
        OpenBracket,
        CloseBracket,
        Dot,
        NewLine,
        Invalid,
        End,
    }

    /// <summary>One token; <see cref="Start"/> and <see cref="Length"/> index the DSL text.</summary>
    internal readonly struct Token
    {
        public Token(TokenKind kind, string text, int start)
        {
            Kind = kind;
            Text = text;
            Start = start;
        }

        public TokenKind Kind { get; }

        public string Text { get; }

        public int Start { get; }

        public int Length => Text.Length;

        /// <summary>How a syntax error names it: <c>'('</c>, <c>end of line</c>, <c>end of text</c>.</summary>
        public string Describe() => Kind switch
        {
            TokenKind.NewLine => "end of line",
            TokenKind.End => "end of text",
            _ => "'" + Text + "'",
        };
    }

    /// <summary>A name as written, with where it is.</summary>
    internal sealed class Name
    {
        /// <param name="text">The name.</param>
        /// <param name="start">Where it starts in the DSL text.</param>
        /// <param name="length">Its length in the text; that of <paramref name="text"/> unless the name was made up (a nested call's node spans the call).</param>
        public Name(string text, int start, int? length = null)
        {
            Text = text;
            Start = start;
            Length = length ?? text.Length;
        }

        public string Text { get; }

        public int Start { get; }

        public int Length { get; }
    }

    /// <summary>A layer call written as an argument: <c>dense(x, 4)</c> in <c>add(x, dense(x, 4))</c>.</summary>
    internal sealed class NestedCall(Name layer, List<Argument> arguments)
    {
        public Name Layer { get; } = layer;

        public List<Argument> Arguments { get; } = arguments;
    }

    /// <summary>An argument value: a name, a number, a list of integers or a nested layer call.</summary>
    internal sealed class Value
    {
        public Value(int start, int length, Name? identifier, double? number, List<int>? list, NestedCall? call = null, List<Name?>? listNames = null)
        {
            Start = start;
            Length = length;
            Identifier = identifier;
            Number = number;
            List = list;
            Call = call;
            ListNames = listNames;
        }

        public int Start { get; }

        public int Length { get; }

        public Name? Identifier { get; }

        public double? Number { get; }

        public List<int>? List { get; }

        public NestedCall? Call { get; }

        /// <summary>A list's items written as parameter names (<c>[1, size, size]</c>), item by item; <c>null</c> where a number is written, and for a list of numbers only.</summary>
        public List<Name?>? ListNames { get; }

        public string Text => Call is not null ? Call.Layer.Text + "(…)" : Identifier?.Text ?? (Number is double n ? n.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "[" + string.Join(", ", List ?? new List<int>()) + "]");
    }

    /// <summary><c>name: value</c> or a positional <c>value</c>.</summary>
    internal sealed class Argument
    {
        public Argument(Name? label, Value value)
        {
            Label = label;
            Value = value;
        }

        public Name? Label { get; }

        public Value Value { get; }
    }

    internal abstract class Statement
    {
        protected Statement(int start, int length)
        {
            Start = start;
            Length = length;
        }

        public int Start { get; }

        public int Length { get; }
    }

    /// <summary><c>network Name</c> (in .dph files).</summary>
    internal sealed class NetworkStatement(Name className, int start, int length) : Statement(start, length)
    {
        public Name ClassName { get; } = className;
    }

    /// <summary><c>namespace A.B</c> (in .dph files).</summary>
    internal sealed class NamespaceStatement(string ns, int start, int length) : Statement(start, length)
    {
        public string Namespace { get; } = ns;
    }

    /// <summary><c>precision double</c>.</summary>
    internal sealed class PrecisionStatement(Name precision, int start, int length) : Statement(start, length)
    {
        public Name Precision { get; } = precision;
    }

    /// <summary><c>input x[1, 28, 28]</c>.</summary>
    internal sealed class InputStatement(Name node, List<int> shape, Value shapeValue, int start, int length) : Statement(start, length)
    {
        public Name Node { get; } = node;

        public List<int> Shape { get; } = shape;

        public Value ShapeValue { get; } = shapeValue;
    }

    /// <summary><c>h = dense(x, 16) -> relu</c>.</summary>
    internal sealed class NodeStatement(Name node, Name layer, List<Argument> arguments, Name? activation, int start, int length) : Statement(start, length)
    {
        public Name Node { get; } = node;

        public Name Layer { get; } = layer;

        public List<Argument> Arguments { get; } = arguments;

        public Name? Activation { get; } = activation;
    }

    /// <summary><c>loss mse(energy, weight: 0.5)</c>.</summary>
    internal sealed class LossStatement(Name loss, List<Argument> arguments, int start, int length) : Statement(start, length)
    {
        public Name Loss { get; } = loss;

        public List<Argument> Arguments { get; } = arguments;
    }

    /// <summary><c>param width = 16</c>: a number the text uses by name, which a run-time compile may override.</summary>
    internal sealed class ParamStatement(Name name, double value, int start, int length) : Statement(start, length)
    {
        public Name Name { get; } = name;

        public double Value { get; } = value;
    }

    /// <summary><c>repeat depth: h = dense(x, 16) -&gt; relu</c>: the node statement <see cref="Count"/> times, each copy on the previous one.</summary>
    internal sealed class RepeatStatement(Value count, NodeStatement node, int start, int length) : Statement(start, length)
    {
        public Value Count { get; } = count;

        public NodeStatement Node { get; } = node;
    }
}
