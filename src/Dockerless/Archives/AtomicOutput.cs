
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

    /// <summary>
    /// Creates the file at <paramref name="path"/> from what <paramref name="write"/> puts in a
    /// seekable stream. A fifo or character device at <paramref name="path"/> (a pipe through
    /// <c>/dev/stdout</c>, <c>/dev/null</c>) is written through, as skopeo and a shell's '&gt;' do:
    /// the output is made whole in a temporary file first and only then copied into it, so a
    /// reader gets all of it or nothing that a failure cut short.
    /// </summary>
    public static async Task WriteFileAsync(string path, Func<FileStream, Task> write, CancellationToken cancellationToken)
    {
        var (target, streamed) = FileTarget(path);
        var temporary = streamed ? Path.Combine(Path.GetTempPath(), $"dockerless-output-{Guid.NewGuid():N}") : TemporaryBeside(target);
        try
        {
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, BlobCopy.BufferSize,
                streamed ? FileOptions.Asynchronous | FileOptions.DeleteOnClose : FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await write(stream).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                if (streamed)
                {
                    stream.Position = 0;
                    await CopyIntoAsync(stream, target, cancellationToken).ConfigureAwait(false);
                    return;
                }
            }
            File.Move(temporary, target, overwrite: true);
        }
        catch (Exception e) when (Names(e, temporary))
        {
            TryDelete(temporary);
            throw CannotWrite(target, temporary, e);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Copies the finished output into the fifo or device <paramref name="target"/>, which is opened, never replaced.</summary>
    private static async Task CopyIntoAsync(Stream finished, string target, CancellationToken cancellationToken)
    {
        var into = new FileStream(target, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, BlobCopy.BufferSize, FileOptions.Asynchronous);
        await using (into.ConfigureAwait(false))
        {
            await finished.CopyToAsync(into, BlobCopy.BufferSize, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The file to make for <paramref name="path"/>: its full path, or through a symlink the file
    /// the link names (as a shell's '&gt;' writes through it, leaving the link a link); or, with
    /// Streamed, the fifo or character device it leads to, to be written into rather than replaced
    /// (as root, a rename would make /dev/null a regular file). A directory (the root too), a block
    /// device and a socket are refused.
    /// </summary>
    public static (string Path, bool Streamed) FileTarget(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0) throw new ArgumentException("the output path is empty", nameof(path));
        var full = Path.GetFullPath(path);
        if (!File.Exists(full) && !Directory.Exists(full) && new FileInfo(full).LinkTarget is null) return (full, false); // Made by the write, which reports what is wrong.
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
            return (target, false); // A link to nothing: the write makes the file it names.
        }
        var named = target == full ? path : $"{path} (a link to {target})";
        return kind switch
        {
            HostFileKind.Regular => (target, false),
            // Opened by the path given: a link through /proc/self/fd reaches the pipe, its target's name does not.
            HostFileKind.Fifo or HostFileKind.CharacterDevice => (full, true),
            HostFileKind.Directory => throw new IOException($"cannot write {named}: it is a directory"),
            _ => throw new IOException($"cannot write {named}: it is a {KindName(kind)}, not a regular file, a fifo or a character device"),
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
