using System.IO.Compression;

namespace Dockerless.Tests.Hostile;

/// <summary>
/// A decompression bomb: a layer blob of a few hundred KB that inflates to a tar holding one file
/// of <c>copies</c> × 64 MiB of zeros. The blob is concatenated gzip members (or zstd frames): a
/// header member, the same 64 MiB-of-zeros member repeated, and a trailer member, all generated here.
/// </summary>
internal sealed class BombLayer : Layer
{
    public const int Chunk = 64 << 20;

    private readonly byte[] _head;
    private readonly byte[] _zeros;
    private readonly byte[] _tail;
    private readonly int _copies;

    public BombLayer(int copies, LayerCompression compression)
    {
        _copies = copies;
        MediaType = MediaTypes.LayerType(compression);
        _head = Compress(RawTar.Header("bomb", '0', (long)copies * Chunk), compression);
        _zeros = Compress(new byte[Chunk], compression);
        _tail = Compress(RawTar.End(), compression);
        Size = _head.Length + (long)_zeros.Length * copies + _tail.Length;
    }

    /// <summary>How many bytes the tar inflates to.</summary>
    public long UncompressedSize => RawTar.Block + (long)_copies * Chunk + 2 * RawTar.Block;

    public override Digest DiffId { get; } = Digest.Compute("bomb diff_id"u8);
    public override Digest Digest { get; } = Digest.Compute("bomb"u8);
    public override long Size { get; }
    public override string MediaType { get; }

    public override Task<Stream> OpenAsync(CancellationToken cancellationToken = default)
        => Task.FromResult<Stream>(new ConcatenatedStream([_head, .. Enumerable.Repeat(_zeros, _copies), _tail]));

    /// <summary>
    /// Decompresses as every layer does, without the diff_id check: the digests above are made up,
    /// since hashing gigabytes of zeros to make them real would cost more than the tests it serves.
    /// </summary>
    public override async Task<Stream> OpenUncompressedAsync(CancellationToken cancellationToken = default)
        => Decompress(await OpenAsync(cancellationToken), Compression);

    private static byte[] Compress(byte[] data, LayerCompression compression)
    {
        var output = new MemoryStream();
        using (Stream compressor = compression == LayerCompression.Zstd
            ? new ZstdSharp.CompressionStream(output, 19, leaveOpen: true)
            : new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            compressor.Write(data);
        }
        return output.ToArray();
    }

    /// <summary>Reads the given arrays one after the other without copying them.</summary>
    private sealed class ConcatenatedStream(IReadOnlyList<byte[]> parts) : Stream
    {
        private int _part;
        private int _offset;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            while (_part < parts.Count && _offset == parts[_part].Length)
            {
                _part++;
                _offset = 0;
            }
            if (_part == parts.Count) return 0;
            var n = Math.Min(buffer.Length, parts[_part].Length - _offset);
            parts[_part].AsSpan(_offset, n).CopyTo(buffer);
            _offset += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => Task.FromResult(Read(buffer, offset, count));

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
