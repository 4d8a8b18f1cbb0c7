using System.Globalization;
using System.Text;

namespace Dockerless.Tests.Hostile;

/// <summary>
/// Writes tar bytes by hand, header field by header field, so tests can make what TarWriter
/// refuses to: size fields that lie, PAX records of any size, any type flag, any name.
/// </summary>
internal static class RawTar
{
    public const int Block = 512;

    /// <summary>A ustar header; <paramref name="size"/> is written as given, whatever data follows.</summary>
    public static byte[] Header(string name, char type = '0', long size = 0, string linkName = "", int devMajor = 0, int devMinor = 0)
    {
        var header = new byte[Block];
        Put(header, 0, 100, name);
        Octal(header, 100, 8, 0x1A4);
        Octal(header, 108, 8, 0);
        Octal(header, 116, 8, 0);
        Octal(header, 124, 12, size);
        Octal(header, 136, 12, 0);
        header[156] = (byte)type;
        Put(header, 157, 100, linkName);
        Put(header, 257, 6, "ustar\0");
        Put(header, 263, 2, "00");
        Octal(header, 329, 8, devMajor);
        Octal(header, 337, 8, devMinor);
        SetChecksum(header);
        return header;
    }

    /// <summary>A regular file: its header and its data padded to whole blocks.</summary>
    public static byte[] File(string name, byte[] data, char type = '0', string linkName = "")
        => [.. Header(name, type, data.Length, linkName), .. Padded(data)];

    /// <summary>A PAX extended header (type x) carrying <paramref name="records"/> for the next entry.</summary>
    public static byte[] Pax(params (string Key, string Value)[] records)
    {
        var body = new StringBuilder();
        foreach (var (key, value) in records) body.Append(PaxRecord(key, value));
        return File("PaxHeaders/entry", Encoding.UTF8.GetBytes(body.ToString()), type: 'x');
    }

    /// <summary>One "LEN key=value\n" record; LEN counts itself.</summary>
    public static string PaxRecord(string key, string value)
    {
        var rest = Encoding.UTF8.GetByteCount($" {key}={value}\n");
        var length = rest + 1;
        while (length.ToString(CultureInfo.InvariantCulture).Length + rest > length) length++;
        return $"{length.ToString(CultureInfo.InvariantCulture)} {key}={value}\n";
    }

    /// <summary>The two zero blocks that end an archive.</summary>
    public static byte[] End() => new byte[2 * Block];

    /// <summary>The parts joined, then the end marker.</summary>
    public static byte[] Archive(params byte[][] parts) => [.. parts.SelectMany(p => p), .. End()];

    public static byte[] Padded(byte[] data) => [.. data, .. new byte[(Block - data.Length % Block) % Block]];

    private static void Put(byte[] header, int offset, int length, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Array.Copy(bytes, 0, header, offset, Math.Min(bytes.Length, length));
    }

    private static void Octal(byte[] header, int offset, int length, long value)
        => Put(header, offset, length, Convert.ToString(value, 8).PadLeft(length - 1, '0') + "\0");

    private static void SetChecksum(byte[] header)
    {
        Array.Fill(header, (byte)' ', 148, 8);
        var sum = header.Sum(b => (int)b);
        Put(header, 148, 8, Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ");
    }
}
