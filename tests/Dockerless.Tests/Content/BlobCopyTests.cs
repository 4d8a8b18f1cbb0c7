namespace Dockerless.Tests.Content;

public class BlobCopyTests
{
    /// <summary>A stream that records the size of every read asked of it and every write made to it.</summary>
    internal sealed class RecordingStream(Stream inner) : Stream
    {
        public List<int> Reads { get; } = [];
        public List<int> Writes { get; } = [];
        public override bool CanRead => inner.CanRead;
        public override bool CanSeek => false;
        public override bool CanWrite => inner.CanWrite;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count)
        {
            Reads.Add(count);
            return inner.Read(buffer, offset, count);
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Reads.Add(buffer.Length);
            return inner.ReadAsync(buffer, cancellationToken);
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Writes.Add(count);
            inner.Write(buffer, offset, count);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes.Add(buffer.Length);
            return inner.WriteAsync(buffer, cancellationToken);
        }
    }

    [Fact]
    public async Task Copies_go_through_a_one_MiB_buffer()
    {
        var data = new byte[(3 << 20) + 12345];
        new Random(5).NextBytes(data);
        var source = new RecordingStream(new MemoryStream(data));
        var target = new RecordingStream(new MemoryStream());

        var copied = await BlobCopy.CopyAsync(source, target, CancellationToken.None);

        Assert.Equal(data.Length, copied);
        Assert.All(source.Reads, n => Assert.Equal(1 << 20, n));
        Assert.Equal([1 << 20, 1 << 20, 1 << 20, 12345], target.Writes);
    }

    [Fact]
    public async Task Draining_a_verifying_stream_checks_its_digest()
    {
        var data = new byte[100_000];
        await using var wrong = new HashingStream(new MemoryStream(data), Digest.Compute("other"u8), data.Length);

        await Assert.ThrowsAsync<DigestMismatchException>(() => BlobCopy.DrainAsync(wrong, CancellationToken.None));
    }

    /// <summary>A gzip layer whose blob stream records the reads asked of it.</summary>
    private sealed class RecordedGzipLayer(byte[] blob, Digest diffId) : Layer
    {
        public RecordingStream? Opened { get; private set; }
        public override Digest DiffId => diffId;
        public override Digest Digest { get; } = Digest.Compute(blob);
        public override long Size => blob.Length;
        public override string MediaType => MediaTypes.OciLayerGzip;

        public override Task<Stream> OpenAsync(CancellationToken cancellationToken = default)
            => Task.FromResult<Stream>(Opened = new RecordingStream(new MemoryStream(blob, writable: false)));
    }

    [Fact]
    public async Task Decompressing_a_layer_reads_its_blob_in_one_MiB_pieces()
    {
        var data = new byte[3 << 20];
        new Random(9).NextBytes(data);
        var gzipped = new MemoryStream();
        await using (var gzip = new System.IO.Compression.GZipStream(gzipped, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true)) await gzip.WriteAsync(data);
        await using var layer = new RecordedGzipLayer(gzipped.ToArray(), Digest.Compute(data));

        await using (var tar = await layer.OpenUncompressedAsync()) Assert.Equal(data.Length, await BlobCopy.DrainAsync(tar, CancellationToken.None));

        Assert.All(layer.Opened!.Reads, n => Assert.Equal(1 << 20, n));
    }
}
