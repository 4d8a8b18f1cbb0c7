using System.Text;

namespace Dockerless.Dockerfiles;

/// <summary>
/// One expansion of one text by a <see cref="ShellLexer"/>: reads the text a code point at a time
/// and keeps the state of that reading (position, escape mode, the variables it met).
/// </summary>
internal sealed partial class ShellWordProcessor
{
    private const int End = CodePoints.End;

    private readonly ShellLexer _lexer;
    private readonly string _source;
    private readonly int[] _points;
    private readonly IReadOnlyDictionary<string, string> _variables;
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unset = new(StringComparer.Ordinal);
    private readonly StringBuilder _wordBuffer = new();
    private int _position;
    private bool _keepEscapes;

    public ShellWordProcessor(ShellLexer lexer, string source, IReadOnlyDictionary<string, string> variables)
    {
        _lexer = lexer;
        _source = source;
        _variables = variables;
        _points = CodePoints.Of(_source);
    }

    public ShellExpansion Process()
    {
        var (text, words) = ProcessUntil(End, _lexer.KeepEscapes);
        return new ShellExpansion(text, words, _used, _unset);
    }

    private int Peek() => _position < _points.Length ? _points[_position] : End;

    private int Next() => _position < _points.Length ? _points[_position++] : End;

    private ShellExpansionException Refuse(string reason) => new(_source, reason);

    /// <summary>
    /// Reads up to <paramref name="stop"/> (consumed) or, when it is <see cref="End"/>, to the end of
    /// the text; escapes are kept in the result while reading when <paramref name="rawEscapes"/> is set.
    /// </summary>
    private (string Text, List<string> Words) ProcessUntil(int stop, bool rawEscapes)
    {
        var saved = _keepEscapes;
        _keepEscapes = rawEscapes;
        try
        {
            return Read(stop);
        }
        finally
        {
            _keepEscapes = saved;
        }
    }

    private (string Text, List<string> Words) Read(int stop)
    {
        var result = new StringBuilder();
        var words = new ShellWordSplitter(_wordBuffer);
        while (Peek() != End)
        {
            var c = Peek();
            if (stop != End && c == stop)
            {
                Next();
                return (result.ToString(), words.Finish());
            }
            var special = c switch
            {
                '$' => ExpandDollar(),
                '<' => ReadPossibleHeredoc(),
                '\'' when !_lexer.IgnoreQuotes => ReadSingleQuoted(),
                '"' when !_lexer.IgnoreQuotes => ReadDoubleQuoted(),
                _ => null,
            };
            if (special is not null)
            {
                result.Append(special);
                // A variable's value splits into words; quoted text never does.
                if (c == '$') words.Add(special);
                else words.AddLiteral(special);
                continue;
            }
            c = Next();
            if (c == _lexer.EscapeToken)
            {
                if (_keepEscapes)
                {
                    words.AddLiteral(c);
                    result.AppendCodePoint(c);
                }
                c = Next();
                // An escape at the very end escapes nothing and is dropped.
                if (c == End) break;
                words.AddLiteral(c);
            }
            else
            {
                words.Add(c);
            }
            result.AppendCodePoint(c);
        }
        if (stop != End) throw Refuse($"unexpected end of statement while looking for matching {CodePoints.Text(stop)}");
        return (result.ToString(), words.Finish());
    }

    /// <summary>Everything up to the closing single quote, as written: nothing can be escaped inside.</summary>
    private string ReadSingleQuoted()
    {
        var result = new StringBuilder();
        var quote = Next();
        if (_lexer.KeepQuotes) result.AppendCodePoint(quote);
        while (true)
        {
            var c = Next();
            if (c == End) throw Refuse("unexpected end of statement while looking for matching single-quote");
            if (c == '\'')
            {
                if (_lexer.KeepQuotes) result.AppendCodePoint(c);
                return result.ToString();
            }
            result.AppendCodePoint(c);
        }
    }

    /// <summary>
    /// Everything up to the closing double quote, with variables expanded; the escape character
    /// escapes only <c>"</c>, <c>$</c> and itself, and stays before any other character.
    /// </summary>
    private string ReadDoubleQuoted()
    {
        var result = new StringBuilder();
        var quote = Next();
        if (_lexer.KeepQuotes) result.AppendCodePoint(quote);
        while (true)
        {
            switch (Peek())
            {
                case End:
                    throw Refuse("unexpected end of statement while looking for matching double-quote");
                case '"':
                    var closing = Next();
                    if (_lexer.KeepQuotes) result.AppendCodePoint(closing);
                    return result.ToString();
                case '$':
                    result.Append(ExpandDollar());
                    break;
                default:
                    var c = Next();
                    if (c == _lexer.EscapeToken)
                    {
                        if (_keepEscapes) result.AppendCodePoint(c);
                        var next = Peek();
                        if (next == End) continue;
                        if (next == '"' || next == '$' || next == _lexer.EscapeToken) c = Next();
                    }
                    result.AppendCodePoint(c);
                    break;
            }
        }
    }

    /// <summary>
    /// A <c>&lt;</c>, or a <c>&lt;&lt;</c> with the blanks after it kept in the same word, so that
    /// <c>&lt;&lt; EOF</c> stays one word for heredoc detection.
    /// </summary>
    private string ReadPossibleHeredoc()
    {
        Next();
        if (Peek() != '<') return "<";
        Next();
        var result = new StringBuilder("<<");
        while (Peek() is '\t' or '\r' or ' ') result.AppendCodePoint(Next());
        return result.ToString();
    }
}
