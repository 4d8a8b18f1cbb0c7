using System.Formats.Tar;

namespace Dockerless.Layers;

/// <summary>
/// Collects what a new layer holds (host files and directories, in-memory files, symlinks,
/// deletions) and builds it reproducibly: entries sorted by path, parent directories written,
/// owners and timestamps from <see cref="LayerOptions"/>, real file modes kept, symlinks kept as
/// links and hard links written once. A later addition at the same path replaces an earlier one;
/// a path under a file or link already added, or a file or link over paths already added under
/// it, is an <see cref="ArgumentException"/> (the tar would hold both).
/// Whiteouts (<see cref="DeletePath"/>, <see cref="ClearDirectory"/>) get no parent entries.
/// </summary>
/// <example>
/// <code>
/// await using var layer = await new LayerBuilder()
///     .AddPath("./app", "/app")
///     .AddFile("/etc/motd", "hello\n"u8.ToArray())
///     .DeletePath("/tmp/cache")
///     .BuildAsync();
/// </code>
/// </example>
public sealed class LayerBuilder
{
    private const UnixFileMode DirectoryMode = (UnixFileMode)0x1ED; // 0755
    private const UnixFileMode FileMode = (UnixFileMode)0x1A4;      // 0644

    private readonly SortedDictionary<string, LayerEntry> _entries = new(StringComparer.Ordinal);

    /// <summary>Every path that an added entry lies under: they must stay directories.</summary>
    private readonly HashSet<string> _parents = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether the layer goes on top of other layers, which may hold its parent directories: then
    /// no parent directory is made up. A made-up 0755 root-owned parent replaces the base's own
    /// directory's mode and owner wherever the layers are applied (adding /tmp/x turns /tmp from
    /// 1777 into 0755, adding /srv/app opens a 0700 /srv); without it, containerd and umoci keep
    /// the base's (umoci insert writes no parent either), while docker and podman make the
    /// missing parent 0755 in the new layer, as the made-up entry did (DockerCopyTests). A parent
    /// the base lacks is made 0755 and root-owned by every applier.
    /// </summary>
    public bool ParentsFromBelow { get; init; }

    /// <summary>The number of entries added so far (synthesized parent directories not counted).</summary>
    public int Count => _entries.Count;

    /// <summary>Whether an entry was added at the normalised <paramref name="containerPath"/>.</summary>
    internal bool Contains(string containerPath) => _entries.ContainsKey(containerPath);

    /// <summary>
    /// Adds a host directory (recursively, without following the symlinks inside it) or a single
    /// host file. <paramref name="hostPath"/> itself is followed when it is a symlink, as docker's
    /// COPY does (a <c>current -&gt; releases/v2</c> or a ConfigMap's linked file brings its
    /// target, under the link's name). A directory's contents go under <paramref name="containerPath"/>,
    /// which becomes a 0755 directory whatever the source directory's own mode, as docker's COPY
    /// makes it (a <c>mktemp -d</c> source is 0700); what is inside keeps its modes. A
    /// file is placed at <paramref name="containerPath"/>, or under it with its own name when that
    /// path is the root or ends with <c>/</c>. Sockets inside a directory are skipped, as docker and
    /// GNU tar skip them; a socket given as <paramref name="hostPath"/> is an error.
    /// </summary>
    /// <exception cref="IOException">
    /// <paramref name="hostPath"/> is a socket, which tar cannot hold; or a name in it or below it is
    /// not valid UTF-8 (Linux allows any bytes), which .NET shows as U+FFFD and cannot open.
    /// </exception>
    public LayerBuilder AddPath(string hostPath, string containerPath = "/")
    {
        ArgumentException.ThrowIfNullOrEmpty(hostPath);
        var target = TarPath.NormalizeArgument(containerPath, nameof(containerPath));
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(hostPath));
        var source = hostPath;
        var info = HostFileInfo.Read(source);
        if (info.Kind == HostFileKind.SymbolicLink && File.ResolveLinkTarget(source, returnFinalTarget: true)?.FullName is { } resolved && Path.Exists(resolved))
        {
            // A dangling link stays a link: there is nothing to follow.
            source = resolved;
            info = HostFileInfo.Read(source);
        }
        // Skipped silently, the one thing asked for would be missing from the layer with no word.
        if (info.Kind == HostFileKind.Socket) throw new IOException($"{hostPath}: cannot add a socket to a layer (tar has no entry type for one)");
        if (info.Kind == HostFileKind.Directory)
        {
            // Not the source's mode: a 0700 source would lock every user but root out of the container path.
            if (target.Length > 0) Add(target, new LayerEntry(TarEntryType.Directory, DirectoryMode));
            AddDirectoryContents(source, target);
            return this;
        }
        if (target.Length == 0 || containerPath.EndsWith('/')) target = TarPath.Join(target, name);
        return Add(target, LayerEntry.FromHost(source, info));
    }

    private void AddDirectoryContents(string hostDirectory, string containerDirectory)
    {
        foreach (var child in Directory.EnumerateFileSystemEntries(hostDirectory))
        {
            var info = HostFileInfo.Read(child);
            if (info.Kind == HostFileKind.Socket) continue;
            var path = TarPath.Join(containerDirectory, Path.GetFileName(child));
            Add(path, LayerEntry.FromHost(child, info));
            if (info.Kind == HostFileKind.Directory) AddDirectoryContents(child, path);
        }
    }

    /// <summary>Adds a file with the given contents (mode 0644 unless told otherwise).</summary>
    public LayerBuilder AddFile(string containerPath, byte[] contents, UnixFileMode mode = FileMode)
    {
        ArgumentNullException.ThrowIfNull(contents);
        return Add(RequireName(containerPath), new LayerEntry(TarEntryType.RegularFile, mode) { Contents = contents });
    }

    /// <summary>Adds files from a map of container path to contents, each with mode 0644.</summary>
    public LayerBuilder AddContents(IEnumerable<KeyValuePair<string, byte[]>> contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        foreach (var (path, bytes) in contents) AddFile(path, bytes);
        return this;
    }

    /// <summary>Adds a directory (mode 0755 unless told otherwise).</summary>
    public LayerBuilder AddDirectory(string containerPath, UnixFileMode mode = DirectoryMode)
        => Add(RequireName(containerPath), new LayerEntry(TarEntryType.Directory, mode));

    /// <summary>Adds a symbolic link to <paramref name="target"/>, kept as written (absolute or relative).</summary>
    public LayerBuilder AddSymbolicLink(string containerPath, string target)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        TarPath.RequireNoNul(target, "link target", nameof(target));
        return Add(RequireName(containerPath), new LayerEntry(TarEntryType.SymbolicLink, (UnixFileMode)0x1FF) { LinkTarget = target });
    }

    /// <summary>Deletes <paramref name="containerPath"/> (a file or a whole directory) from the layers below, with a <c>.wh.</c> whiteout.</summary>
    public LayerBuilder DeletePath(string containerPath)
    {
        var path = RequireName(containerPath);
        return Add(Whiteouts.For(path), LayerEntry.Whiteout());
    }

    /// <summary>
    /// Makes directory <paramref name="containerPath"/> opaque: what the layers below put in it is
    /// hidden, and only what this layer adds there remains (<c>.wh..wh..opq</c>).
    /// </summary>
    public LayerBuilder ClearDirectory(string containerPath)
        => Add(Whiteouts.OpaqueFor(RequireName(containerPath)), LayerEntry.Whiteout());

    /// <summary>Builds the layer: one streaming pass that writes, hashes, compresses and spools the tar.</summary>
    public Task<BuiltLayer> BuildAsync(LayerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= LayerOptions.Default;
        return BuiltLayer.CreateAsync((stream, ct) => WriteTarAsync(stream, options, ct), options, cancellationToken);
    }

    /// <summary>Writes the uncompressed tar of this layer to <paramref name="destination"/>.</summary>
    public async Task WriteTarAsync(Stream destination, LayerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        options ??= LayerOptions.Default;
        // Whole seconds, as docker's archive writer cuts mtimes: otherwise a fraction reached only the
        // entries that need PAX (long or non-ASCII names) as "mtime=1700000000.5", while USTAR dropped it.
        var timestamp = options.Timestamp is { } given ? DateTimeOffset.FromUnixTimeSeconds(given.ToUnixTimeSeconds()) : Image.DefaultTimestamp;
        var firstPathOfFile = new Dictionary<(ulong, ulong), string>();
        var writer = new ReproducibleTarWriter(destination);
        await using (writer.ConfigureAwait(false))
        {
            foreach (var (path, entry) in WithParents())
            {
                cancellationToken.ThrowIfCancellationRequested();
                string? hardLinkTarget = null;
                if (entry.Identity is { } identity && !firstPathOfFile.TryAdd(identity, path)) hardLinkTarget = firstPathOfFile[identity];
                await entry.WriteAsync(writer, path, hardLinkTarget, timestamp, options, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The entries in path order, with a 0755 directory for every parent nobody added. Whiteouts
    /// get none: they add nothing, and a made-up parent would reset a real directory's mode in
    /// the merged filesystem (deleting /tmp/x must not turn /tmp from 1777 into 0755).
    /// </summary>
    private SortedDictionary<string, LayerEntry> WithParents()
    {
        var all = new SortedDictionary<string, LayerEntry>(_entries, StringComparer.Ordinal);
        if (ParentsFromBelow) return all;
        foreach (var (path, entry) in _entries)
        {
            if (entry.IsWhiteout) continue;
            foreach (var parent in TarPath.Ancestors(path))
            {
                all.TryAdd(parent, new LayerEntry(TarEntryType.Directory, DirectoryMode));
            }
        }
        return all;
    }

    /// <summary>
    /// Puts <paramref name="entry"/> at <paramref name="containerPath"/>, replacing one there. A path under
    /// a file or link of this layer, or a file or link where this layer has entries under the
    /// path, is refused: the tar would hold both (<c>a</c> a file and <c>a/b</c>), which no
    /// extraction can make and which a runtime writes through a link.
    /// </summary>
    internal LayerBuilder Add(string containerPath, LayerEntry entry)
    {
        // A reader takes any such name for a whiteout: the file would delete what it names below.
        var names = containerPath.Split('/');
        if (names.Take(entry.IsWhiteout ? names.Length - 1 : names.Length).FirstOrDefault(n => n.StartsWith(Whiteouts.Prefix, StringComparison.Ordinal)) is { } reserved)
        {
            throw new ArgumentException($"cannot add /{containerPath}: a name beginning with {Whiteouts.Prefix} ({reserved}) is a whiteout, which deletes what it names from the layers below; use DeletePath or ClearDirectory for that", nameof(containerPath));
        }
        foreach (var ancestor in TarPath.Ancestors(containerPath))
        {
            if (_entries.TryGetValue(ancestor, out var existing) && existing.Type != TarEntryType.Directory)
            {
                throw new ArgumentException($"cannot add /{containerPath}: /{ancestor} is {Describe(existing)} in this layer, not a directory", nameof(containerPath));
            }
        }
        if (entry.Type != TarEntryType.Directory && _parents.Contains(containerPath))
        {
            throw new ArgumentException($"cannot add /{containerPath} as {Describe(entry)}: this layer has entries under it, so it is a directory", nameof(containerPath));
        }
        _entries[containerPath] = entry;
        foreach (var ancestor in TarPath.Ancestors(containerPath)) _parents.Add(ancestor);
        return this;
    }

    private static string Describe(LayerEntry entry) => entry.Type switch
    {
        _ when entry.IsWhiteout => "a whiteout",
        TarEntryType.RegularFile => "a file",
        TarEntryType.SymbolicLink => "a symbolic link",
        var type => $"a {type}",
    };

    private static string RequireName(string containerPath)
    {
        var path = TarPath.NormalizeArgument(containerPath, nameof(containerPath));
        return path.Length > 0 ? path : throw new ArgumentException("the root directory cannot be used here", nameof(containerPath));
    }
}
