namespace Dockerless.Building;

/// <summary>Go's <c>path.Clean</c> and <c>filepath.Match</c>, which BuildKit applies to context paths and wildcards.</summary>
internal static class GoPaths
{
    /// <summary>Go's <c>path.Clean</c>: <c>.</c> and empty parts dropped, <c>..</c> resolved where it can be, <c>.</c> for nothing.</summary>
    public static string Clean(string path)
    {
        var rooted = path.StartsWith('/');
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".") continue;
            if (part == ".." && parts.Count > 0 && parts[^1] != "..")
            {
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            if (part == ".." && rooted) continue;
            parts.Add(part);
        }
        var joined = string.Join('/', parts);
        return rooted ? "/" + joined : joined.Length == 0 ? "." : joined;
    }

    /// <summary>Whether <paramref name="pattern"/> holds a wildcard (<c>*</c>, <c>?</c>, <c>[</c>) that <see cref="Match"/> reads.</summary>
    public static bool HasWildcard(string pattern) => pattern.AsSpan().IndexOfAny("*?[") >= 0;

    /// <summary>
    /// Go's <c>filepath.Match</c> on one name: <c>*</c> any run of characters but <c>/</c>,
    /// <c>?</c> one, <c>[a-z]</c> and <c>[^a-z]</c> classes, <c>\</c> escapes. A malformed pattern
    /// matches nothing (Go reports ErrBadPattern).
    /// </summary>
    public static bool Match(string pattern, string name) => MatchAt(pattern, 0, name, 0);

    private static bool MatchAt(string pattern, int p, string name, int n)
    {
        while (p < pattern.Length)
        {
            var c = pattern[p];
            if (c == '*')
            {
                p++;
                for (var i = n; i <= name.Length; i++)
                {
                    if (MatchAt(pattern, p, name, i)) return true;
                    if (i < name.Length && name[i] == '/') return false;
                }
                return false;
            }
            if (n >= name.Length) return false;
            if (c == '?')
            {
                if (name[n] == '/') return false;
                p++;
                n++;
                continue;
            }
            if (c == '[')
            {
                var end = ClassEnd(pattern, p);
                if (end < 0 || name[n] == '/' || !InClass(pattern, p + 1, end, name[n])) return false;
                p = end + 1;
                n++;
                continue;
            }
            if (c == '\\')
            {
                p++;
                if (p >= pattern.Length) return false;
                c = pattern[p];
            }
            if (name[n] != c) return false;
            p++;
            n++;
        }
        return n == name.Length;
    }

    /// <summary>The index of the <c>]</c> closing the class opened at <paramref name="open"/>, or -1.</summary>
    private static int ClassEnd(string pattern, int open)
    {
        var i = open + 1;
        if (i < pattern.Length && pattern[i] == '^') i++;
        for (var first = true; i < pattern.Length; i++, first = false)
        {
            if (pattern[i] == '\\') i++;
            else if (pattern[i] == ']' && !first) return i;
        }
        return -1;
    }

    private static bool InClass(string pattern, int from, int end, char c)
    {
        var negated = from < end && pattern[from] == '^';
        if (negated) from++;
        var matched = false;
        for (var i = from; i < end; i++)
        {
            var low = pattern[i] == '\\' ? pattern[++i] : pattern[i];
            var high = low;
            if (i + 2 < end && pattern[i + 1] == '-')
            {
                i += 2;
                high = pattern[i] == '\\' ? pattern[++i] : pattern[i];
            }
            if (c >= low && c <= high) matched = true;
        }
        return matched != negated;
    }
}
