namespace Dockerless.Archives;

/// <summary>Checks and normalises the paths an archive uses for its own structure.</summary>
internal static class ArchivePaths
{
    /// <summary>
    /// <paramref name="path"/> without a leading <c>./</c> or trailing <c>/</c>; throws
    /// <see cref="UnsafeArchivePathException"/> for an absolute path or a <c>..</c> component.
    /// </summary>
    public static string Check(string archive, string path)
    {
        if (path.StartsWith('/') || path.Contains('\\', StringComparison.Ordinal) || (path.Length >= 2 && path[1] == ':'))
        {
            throw new UnsafeArchivePathException(archive, path, "is an absolute path");
        }
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();
        if (parts.Contains(".."))
        {
            throw new UnsafeArchivePathException(archive, path, "has a \"..\" component that leaves the archive");
        }
        return string.Join('/', parts);
    }

    /// <summary>
    /// Where a symbolic link at <paramref name="entry"/> pointing to <paramref name="target"/>
    /// leads, relative to the archive's root; throws when it leaves the root.
    /// </summary>
    public static string ResolveLink(string archive, string entry, string target)
    {
        if (target.StartsWith('/')) throw new UnsafeArchivePathException(archive, entry, $"is a link to the absolute path \"{target}\"");
        var parts = new List<string>(entry.Split('/')[..^1]);
        foreach (var part in target.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..")
            {
                if (parts.Count == 0) throw new UnsafeArchivePathException(archive, entry, $"is a link to \"{target}\", outside the archive");
                parts.RemoveAt(parts.Count - 1);
            }
            else
            {
                parts.Add(part);
            }
        }
        return string.Join('/', parts);
    }
}
