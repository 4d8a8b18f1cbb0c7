using System.Globalization;
using System.IO.Enumeration;
using System.Runtime.InteropServices;
using Dockerless.Stores;
using Dockerless.Unpacking;

namespace Dockerless.Running;

/// <summary>
/// One entry of the run cache: <c>KEY/tree</c>, an unpacked tree, and <c>KEY/seal</c>, which
/// says how many entries and bytes it held when it was made. Entries appear only whole: built
/// under <c>KEY.tmp-*</c> (which readers ignore) while <c>KEY.lock</c> is held, flushed, then
/// renamed into place; an entry whose tree no longer matches its seal (files removed, a seal
/// gone) is damaged, and the next use rebuilds it.
/// </summary>
internal static partial class CacheEntry
{
    /// <summary>The entry's tree, built by <paramref name="build"/> (into an empty directory it is given) unless a sound one is there.</summary>
    public static async Task<string> EnsureAsync(string directory, string key, Func<string, Task> build, CancellationToken cancellationToken)
    {
        var entry = Path.Combine(directory, key);
        var tree = Path.Combine(entry, "tree");
        if (IsSound(entry)) return tree;
        Directory.CreateDirectory(directory);
        using (await FileLock.AcquireAsync(entry + ".lock", cancellationToken).ConfigureAwait(false))
        {
            // Another process may have built it while this one waited.
            if (IsSound(entry)) return tree;
            if (Path.Exists(entry)) Remove(entry, entry + ".damaged-" + Guid.NewGuid().ToString("N")[..8]);
            var temporary = entry + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
            Syscalls.Check(Syscalls.MakeDirectoryAt(-100, temporary, 0x1C0), "make directory", temporary);
            try
            {
                await build(Path.Combine(temporary, "tree")).ConfigureAwait(false);
                var (entries, bytes) = Measure(Path.Combine(temporary, "tree"));
                await File.WriteAllTextAsync(Path.Combine(temporary, "seal"), string.Create(CultureInfo.InvariantCulture, $"{entries} {bytes}\n"), cancellationToken).ConfigureAwait(false);
                Flush(temporary);
                Directory.Move(temporary, entry);
            }
            catch
            {
                Remove(temporary, null);
                throw;
            }
        }
        return tree;
    }

    /// <summary>Whether the entry is there, sealed, and its tree still holds what the seal says.</summary>
    internal static bool IsSound(string entry)
    {
        string seal;
        try
        {
            seal = File.ReadAllText(Path.Combine(entry, "seal"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        var fields = seal.Split(' ', StringSplitOptions.TrimEntries);
        if (fields.Length != 2 || !long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var entries)
            || !long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var bytes))
        {
            return false;
        }
        var tree = Path.Combine(entry, "tree");
        return Directory.Exists(tree) && Measure(tree) == (entries, bytes);
    }

    /// <summary>How many entries a tree holds and how many bytes its regular files, walked without following symlinks.</summary>
    private static (long Entries, long Bytes) Measure(string tree)
    {
        long entries = 0, bytes = 0;
        // A symlink's own size only: what it points to may be a host file (an absolute link).
        var walk = new FileSystemEnumerable<long>(tree, (ref FileSystemEntry e) => e.IsDirectory || (e.Attributes & FileAttributes.ReparsePoint) != 0 ? 0 : e.Length, new EnumerationOptions
        {
            RecurseSubdirectories = true,
            IgnoreInaccessible = true,
            AttributesToSkip = 0,
            ReturnSpecialDirectories = false,
        })
        {
            ShouldRecursePredicate = (ref FileSystemEntry e) => (e.Attributes & FileAttributes.ReparsePoint) == 0,
        };
        foreach (var length in walk)
        {
            entries++;
            bytes += length;
        }
        return (entries, bytes);
    }

    /// <summary>Moves a tree aside (so no reader takes it for the entry any more), then removes it.</summary>
    private static void Remove(string path, string? aside)
    {
        if (aside is not null)
        {
            Directory.Move(path, aside);
            path = aside;
        }
        using var parent = FileDescriptor.Open(-100, Path.GetDirectoryName(path)!, Syscalls.Path | Syscalls.Directory, path);
        TreeRemover.Remove(parent.Value, Path.GetFileName(path), path);
    }

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static partial int SyncFileSystem(int fd);

    /// <summary>Writes the filesystem's dirty data to disk before the rename publishes the entry: one syncfs(2), not one fsync per file.</summary>
    private static void Flush(string path)
    {
        using var directory = FileDescriptor.Open(-100, path, Syscalls.ReadOnly | Syscalls.Directory, path);
        Syscalls.Check(SyncFileSystem(directory.Value), "flush the filesystem of", path);
    }
}
