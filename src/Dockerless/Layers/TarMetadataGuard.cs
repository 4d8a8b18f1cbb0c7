using System.Globalization;
using System.Text;

namespace Dockerless.Layers;

/// <summary>
/// Sits between a tar and System.Formats.Tar's TarReader and refuses a PAX (<c>x</c>, <c>g</c>)
/// or GNU long-name (<c>L</c>, <c>K</c>) header that announces more than
/// <see cref="MaxMetadataSize"/> bytes. TarReader allocates a buffer of the announced size
/// before it reads a byte of it (and checks neither the header checksum nor the magic), so a
/// 2 KB tar claiming a 1 GiB PAX header costs 1 GiB of memory; Go's archive/tar (docker,
/// containerd) refuses such headers above 1 MiB, and so do we. The guard follows the tar's
/// structure as the bytes pass (each header's size, or a PAX <c>size</c> record, says where the
/// next header is) and throws <see cref="InvalidDataException"/> from the read that completes a
/// refused header, before TarReader sees it. Seeks (TarReader skips data of a seekable stream) pass through.
/// A tar that ends right after an entry's data or at a header boundary, without the padding or
/// the end-of-archive blocks (umoci's <c>insert</c> writes such layers), ends there as in Go's
/// archive/tar, which docker, containerd and umoci read them with: the missing zeros are supplied.
/// A tar cut anywhere else is still truncated.
/// </summary>
internal sealed class TarMetadataGuard(Stream inner, bool leaveOpen = false) : ReadOnlyStream
{
    /// <summary>The largest PAX or GNU long-name record block accepted: Go's archive/tar limit.</summary>
    public const int MaxMetadataSize = 1 << 20;

    private const int Block = 512;
    private long _position = inner.CanSeek ? inner.Position : 0;
    /// <summary>The bytes being collected: the next header, or the records of a PAX header.</summary>
    private byte[] _capture = new byte[Block];
    private long _captureAt = inner.CanSeek ? inner.Position : 0;
    private int _captured;
    private bool _capturingPax;
    /// <summary>The size a PAX header gave the next entry, which overrides its header's size field.</summary>
    private long? _paxSize;
    /// <summary>Set at the end marker, or when a seek left the structure (the guard then stands aside).</summary>
    private bool _done;
    /// <summary>The records of a PAX header read, until the entry they describe comes.</summary>
    private byte[]? _pendingPax;
    /// <summary>Where the data of the entry read last ends (its padding follows, up to the next header).</summary>
    private long _dataEnd;
    /// <summary>Zeros still to supply in place of a missing padding and end-of-archive marker.</summary>
    private long _missingZeros;
    /// <summary>Where the second block of the end-of-archive marker starts, once the first was read.</summary>
    private long _secondEndBlock = -1;

    /// <summary>
    /// The raw records of the PAX header of the entry whose header was read last (empty when it has
    /// none): the bytes as written, which TarReader's strings are not for binary values.
    /// </summary>
    public ReadOnlyMemory<byte> EntryPaxRecords { get; private set; }

    public override bool CanSeek => inner.CanSeek;
    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.CanSeek ? inner.Position : _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(Span<byte> buffer)
    {
        if (StartsPaxRecords(buffer.Length))
        {
            var whole = inner.ReadAtLeast(buffer[.._capture.Length], _capture.Length, throwOnEndOfStream: false);
            Inspect(buffer[..whole]);
            RenameRepeatedSparseKeys(buffer[..whole]);
            return whole;
        }
        var n = _missingZeros > 0 ? 0 : inner.Read(buffer);
        if (n == 0) n = SupplyEnd(buffer);
        Inspect(buffer[..n]);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (StartsPaxRecords(buffer.Length))
        {
            var whole = await inner.ReadAtLeastAsync(buffer[.._capture.Length], _capture.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            Inspect(buffer.Span[..whole]);
            RenameRepeatedSparseKeys(buffer.Span[..whole]);
            return whole;
        }
        var n = _missingZeros > 0 ? 0 : await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (n == 0) n = SupplyEnd(buffer.Span);
        Inspect(buffer.Span[..n]);
        return n;
    }

    /// <summary>True when a read of <paramref name="wanted"/> bytes starts a PAX header's records and can take them all.</summary>
    private bool StartsPaxRecords(int wanted) => !_done && _capturingPax && _captured == 0 && _position == _captureAt && wanted >= _capture.Length;

    /// <summary>
    /// GNU sparse format 0.0 repeats <c>GNU.sparse.offset</c> and <c>GNU.sparse.numbytes</c> once per
    /// chunk, which TarReader refuses as duplicate attributes. Every repeat after the first is
    /// renamed in place to a key of the same length (<c>GNU.sparse.o0000N</c>), so the record lengths
    /// and the header stay as they are; <see cref="EntryPaxRecords"/> keeps the keys as written,
    /// from which <see cref="SparseFile"/> reads the map.
    /// </summary>
    private static void RenameRepeatedSparseKeys(Span<byte> records)
    {
        ReadOnlySpan<byte> offset = "GNU.sparse.offset="u8;
        ReadOnlySpan<byte> numbytes = "GNU.sparse.numbytes="u8;
        int offsets = 0, lengths = 0;
        var at = 0;
        while (at < records.Length)
        {
            var space = records[at..].IndexOf((byte)' ');
            if (space <= 0 || !int.TryParse(records.Slice(at, space), NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length <= space || at + length > records.Length) return;
            var record = records.Slice(at + space + 1, length - space - 1);
            if (record.StartsWith(offset) && offsets++ > 0) Rename(record[..(offset.Length - 1)], "GNU.sparse.o", offsets);
            else if (record.StartsWith(numbytes) && lengths++ > 0) Rename(record[..(numbytes.Length - 1)], "GNU.sparse.n", lengths);
            at += length;
        }
    }

    private static void Rename(Span<byte> key, string prefix, int count)
    {
        Encoding.ASCII.GetBytes(prefix, key);
        var digits = key[prefix.Length..];
        for (var i = digits.Length - 1; i >= 0; i--, count /= 10) digits[i] = (byte)('0' + (count % 10));
    }

    /// <summary>
    /// At the end of the bytes: where the tar stopped right after an entry's data or at a header
    /// boundary, the zeros of the padding and end-of-archive marker it lacks (0 elsewhere, and
    /// once they are all given).
    /// </summary>
    private int SupplyEnd(Span<byte> buffer)
    {
        // TarReader seeks over data and padding where it can: then the bytes end where the stream's length says.
        var end = inner.CanSeek ? inner.Length : _position;
        if (_missingZeros == 0 && !_done && !_capturingPax && _captured == 0 && (end == _captureAt || end == _dataEnd))
        {
            _missingZeros = Math.Max(0, _captureAt - _position) + 2 * Block;
            _dataEnd = -1;
        }
        else if (_missingZeros == 0 && _position == _secondEndBlock)
        {
            _missingZeros = Block;
            _secondEndBlock = -1;
        }
        var n = (int)Math.Min(buffer.Length, _missingZeros);
        buffer[..n].Clear();
        _missingZeros -= n;
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        _position = inner.Seek(offset, origin);
        if (_captured > 0 && _position != _captureAt + _captured) _done = true;
        return _position;
    }

    /// <summary>Copies what falls in the region being collected; a complete region is processed.</summary>
    private void Inspect(ReadOnlySpan<byte> bytes)
    {
        while (!_done && bytes.Length > 0)
        {
            var wanted = _captureAt + _captured;
            if (_position + bytes.Length <= wanted) break;
            if (_position > wanted)
            {
                _done = true;
                break;
            }
            var skip = (int)(wanted - _position);
            var take = Math.Min(bytes.Length - skip, _capture.Length - _captured);
            bytes.Slice(skip, take).CopyTo(_capture.AsSpan(_captured));
            _captured += take;
            _position += skip + take;
            bytes = bytes[(skip + take)..];
            if (_captured == _capture.Length) Complete();
        }
        _position += bytes.Length;
    }

    private void Complete()
    {
        var at = _captureAt + _captured;
        if (_capturingPax)
        {
            _paxSize = PaxSize(_capture) ?? _paxSize;
            _pendingPax = _capture;
            _capture = new byte[Block];
            Expect(RoundUp(at));
            return;
        }
        var header = _capture;
        if (!header.AsSpan().ContainsAnyExcept((byte)0))
        {
            _done = true;
            _secondEndBlock = at;
            return;
        }
        var type = (char)header[156];
        var metadata = type is 'x' or 'g' or 'L' or 'K';
        var size = ParseNumber(header.AsSpan(124, 12));
        if (metadata && size > MaxMetadataSize)
        {
            throw new InvalidDataException(
                $"a tar metadata header (type '{type}') announces {size} bytes; more than {MaxMetadataSize} is refused, as Go's archive/tar does");
        }
        if (!metadata)
        {
            EntryPaxRecords = _pendingPax;
            _pendingPax = null;
        }
        if (!metadata && _paxSize is { } paxSize)
        {
            size = paxSize;
            _paxSize = null;
        }
        if (type == 'x' && size > 0)
        {
            _capturingPax = true;
            _capture = new byte[size];
            _captureAt = at;
            _captured = 0;
            return;
        }
        _dataEnd = metadata ? -1 : at + size;
        Expect(size >= long.MaxValue - 2 * Block ? long.MaxValue : at + RoundUp(size));
    }

    /// <summary>Collects the next header, at <paramref name="at"/>.</summary>
    private void Expect(long at)
    {
        _capturingPax = false;
        if (_capture.Length != Block) _capture = new byte[Block];
        _captureAt = at;
        _captured = 0;
        if (at == long.MaxValue) _done = true;
    }

    private static long RoundUp(long value) => (value + Block - 1) / Block * Block;

    /// <summary>The value of a <c>size</c> record among PAX records, if there is one.</summary>
    private static long? PaxSize(byte[] records)
    {
        long? size = null;
        foreach (var line in Encoding.UTF8.GetString(records).Split('\n'))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && line.AsSpan(space + 1).StartsWith("size=", StringComparison.Ordinal)
                && long.TryParse(line.AsSpan(space + 6), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                size = value;
            }
        }
        return size;
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
