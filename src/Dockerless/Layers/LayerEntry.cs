using System.Formats.Tar;

namespace Dockerless.Layers;

/// <summary>One entry a <see cref="LayerBuilder"/> will write: where its bytes come from and its mode.</summary>
internal sealed class LayerEntry(TarEntryType type, UnixFileMode mode)
{
    public TarEntryType Type { get; } = type;
    public UnixFileMode Mode { get; init; } = mode;
    /// <summary>The entry's owner, over <see cref="LayerOptions.Uid"/>; null takes the options'.</summary>
    public int? Uid { get; init; }
    /// <summary>The entry's group, over <see cref="LayerOptions.Gid"/>; null takes the options'.</summary>
    public int? Gid { get; init; }
    public string? HostPath { get; init; }
    public byte[]? Contents { get; init; }
    public string? LinkTarget { get; init; }
    /// <summary>Set for host files with several hard links: the second path written becomes a hard link.</summary>
    public (ulong Device, ulong Inode)? Identity { get; init; }
    public int DeviceMajor { get; init; }
    public int DeviceMinor { get; init; }

    /// <summary>A whiteout or opaque marker: it adds nothing, so it needs no parent directory entries.</summary>
    public bool IsWhiteout { get; private init; }

    /// <summary>This entry with <paramref name="mode"/> and the owner <paramref name="uid"/>:<paramref name="gid"/>.</summary>
    public LayerEntry WithOwner(UnixFileMode mode, int uid, int gid) => new(Type, mode)
    {
        HostPath = HostPath,
        Contents = Contents,
        LinkTarget = LinkTarget,
        Identity = Identity,
        DeviceMajor = DeviceMajor,
        DeviceMinor = DeviceMinor,
        Uid = uid,
        Gid = gid,
    };

    public static LayerEntry Whiteout() => new(TarEntryType.RegularFile, 0) { Contents = [], IsWhiteout = true };

    public static LayerEntry FromHost(string hostPath, HostFileInfo info) => info.Kind switch
    {
        HostFileKind.Directory => new(TarEntryType.Directory, info.Mode),
        HostFileKind.SymbolicLink => new(TarEntryType.SymbolicLink, info.Mode) { LinkTarget = UndecodableNames.LinkTarget(hostPath) },
        HostFileKind.Fifo => new(TarEntryType.Fifo, info.Mode),
        HostFileKind.CharacterDevice => new(TarEntryType.CharacterDevice, info.Mode) { DeviceMajor = info.DeviceMajor, DeviceMinor = info.DeviceMinor },
        HostFileKind.BlockDevice => new(TarEntryType.BlockDevice, info.Mode) { DeviceMajor = info.DeviceMajor, DeviceMinor = info.DeviceMinor },
        _ => new(TarEntryType.RegularFile, info.Mode) { HostPath = hostPath, Identity = info.LinkCount > 1 ? info.Identity : null },
    };

    /// <summary>Writes the entry as <paramref name="path"/>, or as a hard link to <paramref name="hardLinkTarget"/>.</summary>
    public async Task WriteAsync(ReproducibleTarWriter writer, string path, string? hardLinkTarget, DateTimeOffset timestamp, LayerOptions options, CancellationToken cancellationToken)
    {
        Stream? data = null;
        try
        {
            var type = hardLinkTarget is null ? Type : TarEntryType.HardLink;
            if (type == TarEntryType.RegularFile)
            {
                data = Contents is not null
                    ? new MemoryStream(Contents, writable: false)
                    : new UnchangingFileStream(new FileStream(HostPath!, System.IO.FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan), HostPath!);
            }
            var name = type == TarEntryType.Directory ? path + "/" : path;
            // The time goes to NewEntry so that one USTAR cannot hold (before 1970, after 2242) makes the entry PAX.
            var entry = ReproducibleTarWriter.NewEntry(type, name, hardLinkTarget ?? LinkTarget, data?.Length ?? 0, Uid ?? options.Uid, Gid ?? options.Gid,
                deviceMajor: DeviceMajor, deviceMinor: DeviceMinor, modificationTime: timestamp);
            entry.Mode = Mode;
            if (data is not null) entry.DataStream = data;
            await writer.WriteAsync(entry, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (data is not null) await data.DisposeAsync().ConfigureAwait(false);
        }
    }
}
