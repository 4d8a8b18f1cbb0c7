using System.Text;
using System.Text.RegularExpressions;

namespace Dockerless.Dockerfiles;

/// <summary>
/// The shell wildcard patterns of <c>${VAR#pat}</c>, <c>${VAR%pat}</c> and <c>${VAR/pat/repl}</c>
/// as BuildKit reads them: <c>*</c> any text, <c>?</c> one character, <c>\</c> makes either (or
/// itself) literal; no bracket expressions.
/// </summary>
internal static class ShellPattern
{
    /// <summary>One character: a surrogate pair counts as one, as Go's regexp counts code points.</summary>
    private const string AnyCharacter = @"(?:[\uD800-\uDBFF][\uDC00-\uDFFF]|[^\n])";

    /// <summary>
    /// The regular expression for <paramref name="pattern"/>: <c>*</c> matches the longest text
    /// when <paramref name="longest"/> is set, else the shortest; <paramref name="anchored"/> ties
    /// it to the start. Null, with <paramref name="error"/> set, for a bad escape.
    /// </summary>
    public static Regex? ToRegex(string pattern, bool longest, bool anchored, out string? error)
    {
        var points = CodePoints.Of(pattern);
        var expression = new StringBuilder(anchored ? "^" : "");
        for (var i = 0; i < points.Length; i++)
        {
            var token = points[i];
            switch (token)
            {
                case '*':
                    expression.Append(AnyCharacter).Append(longest ? "*" : "*?");
                    continue;
                case '?':
                    expression.Append(AnyCharacter);
                    continue;
                case '\\':
                    var next = i + 1 < points.Length ? points[i + 1] : CodePoints.End;
                    // Inside ${...} a } or / must be escaped, but the escape is not part of the pattern.
                    if (next is '}' or '/') continue;
                    i++;
                    if (next is not ('*' or '?' or '\\'))
                    {
                        error = $"invalid escape '\\{CodePoints.Text(next)}'";
                        return null;
                    }
                    token = next;
                    break;
            }
            expression.Append(Regex.Escape(CodePoints.Text(token)));
        }
        error = null;
        // Go's regexp runs in linear time; the non-backtracking engine keeps a hostile pattern from taking longer.
        return new Regex(expression.ToString(), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
    }

    /// <summary><paramref name="value"/> without the shortest (or longest) start that matches <paramref name="pattern"/>; null on a bad pattern.</summary>
    public static string? TrimPrefix(string pattern, string value, bool longest, out string? error)
    {
        var regex = ToRegex(pattern, longest, anchored: true, out error);
        if (regex is null) return null;
        var match = regex.Match(value);
        return match.Success ? value[(match.Index + match.Length)..] : value;
    }

    /// <summary>
    /// <paramref name="value"/> without the shortest (or longest) end that matches <paramref name="pattern"/>;
    /// null on a bad pattern. A regular expression cannot find the shortest match that ends
    /// last, so both are reversed and the start is trimmed instead.
    /// </summary>
    public static string? TrimSuffix(string pattern, string value, bool longest, out string? error)
    {
        var trimmed = TrimPrefix(ReversePattern(pattern), Reverse(value), longest, out error);
        return trimmed is null ? null : Reverse(trimmed);
    }

    /// <summary><paramref name="pattern"/> backwards, each escape kept in front of the character it escapes.</summary>
    internal static string ReversePattern(string pattern)
    {
        var points = CodePoints.Of(pattern);
        var reversed = new int[points.Length];
        var last = points.Length - 1;
        for (var i = 0; i <= last;)
        {
            if (points[i] == '\\' && i != last)
            {
                reversed[last - i - 1] = '\\';
                reversed[last - i] = points[i + 1];
                i += 2;
            }
            else
            {
                reversed[last - i] = points[i];
                i++;
            }
        }
        return FromCodePoints(reversed);
    }

    /// <summary><paramref name="text"/> backwards by code point.</summary>
    internal static string Reverse(string text)
    {
        var points = CodePoints.Of(text);
        Array.Reverse(points);
        return FromCodePoints(points);
    }

    private static string FromCodePoints(int[] points)
    {
        var text = new StringBuilder(points.Length);
        foreach (var point in points) text.AppendCodePoint(point);
        return text.ToString();
    }
}
