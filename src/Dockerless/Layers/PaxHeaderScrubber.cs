using System.Text;

namespace Dockerless.Layers;

/// <summary>
/// Sits between a <see cref="System.Formats.Tar.TarWriter"/> and its destination and replaces
/// the name TarWriter gives PAX extended headers (<c>dir/PaxHeaders.&lt;process id&gt;/file</c>)
/// with a constant, so the same entries give the same bytes in every process. Only the first
/// block after <see cref="BeginEntry"/> can be such a header, so file contents that merely look
/// like one are never touched.
/// </summary>
internal sealed class PaxHeaderScrubber(Stream inner) : WriteOnlyStream
{
    /// <summary>The name every extended header gets; Go's archive/tar uses the same "0".</summary>
    internal const string HeaderName = "PaxHeaders.0";

    private const int BlockSize = 512;
    private readonly byte[] _header = new byte[BlockSize];
    private int _headerFill = -1;

    /// <summary>Marks that the next bytes written start an entry (its first header block).</summary>
    public void BeginEntry() => _headerFill = 0;

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var taken = Capture(buffer);
        if (_headerFill == BlockSize) inner.Write(Scrubbed().Span);
        if (taken < buffer.Length) inner.Write(buffer[taken..]);
    }

    /// <inheritdoc/>
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var taken = Capture(buffer.Span);
        if (_headerFill == BlockSize) await inner.WriteAsync(Scrubbed(), cancellationToken).ConfigureAwait(false);
        if (taken < buffer.Length) await inner.WriteAsync(buffer[taken..], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Copies the start of an entry's first block aside; returns how many bytes it took.</summary>
    private int Capture(ReadOnlySpan<byte> buffer)
    {
        if (_headerFill < 0) return 0;
        var take = Math.Min(BlockSize - _headerFill, buffer.Length);
        buffer[..take].CopyTo(_header.AsSpan(_headerFill));
        _headerFill += take;
        return take;
    }

    /// <summary>The captured block, renamed and re-checksummed when it is an extended header.</summary>
    private ReadOnlyMemory<byte> Scrubbed()
    {
        _headerFill = -1;
        if (_header[156] is (byte)'x' or (byte)'g')
        {
            var name = _header.AsSpan(0, 100);
            name.Clear();
            Encoding.ASCII.GetBytes(HeaderName, name);
            var checksum = _header.AsSpan(148, 8);
            checksum.Fill((byte)' ');
            var sum = 0;
            foreach (var b in _header) sum += b;
            // Six octal digits, NUL, space: the layout TarWriter itself uses.
            Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0'), checksum);
            checksum[6] = 0;
        }
        return _header;
    }

    /// <inheritdoc/>
    public override void Flush() => inner.Flush();
    /// <inheritdoc/>
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
}
