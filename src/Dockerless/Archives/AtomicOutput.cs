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
        path = Path.GetFullPath(path);
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
