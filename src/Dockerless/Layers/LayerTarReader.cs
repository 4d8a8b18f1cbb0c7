using System.Formats.Tar;

namespace Dockerless.Layers;

/// <summary>One entry of a layer tar that passed <see cref="LayerTarReader"/>'s checks.</summary>
/// <param name="Path">The normalised path (no <c>./</c>, no leading <c>/</c>); the empty string only for the root directory, which a reader returns only when asked to.</param>
/// <param name="Entry">The entry as read; its data stream is valid until the next entry is read.</param>
/// <param name="LinkTarget">For a hard link, the normalised path of its target; else null.</param>
internal readonly record struct LayerTarEntry(string Path, TarEntry Entry, string? LinkTarget)
{
    public bool IsDirectory => Entry.EntryType == TarEntryType.Directory;
}

/// <summary>
/// Reads a layer's uncompressed tar and checks every entry the way docker does before anything
/// uses it: paths are normalised (<c>./</c> prefixes and a leading <c>/</c> dropped), a path or
/// hard link target whose <c>..</c> climbs above the root is refused with
/// <see cref="UnsafeTarEntryException"/>, unknown entry types and truncated or corrupt tars give
/// <see cref="InvalidLayerException"/>; both name the layer and the entry. Symbolic links may point
/// anywhere (they resolve inside the container). Device nodes and fifos are passed on: they are
/// only tar entries here, nothing is created on the host. The root entry (<c>./</c>) is skipped
/// unless <paramref name="keepRoot"/> is set; then it comes with the empty path (its mode, owner and
/// time are the root's, which docker's applier and umoci set from it).
/// Duplicate paths are all returned in order, so the last one wins, as in docker.
/// </summary>
internal sealed class LayerTarReader(Stream tar, string layer, bool keepRoot = false) : IAsyncDisposable
{
    private readonly TarMetadataGuard _guard = new(tar);
    private TarReader? _tarReader;
    private string? _last;

    private TarReader Reader => _tarReader ??= new TarReader(_guard);

    /// <summary>Names the layer in errors.</summary>
    public string Layer => layer;

    /// <summary>The raw PAX records of the entry read last (empty without a PAX header), for values TarReader decodes lossily.</summary>
    public ReadOnlyMemory<byte> PaxRecords => _guard.EntryPaxRecords;

    /// <summary>
    /// Reads a whole layer tar and checks every entry, for readers that only pass the blob on
    /// (archives); returns the number of entries.
    /// </summary>
    public static async Task<int> ValidateAsync(Stream tar, string layer, CancellationToken cancellationToken)
    {
        var reader = new LayerTarReader(tar, layer);
        await using (reader.ConfigureAwait(false))
        {
            var count = 0;
            while (await reader.NextAsync(cancellationToken).ConfigureAwait(false) is not null) count++;
            await reader.FinishAsync(cancellationToken).ConfigureAwait(false);
            return count;
        }
    }

    /// <summary>The next entry, or null at the end of the tar.</summary>
    public async ValueTask<LayerTarEntry?> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TarEntry? entry;
            try
            {
                entry = await Reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is EndOfStreamException or InvalidDataException or FormatException or ArgumentException or NotSupportedException or OverflowException)
            {
                throw Corrupt(e);
            }
            if (entry is null) return null;
            _last = entry.Name;
            if (SparseFile.IsSparse(entry, PaxRecords.Span))
            {
                try
                {
                    entry = await SparseFile.ExpandAsync(entry, PaxRecords, layer, cancellationToken).ConfigureAwait(false);
                }
                catch (EndOfStreamException e)
                {
                    throw Corrupt(e);
                }
                _last = entry.Name;
            }
            var checkedEntry = Check(entry);
            if (checkedEntry is not null) return checkedEntry;
        }
    }

    /// <summary>
    /// After the last entry: reads what follows the end-of-archive marker (padding, and for a
    /// compressed blob the rest of it), which TarReader leaves unread, so that the stream under
    /// it reaches its end and checks the digest (and diff_id) of all it read.
    /// </summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        try
        {
            await BlobCopy.DrainAsync(tar, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
        {
            throw Corrupt(e);
        }
    }

    /// <summary>The error for a read that failed in or after the current entry (a truncated tar).</summary>
    public InvalidLayerException Corrupt(Exception e)
        => new(layer, _last, $"truncated or corrupt tar{(_last is null ? "" : " (in or after this entry)")}: {e.Message}", e);

    private LayerTarEntry? Check(TarEntry entry)
    {
        var path = TarPath.Normalize(entry.Name)
            ?? throw new UnsafeTarEntryException(layer, entry.Name, "its path climbs above the root with \"..\"");
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                return path.Length == 0 && !keepRoot ? null : new LayerTarEntry(path, entry, null);
            case TarEntryType.SymbolicLink when entry.LinkName.Length == 0:
                // No filesystem can hold it (symlink(2) refuses an empty target) and no tar writer can write it back.
                throw new InvalidLayerException(layer, entry.Name, "a symbolic link with an empty target");
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile
                or TarEntryType.SymbolicLink or TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                return path.Length == 0 ? throw new InvalidLayerException(layer, entry.Name, "a non-directory entry at the root") : new LayerTarEntry(path, entry, null);
            case TarEntryType.HardLink:
                var target = TarPath.Normalize(entry.LinkName)
                    ?? throw new UnsafeTarEntryException(layer, entry.Name, $"its hard link target \"{entry.LinkName}\" climbs above the root");
                if (target.Length == 0 || target == path)
                {
                    throw new UnsafeTarEntryException(layer, entry.Name, $"invalid hard link target \"{entry.LinkName}\"");
                }
                return path.Length == 0 ? throw new InvalidLayerException(layer, entry.Name, "a hard link at the root") : new LayerTarEntry(path, entry, target);
            default:
                throw new InvalidLayerException(layer, entry.Name, $"unsupported tar entry type {entry.EntryType}");
        }
    }

    public ValueTask DisposeAsync() => Reader.DisposeAsync();
}
