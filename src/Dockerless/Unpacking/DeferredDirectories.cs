using Dockerless.Layers;

namespace Dockerless.Unpacking;

/// <summary>
/// The mode and times of every directory, set when the unpack ends rather than when its entry
/// comes: writing into a directory changes its mtime (umoci restores each parent after every
/// entry instead), and a rootless unpack could not write into a directory a layer makes 0555.
/// Keyed by real path (no symlinks in it); a removed directory is forgotten with all below it,
/// so a later directory at the same path never gets a stale mode. Kept as a tree of path
/// components, one small node per directory, so memory grows with the directories and not with
/// their depth (full path strings would cost the square of it for a deep chain).
/// </summary>
internal sealed class DeferredDirectories
{
    private const uint DefaultMode = 0x1ED;

    private readonly Node _root = new();

    private readonly record struct Record(uint Mode, Syscalls.Timespec Access, Syscalls.Timespec Modification);

    /// <summary>A path below a recorded directory; it has a record only once an entry (or a default) describes it.</summary>
    private sealed class Node : PathComponentNode<Node>
    {
        public Record? Record { get; set; }
    }

    /// <summary>A directory's entry: its mode and times win over any earlier ones.</summary>
    public void Set(string realPath, EntryMetadata metadata)
        => Node.Add(_root, realPath).Record = new Record(metadata.Mode, metadata.AccessTime, metadata.ModificationTime);

    /// <summary>A directory no entry describes (the root, a parent no layer lists): 0755 and the epoch, unless an entry already said otherwise.</summary>
    public void SetDefault(string realPath)
    {
        var node = Node.Add(_root, realPath);
        node.Record ??= new Record(DefaultMode, EntryMetadata.Epoch, EntryMetadata.Epoch);
    }

    /// <summary>Forgets <paramref name="realPath"/> and every directory below it (they were removed).</summary>
    public void Forget(string realPath)
    {
        if (realPath.Length == 0)
        {
            _root.Record = null;
            _root.ClearChildren();
            return;
        }
        Node.Find(_root, TarPath.Parent(realPath))?.RemoveChild(TarPath.Name(realPath));
    }

    /// <summary>
    /// Sets every recorded directory's mode and times, the deepest first so that a parent's mode
    /// (0000 even) never stops the walk to its children. A directory no longer where it was
    /// recorded (its path now leads through a symlink) is left alone. The walk keeps only the
    /// names down to the directory at hand, and spells its path out when it sets it.
    /// </summary>
    public void Apply(PathResolver resolver, int root)
    {
        var names = new List<string>();
        var stack = new Stack<(Node Node, IEnumerator<KeyValuePair<string, Node>> Children)>();
        stack.Push((_root, _root.Children.GetEnumerator()));
        while (stack.Count > 0)
        {
            var (node, children) = stack.Peek();
            if (children.MoveNext())
            {
                names.Add(children.Current.Key);
                stack.Push((children.Current.Value, children.Current.Value.Children.GetEnumerator()));
                continue;
            }
            // Every directory below this one is set: its turn, then back up to its parent.
            stack.Pop();
            children.Dispose();
            if (node.Record is { } record) Apply(resolver, root, string.Join('/', names), record);
            if (names.Count > 0) names.RemoveAt(names.Count - 1);
        }
    }

    private static void Apply(PathResolver resolver, int root, string path, Record record)
    {
        var display = resolver.Display(path);
        if (path.Length == 0)
        {
            MetadataWriter.SetModeAndTimes(root, record.Mode, record.Access, record.Modification, display);
            return;
        }
        using var parent = resolver.Open(TarPath.Parent(path), create: false);
        if (parent is null || parent.RealPath != TarPath.Parent(path)) return;
        using var directory = FileDescriptor.TryOpen(parent.Fd, TarPath.Name(path), Syscalls.ReadOnly | Syscalls.Directory | Syscalls.NoFollow, out var errno);
        if (directory is null)
        {
            if (errno is Syscalls.NoEntry or Syscalls.NotDirectory or Syscalls.Loop) return;
            throw Syscalls.Error(errno, "open", display);
        }
        MetadataWriter.SetModeAndTimes(directory.Value, record.Mode, record.Access, record.Modification, display);
    }
}
