namespace Dockerless.Distribution.Blobs;

/// <summary>The next <c>length</c> bytes of a stream, read through without buffering; the inner stream stays open.</summary>
internal sealed class SliceStream(Stream inner, long length) : ReadOnlyStream
{
    private readonly long _length = length;
    private long _left = length;

    public override long Length => _length;
    public override long Position => _length - _left;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_left == 0) return 0;
        var n = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _left)], cancellationToken).ConfigureAwait(false);
        if (n == 0) throw new EndOfStreamException($"the source ended {_left} bytes early");
        _left -= n;
        return n;
    }
}
