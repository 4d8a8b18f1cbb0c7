namespace Dockerless.Unpacking;

/// <summary>
/// The directory being unpacked into and what every layer shares while it is: the root's
/// descriptor, the resolver that keeps lookups inside it, the directories whose mode and times
/// come last, the metadata writer and the tally. It holds the parent directory of the last entry
/// open, since a layer lists a directory's entries together.
/// </summary>
internal sealed class UnpackTarget(int root, string display, bool rootless, UnpackOptions options, UnpackTally tally) : IDisposable
{
    private string? _cachedParentPath;
    private ResolvedDirectory? _cachedParent;

    public int Root => root;
    public bool Rootless => rootless;
    public UnpackOptions Options => options;
    public UnpackTally Tally => tally;
    public PathResolver Resolver { get; } = new(root, display, options.UseOpenat2);
    public DeferredDirectories Directories { get; } = new();
    public MetadataWriter Metadata { get; } = new(rootless, options.PreserveOwners, tally);

    /// <summary>Directories an overlay-format layer marks opaque, by real path (see <see cref="WhiteoutFormat.Overlay"/>).</summary>
    public HashSet<string> OpaqueDirectories { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The directory an entry at <paramref name="path"/> goes in, made (with any missing parents)
    /// if absent. It belongs to this target: callers do not dispose it.
    /// </summary>
    public ResolvedDirectory OpenParent(string path)
    {
        if (_cachedParent is not null && _cachedParentPath == path) return _cachedParent;
        ForgetCachedParent();
        _cachedParent = Resolver.Open(path, create: true, Directories.SetDefault)!;
        _cachedParentPath = path;
        return _cachedParent;
    }

    /// <summary>Called before anything that may remove a directory: the cached one could be it, or below it.</summary>
    public void ForgetCachedParent()
    {
        _cachedParent?.Dispose();
        _cachedParent = null;
        _cachedParentPath = null;
    }

    /// <summary>Marks the opaque directories, then gives every directory its mode and times, once all layers are applied.</summary>
    public void Finish()
    {
        ForgetCachedParent();
        foreach (var path in OpaqueDirectories)
        {
            using var directory = Resolver.Open(path, create: false);
            if (directory is null) continue;
            using var opened = FileDescriptor.Open(directory.Fd, ".", Syscalls.ReadOnly | Syscalls.Directory, Resolver.Display(path));
            MetadataWriter.MarkOpaque(opened.Value, Resolver.Display(path));
        }
        Directories.Apply(Resolver, root);
    }

    public void Dispose() => ForgetCachedParent();
}
