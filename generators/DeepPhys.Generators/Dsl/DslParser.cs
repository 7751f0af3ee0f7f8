using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DeepPhys.Generators.Dsl
{
    /// <summary>A syntax error: where, what was expected, what was found.</summary>
    internal sealed record SyntaxError(int Start, int Length, string Expected, string Found);

    /// <summary>
    /// Recursive descent over the tokens, one statement per line. An error records what was expected
    /// and skips to the end of the line, so one pass reports every broken line of a file.
    /// </summary>
    internal sealed class DslParser
    {
        private readonly List<Token> tokens;
        /// <summary>How deep layer calls may nest in arguments; deeper is a syntax error, not a stack overflow.</summary>
        private const int MaxNesting = 32;

        private readonly List<SyntaxError> errors = new();
        private int position;
        private int nesting;

        private DslParser(string text) => tokens = DslLexer.Tokenize(text);

        private Token Current => tokens[position];

        public static (List<Statement> Statements, List<SyntaxError> Errors) Parse(string text)
        {
            var parser = new DslParser(text);
            var statements = new List<Statement>();
            while (parser.Current.Kind != TokenKind.End)
            {
                if (parser.Current.Kind == TokenKind.NewLine)
                {
                    parser.position++;
                    continue;
                }

                var statement = parser.Statement();
                if (statement is not null && parser.Current.Kind is TokenKind.NewLine or TokenKind.End) statements.Add(statement);
                else if (statement is not null) parser.Fail("end of line");
                parser.SkipLine();
            }

            return (statements, parser.errors);
        }

        private void SkipLine()
        {
            while (Current.Kind is not TokenKind.NewLine and not TokenKind.End) position++;
        }

        private Token? Expect(TokenKind kind, string expected) => Current.Kind == kind ? tokens[position++] : Fail(expected);

        private Token? Fail(string expected)
        {
            errors.Add(new SyntaxError(Current.Start, System.Math.Max(Current.Length, 0), expected, Current.Describe()));
            return null;
        }

        private Name? Identifier(string expected) => Expect(TokenKind.Identifier, expected) is { } token ? new Name(token.Text, token.Start) : null;

        private Statement? Statement()
        {
            var first = Current;
            if (first.Kind != TokenKind.Identifier)
            {
                Fail("a statement (input, loss, param, repeat, precision, network, namespace or 'name = layer(...)')");
                return null;
            }

            bool keyword = tokens[position + 1].Kind != TokenKind.Equals;
            switch (keyword ? first.Text : string.Empty)
            {
                case "network":
                    position++;
                    return Identifier("the class name after 'network'") is { } className ? new NetworkStatement(className, first.Start, End(first)) : null;
                case "namespace":
                    position++;
                    return QualifiedName() is { } ns ? new NamespaceStatement(ns, first.Start, End(first)) : null;
                case "precision":
                    position++;
                    return Identifier("'single' or 'double' after 'precision'") is { } precision ? new PrecisionStatement(precision, first.Start, End(first)) : null;
                case "input":
                    position++;
                    return Input(first);
                case "loss":
                    position++;
                    return Loss(first);
                case "param":
                    position++;
                    return Param(first);
                case "repeat":
                    position++;
                    return Repeat(first);
                case "":
                    return Node(first);
                default:
                    position++;
                    Fail("'=' after the node name '" + first.Text + "'");
                    return null;
            }
        }

        private int End(Token first) => tokens[position - 1].Start + tokens[position - 1].Length - first.Start;

        private string? QualifiedName()
        {
            var parts = new List<string>();
            do
            {
                if (Identifier("a namespace name") is not { } part) return null;
                parts.Add(part.Text);
            }
            while (Current.Kind == TokenKind.Dot && position++ >= 0);
            return string.Join(".", parts);
        }

        private Statement? Input(Token first)
        {
            if (Identifier("the input's name after 'input'") is not { } node) return null;
            if (Current.Kind != TokenKind.OpenBracket)
            {
                Fail("'[' and the input's shape, e.g. x[4] or image[1, 28, 28]");
                return null;
            }

            return List() is { } shape ? new InputStatement(node, shape.List!, shape, first.Start, End(first)) : null;
        }

        /// <summary><c>param name = number</c>.</summary>
        private Statement? Param(Token first)
        {
            if (Identifier("the parameter's name after 'param'") is not { } name) return null;
            if (Expect(TokenKind.Equals, "'=' and the parameter's value, e.g. param width = 16") is null) return null;
            return Number() is double value ? new ParamStatement(name, value, first.Start, End(first)) : null;
        }

        /// <summary><c>repeat count: name = layer(...)</c>, the count a number or a parameter.</summary>
        private Statement? Repeat(Token first)
        {
            var countToken = Current;
            Value? count = countToken.Kind == TokenKind.Identifier
                ? new Value(countToken.Start, countToken.Length, new Name(countToken.Text, countToken.Start), null, null)
                : Number() is double number ? new Value(countToken.Start, End(countToken), null, number, null) : null;
            if (count is null) return null;
            if (countToken.Kind == TokenKind.Identifier) position++;
            if (Expect(TokenKind.Colon, "':' after the repeat count, e.g. repeat depth: h = dense(h, 16)") is null) return null;
            var node = Current;
            if (node.Kind != TokenKind.Identifier || tokens[position + 1].Kind != TokenKind.Equals)
            {
                Fail("a node statement 'name = layer(...)' after 'repeat N:'");
                return null;
            }

            return Node(node) is NodeStatement statement ? new RepeatStatement(count, statement, first.Start, End(first)) : null;
        }

        private Statement? Node(Token first)
        {
            var node = new Name(first.Text, first.Start);
            position += 2;
            if (Identifier("a layer after '='") is not { } layer) return null;
            if (Arguments() is not { } arguments) return null;
            Name? activation = null;
            if (Current.Kind == TokenKind.Arrow)
            {
                position++;
                activation = Identifier("an activation after '->'");
                if (activation is null) return null;
            }

            return new NodeStatement(node, layer, arguments, activation, first.Start, End(first));
        }

        private Statement? Loss(Token first)
        {
            if (Identifier("a loss after 'loss', e.g. mse(out)") is not { } loss) return null;
            return Arguments() is { } arguments ? new LossStatement(loss, arguments, first.Start, End(first)) : null;
        }

        /// <summary><c>( [arg {, arg}] )</c>.</summary>
        private List<Argument>? Arguments()
        {
            if (Expect(TokenKind.OpenParen, "'('") is null) return null;
            var arguments = new List<Argument>();
            if (Current.Kind == TokenKind.CloseParen)
            {
                position++;
                return arguments;
            }

            while (true)
            {
                Name? label = null;
                if (Current.Kind == TokenKind.Identifier && tokens[position + 1].Kind == TokenKind.Colon)
                {
                    label = new Name(Current.Text, Current.Start);
                    position += 2;
                }

                if (ArgumentValue() is not { } value) return null;
                arguments.Add(new Argument(label, value));
                if (Current.Kind == TokenKind.Comma)
                {
                    position++;
                    continue;
                }

                return Expect(TokenKind.CloseParen, "',' or ')'") is null ? null : arguments;
            }
        }

        private Value? ArgumentValue()
        {
            var first = Current;
            switch (first.Kind)
            {
                case TokenKind.Identifier when tokens[position + 1].Kind == TokenKind.OpenParen:
                    return NestedCall(first);
                case TokenKind.Identifier:
                    position++;
                    return new Value(first.Start, first.Length, new Name(first.Text, first.Start), null, null);
                case TokenKind.OpenBracket:
                    return List();
                case TokenKind.Minus:
                case TokenKind.Number:
                    return Number() is double number ? new Value(first.Start, End(first), null, number, null) : null;
                default:
                    Fail("an argument: a node name, a number or a list like [1, 28, 28]");
                    return null;
            }
        }

        /// <summary><c>layer( [args] )</c> as an argument.</summary>
        private Value? NestedCall(Token first)
        {
            if (nesting == MaxNesting)
            {
                Fail($"a node name (layer calls nest at most {MaxNesting} deep)");
                return null;
            }

            position++;
            nesting++;
            var arguments = Arguments();
            nesting--;
            return arguments is null ? null : new Value(first.Start, End(first), null, null, null, new NestedCall(new Name(first.Text, first.Start), arguments));
        }

        private double? Number()
        {
            bool negative = Current.Kind == TokenKind.Minus;
            if (negative) position++;
            var token = Current;
            if (token.Kind != TokenKind.Number || !double.TryParse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                Fail("a number");
                return null;
            }

            position++;
            return negative ? -value : value;
        }

        /// <summary><c>[item {, item}]</c>, each item an integer or a parameter's name.</summary>
        private Value? List()
        {
            var first = Current;
            position++;
            var items = new List<int>();
            var names = new List<Name?>();
            while (true)
            {
                var item = Current;
                if (item.Kind == TokenKind.Identifier)
                {
                    position++;
                    items.Add(0);
                    names.Add(new Name(item.Text, item.Start));
                }
                else if (Number() is not double number)
                {
                    return null;
                }
                else if (number != System.Math.Floor(number) || System.Math.Abs(number) > int.MaxValue)
                {
                    errors.Add(new SyntaxError(item.Start, End(item), "an integer or a parameter", "'" + number.ToString("R", CultureInfo.InvariantCulture) + "'"));
                    return null;
                }
                else
                {
                    items.Add((int)number);
                    names.Add(null);
                }
                if (Current.Kind == TokenKind.Comma)
                {
                    position++;
                    continue;
                }

                return Expect(TokenKind.CloseBracket, "',' or ']'") is null ? null : new Value(first.Start, End(first), null, null, items, listNames: names.Any(name => name is not null) ? names : null);
            }
        }
    }
}
