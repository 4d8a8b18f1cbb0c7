namespace Dockerless.Running;

/// <summary>The run cache (<see cref="RunOptions.CacheDirectory"/>): where it is, and clearing it.</summary>
public static class RunCacheDirectory
{
    private static readonly string[] s_entryFolders = ["layers", "trees"];

    /// <summary><paramref name="directory"/> made absolute, or the default: <c>$XDG_CACHE_HOME/dockerless</c>, else <c>~/.cache/dockerless</c>.</summary>
    public static string Resolve(string? directory = null) => RunCache.Directory(new RunOptions { CacheDirectory = directory });

    /// <summary>
    /// Removes every unpacked layer and tree of the cache (each under its lock, so a run building
    /// one waits, then builds it again) and returns their paths; the next run unpacks again.
    /// Refused with an <see cref="IOException"/> while a root filesystem is mounted from the cache
    /// (a running container, or a kept bundle: unmount its <c>rootfs</c> first), as removing the
    /// layers under an overlay would change a live container.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ClearAsync(string? directory = null, CancellationToken cancellationToken = default)
    {
        var root = Resolve(directory);
        var mounted = Mounts.Under(Path.Combine(root, "run"));
        if (mounted.Count > 0)
        {
            throw new IOException($"cannot clear the run cache {root}: {mounted.Count} root filesystems are mounted from it ({mounted[0]}); wait for the runs to end, or umount a kept bundle's rootfs");
        }
        var removed = new List<string>();
        foreach (var folder in s_entryFolders.Select(f => Path.Combine(root, f)).Where(Directory.Exists))
        {
            // FOLDER/KIND/ALGORITHM/KEY: the entries are the third level, beside their locks and leftovers.
            var entries = Directory.EnumerateDirectories(folder).SelectMany(Directory.EnumerateDirectories).SelectMany(Directory.EnumerateFileSystemEntries)
                .Where(p => !Path.GetFileName(p).Contains('.', StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
            foreach (var entry in entries)
            {
                if (await CacheEntry.RemoveAsync(entry, cancellationToken).ConfigureAwait(false)) removed.Add(entry);
            }
        }
        return removed;
    }
}
