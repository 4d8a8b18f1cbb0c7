using System.Formats.Tar;
using System.Globalization;

namespace Dockerless.Unpacking;

/// <summary>What a layer entry says about its node besides its type and contents.</summary>
/// <param name="Mode">Permission bits with setuid, setgid and sticky.</param>
/// <param name="Uid">The numeric owner (user names are ignored, as docker and umoci do).</param>
/// <param name="Gid">The numeric group.</param>
/// <param name="AccessTime">The PAX atime, else the modification time (umoci's choice).</param>
/// <param name="ModificationTime">To the nanosecond when a PAX <c>mtime</c> record gives it.</param>
/// <param name="Xattrs">The <c>SCHILY.xattr.*</c> records, with their bytes.</param>
internal sealed record EntryMetadata(uint Mode, int Uid, int Gid, Syscalls.Timespec AccessTime, Syscalls.Timespec ModificationTime, List<(string Name, byte[] Value)> Xattrs)
{
    public static EntryMetadata Of(TarEntry entry, ReadOnlySpan<byte> paxRecords)
    {
        var modification = ParseTime(PaxRecords.Text(paxRecords, "mtime")) ?? FromDateTime(entry.ModificationTime);
        var access = ParseTime(PaxRecords.Text(paxRecords, "atime")) ?? modification;
        return new EntryMetadata((uint)entry.Mode & 0xFFF, entry.Uid, entry.Gid, access, modification, PaxRecords.Xattrs(paxRecords));
    }

    /// <summary>The time an unpack gives what no entry describes (the root, parents no layer lists): the Unix epoch, as umoci gives the root.</summary>
    public static Syscalls.Timespec Epoch => default;

    /// <summary>A PAX time, <c>SECONDS[.FRACTION]</c> (maybe negative), to the nanosecond; null when absent or not a number.</summary>
    public static Syscalls.Timespec? ParseTime(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        var negative = text[0] == '-';
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? text : text[..dot];
        var fraction = dot < 0 ? "" : text[(dot + 1)..];
        if (!long.TryParse(whole, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)) return null;
        var digits = fraction.Length > 9 ? fraction[..9] : fraction.PadRight(9, '0');
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var nanoseconds)) return null;
        // -1.25 is 1.25 s before the epoch: -2 s plus 0.75 s.
        if (negative && nanoseconds > 0) return new Syscalls.Timespec { Seconds = seconds - 1, Nanoseconds = 1_000_000_000 - nanoseconds };
        return new Syscalls.Timespec { Seconds = seconds, Nanoseconds = nanoseconds };
    }

    private static Syscalls.Timespec FromDateTime(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return new Syscalls.Timespec
        {
            Seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var remainder) - (remainder < 0 ? 1 : 0),
            Nanoseconds = (remainder < 0 ? remainder + TimeSpan.TicksPerSecond : remainder) * 100,
        };
    }
}
