using System.Globalization;
using System.Text;

namespace Dockerless.Unpacking;

/// <summary>
/// Reads the raw records of an entry's PAX header (<c>LEN key=value\n</c>). TarReader gives
/// values as strings decoded from UTF-8, which turns the bytes of a binary extended attribute
/// (a <c>security.capability</c> with bits above 0x7F) into U+FFFD; these are the bytes as written.
/// </summary>
internal static class PaxRecords
{
    /// <summary>The key prefix of an extended attribute's record.</summary>
    public const string XattrPrefix = "SCHILY.xattr.";

    /// <summary>The value of record <paramref name="key"/>, as text; null when absent (the last one wins, as in Go's archive/tar).</summary>
    public static string? Text(ReadOnlySpan<byte> records, string key)
    {
        string? value = null;
        foreach (var (name, start, length) in Enumerate(records))
        {
            if (name == key) value = Encoding.UTF8.GetString(records.Slice(start, length));
        }
        return value;
    }

    /// <summary>Every value of record <paramref name="key"/>, in header order (GNU sparse format 0.0 repeats its keys).</summary>
    public static List<string> Texts(ReadOnlySpan<byte> records, string key)
    {
        var values = new List<string>();
        foreach (var (name, start, length) in Enumerate(records))
        {
            if (name == key) values.Add(Encoding.UTF8.GetString(records.Slice(start, length)));
        }
        return values;
    }

    /// <summary>True when a record's key starts with <paramref name="prefix"/>.</summary>
    public static bool HasKeyStartingWith(ReadOnlySpan<byte> records, string prefix)
    {
        foreach (var (name, _, _) in Enumerate(records))
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    /// <summary>The extended attributes (<c>SCHILY.xattr.NAME</c> records) with their bytes, in header order.</summary>
    public static List<(string Name, byte[] Value)> Xattrs(ReadOnlySpan<byte> records)
    {
        var xattrs = new List<(string, byte[])>();
        foreach (var (name, start, length) in Enumerate(records))
        {
            if (!name.StartsWith(XattrPrefix, StringComparison.Ordinal) || name.Length == XattrPrefix.Length) continue;
            var attribute = name[XattrPrefix.Length..];
            xattrs.RemoveAll(x => x.Item1 == attribute);
            xattrs.Add((attribute, records.Slice(start, length).ToArray()));
        }
        return xattrs;
    }

    /// <summary>Each record's key and where its value lies; stops at the first malformed record (TarReader refuses those already).</summary>
    private static List<(string Key, int Start, int Length)> Enumerate(ReadOnlySpan<byte> records)
    {
        var found = new List<(string, int, int)>();
        var at = 0;
        while (at < records.Length)
        {
            var space = records[at..].IndexOf((byte)' ');
            if (space <= 0 || !int.TryParse(records.Slice(at, space), NumberStyles.None, CultureInfo.InvariantCulture, out var length)
                || length <= space + 1 || at + length > records.Length || records[at + length - 1] != (byte)'\n')
            {
                break;
            }
            var record = records.Slice(at + space + 1, length - space - 2);
            var equals = record.IndexOf((byte)'=');
            if (equals <= 0) break;
            found.Add((Encoding.UTF8.GetString(record[..equals]), at + space + 1 + equals + 1, record.Length - equals - 1));
            at += length;
        }
        return found;
    }
}
