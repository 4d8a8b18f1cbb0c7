using System.Globalization;
using System.Text;

namespace Dockerless.Archives;

/// <summary>
/// Writes one regular-file tar entry whose size is not known before its data is streamed (a
/// layer being decompressed). TarWriter copies such a stream into memory first; here the header
/// goes out with size 0, the data is streamed into the (seekable) output, and the header is
/// rewritten with the real size. The header is plain ustar, sizes of 8 GiB and more in the
/// base-256 form GNU tar and Go's archive/tar read; a name too long for ustar gets a PAX
/// <c>path</c> record first (its length does not depend on the size).
/// </summary>
internal static class StreamingTarEntry
{
    private const int Block = 512;
    private const long MaxOctalSize = (1L << 33) - 1;

    /// <summary>Appends the entry at the output's current position; returns the number of data bytes.</summary>
    public static async Task<long> WriteAsync(Stream output, string name, UnixFileMode mode, DateTimeOffset mtime, Stream data, CancellationToken cancellationToken)
    {
        var header = new byte[Block];
        var seconds = Math.Max(0, mtime.ToUnixTimeSeconds());
        if (!TrySplitName(name, out var prefix, out var shortName))
        {
            await WritePaxPathAsync(output, name, seconds, cancellationToken).ConfigureAwait(false);
            (prefix, shortName) = ("", "pax-path-" + Digest.Compute(Encoding.UTF8.GetBytes(name)).Encoded[..32]);
        }
        var headerPosition = output.Position;
        Fill(header, shortName, prefix, (int)mode, 0, seconds, (byte)'0');
        await output.WriteAsync(header, cancellationToken).ConfigureAwait(false);

        var start = output.Position;
        await data.CopyToAsync(output, 1 << 20, cancellationToken).ConfigureAwait(false);
        var size = output.Position - start;
        await output.WriteAsync(new byte[Padding(size)], cancellationToken).ConfigureAwait(false);

        var end = output.Position;
        Fill(header, shortName, prefix, (int)mode, size, seconds, (byte)'0');
        output.Position = headerPosition;
        await output.WriteAsync(header, cancellationToken).ConfigureAwait(false);
        output.Position = end;
        return size;
    }

    private static int Padding(long size) => (int)((Block - (size % Block)) % Block);

    private static bool TrySplitName(string name, out string prefix, out string shortName)
    {
        prefix = "";
        shortName = name;
        if (Encoding.UTF8.GetByteCount(name) <= 100) return true;
        for (var slash = name.IndexOf('/', StringComparison.Ordinal); slash >= 0; slash = name.IndexOf('/', slash + 1))
        {
            if (slash <= 155 && Encoding.UTF8.GetByteCount(name[(slash + 1)..]) <= 100)
            {
                prefix = name[..slash];
                shortName = name[(slash + 1)..];
                return Encoding.UTF8.GetByteCount(prefix) <= 155;
            }
        }
        return false;
    }

    /// <summary>A PAX extended header ('x') whose only record is the entry's path.</summary>
    private static async Task WritePaxPathAsync(Stream output, string name, long seconds, CancellationToken cancellationToken)
    {
        var record = $" path={name}\n";
        var length = Encoding.UTF8.GetByteCount(record);
        var digits = length.ToString(CultureInfo.InvariantCulture).Length;
        while ((length + digits).ToString(CultureInfo.InvariantCulture).Length != digits) digits++;
        var body = Encoding.UTF8.GetBytes((length + digits).ToString(CultureInfo.InvariantCulture) + record);
        var header = new byte[Block];
        Fill(header, "PaxHeader", "", 0x1a4, body.Length, seconds, (byte)'x');
        await output.WriteAsync(header, cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(new byte[Padding(body.Length)], cancellationToken).ConfigureAwait(false);
    }

    private static void Fill(byte[] header, string name, string prefix, int mode, long size, long mtime, byte type)
    {
        Array.Clear(header);
        Encoding.UTF8.GetBytes(name, header.AsSpan(0, 100));
        Octal(header.AsSpan(100, 8), mode);
        Octal(header.AsSpan(108, 8), 0);
        Octal(header.AsSpan(116, 8), 0);
        if (size <= MaxOctalSize)
        {
            Octal(header.AsSpan(124, 12), size);
        }
        else
        {
            header[124] = 0x80;
            for (var i = 135; i > 124; i--, size >>= 8) header[i] = (byte)(size & 0xff);
        }
        Octal(header.AsSpan(136, 12), mtime);
        header[156] = type;
        "ustar\0"u8.CopyTo(header.AsSpan(257));
        "00"u8.CopyTo(header.AsSpan(263));
        Encoding.UTF8.GetBytes(prefix, header.AsSpan(345, 155));
        header.AsSpan(148, 8).Fill((byte)' ');
        var checksum = 0;
        foreach (var b in header) checksum += b;
        Octal(header.AsSpan(148, 7), checksum);
    }

    /// <summary>Zero-padded octal filling all but the last byte, which stays NUL.</summary>
    private static void Octal(Span<byte> field, long value)
    {
        var text = Convert.ToString(value, 8).PadLeft(field.Length - 1, '0');
        Encoding.ASCII.GetBytes(text, field);
        field[^1] = 0;
    }
}
