namespace Dockerless.Stores;

/// <summary>
/// Files that survive a power loss once published: written under a temporary name, flushed to
/// the disk (fsync) before the rename that publishes them, and the directory flushed after, so
/// that no name ever points at bytes the disk does not hold (as containerd's content store does).
/// </summary>
internal static class DurableFile
{
    /// <summary>Writes <paramref name="source"/> into the new file <paramref name="path"/> and flushes it to the disk; returns the bytes written.</summary>
    public static async Task<long> WriteNewAsync(string path, Stream source, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BlobCopy.BufferSize, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            var written = await BlobCopy.CopyAsync(source, stream, cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
            return written;
        }
    }

    /// <summary>Writes <paramref name="bytes"/> into the new file <paramref name="path"/> and flushes it to the disk.</summary>
    public static Task WriteNewAsync(string path, byte[] bytes, CancellationToken cancellationToken)
        => WriteNewAsync(path, new MemoryStream(bytes, writable: false), cancellationToken);

    /// <summary>
    /// Writes <paramref name="bytes"/> under the temporary name <paramref name="temporary"/> (on the
    /// same file system), flushes it, renames it to <paramref name="path"/> and flushes the directory:
    /// a reader sees the old file or the new one, and after a crash the new one is whole.
    /// </summary>
    public static async Task ReplaceAsync(string path, byte[] bytes, string temporary, CancellationToken cancellationToken)
    {
        try
        {
            await WriteNewAsync(temporary, bytes, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
        FlushDirectory(Path.GetDirectoryName(path)!);
    }

    /// <summary>Flushes a directory, making the names created, renamed or deleted in it durable (Linux; elsewhere nothing).</summary>
    public static void FlushDirectory(string directory)
    {
        if (OperatingSystem.IsLinux()) StoreNativeMethods.FlushDirectory(directory);
    }
}
