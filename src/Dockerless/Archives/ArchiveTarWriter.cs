using System.Formats.Tar;

namespace Dockerless.Archives;

/// <summary>
/// The outer tar of an archive, written reproducibly: uid and gid 0, no user or group names,
/// mode 0644 for files and 0755 for directories, and one fixed mtime. Entries go through
/// <see cref="ReproducibleTarWriter"/> (USTAR headers, PAX only for what does not fit, with
/// constant extended-header names) so the same image gives the same bytes in every process.
/// </summary>
internal sealed class ArchiveTarWriter(Stream output) : IAsyncDisposable
{
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode DirectoryMode = FileMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private readonly ReproducibleTarWriter _writer = new(output);
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _mtime = Image.DefaultTimestamp;

    /// <summary>Writes a small file.</summary>
    public async Task WriteFileAsync(string name, byte[] contents, CancellationToken cancellationToken)
    {
        await EnsureParentsAsync(name, cancellationToken).ConfigureAwait(false);
        var entry = Entry(TarEntryType.RegularFile, name, FileMode, size: contents.Length);
        entry.DataStream = new MemoryStream(contents, writable: false);
        await _writer.WriteAsync(entry, cancellationToken).ConfigureAwait(false);
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
        await _writer.WriteAsync(Entry(TarEntryType.SymbolicLink, name, DirectoryMode | UnixFileMode.UserWrite, linkName: target), cancellationToken).ConfigureAwait(false);
    }

    private async Task EnsureParentsAsync(string name, CancellationToken cancellationToken)
    {
        var slash = name.LastIndexOf('/');
        if (slash < 0) return;
        var parent = name[..slash];
        if (!_directories.Add(parent)) return;
        await EnsureParentsAsync(parent, cancellationToken).ConfigureAwait(false);
        await _writer.WriteAsync(Entry(TarEntryType.Directory, parent + "/", DirectoryMode), cancellationToken).ConfigureAwait(false);
    }

    private PosixTarEntry Entry(TarEntryType type, string name, UnixFileMode mode, long size = 0, string? linkName = null)
    {
        var entry = ReproducibleTarWriter.NewEntry(type, name, linkName, size, modificationTime: _mtime);
        entry.Mode = mode;
        return entry;
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
