using System.Text;

namespace Dockerless.Dockerfiles;

/// <summary>
/// Reads the blank-separated words of an instruction's arguments, where quotes and the escape
/// character keep blanks inside a word. Two modes, as BuildKit has two readers: keeping the
/// quoting (ENV, LABEL and ARG words, whose quotes are removed later by expansion; nothing is
/// escaped inside single quotes), or removing it (flags, which are never expanded).
/// </summary>
internal sealed class QuotedWordScanner(string text, char escape, bool keepQuoting)
{
    /// <summary>Where the next word, or the blanks before it, starts.</summary>
    public int Position { get; private set; }

    /// <summary>Moves past blanks; false at the end of the text.</summary>
    public bool SkipBlanks()
    {
        while (Position < text.Length && char.IsWhiteSpace(text[Position])) Position++;
        return Position < text.Length;
    }

    /// <summary>
    /// The word at <see cref="Position"/>; <paramref name="quoted"/> tells whether it had quotes,
    /// which makes even an empty word count. An escape character at the very end is dropped.
    /// </summary>
    public string ReadWord(out bool quoted)
    {
        var word = new StringBuilder();
        var quote = '\0';
        quoted = false;
        while (Position < text.Length)
        {
            var c = text[Position];
            if (quote == '\0' && char.IsWhiteSpace(c)) break;
            if ((quote == '\0' && c is '\'' or '"') || (quote != '\0' && c == quote))
            {
                quote = quote == '\0' ? c : '\0';
                quoted = true;
                if (keepQuoting) word.Append(c);
                Position++;
                continue;
            }
            if (c == escape && !(keepQuoting && quote == '\''))
            {
                if (++Position == text.Length) break;
                if (keepQuoting) word.Append(c);
                c = text[Position];
            }
            word.Append(c);
            Position++;
        }
        return word.ToString();
    }
}
