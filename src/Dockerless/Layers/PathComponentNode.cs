namespace Dockerless.Layers;

/// <summary>
/// A node of a tree of path components (<see cref="PathTree"/>, <see cref="SymlinkTree"/>): its
/// children by name, looked up from a slice of a path without making a string of it.
/// </summary>
internal abstract class PathComponentNode<TNode> where TNode : PathComponentNode<TNode>, new()
{
    private Dictionary<string, TNode>? _children;

    /// <summary>The children by name, in no set order.</summary>
    public IEnumerable<KeyValuePair<string, TNode>> Children => _children ?? [];

    /// <summary>The child named <paramref name="name"/>, or null.</summary>
    public TNode? Child(ReadOnlySpan<char> name)
        => _children is not null && _children.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var child) ? child : null;

    /// <summary>The child named <paramref name="name"/>, made when missing.</summary>
    public TNode AddChild(ReadOnlySpan<char> name)
    {
        _children ??= new Dictionary<string, TNode>(StringComparer.Ordinal);
        var lookup = _children.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(name, out var child)) return child;
        child = new TNode();
        lookup[name] = child;
        return child;
    }

    /// <summary>Forgets the child named <paramref name="name"/> and all below it.</summary>
    public void RemoveChild(string name) => _children?.Remove(name);

    /// <summary>Forgets every child and all below them.</summary>
    public void ClearChildren() => _children = null;

    /// <summary>The node of <paramref name="path"/> (normalised) below <paramref name="root"/>, made with its ancestors when missing.</summary>
    public static TNode Add(TNode root, string path)
    {
        var node = root;
        if (path.Length == 0) return node;
        foreach (var range in path.AsSpan().Split('/')) node = node.AddChild(path.AsSpan()[range]);
        return node;
    }

    /// <summary>The node of <paramref name="path"/> (normalised) below <paramref name="root"/>, or null when the tree lacks it.</summary>
    public static TNode? Find(TNode root, string path)
    {
        var node = root;
        if (path.Length == 0) return node;
        foreach (var range in path.AsSpan().Split('/'))
        {
            node = node.Child(path.AsSpan()[range]);
            if (node is null) return null;
        }
        return node;
    }
}
