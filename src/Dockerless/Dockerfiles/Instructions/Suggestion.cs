namespace Dockerless.Dockerfiles;

/// <summary>
/// "Did you mean" for an unknown instruction or flag, as BuildKit suggests: the first option
/// fewer than three edits away, closest first.
/// </summary>
internal static class Suggestion
{
    /// <summary>The option closest to <paramref name="value"/>, cased like it when <paramref name="ignoreCase"/>; null when none is close or one matches exactly.</summary>
    public static string? Closest(string value, IReadOnlyList<string> options, bool ignoreCase)
    {
        var wanted = ignoreCase ? value.ToLowerInvariant() : value;
        string? best = null;
        var bestDistance = 3;
        foreach (var option in options)
        {
            var candidate = ignoreCase ? option.ToLowerInvariant() : option;
            // An exact match means the fault is elsewhere.
            if (candidate == wanted) return null;
            var distance = Distance(wanted, candidate);
            if (distance < bestDistance)
            {
                best = ignoreCase ? CasedLike(candidate, value) : candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /// <summary>The text to add to a message for <paramref name="suggestion"/>.</summary>
    public static string Suffix(string? suggestion) => suggestion is null ? "" : $" (did you mean {suggestion}?)";

    private static string CasedLike(string option, string written) =>
        !written.Any(char.IsUpper) ? option.ToLowerInvariant()
        : !written.Any(char.IsLower) ? option.ToUpperInvariant()
        : option;

    /// <summary>The Levenshtein distance between <paramref name="a"/> and <paramref name="b"/>, by code point.</summary>
    private static int Distance(string a, string b)
    {
        var from = CodePoints.Of(a);
        var to = CodePoints.Of(b);
        var previous = Enumerable.Range(0, to.Length + 1).ToArray();
        var current = new int[to.Length + 1];
        for (var i = 1; i <= from.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= to.Length; j++)
            {
                var substitution = previous[j - 1] + (from[i - 1] == to[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[to.Length];
    }
}
