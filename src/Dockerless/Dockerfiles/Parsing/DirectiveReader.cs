using System.Text.RegularExpressions;

namespace Dockerless.Dockerfiles;

/// <summary>
/// Reads the parser directives (<c># syntax=</c>, <c># escape=</c>, <c># check=</c>) from the top of
/// a Dockerfile as BuildKit does: only on consecutive lines at the very start; the first line that
/// is not a known directive (an instruction, a blank line, any other comment) ends them for good.
/// </summary>
internal sealed partial class DirectiveReader
{
    private static readonly string[] Known = ["syntax", "escape", "check"];

    private readonly List<ParserDirective> _directives = [];
    private bool _done;

    /// <summary>The directives read so far.</summary>
    public IReadOnlyList<ParserDirective> Directives => _directives;

    /// <summary>The escape character the directives chose.</summary>
    public char EscapeToken { get; private set; } = '\\';

    /// <summary>
    /// Whether <paramref name="line"/> (without its line ending and leading blanks) is a directive,
    /// which it takes in. A repeated directive or a bad escape character is an unplaced
    /// <see cref="DockerfileSyntaxException"/>.
    /// </summary>
    public bool TryRead(string line, int lineNumber)
    {
        if (_done) return false;
        var match = line.StartsWith('#') ? Directive().Match(line[1..].TrimStart()) : Match.Empty;
        var name = match.Success ? match.Groups[1].Value.ToLowerInvariant() : "";
        if (!Known.Contains(name))
        {
            _done = true;
            return false;
        }
        if (_directives.Any(d => d.Name == name))
        {
            throw DockerfileSyntaxException.Unplaced($"only one {name} parser directive can be used");
        }
        var value = match.Groups[2].Value;
        if (name == "escape")
        {
            if (value is not ("`" or "\\"))
            {
                throw DockerfileSyntaxException.Unplaced($"invalid escape token '{value}' does not match ` or \\");
            }
            EscapeToken = value[0];
        }
        _directives.Add(new ParserDirective(name, value, lineNumber));
        return true;
    }

    // Go's \s is [\t\n\f\r ]; its $ (without (?m)) is the end of the text.
    [GeneratedRegex(@"^([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Directive();
}
