using System.Formats.Tar;
using System.Text;

namespace Dockerless.Layers;

/// <summary>
/// Writes a PAX-format tar through <see cref="TarWriter"/> the way Go's archive/tar (and so
/// docker) does: a plain USTAR header when every field fits, a PAX extended header only when
/// one does not (long or non-ASCII names, huge files, extra attributes). Extended headers get a
/// constant name instead of TarWriter's process id, so equal entries give equal bytes.
/// </summary>
internal sealed class ReproducibleTarWriter : IAsyncDisposable
{
    private const long MaxOctal11 = (1L << 33) - 1;
    private const int MaxOctal7 = (1 << 21) - 1;

    /// <summary>Two zero blocks: the end of a tar, and all of an empty one.</summary>
    private const int EndOfArchiveLength = 1024;

    private readonly Stream _destination;
    private readonly PaxHeaderScrubber _scrubber;
    private readonly TarWriter _writer;
    private bool _wroteEntry;

    public ReproducibleTarWriter(Stream destination)
    {
        _destination = destination;
        _scrubber = new PaxHeaderScrubber(destination);
        _writer = new TarWriter(_scrubber, TarEntryFormat.Pax, leaveOpen: true);
    }

    /// <summary>
    /// A new entry in the smallest format that holds it: USTAR when every field fits its
    /// fixed-width slot, else PAX. <paramref name="extendedAttributes"/> (xattrs and the like)
    /// force PAX.
    /// </summary>
    public static PosixTarEntry NewEntry(TarEntryType type, string name, string? linkName = null, long size = 0, int uid = 0, int gid = 0,
        string userName = "", string groupName = "", int deviceMajor = 0, int deviceMinor = 0,
        IEnumerable<KeyValuePair<string, string>>? extendedAttributes = null, DateTimeOffset? modificationTime = null)
    {
        // A copied entry may carry any time (GNU base-256 headers hold negative or huge ones, PAX ones
        // fractions of a second, which umoci and containerd set on the file): only PAX can write those.
        var fitsUstar = extendedAttributes is null
            && (modificationTime is not { } time || (time.ToUnixTimeSeconds() is >= 0 and <= MaxOctal11 && IsWholeSecond(time)))
            && Fits(name, 100) && Fits(linkName ?? "", 100) && Fits(userName, 32) && Fits(groupName, 32)
            && size <= MaxOctal11 && uid is >= 0 and <= MaxOctal7 && gid is >= 0 and <= MaxOctal7
            && deviceMajor is >= 0 and <= MaxOctal7 && deviceMinor is >= 0 and <= MaxOctal7;
        PosixTarEntry entry = fitsUstar ? new UstarTarEntry(type, name) : new PaxTarEntry(type, name, extendedAttributes ?? []);
        if (linkName is not null) entry.LinkName = linkName;
        entry.Uid = uid;
        entry.Gid = gid;
        entry.UserName = userName;
        entry.GroupName = groupName;
        if (modificationTime is { } mtime) entry.ModificationTime = mtime;
        if (type is TarEntryType.CharacterDevice or TarEntryType.BlockDevice)
        {
            entry.DeviceMajor = deviceMajor;
            entry.DeviceMinor = deviceMinor;
        }
        return entry;
    }

    private static bool IsWholeSecond(DateTimeOffset time) => time.UtcTicks % TimeSpan.TicksPerSecond == 0;

    private static bool Fits(string value, int field) => value.Length <= field && Ascii.IsValid(value);

    /// <summary>Writes one entry (and its data stream, if any).</summary>
    public Task WriteAsync(TarEntry entry, CancellationToken cancellationToken) => WriteAsync(entry, null, cancellationToken);

    /// <summary>
    /// Writes one entry (and its data stream, if any), its PAX records named in
    /// <paramref name="rawValues"/> with these bytes rather than the UTF-8 of the entry's strings.
    /// </summary>
    public Task WriteAsync(TarEntry entry, IReadOnlyDictionary<string, byte[]>? rawValues, CancellationToken cancellationToken)
    {
        _scrubber.BeginEntry(rawValues);
        _wroteEntry = true;
        return _writer.WriteEntryAsync(entry, cancellationToken);
    }

    /// <summary>
    /// Writes the end-of-archive blocks, also when no entry was written (TarWriter then writes
    /// nothing, and an empty file is no tar: tar and umoci refuse it, and its gzip is empty too);
    /// leaves the destination open.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        await _scrubber.DisposeAsync().ConfigureAwait(false);
        if (!_wroteEntry) await _destination.WriteAsync(new byte[EndOfArchiveLength]).ConfigureAwait(false);
    }
}
