using System.Formats.Tar;
using System.Text.Unicode;

namespace Dockerless.Layers;

/// <summary>Re-creates a read tar entry under a normalised name for writing, keeping its metadata and extended attributes.</summary>
internal static class TarEntryCopy
{
    /// <summary>PAX keys TarWriter regenerates from the entry's own fields.</summary>
    private static readonly HashSet<string> s_regenerated = new(StringComparer.Ordinal)
    {
        "path", "linkpath", "size", "uid", "gid", "uname", "gname", "mtime", "atime", "ctime",
    };

    /// <summary>GNU tar's sparse file records, which describe the data as stored, not the file (<see cref="SparseFile"/>).</summary>
    private const string SparsePrefix = "GNU.sparse.";

    /// <summary>
    /// The extended attributes among an entry's raw PAX records whose bytes are no UTF-8 text
    /// (TarReader turned them into U+FFFD), by PAX key, for the writer to write as they were; null when none.
    /// </summary>
    public static Dictionary<string, byte[]>? BinaryXattrs(ReadOnlySpan<byte> paxRecords)
    {
        if (paxRecords.IndexOf("SCHILY.xattr."u8) < 0) return null;
        Dictionary<string, byte[]>? binary = null;
        foreach (var (name, value) in Unpacking.PaxRecords.Xattrs(paxRecords))
        {
            if (Utf8.IsValid(value)) continue;
            binary ??= new Dictionary<string, byte[]>(StringComparer.Ordinal);
            binary[Unpacking.PaxRecords.XattrPrefix + name] = value;
        }
        return binary;
    }

    /// <summary>
    /// A copy of <paramref name="source"/> named <paramref name="path"/> (a directory gets its
    /// trailing <c>/</c>); a hard link when <paramref name="hardLinkTo"/> is given. A regular file's
    /// data is streamed from the source entry, which must not have been advanced past, or from
    /// <paramref name="data"/>, whose length it takes.
    /// </summary>
    public static PosixTarEntry Create(TarEntry source, string path, string? hardLinkTo = null, Stream? data = null)
    {
        var type = hardLinkTo is not null ? TarEntryType.HardLink
            : source.EntryType is TarEntryType.V7RegularFile or TarEntryType.ContiguousFile ? TarEntryType.RegularFile
            : source.EntryType;
        var known = type != TarEntryType.RegularFile ? null
            : data is not null ? new KnownLengthStream(data, data.Length)
            : source.DataStream is { } stream ? new KnownLengthStream(stream, source.Length)
            : null;
        var attributes = source is PaxTarEntry pax
            ? pax.ExtendedAttributes.Where(a => !s_regenerated.Contains(a.Key) && !a.Key.StartsWith(SparsePrefix, StringComparison.Ordinal)).ToList()
            : [];
        var posix = source as PosixTarEntry;
        var entry = ReproducibleTarWriter.NewEntry(type, type == TarEntryType.Directory ? path + "/" : path,
            hardLinkTo ?? (type == TarEntryType.SymbolicLink ? source.LinkName : null),
            known?.Length ?? 0, source.Uid, source.Gid, posix?.UserName ?? "", posix?.GroupName ?? "",
            posix?.DeviceMajor ?? 0, posix?.DeviceMinor ?? 0, attributes.Count > 0 ? attributes : null, source.ModificationTime);
        entry.Mode = source.Mode;
        if (known is not null) entry.DataStream = known;
        return entry;
    }

    /// <summary>
    /// Presents an entry's unseekable data as seekable with a known length: TarWriter refuses
    /// unseekable data on an unseekable archive, though all it needs is the length up front.
    /// </summary>
    private sealed class KnownLengthStream(Stream inner, long length) : ReadOnlyStream
    {
        private long _position;

        public override int Read(Span<byte> buffer)
        {
            var wanted = Limit(buffer.Length);
            return Advance(wanted, wanted == 0 ? 0 : inner.Read(buffer[..wanted]));
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var wanted = Limit(buffer.Length);
            return Advance(wanted, wanted == 0 ? 0 : await inner.ReadAsync(buffer[..wanted], cancellationToken).ConfigureAwait(false));
        }

        private int Limit(int wanted) => (int)Math.Min(wanted, length - _position);

        /// <summary>Counts what was read; the data ending before its announced length means a truncated tar.</summary>
        private int Advance(int wanted, int read)
        {
            if (wanted > 0 && read == 0) throw new EndOfStreamException($"the entry's data ends after {_position} of {length} bytes");
            _position += read;
            return read;
        }

        public override long Seek(long offset, SeekOrigin origin)
        {
            var target = origin switch { SeekOrigin.Begin => offset, SeekOrigin.Current => _position + offset, _ => length + offset };
            return target == _position ? _position : throw new NotSupportedException("the entry's data can only be read forward");
        }

        public override bool CanSeek => true;
        public override long Length => length;
        public override long Position { get => _position; set => Seek(value, SeekOrigin.Begin); }
    }
}
