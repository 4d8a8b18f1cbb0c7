namespace Dockerless.Building.RunSteps;

/// <summary>
/// What a root filesystem holds, path by path, without file contents: taken before and after a
/// RUN, the two tell what the command added, changed and deleted. A file's inode, birth time and
/// change time (ctime, which no process can set back) tell a change without reading it.
/// </summary>
internal sealed class RootSnapshot
{
    private RootSnapshot(string root, Dictionary<string, HostFileInfo> files)
    {
        Root = root;
        Files = files;
    }

    /// <summary>The directory the snapshot was taken of.</summary>
    public string Root { get; }

    /// <summary>Every file and directory under the root (not the root itself), by its path relative to it (<c>etc/passwd</c>).</summary>
    public IReadOnlyDictionary<string, HostFileInfo> Files { get; }

    /// <summary>Walks <paramref name="root"/> without following symbolic links.</summary>
    public static RootSnapshot Take(string root, CancellationToken cancellationToken)
    {
        var files = new Dictionary<string, HostFileInfo>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        pending.Push("");
        while (pending.TryPop(out var directory))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var child in Directory.EnumerateFileSystemEntries(directory.Length == 0 ? root : Path.Combine(root, directory)))
            {
                var relative = directory.Length == 0 ? Path.GetFileName(child) : directory + "/" + Path.GetFileName(child);
                var info = HostFileInfo.Read(child);
                files[relative] = info;
                if (info.Kind == HostFileKind.Directory) pending.Push(relative);
            }
        }
        return new RootSnapshot(root, files);
    }

    /// <summary>The full host path of <paramref name="relative"/>.</summary>
    public string FullPath(string relative) => Path.Combine(Root, relative);
}
