using System.Diagnostics;
using System.Globalization;
using System.IO.Enumeration;
using Dockerless.Stores;
using Dockerless.Unpacking;
using Microsoft.Extensions.Logging;

namespace Dockerless.Running;

/// <summary>
/// One entry of the run cache: <c>KEY/tree</c>, an unpacked tree, and <c>KEY/seal</c>, which
/// says how many entries and bytes it held when it was made. Entries appear only whole: built
/// under <c>KEY.tmp-*</c> (which readers ignore) while <c>KEY.lock</c> is held, then renamed into
/// place; an entry whose tree no longer matches its seal (files removed or resized, a seal gone)
/// is damaged, and the next use rebuilds it. Nothing is flushed: every use checks the seal, so
/// what a crash cut short (empty or missing files, a missing seal) is rebuilt from the image, and
/// a flush of a 100 MB tree costs more than the unpack (docker's overlay2 does not flush either).
/// </summary>
internal static partial class CacheEntry
{
    private const string Temporary = ".tmp-";
    private const string Damaged = ".damaged-";

    /// <summary>
    /// The entry's tree, built by <paramref name="build"/> (into an empty directory it is given)
    /// unless a sound one is there; <paramref name="what"/> names it in the log.
    /// </summary>
    public static async Task<string> EnsureAsync(string directory, string key, string what, Func<string, Task> build, ILogger? logger, CancellationToken cancellationToken)
    {
        var entry = Path.Combine(directory, key);
        var tree = Path.Combine(entry, "tree");
        if (IsSound(entry)) return tree;
        Directory.CreateDirectory(directory);
        using (await FileLock.AcquireAsync(entry + ".lock", cancellationToken).ConfigureAwait(false))
        {
            // Another process may have built it while this one waited.
            if (IsSound(entry)) return tree;
            RemoveLeftovers(directory, key);
            if (Path.Exists(entry))
            {
                if (logger is not null) LogDamaged(logger, what, entry);
                Remove(entry, entry + Damaged + Guid.NewGuid().ToString("N")[..8]);
            }
            var temporary = entry + Temporary + Guid.NewGuid().ToString("N")[..8];
            Syscalls.Check(Syscalls.MakeDirectoryAt(-100, temporary, 0x1C0), "make directory", temporary);
            try
            {
                var clock = Stopwatch.StartNew();
                await build(Path.Combine(temporary, "tree")).ConfigureAwait(false);
                var (entries, bytes) = Measure(Path.Combine(temporary, "tree"));
                await File.WriteAllTextAsync(Path.Combine(temporary, "seal"), string.Create(CultureInfo.InvariantCulture, $"{entries} {bytes}\n"), cancellationToken).ConfigureAwait(false);
                Directory.Move(temporary, entry);
                if (logger is not null) LogUnpacked(logger, what, entry, clock.ElapsedMilliseconds);
            }
            catch
            {
                Remove(temporary, null);
                throw;
            }
        }
        return tree;
    }

    /// <summary>Removes an entry (and its lock file) under its lock; false when it was not there.</summary>
    public static async Task<bool> RemoveAsync(string entry, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(entry)!;
        var key = Path.GetFileName(entry);
        using (await FileLock.AcquireAsync(entry + ".lock", cancellationToken).ConfigureAwait(false))
        {
            RemoveLeftovers(directory, key);
            var existed = Path.Exists(entry);
            if (existed) Remove(entry, entry + Damaged + Guid.NewGuid().ToString("N")[..8]);
            // A process waiting for this lock finds the file gone and locks a new one.
            File.Delete(entry + ".lock");
            return existed;
        }
    }

    /// <summary>What a process killed while building left (only the lock's holder builds, so any there now is dead).</summary>
    private static void RemoveLeftovers(string directory, string key)
    {
        foreach (var leftover in Directory.EnumerateDirectories(directory, key + ".*"))
        {
            var name = Path.GetFileName(leftover);
            if (name.StartsWith(key + Temporary, StringComparison.Ordinal) || name.StartsWith(key + Damaged, StringComparison.Ordinal)) Remove(leftover, null);
        }
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

    [LoggerMessage(Level = LogLevel.Information, Message = "unpacked {What} into the run cache {Entry} in {Milliseconds} ms")]
    private static partial void LogUnpacked(ILogger logger, string what, string entry, long milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the run cache's {What} in {Entry} is damaged (its tree no longer matches its seal): unpacking it again")]
    private static partial void LogDamaged(ILogger logger, string what, string entry);
}
