using System.Formats.Tar;

namespace Dockerless.Archives;

/// <summary>
/// The outer tar of an archive, written reproducibly: PAX entries with uid and gid 0, no user
/// or group names, mode 0644 for files and 0755 for directories, and one fixed mtime.
/// </summary>
internal sealed class ArchiveTarWriter(Stream output) : IAsyncDisposable
{
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode DirectoryMode = FileMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private readonly TarWriter _writer = new(output, TarEntryFormat.Pax, leaveOpen: true);
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _mtime = Image.DefaultTimestamp;

    /// <summary>Writes a small file.</summary>
    public async Task WriteFileAsync(string name, byte[] contents, CancellationToken cancellationToken)
    {
        await EnsureParentsAsync(name, cancellationToken).ConfigureAwait(false);
        await _writer.WriteEntryAsync(Entry(TarEntryType.RegularFile, name, FileMode, new MemoryStream(contents, writable: false)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Streams a file (a layer blob, maybe being decompressed) into the archive without holding
    /// it in memory; the output must be seekable (see <see cref="StreamingTarEntry"/>).
    /// </summary>
    public async Task WriteFileAsync(string name, Stream contents, CancellationToken cancellationToken)
    {
        await EnsureParentsAsync(name, cancellationToken).ConfigureAwait(false);
        await StreamingTarEntry.WriteAsync(output, name, FileMode, _mtime, contents, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a symbolic link (docker save links a layer.tar it already wrote).</summary>
    public async Task WriteSymlinkAsync(string name, string target, CancellationToken cancellationToken)
    {
        await EnsureParentsAsync(name, cancellationToken).ConfigureAwait(false);
        var entry = Entry(TarEntryType.SymbolicLink, name, DirectoryMode | UnixFileMode.UserWrite, null);
        entry.LinkName = target;
        await _writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
    }

    private async Task EnsureParentsAsync(string name, CancellationToken cancellationToken)
    {
        var slash = name.LastIndexOf('/');
        if (slash < 0) return;
        var parent = name[..slash];
        if (!_directories.Add(parent)) return;
        await EnsureParentsAsync(parent, cancellationToken).ConfigureAwait(false);
        await _writer.WriteEntryAsync(Entry(TarEntryType.Directory, parent + "/", DirectoryMode, null), cancellationToken).ConfigureAwait(false);
    }

    private PaxTarEntry Entry(TarEntryType type, string name, UnixFileMode mode, Stream? data)
    {
        var entry = new PaxTarEntry(type, name)
        {
            Mode = mode,
            Uid = 0,
            Gid = 0,
            UserName = "",
            GroupName = "",
            ModificationTime = _mtime,
        };
        if (data is not null) entry.DataStream = data;
        return entry;
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
