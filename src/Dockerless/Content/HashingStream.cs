using System.Security.Cryptography;

namespace Dockerless.Content;

/// <summary>
/// Passes bytes through to an inner stream while hashing and counting them, so a blob is
/// digested in the same pass that copies it. Reading: when <see cref="Expected"/> is set, the
/// end of the stream (or going past the expected size) checks digest and size and throws
/// <see cref="DigestMismatchException"/> on a difference. Writing: hashes what is written.
/// </summary>
public sealed class HashingStream : Stream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly IncrementalHash _hash;
    private readonly string _algorithm;
    private readonly string _what;
    private Digest? _result;

    /// <summary>Hashes with sha256 (or the algorithm of <paramref name="expected"/>) and, on read, verifies.</summary>
    /// <param name="inner">The stream read from or written to.</param>
    /// <param name="expected">The digest the content must have, or null to only compute it.</param>
    /// <param name="expectedSize">The size the content must have, or -1.</param>
    /// <param name="what">Names the content in error messages (a blob, file or tar entry).</param>
    /// <param name="leaveOpen">Leave <paramref name="inner"/> open when this stream is disposed.</param>
    public HashingStream(Stream inner, Digest? expected = null, long expectedSize = -1, string what = "blob", bool leaveOpen = false)
    {
        _inner = inner;
        _leaveOpen = leaveOpen;
        Expected = expected;
        ExpectedSize = expectedSize;
        _what = what;
        _algorithm = expected?.Algorithm ?? Digest.Sha256;
        _hash = Digest.CreateHash(_algorithm);
    }

    /// <summary>The digest the content must have, if any.</summary>
    public Digest? Expected { get; }

    /// <summary>The size the content must have, or -1.</summary>
    public long ExpectedSize { get; }

    /// <summary>How many bytes went through so far.</summary>
    public long BytesHashed { get; private set; }

    /// <summary>The digest of everything that went through; finishes the hash on first call.</summary>
    public Digest GetDigest() => _result ??= Digest.FromHash(_algorithm, _hash.GetHashAndReset());

    /// <summary>Checks digest and size now (after the last byte) and throws on a difference.</summary>
    public void Verify()
    {
        var actual = GetDigest();
        if ((Expected is { } e && e != actual) || (ExpectedSize >= 0 && ExpectedSize != BytesHashed))
        {
            throw new DigestMismatchException(_what, Expected ?? actual, actual, ExpectedSize, BytesHashed);
        }
    }

    /// <inheritdoc/>
    public override bool CanRead => _inner.CanRead;
    /// <inheritdoc/>
    public override bool CanWrite => _inner.CanWrite;
    /// <inheritdoc/>
    public override bool CanSeek => false;
    /// <inheritdoc/>
    public override long Length => ExpectedSize >= 0 ? ExpectedSize : throw new NotSupportedException();
    /// <inheritdoc/>
    public override long Position { get => BytesHashed; set => throw new NotSupportedException(); }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer)
    {
        var n = _inner.Read(buffer);
        return Account(buffer[..n], n, buffer.Length);
    }

    /// <inheritdoc/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Account(buffer.Span[..n], n, buffer.Length);
    }

    private int Account(ReadOnlySpan<byte> data, int n, int requested)
    {
        _hash.AppendData(data);
        BytesHashed += n;
        // A read of zero bytes into an empty buffer (TarReader makes some) is not the end of the stream.
        if (Expected is not null && ((n == 0 && requested > 0) || (ExpectedSize >= 0 && BytesHashed > ExpectedSize)))
        {
            Verify();
        }
        return n;
    }

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _inner.Write(buffer);
        _hash.AppendData(buffer);
        BytesHashed += buffer.Length;
    }

    /// <inheritdoc/>
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        _hash.AppendData(buffer.Span);
        BytesHashed += buffer.Length;
    }

    /// <inheritdoc/>
    public override void Flush() => _inner.Flush();
    /// <inheritdoc/>
    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);
    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            if (!_leaveOpen) _inner.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync()
    {
        _hash.Dispose();
        if (!_leaveOpen) await _inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
