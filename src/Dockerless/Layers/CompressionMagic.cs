namespace Dockerless.Layers;

/// <summary>
/// A layer's compression told from its first bytes, as docker and containerd tell it (gzip
/// <c>1f 8b</c>, zstd <c>28 b5 2f fd</c>, anything else a plain tar), whatever its media type says:
/// <c>podman save --uncompressed</c> labels plain tars gzip.
/// </summary>
internal static class CompressionMagic
{
    /// <summary>How many leading bytes <see cref="Of"/> needs.</summary>
    public const int Length = 4;

    /// <summary>The compression <paramref name="magic"/> (the first bytes of a blob, fewer when it is shorter) shows.</summary>
    public static LayerCompression Of(ReadOnlySpan<byte> magic)
    {
        if (magic.Length >= 2 && magic[0] == 0x1f && magic[1] == 0x8b) return LayerCompression.Gzip;
        if (magic.Length >= 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd) return LayerCompression.Zstd;
        return LayerCompression.None;
    }

    /// <summary>
    /// Reads the first bytes of <paramref name="blob"/> and returns its compression with a stream
    /// that gives those bytes again, then the rest of the blob (disposing it when disposed).
    /// </summary>
    public static async Task<(LayerCompression Compression, Stream Blob)> SniffAsync(Stream blob, CancellationToken cancellationToken)
    {
        // Read through a buffer, so that the blob is still read in whole buffers, never a few bytes at a time.
        var buffered = new BufferedStream(blob, BlobCopy.BufferSize);
        var magic = new byte[Length];
        var n = await buffered.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        return (Of(magic.AsSpan(0, n)), new ReplayedStream(magic.AsMemory(0, n), buffered));
    }

    /// <summary>Bytes already read from a stream, then the rest of it.</summary>
    private sealed class ReplayedStream(ReadOnlyMemory<byte> head, Stream rest) : ReadOnlyStream
    {
        private ReadOnlyMemory<byte> _head = head;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_head.IsEmpty) return rest.ReadAsync(buffer, cancellationToken);
            var n = Math.Min(buffer.Length, _head.Length);
            _head[..n].CopyTo(buffer);
            _head = _head[n..];
            return ValueTask.FromResult(n);
        }

        public override async ValueTask DisposeAsync()
        {
            await rest.DisposeAsync().ConfigureAwait(false);
            await base.DisposeAsync().ConfigureAwait(false);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) rest.Dispose();
            base.Dispose(disposing);
        }
    }
}
