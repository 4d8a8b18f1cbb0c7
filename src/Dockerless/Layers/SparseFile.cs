using System.Formats.Tar;
using System.Globalization;

namespace Dockerless.Layers;

/// <summary>
/// GNU tar's sparse files in PAX form (<c>tar --sparse --format=pax</c>), formats 0.0, 0.1 and
/// 1.0, read as Go's archive/tar (and so docker, containerd and umoci) reads them: under their
/// real name (<c>GNU.sparse.name</c>, not the <c>GNUSparseFile.N/NAME</c> of the header) and
/// real size, the holes filled with zeros. A whiteout then deletes them like any file, and
/// every writer writes them expanded, as a regular file, as Go's writer does.
/// </summary>
internal static class SparseFile
{
    private const string Prefix = "GNU.sparse.";

    /// <summary>The most map entries a sparse file may have (16 bytes each in memory).</summary>
    internal const int MaxMapEntries = 1 << 20;

    /// <summary>True when the entry's PAX records describe a sparse file.</summary>
    public static bool IsSparse(TarEntry entry, ReadOnlySpan<byte> paxRecords)
        => entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && Unpacking.PaxRecords.HasKeyStartingWith(paxRecords, Prefix);

    /// <summary>
    /// The entry as the file it stands for: its real name and size, its data the chunks with the
    /// holes between them as zeros, its other metadata kept. A map that does not fit the entry
    /// (chunks out of order or overlapping, past the real size, or more or fewer bytes than the
    /// entry holds) is an <see cref="InvalidLayerException"/>.
    /// </summary>
    public static async Task<TarEntry> ExpandAsync(TarEntry entry, ReadOnlyMemory<byte> paxRecords, string layer, CancellationToken cancellationToken)
    {
        var records = paxRecords.Span;
        var name = Unpacking.PaxRecords.Text(records, Prefix + "name") ?? entry.Name;
        var data = entry.DataStream ?? Stream.Null;
        long mapBytes = 0;
        List<(long Offset, long Length)> map;
        string? realSize;
        if (Unpacking.PaxRecords.Text(records, Prefix + "major") is { } major)
        {
            if (major != "1" || Unpacking.PaxRecords.Text(records, Prefix + "minor") != "0")
            {
                throw new InvalidLayerException(layer, name, $"a sparse file of format {major}.{Unpacking.PaxRecords.Text(records, Prefix + "minor")} (known: 0.0, 0.1, 1.0)");
            }
            realSize = Unpacking.PaxRecords.Text(records, Prefix + "realsize");
            (map, mapBytes) = await ReadMapAsync(data, layer, name, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            realSize = Unpacking.PaxRecords.Text(records, Prefix + "size");
            map = Unpacking.PaxRecords.Text(records, Prefix + "map") is { } text
                ? Pairs(text.Split(','), layer, name)
                : Pairs(Interleave(Unpacking.PaxRecords.Texts(records, Prefix + "offset"), Unpacking.PaxRecords.Texts(records, Prefix + "numbytes"), layer, name), layer, name);
        }
        var size = Number(realSize ?? throw new InvalidLayerException(layer, name, "a sparse file without its real size"), layer, name);
        long end = 0;
        long stored = 0;
        foreach (var (offset, length) in map)
        {
            if (offset < end || length > size - offset) throw new InvalidLayerException(layer, name, $"a sparse map whose chunk at {offset} ({length} bytes) overlaps the one before or passes the size, {size} bytes");
            end = offset + length;
            stored += length;
        }
        if (stored != entry.Length - mapBytes)
        {
            throw new InvalidLayerException(layer, name, $"a sparse map of {stored} bytes of data, but the entry holds {entry.Length - mapBytes}");
        }
        return TarEntryCopy.Create(entry, name, data: new ExpandingStream(data, map, size));
    }

    private static List<string> Interleave(List<string> offsets, List<string> lengths, string layer, string name)
    {
        if (offsets.Count != lengths.Count) throw new InvalidLayerException(layer, name, $"a sparse map of {offsets.Count} offsets and {lengths.Count} lengths");
        return [.. offsets.Zip(lengths).SelectMany(p => new[] { p.First, p.Second })];
    }

    private static List<(long, long)> Pairs(IReadOnlyList<string> numbers, string layer, string name)
    {
        if (numbers.Count % 2 != 0) throw new InvalidLayerException(layer, name, "a sparse map with an odd count of numbers");
        if (numbers.Count / 2 > MaxMapEntries) throw new InvalidLayerException(layer, name, $"a sparse map of more than {MaxMapEntries} chunks");
        var pairs = new List<(long, long)>(numbers.Count / 2);
        for (var i = 0; i < numbers.Count; i += 2) pairs.Add((Number(numbers[i], layer, name), Number(numbers[i + 1], layer, name)));
        return pairs;
    }

    /// <summary>Format 1.0's map at the start of the data: decimal lines (the count, then offset and length of each chunk), padded to 512 bytes.</summary>
    private static async Task<(List<(long, long)> Map, long Bytes)> ReadMapAsync(Stream data, string layer, string name, CancellationToken cancellationToken)
    {
        var numbers = new List<string>();
        var block = new byte[512];
        var current = new System.Text.StringBuilder();
        long read = 0;
        long? wanted = null;
        while (wanted is null || numbers.Count < wanted)
        {
            await data.ReadExactlyAsync(block, cancellationToken).ConfigureAwait(false);
            read += block.Length;
            foreach (var b in block)
            {
                if (wanted is not null && numbers.Count >= wanted) break;
                if (b == '\n')
                {
                    numbers.Add(current.ToString());
                    current.Clear();
                    if (wanted is null)
                    {
                        var count = Number(numbers[0], layer, name);
                        if (count > MaxMapEntries) throw new InvalidLayerException(layer, name, $"a sparse map of more than {MaxMapEntries} chunks");
                        wanted = 1 + (2 * count);
                    }
                }
                else if (b is >= (byte)'0' and <= (byte)'9' && current.Length < 20)
                {
                    current.Append((char)b);
                }
                else
                {
                    throw new InvalidLayerException(layer, name, "a sparse map that is not decimal lines");
                }
            }
        }
        return (Pairs(numbers[1..], layer, name), read);
    }

    private static long Number(string text, string layer, string name)
        => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidLayerException(layer, name, $"a sparse map number \"{text}\" that is not a whole number");

    /// <summary>The file's bytes: zeros for the holes, the entry's data for the chunks, <paramref name="size"/> in all.</summary>
    private sealed class ExpandingStream(Stream data, List<(long Offset, long Length)> map, long size) : ReadOnlyStream
    {
        private long _position;
        private int _chunk;

        public override long Length => size;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            while (_chunk < map.Count && _position >= map[_chunk].Offset + map[_chunk].Length) _chunk++;
            var wanted = (int)Math.Min(buffer.Length, size - _position);
            if (wanted <= 0) return 0;
            int count;
            if (_chunk < map.Count && _position >= map[_chunk].Offset)
            {
                var inChunk = (int)Math.Min(wanted, map[_chunk].Offset + map[_chunk].Length - _position);
                count = await data.ReadAsync(buffer[..inChunk], cancellationToken).ConfigureAwait(false);
                if (count == 0) throw new EndOfStreamException($"the sparse file's data ends at {_position} of {size} bytes");
            }
            else
            {
                var hole = _chunk < map.Count ? map[_chunk].Offset - _position : size - _position;
                count = (int)Math.Min(wanted, hole);
                buffer.Span[..count].Clear();
            }
            _position += count;
            return count;
        }
    }
}
