namespace Dockerless.Layers;

/// <summary>
/// Paths inside a layer: relative, '/'-separated, without <c>./</c> or a leading <c>/</c>, as
/// docker and containerd normalise them. The root is the empty string.
/// </summary>
internal static class TarPath
{
    /// <summary>
    /// Cleans <paramref name="path"/> lexically (drops <c>.</c>, empty parts and a leading <c>/</c>,
    /// resolves <c>..</c>); null when a <c>..</c> would climb above the root.
    /// </summary>
    public static string? Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".") continue;
            if (part == "..")
            {
                if (parts.Count == 0) return null;
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return string.Join('/', parts);
    }

    /// <summary>Normalises a container path given through the API; throws on a path that escapes the root.</summary>
    public static string NormalizeArgument(string path, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(path, parameterName);
        RequireNoNul(path, "container path", parameterName);
        return Normalize(path) ?? throw new ArgumentException($"the container path \"{path}\" climbs above the root", parameterName);
    }

    /// <summary>
    /// Refuses a NUL in a name or link target given through the API: a tar header ends a name at
    /// the first NUL, so <c>a\0b</c> would be written as <c>a</c> with no word.
    /// </summary>
    public static void RequireNoNul(string text, string what, string parameterName)
    {
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"the {what} \"{text.Replace("\0", "\\0", StringComparison.Ordinal)}\" contains a NUL character, which a tar entry cannot hold", parameterName);
        }
    }

    /// <summary>The parent of a normalised path ("" for a top-level entry).</summary>
    public static string Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? "" : path[..slash];
    }

    /// <summary>The last part of a normalised path.</summary>
    public static string Name(string path) => path[(path.LastIndexOf('/') + 1)..];

    /// <summary>Joins a normalised directory and a name.</summary>
    public static string Join(string directory, string name) => directory.Length == 0 ? name : $"{directory}/{name}";

    /// <summary>The strict ancestors of a normalised path, nearest last ("a", "a/b" for "a/b/c").</summary>
    public static IEnumerable<string> Ancestors(string path)
    {
        for (var slash = path.IndexOf('/'); slash >= 0; slash = path.IndexOf('/', slash + 1))
        {
            yield return path[..slash];
        }
    }
}
