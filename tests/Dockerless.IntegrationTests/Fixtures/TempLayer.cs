namespace Dockerless.IntegrationTests.Fixtures;

/// <summary>A layer built by <see cref="TestLayer"/> into a temporary file that disposing it deletes.</summary>
public sealed class TempLayer : Layer
{
    private readonly Layer _inner;
    private readonly string _path;

    private TempLayer(Layer inner, string path)
    {
        _inner = inner;
        _path = path;
    }

    public override Digest DiffId => _inner.DiffId;
    public override Digest Digest => _inner.Digest;
    public override long Size => _inner.Size;
    public override string MediaType => _inner.MediaType;

    /// <summary>A gzipped layer holding <paramref name="files"/> (path to contents).</summary>
    public static async Task<TempLayer> CreateAsync(IReadOnlyDictionary<string, byte[]> files)
    {
        var path = TempPath();
        var entries = files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => new TestEntry(f.Key.TrimStart('/'), f.Value));
        return new TempLayer(await TestLayer.BuildAsync(path, entries), path);
    }

    /// <summary>An uncompressed layer holding one file of <paramref name="size"/> generated, incompressible bytes.</summary>
    public static async Task<TempLayer> CreateLargeAsync(long size, int seed = 1)
    {
        var data = TempPath();
        try
        {
            await using (var file = File.Create(data))
            {
                await new GeneratedStream(size, seed).CopyToAsync(file);
            }
            var path = TempPath();
            return new TempLayer(await TestLayer.BuildAsync(path, [new TestEntry("big.bin", HostFile: data)], LayerCompression.None), path);
        }
        finally
        {
            File.Delete(data);
        }
    }

    private static string TempPath() => Path.Combine(Path.GetTempPath(), $"dockerless-test-layer-{Guid.NewGuid():N}");

    public override Task<Stream> OpenAsync(CancellationToken cancellationToken = default) => _inner.OpenAsync(cancellationToken);

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync();
        File.Delete(_path);
        await base.DisposeAsync();
    }
}

/// <summary>A deterministic stream of pseudo-random bytes (incompressible, never held in memory).</summary>
public sealed class GeneratedStream(long length, int seed) : Stream
{
    private long _position;
    private ulong _state = ((ulong)seed * 0x9E3779B97F4A7C15UL) | 1;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = (int)Math.Min(buffer.Length, length - _position);
        for (var i = 0; i < n; i++)
        {
            _state ^= _state << 13;
            _state ^= _state >> 7;
            _state ^= _state << 17;
            buffer[i] = (byte)_state;
        }
        _position += n;
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
