namespace Dockerless.Layers;

/// <summary>
/// The symlinks of a tree being built from layers, as a tree of path components that holds only
/// them and their ancestors: what an entry's parent directories resolve to inside the root, the
/// way umoci, containerd and docker's appliers follow a symlink a lower layer planted. A path that
/// meets no symlink costs a walk down to the first component the tree lacks, and no allocation.
/// </summary>
internal sealed class SymlinkTree
{
    /// <summary>Linux's limit on symlinks followed in one lookup; past it, a loop.</summary>
    private const int MaxHops = 40;

    private readonly Node _root = new();

    private sealed class Node : PathComponentNode<Node>
    {
        /// <summary>The symlink's target, when this path is a symlink.</summary>
        public string? Target { get; set; }
    }

    /// <summary>
    /// <paramref name="path"/> (normalised) with its parent directories resolved through the
    /// symlinks inside the root (absolute targets start at the root, <c>..</c> stops there); null
    /// when no parent is a symlink, or when they loop (the path then stays as written).
    /// </summary>
    public string? Resolve(string path)
    {
        var slash = path.LastIndexOf('/');
        if (slash < 0 || !MeetsSymlink(path.AsSpan(0, slash))) return null;
        var directory = ResolveDirectory(path[..slash]);
        return directory is null ? null : TarPath.Join(directory, path[(slash + 1)..]);
    }

    /// <summary>Makes <paramref name="path"/> (resolved) a symlink to <paramref name="target"/>, replacing what was there.</summary>
    public void SetSymlink(string path, string target)
    {
        var node = Node.Add(_root, path);
        node.ClearChildren();
        node.Target = target;
    }

    /// <summary>A directory now at <paramref name="path"/> (resolved): a symlink there is replaced, a directory keeps what it holds.</summary>
    public void SetDirectory(string path)
    {
        if (Node.Find(_root, path) is { Target: not null }) Remove(path);
    }

    /// <summary>Removes <paramref name="path"/> (resolved) and all below it: a whiteout, or a non-directory put there.</summary>
    public void Remove(string path)
    {
        var slash = path.LastIndexOf('/');
        var parent = slash < 0 ? _root : Node.Find(_root, path[..slash]);
        parent?.RemoveChild(path[(slash + 1)..]);
    }

    /// <summary>Removes all below <paramref name="directory"/> (resolved): an opaque marker.</summary>
    public void Clear(string directory)
    {
        Node.Find(_root, directory)?.ClearChildren();
    }

    private bool MeetsSymlink(ReadOnlySpan<char> directory)
    {
        Node? node = _root;
        foreach (var range in directory.Split('/'))
        {
            node = node.Child(directory[range]);
            if (node is null) return false;
            if (node.Target is not null) return true;
        }
        return false;
    }

    /// <summary>The real path of <paramref name="directory"/>, following every symlink in it; null when they loop.</summary>
    private string? ResolveDirectory(string directory)
    {
        var pending = new Stack<string>(directory.Split('/').Reverse());
        var resolved = new List<(string Name, Node? Node)>();
        var hops = 0;
        while (pending.TryPop(out var part))
        {
            if (part.Length == 0 || part == ".") continue;
            if (part == "..")
            {
                if (resolved.Count > 0) resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            var node = (resolved.Count == 0 ? _root : resolved[^1].Node)?.Child(part);
            if (node?.Target is { } target)
            {
                if (++hops > MaxHops) return null;
                if (target.StartsWith('/')) resolved.Clear();
                foreach (var step in target.Split('/').Reverse()) pending.Push(step);
                continue;
            }
            resolved.Add((part, node));
        }
        return string.Join('/', resolved.Select(r => r.Name));
    }
}
