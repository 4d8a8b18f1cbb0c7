using System.IO.Compression;

namespace Dockerless.Layers;

/// <summary>How a new layer is built. The defaults give reproducible layers: the same inputs, the same digests.</summary>
public sealed record LayerOptions
{
    /// <summary>The compression of the blob (gzip by default).</summary>
    public LayerCompression Compression { get; init; } = LayerCompression.Gzip;

    /// <summary>
    /// How hard gzip or zstd work: <see cref="System.IO.Compression.CompressionLevel.Optimal"/> (the
    /// default: gzip level 6, zstd level 3, what docker and crane use), Fastest, or SmallestSize.
    /// </summary>
    public CompressionLevel CompressionLevel { get; init; } = CompressionLevel.Optimal;

    /// <summary>
    /// gzip on every core (on by default): the tar is cut into 1 MiB blocks compressed as
    /// independent gzip members (a valid gzip file every reader accepts), so a build keeps up with
    /// <c>tar | pigz</c>. The bytes depend only on the content and the level, never on the number
    /// of cores or timing: the same input gives the same digest everywhere. The digest differs
    /// from single-stream gzip's (and the blob is some 0.2 % larger). Set false for one
    /// single-stream gzip member, at one core's speed.
    /// </summary>
    public bool ParallelGzip { get; init; } = true;

    /// <summary>
    /// The modification time of every entry, cut to whole seconds (as docker cuts mtimes, so that
    /// no entry needs a PAX header for a fraction); null (the default) means <see cref="Image.DefaultTimestamp"/>
    /// (SOURCE_DATE_EPOCH, else the Unix epoch), so host mtimes never reach the layer.
    /// </summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>The numeric owner of every entry (0, root, by default). Host owners never reach the layer.</summary>
    public int Uid { get; init; }

    /// <summary>The numeric group of every entry (0, root, by default).</summary>
    public int Gid { get; init; }

    /// <summary>Where a layer too large for memory is spooled (the system's temporary directory by default).</summary>
    public string? TemporaryDirectory { get; init; }

    /// <summary>Compressed layers up to this size stay in memory; larger ones go to an unlinked temporary file.</summary>
    internal int MemoryLimit { get; init; } = 4 * 1024 * 1024;

    internal static LayerOptions Default { get; } = new();
}
