using System.Globalization;
using System.Text;

namespace Dockerless.Layers;

/// <summary>
/// Sits between a <see cref="System.Formats.Tar.TarWriter"/> and its destination and replaces
/// the name TarWriter gives PAX extended headers (<c>dir/PaxHeaders.&lt;process id&gt;/file</c>)
/// with a constant, so the same entries give the same bytes in every process. Only the first
/// block after <see cref="BeginEntry"/> can be such a header, so file contents that merely look
/// like one are never touched. TarWriter writes PAX values as UTF-8 strings, which cannot hold a
/// binary extended attribute (a <c>security.capability</c>): values given to
/// <see cref="BeginEntry"/> as bytes replace, byte for byte, what TarWriter wrote for their keys.
/// </summary>
internal sealed class PaxHeaderScrubber(Stream inner) : WriteOnlyStream
{
    /// <summary>The name every extended header gets; Go's archive/tar uses the same "0".</summary>
    internal const string HeaderName = "PaxHeaders.0";

    private const int BlockSize = 512;
    private const int SizeOffset = 124;
    private const int SizeLength = 12;
    private const int ChecksumOffset = 148;
    private const int TypeOffset = 156;

    /// <summary>The entry's first block, or its whole extended header when values are to be replaced; null when passing bytes through.</summary>
    private byte[]? _capture;
    private int _captureFill;
    private IReadOnlyDictionary<string, byte[]>? _rawValues;

    /// <summary>
    /// Marks that the next bytes written start an entry (its first header block);
    /// <paramref name="rawValues"/> are PAX values (by key) to write as these bytes.
    /// </summary>
    public void BeginEntry(IReadOnlyDictionary<string, byte[]>? rawValues = null)
    {
        _capture = new byte[BlockSize];
        _captureFill = 0;
        _rawValues = rawValues is { Count: > 0 } ? rawValues : null;
    }

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (_capture is not null && buffer.Length > 0)
        {
            buffer = buffer[Capture(buffer, out var ready)..];
            if (!ready.IsEmpty) inner.Write(ready.Span);
        }
        if (buffer.Length > 0) inner.Write(buffer);
    }

    /// <inheritdoc/>
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_capture is not null && buffer.Length > 0)
        {
            buffer = buffer[Capture(buffer.Span, out var ready)..];
            if (!ready.IsEmpty) await inner.WriteAsync(ready, cancellationToken).ConfigureAwait(false);
        }
        if (buffer.Length > 0) await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Copies the start of <paramref name="buffer"/> into the capture; returns how many bytes it
    /// took, and in <paramref name="ready"/> the captured bytes rewritten once they are complete.
    /// </summary>
    private int Capture(ReadOnlySpan<byte> buffer, out ReadOnlyMemory<byte> ready)
    {
        ready = default;
        var capture = _capture!;
        var take = Math.Min(capture.Length - _captureFill, buffer.Length);
        buffer[..take].CopyTo(capture.AsSpan(_captureFill));
        _captureFill += take;
        if (_captureFill < capture.Length) return take;
        if (capture.Length == BlockSize && capture[TypeOffset] == (byte)'x' && _rawValues is not null)
        {
            // The records follow the header block: take them too, padded to whole blocks.
            var size = ReadSize(capture);
            _capture = new byte[BlockSize + (size + BlockSize - 1) / BlockSize * BlockSize];
            capture.CopyTo(_capture, 0);
            if (_captureFill < _capture.Length) return take;
            capture = _capture;
        }
        _capture = null;
        ready = Rewritten(capture);
        return take;
    }

    /// <summary>The captured header renamed, its records given their raw values, and re-checksummed, when it is an extended header.</summary>
    private byte[] Rewritten(byte[] captured)
    {
        if (captured[TypeOffset] is not ((byte)'x' or (byte)'g')) return captured;
        var header = captured;
        if (captured.Length > BlockSize)
        {
            var records = WithRawValues(captured.AsSpan(BlockSize, ReadSize(captured)), _rawValues!);
            header = new byte[BlockSize + (records.Length + BlockSize - 1) / BlockSize * BlockSize];
            captured.AsSpan(0, BlockSize).CopyTo(header);
            records.CopyTo(header, BlockSize);
            var size = header.AsSpan(SizeOffset, SizeLength);
            size.Clear();
            Encoding.ASCII.GetBytes(Convert.ToString(records.Length, 8).PadLeft(SizeLength - 1, '0'), size);
        }
        var name = header.AsSpan(0, 100);
        name.Clear();
        Encoding.ASCII.GetBytes(HeaderName, name);
        var checksum = header.AsSpan(ChecksumOffset, 8);
        checksum.Fill((byte)' ');
        var sum = 0;
        foreach (var b in header.AsSpan(0, BlockSize)) sum += b;
        // Six octal digits, NUL, space: the layout TarWriter itself uses.
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0'), checksum);
        checksum[6] = 0;
        return header;
    }

    /// <summary>The header block's size field: octal, as TarWriter writes it.</summary>
    private static int ReadSize(byte[] header)
        => Convert.ToInt32(Encoding.ASCII.GetString(header.AsSpan(SizeOffset, SizeLength)).Trim('\0', ' '), 8);

    /// <summary>PAX records (<c>LEN key=value\n</c>) with the values of <paramref name="rawValues"/>' keys replaced.</summary>
    private static byte[] WithRawValues(ReadOnlySpan<byte> records, IReadOnlyDictionary<string, byte[]> rawValues)
    {
        var output = new MemoryStream();
        var at = 0;
        while (at < records.Length)
        {
            var space = records[at..].IndexOf((byte)' ');
            var length = int.Parse(records.Slice(at, space), NumberStyles.None, CultureInfo.InvariantCulture);
            var record = records.Slice(at, length);
            at += length;
            var equals = record.IndexOf((byte)'=');
            var key = Encoding.UTF8.GetString(record[(space + 1)..equals]);
            if (!rawValues.TryGetValue(key, out var value))
            {
                output.Write(record);
                continue;
            }
            // The length counts its own digits: grow it until the digits fit.
            var rest = 1 + Encoding.UTF8.GetByteCount(key) + 1 + value.Length + 1;
            var total = rest + 1;
            while (total.ToString(CultureInfo.InvariantCulture).Length + rest > total) total++;
            output.Write(Encoding.ASCII.GetBytes(total.ToString(CultureInfo.InvariantCulture) + " "));
            output.Write(Encoding.UTF8.GetBytes(key + "="));
            output.Write(value);
            output.WriteByte((byte)'\n');
        }
        return output.ToArray();
    }

    /// <inheritdoc/>
    public override void Flush() => inner.Flush();
    /// <inheritdoc/>
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
}
