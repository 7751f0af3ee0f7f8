using System.Collections.Generic;
using System.Globalization;

namespace DeepPhys.Generators.Weights
{
    /// <summary>
    /// Reads the members of a <c>Checkpoint.Save</c> file that baking needs (Format, Version, Network,
    /// Parameters, State) with a small hand-written JSON scanner: netstandard2.0 has no System.Text.Json, and
    /// every other member (optimizer state, scaler) is only skipped. Never throws: the first problem
    /// ends the read with its offset and a message.
    /// </summary>
    internal sealed class CheckpointReader
    {
        /// <summary>Nesting deeper than this is refused, so a hostile file cannot overflow the stack.</summary>
        private const int MaxDepth = 64;

        private readonly string text;
        private int position;

        private CheckpointReader(string text) => this.text = text;

        /// <summary>A string or number member of the top-level object, with where its value starts and ends.</summary>
        internal sealed record Member(string Text, int Start, int Length, bool IsString);

        /// <summary>One element of Parameters or State: its value, or null when it is not a finite number.</summary>
        internal sealed record Element(double? Value, string Text, int Start, int Length);

        /// <summary>What was read: the members found, or the first syntax problem.</summary>
        internal sealed class Result
        {
            public Dictionary<string, Member> Members { get; } = new();

            public List<Element>? Parameters { get; set; }

            public int ParametersStart { get; set; }

            /// <summary>Batch norm's running statistics; null when the file has none (<c>"State": null</c> or no member).</summary>
            public List<Element>? State { get; set; }

            public int StateStart { get; set; }

            public string? Error { get; set; }

            public int ErrorPosition { get; set; }
        }

        public static Result Read(string text)
        {
            var reader = new CheckpointReader(text);
            var result = new Result();
            if (reader.ReadTopLevel(result))
            {
                reader.SkipWhitespace();
                if (reader.position < text.Length) reader.Fail(result, "the end of the file");
            }

            return result;
        }

        private bool ReadTopLevel(Result result)
        {
            SkipWhitespace();
            return Peek() == '{'
                ? ReadSequence(result, '}', () => ReadPair(result, name => ReadMember(name, result)))
                : Fail(result, "'{' (a checkpoint is a JSON object)");
        }

        private bool ReadMember(string name, Result result)
        {
            int start = position;
            if (name == "Parameters" && Peek() == '[')
            {
                result.ParametersStart = position;
                return ReadNumbers(result, result.Parameters = new List<Element>());
            }

            if (name == "State" && Peek() == '[')
            {
                result.StateStart = position;
                return ReadNumbers(result, result.State = new List<Element>());
            }

            if (Peek() == '"')
            {
                if (!ReadString(result, out string value)) return false;
                result.Members[name] = new Member(value, start, position - start, IsString: true);
                return true;
            }

            if (!SkipValue(result, depth: 1)) return false;
            result.Members[name] = new Member(text.Substring(start, position - start), start, position - start, IsString: false);
            return true;
        }

        private bool ReadNumbers(Result result, List<Element> numbers)
        {
            return ReadSequence(result, ']', () =>
            {
                int start = position;
                if (!SkipValue(result, depth: 2)) return false;
                string token = text.Substring(start, position - start);
                numbers.Add(new Element(Finite(token), token, start, position - start));
                return true;
            });
        }

        /// <summary>The items of an object or array up to <paramref name="close"/>, separated by commas; the reader is at the opening bracket.</summary>
        private bool ReadSequence(Result result, char close, System.Func<bool> readItem)
        {
            position++;
            SkipWhitespace();
            if (Peek() == close)
            {
                position++;
                return true;
            }

            while (true)
            {
                SkipWhitespace();
                if (!readItem()) return false;
                SkipWhitespace();
                if (Peek() != ',') return Expect(close, result, "',' or '" + close + "'");
                position++;
            }
        }

        /// <summary>An object member: its name, ':', then its value read by <paramref name="readValue"/>.</summary>
        private bool ReadPair(Result result, System.Func<string, bool> readValue)
        {
            if (!ReadString(result, out string name)) return false;
            SkipWhitespace();
            if (!Expect(':', result, "':'")) return false;
            SkipWhitespace();
            return readValue(name);
        }

        /// <summary>The value of a JSON number token when it is one and finite (1e999 is not).</summary>
        private static double? Finite(string token)
        {
            if (token.Length == 0 || !(token[0] == '-' || char.IsDigit(token[0]))) return null;
            return double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
                && !double.IsInfinity(value) && !double.IsNaN(value)
                ? value
                : null;
        }

        /// <summary>Skips any JSON value; numbers and literals are checked for their characters only, their meaning is the caller's.</summary>
        private bool SkipValue(Result result, int depth)
        {
            if (depth > MaxDepth) return Fail(result, "at most " + MaxDepth.ToString(CultureInfo.InvariantCulture) + " levels of nesting");
            char c = Peek();
            if (c == '"') return ReadString(result, out _);
            if (c == '{' || c == '[') return SkipContainer(result, depth, c == '{' ? '}' : ']');
            int start = position;
            while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] is '-' or '+' or '.')) position++;
            return position > start || Fail(result, "a value");
        }

        private bool SkipContainer(Result result, int depth, char close) =>
            ReadSequence(result, close, () => close == '}' ? ReadPair(result, _ => SkipValue(result, depth + 1)) : SkipValue(result, depth + 1));

        private bool ReadString(Result result, out string value)
        {
            value = "";
            if (!Expect('"', result, "a string")) return false;
            var builder = new System.Text.StringBuilder();
            while (position < text.Length)
            {
                char c = text[position++];
                if (c == '"')
                {
                    value = builder.ToString();
                    return true;
                }

                if (c != '\\')
                {
                    builder.Append(c);
                    continue;
                }

                if (position >= text.Length) break;
                char escape = text[position++];
                switch (escape)
                {
                    case 'u' when position + 4 <= text.Length
                        && int.TryParse(text.Substring(position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code):
                        builder.Append((char)code);
                        position += 4;
                        break;
                    case 'n': builder.Append('\n'); break;
                    case 't': builder.Append('\t'); break;
                    case 'r': builder.Append('\r'); break;
                    case 'b': builder.Append('\b'); break;
                    case 'f': builder.Append('\f'); break;
                    case '"' or '\\' or '/': builder.Append(escape); break;
                    default:
                        position--;
                        return Fail(result, "a valid escape after '\\'");
                }
            }

            return Fail(result, "the closing '\"' of a string");
        }

        private bool Expect(char c, Result result, string what)
        {
            if (Peek() != c) return Fail(result, what);
            position++;
            return true;
        }

        private bool Fail(Result result, string expected)
        {
            result.Error = "expected " + expected + " but found " + (position < text.Length ? "'" + text[position] + "'" : "the end of the file");
            result.ErrorPosition = position;
            return false;
        }

        private char Peek() => position < text.Length ? text[position] : '\0';

        private void SkipWhitespace()
        {
            while (position < text.Length && text[position] is ' ' or '\t' or '\n' or '\r') position++;
        }
    }
}
