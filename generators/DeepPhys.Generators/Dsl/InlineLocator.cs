using System;
using System.Collections.Generic;
using System.Globalization;
using DeepPhys.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace DeepPhys.Generators.Dsl
{
    /// <summary>
    /// Maps positions in the value of an inline DSL string to positions in the C# file: raw string
    /// literals (their stripped indentation), verbatim strings (<c>""</c>) and regular strings with
    /// escapes. The map is checked by rebuilding the value from it; any other expression (a constant,
    /// a concatenation) or a mismatch puts every diagnostic on the whole argument.
    /// </summary>
    internal static class InlineLocator
    {
        public static Func<int, int, LocationInfo?> Create(ExpressionSyntax expression, string value)
        {
            var tree = expression.SyntaxTree;
            var map = expression is LiteralExpressionSyntax literal ? Map(literal.Token, value) : null;
            if (map is null)
            {
                var whole = LocationInfo.From(expression);
                return (_, _) => whole;
            }

            return (start, length) =>
            {
                int from = map[Math.Max(0, Math.Min(start, value.Length))];
                int to = Math.Max(from, map[Math.Max(0, Math.Min(start + length, value.Length))]);
                var span = TextSpan.FromBounds(from, to);
                return new LocationInfo(tree.FilePath, span, tree.GetLineSpan(span).Span);
            };
        }

        /// <summary>For each index of the value (and its end), the absolute position in the file; null when the token's text does not rebuild the value.</summary>
        private static int[]? Map(SyntaxToken token, string value)
        {
            string text = token.Text;
            int origin = token.SpanStart;
            var positions = new List<int>();
            var rebuilt = new System.Text.StringBuilder();
            void Add(char c, int at)
            {
                rebuilt.Append(c);
                positions.Add(origin + at);
            }

            switch (token.Kind())
            {
                case SyntaxKind.SingleLineRawStringLiteralToken:
                {
                    int quotes = CountQuotes(text);
                    for (int i = quotes; i < text.Length - quotes; i++) Add(text[i], i);
                    break;
                }

                case SyntaxKind.MultiLineRawStringLiteralToken:
                {
                    // Content lines lie between the opening line and the closing one; each loses the closing line's indentation.
                    int firstBreak = text.IndexOf('\n'), lastBreak = text.LastIndexOf('\n');
                    int indentationLength = text.Length - CountQuotes(text) - lastBreak - 1;
                    if (firstBreak < 0 || indentationLength < 0) return null; // unterminated: the compiler reports it
                    string indentation = text.Substring(lastBreak + 1, indentationLength);
                    for (int line = firstBreak + 1; line <= lastBreak;)
                    {
                        int lineEnd = text.IndexOf('\n', line);
                        int contentEnd = lineEnd > line && text[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
                        string content = text.Substring(line, contentEnd - line);
                        if (content.StartsWith(indentation, StringComparison.Ordinal))
                        {
                            for (int i = line + indentation.Length; i < contentEnd; i++) Add(text[i], i);
                        }

                        if (lineEnd == lastBreak) break;
                        for (int i = contentEnd; i <= lineEnd; i++) Add(text[i], i);
                        line = lineEnd + 1;
                    }

                    break;
                }

                case SyntaxKind.StringLiteralToken when text.StartsWith("@", StringComparison.Ordinal):
                    for (int i = 2; i < text.Length - 1; i++)
                    {
                        Add(text[i], i);
                        if (text[i] == '"') i++;
                    }

                    break;
                case SyntaxKind.StringLiteralToken:
                    for (int i = 1; i < text.Length - 1; i++)
                    {
                        if (text[i] != '\\')
                        {
                            Add(text[i], i);
                            continue;
                        }

                        int start = i;
                        if (i + 1 >= text.Length) return null;
                        char escape = text[++i];
                        int digits = escape switch { 'u' => 4, 'U' => 8, 'x' => HexRun(text, i + 1), _ => 0 };
                        if (digits > 0)
                        {
                            // A malformed escape (too few digits, beyond U+10FFFF) is the compiler's error; the map gives up.
                            string? chars = i + digits < text.Length ? Code(text.Substring(i + 1, digits)) : null;
                            if (chars is null) return null;
                            i += digits;
                            foreach (char c in chars) Add(c, start);
                            continue;
                        }

                        Add(Unescape(escape), start);
                    }

                    break;
                default:
                    return null;
            }

            if (rebuilt.ToString() != value) return null;
            positions.Add(origin + text.Length - (token.IsKind(SyntaxKind.StringLiteralToken) ? 1 : CountQuotes(text)));
            return positions.ToArray();
        }

        /// <summary>The quotes that open a raw string literal's text.</summary>
        private static int CountQuotes(string text)
        {
            int count = 0;
            while (count < text.Length && text[count] == '"') count++;
            return count;
        }

        /// <summary>The characters of a <c>\u</c>, <c>\U</c> or <c>\x</c> escape's digits: a lone surrogate stays one char; null when not a code point.</summary>
        private static string? Code(string hex)
        {
            if (!uint.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint code)) return null;
            return code <= 0xFFFF ? ((char)code).ToString() : code <= 0x10FFFF ? char.ConvertFromUtf32((int)code) : null;
        }

        private static int HexRun(string text, int from)
        {
            int count = 0;
            while (count < 4 && from + count < text.Length && Uri.IsHexDigit(text[from + count])) count++;
            return count;
        }

        private static char Unescape(char escape) => escape switch
        {
            'n' => '\n', 't' => '\t', 'r' => '\r', '0' => '\0', 'a' => '\a', 'b' => '\b', 'f' => '\f', 'v' => '\v', 'e' => '\u001b',
            _ => escape,
        };
    }
}
