namespace Dockerless.Sbom;

/// <summary>The stanza formats of package databases: dpkg's control paragraphs, apk's <c>K:value</c> records, Python's METADATA headers.</summary>
internal static class PackageText
{
    public static IEnumerable<string> Lines(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');

    /// <summary>
    /// The paragraphs of <paramref name="text"/> (separated by blank lines), each its fields by
    /// name: <c>Name: value</c> with <paramref name="separator"/> ':' (continuation lines, which
    /// start with a space, are left out), the first value of a name kept.
    /// </summary>
    public static IEnumerable<Dictionary<string, string>> Paragraphs(string text, char separator = ':')
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in Lines(text))
        {
            if (line.Trim().Length == 0)
            {
                if (fields.Count > 0) yield return fields;
                fields = new Dictionary<string, string>(StringComparer.Ordinal);
                continue;
            }
            if (line[0] is ' ' or '\t') continue;
            var at = line.IndexOf(separator, StringComparison.Ordinal);
            if (at <= 0) continue;
            fields.TryAdd(line[..at], line[(at + 1)..].Trim());
        }
        if (fields.Count > 0) yield return fields;
    }
}
