using System.Formats.Tar;
using System.IO.Compression;

namespace Dockerless.Building;

/// <summary>
/// A local archive that ADD extracts: a tar, plain or compressed with gzip, bzip2, xz or zstd
/// (told by its first bytes, as docker tells them). Entries keep their types, modes and owners
/// (or take <c>--chown</c>'s); a name that climbs above the destination is refused.
/// </summary>
internal sealed class TarArchive(string path, (int Uid, int Gid)? owner, LayerBuilder layer, ISet<string> directories, string scratch)
{
    /// <summary>Whether the file at <paramref name="file"/> is a tar archive, compressed or not.</summary>
    public static async Task<bool> IsArchiveAsync(string file, CancellationToken cancellationToken)
    {
        var stream = await OpenAsync(file, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var header = new byte[512];
            try
            {
                var read = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                return read == header.Length && HasTarChecksum(header);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or ZstdSharp.ZstdException or SharpCompress.Common.ArchiveException)
            {
                return false;
            }
        }
    }

    /// <summary>Adds every entry under <paramref name="destination"/>.</summary>
    public async Task ExtractAsync(string destination, CancellationToken cancellationToken)
    {
        var files = new Dictionary<string, (string Spool, ulong Id)>(StringComparer.Ordinal);
        var stream = await OpenAsync(path, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var reader = new TarReader(stream);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    var name = TarPath.Normalize(entry.Name) ?? throw new UnsafeTarEntryException(path, entry.Name, "the name climbs above the destination");
                    if (name.Length == 0) continue;
                    var target = TarPath.Join(destination, name);
                    var uid = owner?.Uid ?? entry.Uid;
                    var gid = owner?.Gid ?? entry.Gid;
                    var mode = entry.Mode;
                    LayerEntry? added = entry.EntryType switch
                    {
                        TarEntryType.Directory => new LayerEntry(TarEntryType.Directory, mode),
                        TarEntryType.SymbolicLink => new LayerEntry(TarEntryType.SymbolicLink, mode) { LinkTarget = entry.LinkName },
                        TarEntryType.HardLink when files.TryGetValue(TarPath.Normalize(entry.LinkName) ?? "", out var linked) =>
                            new LayerEntry(TarEntryType.RegularFile, mode) { HostPath = linked.Spool, Identity = (ulong.MaxValue, linked.Id) },
                        TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile => await SpoolAsync(entry, files, name, cancellationToken).ConfigureAwait(false),
                        TarEntryType.Fifo => new LayerEntry(TarEntryType.Fifo, mode),
                        TarEntryType.CharacterDevice or TarEntryType.BlockDevice when entry is PosixTarEntry device =>
                            new LayerEntry(entry.EntryType, mode) { DeviceMajor = device.DeviceMajor, DeviceMinor = device.DeviceMinor },
                        TarEntryType.HardLink => throw new UnsafeTarEntryException(path, entry.Name, $"a hard link to {entry.LinkName}, which the archive does not hold before it"),
                        _ => null,
                    };
                    if (added is null) continue;
                    layer.Add(target, added.WithOwner(added.Mode, uid, gid));
                    if (added.Type == TarEntryType.Directory) directories.Add(target);
                }
            }
        }
    }

    /// <summary>Writes a file entry's data into the scratch directory, so that the layer streams it from disk.</summary>
    /// <remarks>Every file gets an identity of its own, so that a later hard link to it is written as one.</remarks>
    private async Task<LayerEntry> SpoolAsync(TarEntry entry, Dictionary<string, (string Spool, ulong Id)> files, string name, CancellationToken cancellationToken)
    {
        var spooled = Path.Combine(scratch, Guid.NewGuid().ToString("N"));
        var output = new FileStream(spooled, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        await using (output.ConfigureAwait(false))
        {
            if (entry.DataStream is { } data) await data.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
        }
        var id = (ulong)files.Count;
        files[name] = (spooled, id);
        return new LayerEntry(TarEntryType.RegularFile, entry.Mode) { HostPath = spooled, Identity = (ulong.MaxValue, id) };
    }

    /// <summary>The file decompressed as its magic bytes say.</summary>
    private static async Task<Stream> OpenAsync(string file, CancellationToken cancellationToken)
    {
        var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var magic = new byte[6];
        var read = await stream.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        stream.Position = 0;
        var head = magic.AsSpan(0, read);
        if (head.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B])) return new GZipStream(stream, CompressionMode.Decompress);
        if (head.StartsWith("BZh"u8)) return SharpCompress.Compressors.BZip2.BZip2Stream.Create(stream, SharpCompress.Compressors.CompressionMode.Decompress, decompressConcatenated: true, leaveOpen: false, tolerateTruncatedStream: false);
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00])) return new SharpCompress.Compressors.Xz.XZStream(stream);
        if (head.StartsWith((ReadOnlySpan<byte>)[0x28, 0xB5, 0x2F, 0xFD])) return new ZstdSharp.DecompressionStream(stream);
        return stream;
    }

    /// <summary>Whether <paramref name="header"/> is a tar header: its checksum field matches its bytes.</summary>
    private static bool HasTarChecksum(byte[] header)
    {
        var field = System.Text.Encoding.ASCII.GetString(header, 148, 8).Trim(' ', '\0');
        if (field.Length == 0 || !field.All(c => c is >= '0' and <= '7')) return false;
        var expected = Convert.ToInt64(field, 8);
        long sum = 0;
        for (var i = 0; i < header.Length; i++) sum += i is >= 148 and < 156 ? ' ' : header[i];
        return sum == expected;
    }
}
