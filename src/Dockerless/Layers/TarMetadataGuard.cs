namespace Dockerless.Layers;

/// <summary>
/// Sits between a tar and System.Formats.Tar's TarReader and refuses a PAX (<c>x</c>, <c>g</c>)
/// or GNU long-name (<c>L</c>, <c>K</c>) header that announces more than
/// <see cref="MaxMetadataSize"/> bytes. TarReader allocates a buffer of the announced size
/// before it reads a byte of it, so a 2 KB tar claiming a 1 GiB PAX header costs 1 GiB of memory;
/// Go's archive/tar (docker, containerd) refuses such headers above 1 MiB, and so do we. Every
/// 512-byte block at a block-aligned offset is looked at as it passes (a header is recognised by
/// its type flag and a valid checksum), and the read that completes a refused header throws
/// <see cref="InvalidDataException"/> before TarReader sees it. Seeks pass through.
/// </summary>
internal sealed class TarMetadataGuard(Stream inner, bool leaveOpen = false) : Stream
{
    /// <summary>The largest PAX or GNU long-name record block accepted: Go's archive/tar limit.</summary>
    public const int MaxMetadataSize = 1 << 20;

    private const int Block = 512;
    private readonly byte[] _block = new byte[Block];
    /// <summary>How many bytes of the current block were seen from its start; -1 when the block was entered midway (after a seek).</summary>
    private int _filled = -1;
    private long _position = inner.CanSeek ? inner.Position : 0;

    public override bool CanRead => true;
    public override bool CanSeek => inner.CanSeek;
    public override bool CanWrite => false;
    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.CanSeek ? inner.Position : _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        Inspect(buffer[..n]);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Inspect(buffer.Span[..n]);
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        _position = inner.Seek(offset, origin);
        _filled = -1;
        return _position;
    }

    /// <summary>Collects the bytes of each block-aligned 512-byte block and checks it once complete.</summary>
    private void Inspect(ReadOnlySpan<byte> bytes)
    {
        while (bytes.Length > 0)
        {
            var inBlock = (int)(_position % Block);
            if (inBlock == 0) _filled = 0;
            var take = Math.Min(Block - inBlock, bytes.Length);
            if (_filled == inBlock)
            {
                bytes[..take].CopyTo(_block.AsSpan(inBlock));
                _filled += take;
            }
            else
            {
                _filled = -1;
            }
            _position += take;
            bytes = bytes[take..];
            if (_filled == Block)
            {
                _filled = -1;
                Check(_block);
            }
        }
    }

    private static void Check(ReadOnlySpan<byte> header)
    {
        var type = (char)header[156];
        if (type is not ('x' or 'g' or 'L' or 'K') || !HasValidChecksum(header)) return;
        var size = ParseNumber(header.Slice(124, 12));
        if (size > MaxMetadataSize)
        {
            throw new InvalidDataException(
                $"a tar metadata header (type '{type}') announces {size} bytes; more than {MaxMetadataSize} is refused, as Go's archive/tar does");
        }
    }

    private static bool HasValidChecksum(ReadOnlySpan<byte> header)
    {
        var stored = ParseNumber(header.Slice(148, 8));
        long unsigned = 0, signed = 0;
        for (var i = 0; i < Block; i++)
        {
            var b = i is >= 148 and < 156 ? (byte)' ' : header[i];
            unsigned += b;
            signed += (sbyte)b;
        }
        return stored == unsigned || stored == signed;
    }

    /// <summary>An octal field, or a base-256 one (high bit set) as GNU tar writes large numbers; saturates at long.MaxValue.</summary>
    private static long ParseNumber(ReadOnlySpan<byte> field)
    {
        long value = 0;
        if ((field[0] & 0x80) != 0)
        {
            for (var i = 0; i < field.Length; i++)
            {
                var b = i == 0 ? field[0] & 0x7F : field[i];
                if (value > (long.MaxValue >> 8)) return long.MaxValue;
                value = (value << 8) | (long)b;
            }
            return value;
        }
        var digits = field.TrimStart((byte)' ').TrimStart((byte)0);
        foreach (var b in digits)
        {
            if (b is < (byte)'0' or > (byte)'7') break;
            if (value > (long.MaxValue >> 3)) return long.MaxValue;
            value = (value << 3) | (long)(b - '0');
        }
        return value;
    }

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen) inner.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!leaveOpen) await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
