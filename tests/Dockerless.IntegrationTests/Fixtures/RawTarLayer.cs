using System.Formats.Tar;

namespace Dockerless.IntegrationTests.Fixtures;

/// <summary>An uncompressed layer over tar bytes the test wrote by hand (hostile ones included).</summary>
internal sealed class RawTarLayer(byte[] tar) : Layer
{
    public override Digest DiffId => Digest;
    public override Digest Digest { get; } = Digest.Compute(tar);
    public override long Size => tar.Length;
    public override string MediaType => MediaTypes.OciLayer;
    public override Task<Stream> OpenAsync(CancellationToken cancellationToken = default) => Task.FromResult<Stream>(new MemoryStream(tar, writable: false));

    /// <summary>Writes entries with TarWriter as given (no normalisation), so names like "../x" reach the layer.</summary>
    public static RawTarLayer Of(params IEnumerable<TarEntry> entries)
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in entries) writer.WriteEntry(entry);
        }
        return new RawTarLayer(stream.ToArray());
    }

    public static PaxTarEntry File(string name, string contents) => new(TarEntryType.RegularFile, name)
    {
        DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(contents)),
    };

    public static PaxTarEntry Link(TarEntryType type, string name, string target) => new(type, name) { LinkName = target };
}
