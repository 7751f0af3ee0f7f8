namespace DeepPhys.Data;

/// <summary>
/// A data file does not have the expected form. The message starts with
/// <c>file(line,column):</c> as compilers write it, so editors can jump to the place.
/// </summary>
public sealed class DataFormatException : FormatException
{
    /// <summary>Creates the exception; the message becomes <c>path(line,column): message</c>.</summary>
    /// <param name="path">The file, as it was given.</param>
    /// <param name="line">1-based line.</param>
    /// <param name="column">1-based column (field number), or 0 when the error concerns the whole line.</param>
    /// <param name="text">The offending text.</param>
    /// <param name="message">What is wrong and what was expected.</param>
    public DataFormatException(string path, int line, int column, string text, string message)
        : base(column > 0 ? $"{path}({line},{column}): {message}" : $"{path}({line}): {message}")
    {
        Path = path;
        Line = line;
        Column = column;
        Text = text;
    }

    /// <summary>The file, as it was given.</summary>
    public string Path { get; }

    /// <summary>1-based line of the error.</summary>
    public int Line { get; }

    /// <summary>1-based column (field number), or 0 when the error concerns the whole line.</summary>
    public int Column { get; }

    /// <summary>The offending text: a field, a whole row or a column name.</summary>
    public string Text { get; }
}
