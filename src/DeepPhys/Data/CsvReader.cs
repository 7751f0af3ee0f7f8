using System.Text;

namespace DeepPhys.Data;

/// <summary>One field of a CSV record: its text (unquoted fields trimmed) and the line it starts on.</summary>
internal readonly record struct CsvField(string Text, int Line);

/// <summary>
/// A small RFC 4180 reader that tracks lines, so every error can name file, line and column:
/// quoted fields may hold commas, doubled quotes and line breaks; LF or CRLF ends a record;
/// blank lines are skipped.
/// </summary>
internal sealed class CsvReader(string path, string text)
{
    private int position;
    private int line = 1;

    /// <summary>The line the last record read starts on.</summary>
    public int RecordLine { get; private set; }

    /// <summary>The raw text of the last record read, without its line break.</summary>
    public string RecordText { get; private set; } = "";

    /// <summary>Reads the header record: the column names, each given once.</summary>
    /// <exception cref="DataFormatException">The file is empty, or a name is given twice (at its second place).</exception>
    public string[] ReadHeader(List<CsvField> fields)
    {
        if (!ReadRecord(fields)) throw new DataFormatException(path, 1, 0, "", "the file is empty; expected a header row naming the columns");
        string[] header = fields.Select(f => f.Text).ToArray();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int column = 0; column < header.Length; column++)
        {
            if (seen.TryAdd(header[column], column)) continue;
            throw new DataFormatException(
                path, RecordLine, column + 1, header[column],
                $"the column name '{header[column]}' is given twice (columns {seen[header[column]] + 1} and {column + 1}); every column needs a name of its own.");
        }

        return header;
    }

    /// <summary>Reads the next record into <paramref name="fields"/>; false when the text is exhausted.</summary>
    public bool ReadRecord(List<CsvField> fields)
    {
        fields.Clear();
        SkipBlankLines();
        if (position >= text.Length) return false;
        RecordLine = line;
        int start = position;
        while (true)
        {
            fields.Add(ReadField(fields.Count + 1));
            if (position >= text.Length || text[position] == '\n') break;
            position++; // the comma
        }

        RecordText = text[start..position].TrimEnd('\r');
        if (position < text.Length)
        {
            position++;
            line++;
        }

        return true;
    }

    private CsvField ReadField(int column)
    {
        int fieldLine = line;
        int start = position;
        while (position < text.Length && text[position] is ' ' or '\t') position++;
        if (position >= text.Length || text[position] != '"')
        {
            while (position < text.Length && text[position] is not (',' or '\n')) position++;
            return new CsvField(text[start..position].Trim(), fieldLine);
        }

        int quote = position++;
        var value = new StringBuilder();
        while (true)
        {
            if (position >= text.Length)
            {
                throw new DataFormatException(path, fieldLine, column, text[quote..].TrimEnd(),
                    "the quoted field has no closing '\"'");
            }

            char c = text[position++];
            if (c == '"')
            {
                if (position < text.Length && text[position] == '"') position++;
                else break;
            }
            else if (c == '\n')
            {
                line++;
            }

            value.Append(c);
        }

        while (position < text.Length && text[position] is ' ' or '\t' or '\r') position++;
        if (position < text.Length && text[position] is not (',' or '\n'))
        {
            int end = text.IndexOfAny([',', '\n'], position);
            throw new DataFormatException(path, line, column, text[quote..(end < 0 ? text.Length : end)].TrimEnd(),
                "expected ',' or the end of the line after the closing '\"'");
        }

        return new CsvField(value.ToString(), fieldLine);
    }

    /// <summary>Skips lines holding only whitespace (including the trailing empty line).</summary>
    private void SkipBlankLines()
    {
        while (true)
        {
            int p = position;
            while (p < text.Length && text[p] is ' ' or '\t' or '\r') p++;
            if (p < text.Length && text[p] != '\n') return;
            position = p;
            if (p == text.Length) return;
            position++;
            line++;
        }
    }
}
