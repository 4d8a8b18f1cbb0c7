namespace Dockerless.Layers;

/// <summary>
/// Paths met while merging layers newest first, as a tree of their components: a path at depth N
/// costs one small node (its name is its parent's key), not the N components spelled out again,
/// and a check walks the components without making a string for each ancestor. So memory grows
/// with the entries, and the time to check a path with its depth, however deep the tree.
/// </summary>
internal sealed class PathTree
{
    /// <summary>What is known of a path.</summary>
    [Flags]
    public enum Marks : byte
    {
        None = 0,
        /// <summary>A newer layer had an entry here.</summary>
        Seen = 1,
        /// <summary>A newer layer deleted it (a whiteout).</summary>
        Deleted = 2,
        /// <summary>A newer layer made it opaque.</summary>
        Opaque = 4,
        /// <summary>A newer layer put a non-directory here, which hides what is below.</summary>
        NonDirectory = 8,
    }

    /// <summary>
    /// One path. An entry met in the layer being read marks it only for the layers below: its
    /// marks wait in <see cref="_pending"/> until a layer with a lower index looks at it.
    /// </summary>
    public sealed class Node : PathComponentNode<Node>
    {
        private Marks _pending;
        private int _layer = -1;

        /// <summary>What the layers newer than the one being read left here (whiteouts add to it at the end of a layer).</summary>
        public Marks Marks { get; set; }

        /// <summary>True when an entry of layer <paramref name="layer"/> was met here.</summary>
        public bool MetIn(int layer) => _layer == layer;

        /// <summary>What layer <paramref name="layer"/> sees here: the marks of the newer layers only.</summary>
        public Marks SeenFrom(int layer) => _layer == layer ? Marks : Marks | _pending;

        /// <summary>An entry of layer <paramref name="layer"/> here; the last one of a layer decides whether it is a directory.</summary>
        public void Meet(int layer, bool isDirectory)
        {
            if (_layer != layer)
            {
                Marks |= _pending;
                _layer = layer;
            }
            _pending = isDirectory ? Marks.Seen : Marks.Seen | Marks.NonDirectory;
        }
    }

    private readonly Node _root = new();

    /// <summary>The node of <paramref name="path"/>, made with its ancestors when missing.</summary>
    public Node Add(string path) => Node.Add(_root, path);

    /// <summary>The node of <paramref name="path"/>, or null when no path through it was added.</summary>
    public Node? Find(string path) => Node.Find(_root, path);

    /// <summary>
    /// Meets an entry of layer <paramref name="layer"/> at <paramref name="path"/>; returns its node,
    /// and whether the newer layers left it visible: no entry or whiteout of it, and no ancestor
    /// deleted, opaque or replaced by a non-directory. A marker at the top of a layer makes the root
    /// opaque, hiding everything but the root itself.
    /// </summary>
    public Node Meet(string path, int layer, bool isDirectory, out bool visible)
    {
        var node = _root;
        var hidden = path.Length > 0 && (_root.SeenFrom(layer) & Marks.Opaque) != 0;
        var span = path.AsSpan();
        foreach (var range in span.Split('/'))
        {
            if (path.Length == 0) break;
            if ((node.SeenFrom(layer) & (Marks.Deleted | Marks.Opaque | Marks.NonDirectory)) != 0 && node != _root) hidden = true;
            node = node.AddChild(span[range]);
        }
        visible = !hidden && (node.SeenFrom(layer) & (Marks.Seen | Marks.Deleted)) == 0;
        node.Meet(layer, isDirectory);
        return node;
    }
}
