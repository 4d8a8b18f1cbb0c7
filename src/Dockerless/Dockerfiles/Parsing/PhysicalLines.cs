namespace Dockerless.Dockerfiles;

/// <summary>The lines of a Dockerfile's text, each with its line ending, counted from 1 as they are read.</summary>
internal sealed class PhysicalLines(string text)
{
    private int _position;

    /// <summary>The number of the line read last (0 before the first).</summary>
    public int Number { get; private set; }

    /// <summary>Reads the next line, with its <c>\n</c> when it has one; false at the end of the text.</summary>
    public bool TryRead(out string line)
    {
        if (_position >= text.Length)
        {
            line = "";
            return false;
        }
        var newline = text.IndexOf('\n', _position);
        var end = newline < 0 ? text.Length : newline + 1;
        line = text[_position..end];
        _position = end;
        Number++;
        return true;
    }
}
