using System.Formats.Tar;

namespace Dockerless.Archives;

/// <summary>
/// The entries of a tar file, found in one pass over its headers: each regular file is kept as
/// the offset and length of its data (never read here), links as the path they lead to.
/// </summary>
internal sealed class TarContents : ArchiveContents
{
    private const int MaxLinkHops = 16;

    private readonly string _file;
    private readonly Dictionary<string, FileRegion> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _links = new(StringComparer.Ordinal);

    private TarContents(string file) => _file = file;

    public override string Source => _file;

    public override bool TryLocate(string path, out FileRegion region)
    {
        for (var hop = 0; hop < MaxLinkHops; hop++)
        {
            if (_files.TryGetValue(path, out region!)) return true;
            if (!_links.TryGetValue(path, out var next)) return false;
            path = next;
        }
        throw new UnsafeArchivePathException(_file, path, $"is part of a chain of more than {MaxLinkHops} links");
    }

    /// <summary>Reads every header of <paramref name="file"/>, skipping over the data.</summary>
    public static async Task<TarContents> ScanAsync(string file, CancellationToken cancellationToken)
    {
        var contents = new TarContents(file);
        var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            if (await FileLayer.SniffCompressionAsync(new FileRegion(file, 0, stream.Length, file), cancellationToken).ConfigureAwait(false) != LayerCompression.None)
            {
                // Layer offsets need random access, which a compressed archive does not give.
                throw new CorruptArchiveException($"{file}: the archive is compressed (as `docker save | gzip` makes it); decompress it to a plain tar first");
            }
            var reader = new TarReader(new TarMetadataGuard(stream, leaveOpen: true));
            await using (reader.ConfigureAwait(false))
            {
                var last = "(the first entry)";
                while (true)
                {
                    TarEntry? entry;
                    try
                    {
                        entry = await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is EndOfStreamException or InvalidDataException or FormatException or ArgumentException or NotSupportedException or OverflowException)
                    {
                        throw new CorruptArchiveException($"{file}: truncated or not a tar archive: cannot read the header after \"{last}\": {e.Message}", e);
                    }
                    if (entry is null) break;
                    contents.Add(entry, stream.Length);
                    last = entry.Name;
                }
            }
        }
        return contents;
    }

    private void Add(TarEntry entry, long fileLength)
    {
        var name = ArchivePaths.Check(_file, entry.Name);
        switch (entry.EntryType)
        {
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                if (entry.DataOffset < 0 || entry.DataOffset + entry.Length > fileLength)
                {
                    throw new CorruptArchiveException(
                        $"{_file}: truncated: entry \"{name}\" needs {entry.Length} bytes from offset {entry.DataOffset}, the file ends at {fileLength}");
                }
                _files[name] = new FileRegion(_file, entry.DataOffset, entry.Length, $"{_file}: entry \"{name}\"");
                break;
            case TarEntryType.SymbolicLink:
                _links[name] = ArchivePaths.ResolveLink(_file, name, entry.LinkName);
                break;
            case TarEntryType.HardLink:
                _links[name] = ArchivePaths.Check(_file, entry.LinkName);
                break;
            default:
                break;
        }
    }
}
