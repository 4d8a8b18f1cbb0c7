using System.Text;
using System.Text.RegularExpressions;

namespace Dockerless.Dockerfiles;

/// <summary>
/// Replaces every match as Go's <c>Regexp.ReplaceAllString</c> does, which BuildKit uses for
/// <c>${VAR//pat/repl}</c>: an empty match right after another match is skipped, and the
/// replacement is a Go template (<c>$0</c> or <c>${0}</c> is the match, <c>$$</c> a dollar,
/// any other name nothing, since the patterns have no groups).
/// </summary>
internal static class GoRegexReplacement
{
    /// <summary><paramref name="input"/> with every match of <paramref name="regex"/> replaced by <paramref name="template"/>.</summary>
    public static string ReplaceAll(Regex regex, string input, string template)
    {
        var output = new StringBuilder();
        var lastMatchEnd = 0;
        var searchFrom = 0;
        while (searchFrom <= input.Length)
        {
            var match = regex.Match(input, searchFrom);
            if (!match.Success) break;
            var matchEnd = match.Index + match.Length;
            output.Append(input, lastMatchEnd, match.Index - lastMatchEnd);
            if (matchEnd > lastMatchEnd || match.Index == 0) AppendExpanded(output, template, match.Value);
            lastMatchEnd = matchEnd;
            // Move on by at least one character (a whole surrogate pair) so an empty match cannot repeat.
            var width = searchFrom < input.Length && char.IsSurrogatePair(input, searchFrom) ? 2 : 1;
            searchFrom = searchFrom + width > matchEnd ? searchFrom + width : matchEnd;
        }
        if (lastMatchEnd < input.Length) output.Append(input, lastMatchEnd, input.Length - lastMatchEnd);
        return output.ToString();
    }

    private static void AppendExpanded(StringBuilder output, string template, string matched)
    {
        var i = 0;
        while (i < template.Length)
        {
            var dollar = template.IndexOf('$', i);
            if (dollar < 0) break;
            output.Append(template, i, dollar - i);
            i = dollar + 1;
            if (i < template.Length && template[i] == '$')
            {
                output.Append('$');
                i++;
                continue;
            }
            if (!TryReadReference(template, i, out var name, out var next))
            {
                // A malformed reference is plain text.
                output.Append('$');
                continue;
            }
            i = next;
            if (name == "0") output.Append(matched);
        }
        output.Append(template, i, template.Length - i);
    }

    /// <summary>A <c>name</c> or <c>{name}</c> reference starting at <paramref name="start"/>.</summary>
    private static bool TryReadReference(string template, int start, out string name, out int next)
    {
        name = "";
        next = start;
        var braced = start < template.Length && template[start] == '{';
        var i = braced ? start + 1 : start;
        var nameStart = i;
        while (i < template.Length && Rune.TryGetRuneAt(template, i, out var rune) && (Rune.IsLetterOrDigit(rune) || rune.Value == '_'))
        {
            i += rune.Utf16SequenceLength;
        }
        if (i == nameStart) return false;
        name = template[nameStart..i];
        if (braced)
        {
            if (i >= template.Length || template[i] != '}') return false;
            i++;
        }
        next = i;
        return true;
    }
}
