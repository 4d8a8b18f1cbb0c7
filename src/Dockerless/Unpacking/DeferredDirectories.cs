using Dockerless.Layers;

namespace Dockerless.Unpacking;

/// <summary>
/// The mode and times of every directory, set when the unpack ends rather than when its entry
/// comes: writing into a directory changes its mtime (umoci restores each parent after every
/// entry instead), and a rootless unpack could not write into a directory a layer makes 0555.
/// Keyed by real path (no symlinks in it); a removed directory is forgotten with all below it,
/// so a later directory at the same path never gets a stale mode. One small record per
/// directory: what a flattener keeps for paths anyway.
/// </summary>
internal sealed class DeferredDirectories
{
    private const uint DefaultMode = 0x1ED;

    private readonly Dictionary<string, Record> _records = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _paths = new(StringComparer.Ordinal);

    private readonly record struct Record(uint Mode, Syscalls.Timespec Access, Syscalls.Timespec Modification);

    /// <summary>A directory's entry: its mode and times win over any earlier ones.</summary>
    public void Set(string realPath, EntryMetadata metadata)
    {
        _records[realPath] = new Record(metadata.Mode, metadata.AccessTime, metadata.ModificationTime);
        _paths.Add(realPath);
    }

    /// <summary>A directory no entry describes (the root, a parent no layer lists): 0755 and the epoch, unless an entry already said otherwise.</summary>
    public void SetDefault(string realPath)
    {
        if (_records.ContainsKey(realPath)) return;
        _records[realPath] = new Record(DefaultMode, EntryMetadata.Epoch, EntryMetadata.Epoch);
        _paths.Add(realPath);
    }

    /// <summary>Forgets <paramref name="realPath"/> and every directory below it (they were removed).</summary>
    public void Forget(string realPath)
    {
        var prefix = realPath + "/";
        // Ordinal order puts "a/..." between "a/" and "a0" ('/' + 1); "a0" itself is a sibling.
        foreach (var path in _paths.GetViewBetween(prefix, realPath + "0").Where(p => p.StartsWith(prefix, StringComparison.Ordinal)).ToList())
        {
            _paths.Remove(path);
            _records.Remove(path);
        }
        _paths.Remove(realPath);
        _records.Remove(realPath);
    }

    /// <summary>
    /// Sets every recorded directory's mode and times, the deepest first so that a parent's mode
    /// (0000 even) never stops the walk to its children. A directory no longer where it was
    /// recorded (its path now leads through a symlink) is left alone.
    /// </summary>
    public void Apply(PathResolver resolver, int root)
    {
        foreach (var path in _paths.Reverse())
        {
            var record = _records[path];
            var display = resolver.Display(path);
            if (path.Length == 0)
            {
                MetadataWriter.SetModeAndTimes(root, record.Mode, record.Access, record.Modification, display);
                continue;
            }
            using var parent = resolver.Open(TarPath.Parent(path), create: false);
            if (parent is null || parent.RealPath != TarPath.Parent(path)) continue;
            using var directory = FileDescriptor.TryOpen(parent.Fd, TarPath.Name(path), Syscalls.ReadOnly | Syscalls.Directory | Syscalls.NoFollow, out var errno);
            if (directory is null)
            {
                if (errno is Syscalls.NoEntry or Syscalls.NotDirectory or Syscalls.Loop) continue;
                throw Syscalls.Error(errno, "open", display);
            }
            MetadataWriter.SetModeAndTimes(directory.Value, record.Mode, record.Access, record.Modification, display);
        }
    }
}
