using System.Buffers;

namespace Dockerless.Content;

/// <summary>
/// Copies blob bytes through one pooled 1 MiB buffer: a quarter as many reads, writes and
/// syscalls per GiB as <see cref="Stream.CopyToAsync(Stream)"/>'s 80 KiB default, and no new
/// large array per copy (a fresh 1 MiB array would land on the large object heap each time).
/// </summary>
internal static class BlobCopy
{
    /// <summary>The size of the buffer every blob copy uses.</summary>
    public const int BufferSize = 1 << 20;

    /// <summary>Copies the rest of <paramref name="source"/> into <paramref name="destination"/>; returns the bytes copied.</summary>
    public static async Task<long> CopyAsync(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long total = 0;
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                total += read;
            }
            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads <paramref name="source"/> to its end, dropping the bytes (so a verifying stream checks its digest).</summary>
    public static Task<long> DrainAsync(Stream source, CancellationToken cancellationToken) => CopyAsync(source, Stream.Null, cancellationToken);
}
