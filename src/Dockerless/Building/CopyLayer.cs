using System.Formats.Tar;

namespace Dockerless.Building;

/// <summary>
/// Fills a <see cref="LayerBuilder"/> with what a COPY or ADD puts into the image, by docker's
/// rules: a directory source copies its contents, a file goes under a destination that is a
/// directory (trailing <c>/</c>, several sources, wildcards) or becomes the destination, links
/// inside directories stay links, sockets are skipped.
/// </summary>
/// <param name="request">The instruction, expanded.</param>
/// <param name="tree">Where the sources are.</param>
/// <param name="layer">The layer to fill.</param>
/// <param name="directories">The directories the build knows the image holds; grows with what this adds.</param>
/// <param name="scratch">A directory for files extracted from archives, kept until the layer is built.</param>
internal sealed class CopyLayer(CopyRequest request, SourceTree tree, LayerBuilder layer, ISet<string> directories, string scratch)
{
    private const UnixFileMode DirectoryMode = (UnixFileMode)0x1ED;

    /// <summary>Adds every source; a source that names nothing fails with the place-free reason.</summary>
    public async Task AddAsync(CancellationToken cancellationToken)
    {
        var wildcard = request.Sources.Any(GoPaths.HasWildcard);
        var intoDirectory = request.DestinationIsDirectory || request.Sources.Count > 1 || wildcard || request.Parents;
        if (request.Sources.Count > 1 && !request.DestinationIsDirectory)
        {
            throw new DockerlessException($"When using {request.Instruction} with more than one source file, the destination must be a directory and end with a /");
        }
        foreach (var source in request.Sources)
        {
            var matches = tree.Resolve(source);
            if (matches.Count == 0) throw new DockerlessException($"{request.Instruction} failed: \"{source}\" not found in {tree.Description}{(tree.Ignore == DockerIgnore.None ? "" : " (or left out by .dockerignore)")}");
            foreach (var match in matches)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await AddMatchAsync(source, match, intoDirectory, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task AddMatchAsync(string source, string match, bool intoDirectory, CancellationToken cancellationToken)
    {
        var full = tree.FullPath(match);
        var info = HostFileInfo.Read(full);
        var target = request.Destination;
        if (request.Parents) target = TarPath.Join(target, ParentsPath(source, match));
        if (info.Kind == HostFileKind.Directory)
        {
            if (target.Length > 0) AddDirectory(target, info);
            AddContents(full, target, "");
            return;
        }
        if (info.Kind == HostFileKind.Socket) throw new DockerlessException($"{request.Instruction} failed: {source}: a socket cannot be copied into an image");
        if (request.Parents) target = TarPath.Parent(target);
        var name = TarPath.Name(match.Length == 0 ? source : match);
        var path = intoDirectory || target.Length == 0 ? TarPath.Join(target, name) : target;
        if (TarPath.Parent(path).Length > 0) MarkDirectory(TarPath.Parent(path));
        if (request.ExtractArchives && info.Kind == HostFileKind.Regular && await TarArchive.IsArchiveAsync(full, cancellationToken).ConfigureAwait(false))
        {
            await new TarArchive(full, request.Owner, layer, directories, scratch).ExtractAsync(request.Destination, cancellationToken).ConfigureAwait(false);
            return;
        }
        Add(path, full, info);
    }

    /// <summary>
    /// Where <c>--parents</c> puts a match: its path in the tree, or the part after a <c>/./</c>
    /// in the source (<c>src/./app/x</c> keeps <c>app/x</c>).
    /// </summary>
    private static string ParentsPath(string source, string match)
    {
        var pivot = source.IndexOf("/./", StringComparison.Ordinal);
        if (pivot < 0) return match;
        var dropped = GoPaths.Clean("/" + source[..pivot]).TrimStart('/');
        return dropped.Length > 0 && match.StartsWith(dropped + "/", StringComparison.Ordinal) ? match[(dropped.Length + 1)..] : match;
    }

    private void AddContents(string hostDirectory, string target, string relative)
    {
        foreach (var child in Directory.EnumerateFileSystemEntries(hostDirectory).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(child);
            var childRelative = relative.Length == 0 ? name : relative + "/" + name;
            var info = HostFileInfo.Read(child);
            if (info.Kind == HostFileKind.Socket) continue;
            var treePath = Path.GetRelativePath(tree.Root, child).Replace('\\', '/');
            var excluded = tree.Ignore.IsExcluded(treePath) || request.Excludes.IsExcluded(childRelative);
            var path = TarPath.Join(target, name);
            if (info.Kind == HostFileKind.Directory)
            {
                // An excluded directory may still hold an exception (!pattern) to copy.
                if (excluded && !(tree.Ignore.HasExceptions || request.Excludes.HasExceptions)) continue;
                if (!excluded) AddDirectory(path, info);
                AddContents(child, path, childRelative);
                continue;
            }
            if (excluded) continue;
            Add(path, child, info);
        }
    }

    private void AddDirectory(string path, HostFileInfo info)
    {
        var (uid, gid) = OwnerOf(info);
        layer.Add(path, new LayerEntry(TarEntryType.Directory, request.Mode ?? info.Mode) { Uid = uid, Gid = gid });
        MarkDirectory(path);
    }

    private void Add(string path, string hostPath, HostFileInfo info)
    {
        var (uid, gid) = OwnerOf(info);
        var entry = LayerEntry.FromHost(hostPath, info);
        var mode = info.Kind == HostFileKind.SymbolicLink ? entry.Mode : request.Mode ?? entry.Mode;
        layer.Add(path, entry.WithOwner(mode, uid, gid));
    }

    /// <summary>
    /// Records <paramref name="path"/> and its parents as directories of the image; with
    /// <c>--chown</c>, parents this layer makes get the owner, as BuildKit gives them.
    /// </summary>
    private void MarkDirectory(string path)
    {
        foreach (var directory in TarPath.Ancestors(path).Append(path))
        {
            // On a base, only the destination itself: a parent the base holds keeps its own entry.
            if (directories.Add(directory) && request.Owner is { } owner && !layer.Contains(directory)
                && (!layer.ParentsFromBelow || directory == request.Destination))
            {
                layer.Add(directory, new LayerEntry(TarEntryType.Directory, DirectoryMode) { Uid = owner.Uid, Gid = owner.Gid });
            }
        }
    }

    private (int Uid, int Gid) OwnerOf(HostFileInfo info) =>
        request.Owner ?? (tree.KeepOwners ? (info.Uid, info.Gid) : (0, 0));
}
