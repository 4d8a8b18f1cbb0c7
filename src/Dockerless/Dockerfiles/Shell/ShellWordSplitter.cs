using System.Text;

namespace Dockerless.Dockerfiles;

/// <summary>
/// Collects the words of an expansion: unquoted white space (including white space that came out
/// of a variable) ends a word, while quoted text and escaped characters never do. A word that
/// is empty, such as <c>""</c>, is dropped, as BuildKit drops it.
/// </summary>
/// <remarks>
/// BuildKit's lexer keeps one word buffer for a whole text, and the words of a <c>${VAR:-x}</c>
/// operand are gathered in it too: the part of a word read before such an operand is lost from
/// the words (never from the single-word result), so <c>8${X:-0}</c> splits to <c>0</c>. EXPOSE
/// and heredoc detection read the words, so we share the buffer the same way to agree with it.
/// </remarks>
internal sealed class ShellWordSplitter
{
    private readonly StringBuilder _current;
    private readonly List<string> _words = [];
    private bool _inWord;

    /// <summary>Starts the words of one text (or operand), in the lexer's shared <paramref name="buffer"/>, which it empties.</summary>
    public ShellWordSplitter(StringBuilder buffer)
    {
        _current = buffer.Clear();
    }

    /// <summary>Adds an unquoted character: white space ends the current word.</summary>
    public void Add(int point)
    {
        if (!CodePoints.IsSpace(point))
        {
            AddLiteral(point);
        }
        else if (_inWord && _current.Length > 0)
        {
            _words.Add(_current.ToString());
            _current.Clear();
            _inWord = false;
        }
    }

    /// <summary>Adds unquoted text (a variable's value) character by character.</summary>
    public void Add(string text)
    {
        foreach (var rune in text.EnumerateRunes()) Add(rune.Value);
    }

    /// <summary>Adds a character that belongs to the word whatever it is (escaped or quoted).</summary>
    public void AddLiteral(int point)
    {
        _current.AppendCodePoint(point);
        _inWord = true;
    }

    /// <summary>Adds text that belongs to the word whatever it holds (a quoted string).</summary>
    public void AddLiteral(string text)
    {
        _current.Append(text);
        _inWord = true;
    }

    /// <summary>The words, the last one included.</summary>
    public List<string> Finish()
    {
        if (_current.Length > 0)
        {
            _words.Add(_current.ToString());
            _current.Clear();
            _inWord = false;
        }
        return _words;
    }
}
