using System.Globalization;
using System.Text.RegularExpressions;

namespace Dockerless.Dockerfiles;

/// <summary>
/// Finds the heredocs an instruction line opens: the words of the line (read as a shell reads
/// them, quotes and escapes kept) that have the form <c>[n]&lt;&lt;[-]WORD</c>.
/// </summary>
internal static partial class HeredocDetector
{
    private static readonly Dictionary<string, string> NoVariables = [];

    // Heredoc detection always uses \ as its escape, whatever the escape directive says, as BuildKit does.
    private static readonly ShellLexer LineLexer = new('\\') { KeepQuotes = true, KeepEscapes = true, KeepUnsetVariables = true };
    private static readonly ShellLexer DelimiterLexer = new('\\') { KeepUnsetVariables = true };
    private static readonly ShellLexer QuotedDelimiterLexer = new('\\') { KeepUnsetVariables = true, KeepQuotes = true };

    /// <summary>The heredocs <paramref name="line"/> opens, in order, with empty content.</summary>
    public static List<Heredoc> FromLine(string line)
    {
        IReadOnlyList<string> words;
        try
        {
            words = LineLexer.ProcessWords(line, NoVariables);
        }
        catch (ShellExpansionException)
        {
            // A line the lexer cannot read opens no heredoc; its instruction is judged later.
            return [];
        }
        var heredocs = new List<Heredoc>();
        foreach (var word in words)
        {
            if (Parse(word) is { } heredoc) heredocs.Add(heredoc);
        }
        return heredocs;
    }

    /// <summary>
    /// The heredoc <paramref name="word"/> opens (<c>&lt;&lt;EOF</c>, <c>3&lt;&lt;-'EOF'</c>), or null
    /// when it opens none. A delimiter the lexer refuses is an unplaced <see cref="DockerfileSyntaxException"/>.
    /// </summary>
    public static Heredoc? Parse(string word)
    {
        var match = Opening().Match(word);
        if (!match.Success || match.Groups[3].Length == 0) return null;
        var delimiter = match.Groups[3].Value;
        IReadOnlyList<string> names, quotedNames;
        try
        {
            names = DelimiterLexer.ProcessWords(delimiter, NoVariables);
            if (names.Count != 1) return null;
            quotedNames = QuotedDelimiterLexer.ProcessWords(delimiter, NoVariables);
        }
        catch (ShellExpansionException e)
        {
            throw DockerfileSyntaxException.Unplaced(e.Message);
        }
        if (quotedNames.Count != names.Count)
        {
            throw DockerfileSyntaxException.Unplaced($"internal lexing of heredoc produced inconsistent results: {delimiter}");
        }
        // Any quoted part of the delimiter (<<'EOF', <<E"O"F) turns expansion of the body off.
        var expand = CountQuotes(names[0]) == CountQuotes(quotedNames[0]);
        return new Heredoc(names[0], FileDescriptor(match.Groups[1].Value), expand, match.Groups[2].Value == "-", "");
    }

    private static int CountQuotes(string text) => text.Count(c => c is '\'' or '"');

    private static int FileDescriptor(string digits) =>
        digits.Length == 0 ? 0
        : int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var descriptor) ? descriptor
        : int.MaxValue;

    // Go's \d is ASCII digits and its \s is [\t\n\f\r ].
    [GeneratedRegex(@"^([0-9]*)<<(-?)[\t\n\f\r ]*([^<]*)\z", RegexOptions.CultureInvariant)]
    private static partial Regex Opening();
}
