using System.Collections.Generic;

namespace DeepPhys.Generators.Dsl
{
    /// <summary>Splits DSL text into tokens. Comments (<c>#</c> to the end of the line) and spaces vanish; line ends are tokens, since a statement is one line.</summary>
    internal static class DslLexer
    {
        public static List<Token> Tokenize(string text)
        {
            var tokens = new List<Token>();
            int i = 0;
            while (i < text.Length)
            {
                char c = text[i];
                if (c == '#')
                {
                    while (i < text.Length && text[i] != '\n') i++;
                }
                else if (c == '\n')
                {
                    tokens.Add(new Token(TokenKind.NewLine, "\n", i++));
                }
                else if (char.IsWhiteSpace(c))
                {
                    i++;
                }
                else if (char.IsLetter(c) || c == '_')
                {
                    int start = i;
                    while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_')) i++;
                    tokens.Add(new Token(TokenKind.Identifier, text.Substring(start, i - start), start));
                }
                else if (char.IsDigit(c) || (c == '.' && i + 1 < text.Length && char.IsDigit(text[i + 1])))
                {
                    int start = i;
                    while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '.')) i++;
                    if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
                    {
                        int mark = i++;
                        if (i < text.Length && (text[i] == '+' || text[i] == '-')) i++;
                        if (i < text.Length && char.IsDigit(text[i])) while (i < text.Length && char.IsDigit(text[i])) i++;
                        else i = mark;
                    }

                    tokens.Add(new Token(TokenKind.Number, text.Substring(start, i - start), start));
                }
                else if (c == '-' && i + 1 < text.Length && text[i + 1] == '>')
                {
                    tokens.Add(new Token(TokenKind.Arrow, "->", i));
                    i += 2;
                }
                else
                {
                    tokens.Add(new Token(Symbol(c), c.ToString(), i++));
                }
            }

            tokens.Add(new Token(TokenKind.End, string.Empty, text.Length));
            return tokens;
        }

        private static TokenKind Symbol(char c) => c switch
        {
            '=' => TokenKind.Equals,
            ',' => TokenKind.Comma,
            ':' => TokenKind.Colon,
            '-' => TokenKind.Minus,
            '(' => TokenKind.OpenParen,
            ')' => TokenKind.CloseParen,
            '[' => TokenKind.OpenBracket,
            ']' => TokenKind.CloseBracket,
            '.' => TokenKind.Dot,
            _ => TokenKind.Invalid,
        };
    }
}
