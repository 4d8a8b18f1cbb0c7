using Dockerless.Layers;

namespace Dockerless.Archives;

/// <summary>
/// Writes that leave either the whole result or nothing: the output is made under a temporary
/// name in the destination's directory (so the rename cannot cross filesystems) and renamed
/// into place only when complete; a failure or cancellation deletes the temporary.
/// </summary>
internal static class AtomicOutput
{
    /// <summary>A hidden temporary name beside <paramref name="path"/>.</summary>
    public static string TemporaryBeside(string path)
        => Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.tmp-{Guid.NewGuid():N}");

    /// <summary>Creates the file at <paramref name="path"/> from what <paramref name="write"/> puts in a seekable stream.</summary>
    public static async Task WriteFileAsync(string path, Func<FileStream, Task> write, CancellationToken cancellationToken)
    {
        path = FileTarget(path);
        var temporary = TemporaryBeside(path);
        try
        {
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, BlobCopy.BufferSize, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await write(stream).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            cancellationToken.ThrowIfCancellationRequested();
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (Names(e, temporary))
        {
            TryDelete(temporary);
            throw CannotWrite(path, temporary, e);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>
    /// The file to make for <paramref name="path"/>: its full path, or through a symlink the file
    /// the link names (as a shell's '&gt;' writes through it, leaving the link a link). What the
    /// final rename would put the output in place of is refused: a directory (the root too), and
    /// a device, fifo or socket (as root, /dev/null would become a regular file).
    /// </summary>
    public static string FileTarget(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0) throw new ArgumentException("the output path is empty", nameof(path));
        var full = Path.GetFullPath(path);
        if (!File.Exists(full) && !Directory.Exists(full) && new FileInfo(full).LinkTarget is null) return full; // Made by the write, which reports what is wrong.
        var target = new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        HostFileKind kind;
        try
        {
            // What the path leads to, as the write would open it: /dev/stdout on a pipe is a link to
            // /proc/self/fd/1, whose own target, "pipe:[N]", names no file but reaches the pipe.
            kind = HostFileInfo.Read(full, followLinks: true).Kind;
        }
        catch (IOException)
        {
            return target; // A link to nothing: the write makes the file it names.
        }
        var named = target == full ? path : $"{path} (a link to {target})";
        return kind switch
        {
            HostFileKind.Regular => target,
            HostFileKind.Directory => throw new IOException($"cannot write {named}: it is a directory"),
            _ => throw new IOException($"cannot write {named}: it is a {KindName(kind)}, not a regular file"),
        };
    }

    private static string KindName(HostFileKind kind) => kind switch
    {
        HostFileKind.CharacterDevice => "character device",
        HostFileKind.BlockDevice => "block device",
        HostFileKind.Fifo => "fifo",
        HostFileKind.Socket => "socket",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>True when <paramref name="e"/> is a file-system error that names <paramref name="temporary"/>.</summary>
    public static bool Names(Exception e, string temporary)
        => e is IOException or UnauthorizedAccessException && e.Message.Contains(temporary, StringComparison.Ordinal);

    /// <summary>
    /// The error for the user's <paramref name="path"/>: the file system names the temporary it
    /// was making, a name the user never gave (a missing directory, a read-only file system).
    /// </summary>
    public static IOException CannotWrite(string path, string temporary, Exception e)
        => new($"cannot write {path}: {e.Message.Replace(temporary, path, StringComparison.Ordinal)}", e);

    /// <summary>Copies <paramref name="source"/> into a new file at <paramref name="path"/>, atomically.</summary>
    public static Task CopyToFileAsync(Stream source, string path, CancellationToken cancellationToken)
        => WriteFileAsync(path, target => BlobCopy.CopyAsync(source, target, cancellationToken), cancellationToken);

    /// <summary>Deletes a file or directory that may not exist; a leftover temporary must not hide the real error.</summary>
    public static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
            else File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the original exception is the one worth reporting.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}
