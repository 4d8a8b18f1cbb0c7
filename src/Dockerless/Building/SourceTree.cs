namespace Dockerless.Building;

/// <summary>
/// Where COPY and ADD read files from: the build context (its <c>.dockerignore</c> applied, every
/// file owned by root in the image) or a stage's or image's root filesystem unpacked into a
/// directory (owners kept).
/// </summary>
/// <param name="Root">The directory.</param>
/// <param name="Ignore">What is left out (the context's <c>.dockerignore</c>).</param>
/// <param name="KeepOwners">Whether files keep their owners (a stage's files) or become root's (the context's).</param>
/// <param name="Description">What it is, for errors: <c>the build context</c>, <c>stage build</c>.</param>
internal sealed record SourceTree(string Root, DockerIgnore Ignore, bool KeepOwners, string Description)
{
    /// <summary>
    /// The paths (relative, <c>/</c>-separated; empty for the root) that <paramref name="source"/>
    /// names: itself, or what its wildcards match, in Go's sorted order. A source cannot climb
    /// out of the tree: <c>../x</c> is <c>x</c>, as BuildKit reads it.
    /// </summary>
    public List<string> Resolve(string source)
    {
        var clean = GoPaths.Clean("/" + source).TrimStart('/');
        if (!GoPaths.HasWildcard(clean)) return Exists(clean) ? [Scoped(clean)] : [];
        var matches = new List<string> { "" };
        foreach (var part in clean.Split('/'))
        {
            var next = new List<string>();
            foreach (var directory in matches)
            {
                var full = FullPath(Scoped(directory));
                if (!Directory.Exists(full)) continue;
                if (!GoPaths.HasWildcard(part))
                {
                    var child = Join(directory, part);
                    if (Lexists(FullPath(Scoped(child)))) next.Add(child);
                    continue;
                }
                var names = Directory.EnumerateFileSystemEntries(full).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);
                next.AddRange(names.Where(n => GoPaths.Match(part, n)).Select(n => Join(directory, n)));
            }
            matches = next;
        }
        return [.. matches.Where(m => !Ignore.IsExcluded(m)).Select(Scoped)];
    }

    /// <summary>
    /// <paramref name="path"/> with every symbolic link on the way (itself included) followed
    /// inside the tree, as BuildKit follows them: an absolute target starts from the tree's root,
    /// and no <c>..</c> climbs above it, so a link never reads a host file outside the tree.
    /// </summary>
    public string Scoped(string path)
    {
        var resolved = new List<string>();
        var pending = new Stack<string>(path.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        for (var hops = 0; pending.Count > 0;)
        {
            var part = pending.Pop();
            if (part == ".") continue;
            if (part == "..")
            {
                if (resolved.Count > 0) resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            var candidate = FullPath(string.Join('/', resolved.Append(part)));
            if (new FileInfo(candidate).LinkTarget is { } target)
            {
                if (++hops > 255) throw new IOException($"{Description}: /{path}: too many levels of symbolic links");
                if (target.StartsWith('/')) resolved.Clear();
                foreach (var next in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse()) pending.Push(next);
                continue;
            }
            resolved.Add(part);
        }
        return string.Join('/', resolved);
    }

    /// <summary>Whether <paramref name="fullPath"/> exists, a dangling link included.</summary>
    public static bool Lexists(string fullPath) => Path.Exists(fullPath) || new FileInfo(fullPath).LinkTarget is not null;

    /// <summary>The host path of the tree path <paramref name="path"/>.</summary>
    public string FullPath(string path) => path.Length == 0 ? Root : Path.Combine(Root, path);

    private bool Exists(string path)
    {
        if (path.Length > 0 && Ignore.IsExcluded(path)) return false;
        return Lexists(FullPath(Scoped(path)));
    }

    private static string Join(string directory, string name) => directory.Length == 0 ? name : directory + "/" + name;
}
