namespace Dockerless.Graph;

/// <summary>
/// An OCI image layout, as a directory or an OCI archive: read through its files, written through
/// <see cref="OciLayoutWriter"/> when committed (into the directory, with blobs it has kept and
/// index.json replaced last; or as a new archive).
/// </summary>
internal sealed partial class LayoutStore(string path, bool archive, string where) : ContentStore
{
    private readonly OciLayoutPlan _plan = new([], []);
    private readonly HashSet<Digest> _planned = [];
    private ArchiveContents? _contents;

    public override string Where => where;

    private async Task<ArchiveContents> ContentsAsync(CancellationToken cancellationToken)
        => _contents ??= await ArchiveContents.OpenAsync(path, cancellationToken).ConfigureAwait(false);

    /// <summary>The one entry of index.json the ref name (or the layout's only name) gives; null when several are listed under it (one manifest per platform).</summary>
    public override async Task<Descriptor?> ResolveAsync(string? name, CancellationToken cancellationToken)
    {
        var contents = await ContentsAsync(cancellationToken).ConfigureAwait(false);
        var index = await OciLayoutReader.ReadIndexFileAsync(contents, cancellationToken).ConfigureAwait(false);
        var tops = OciLayoutReader.ChooseTops(where, index, name, oneName: true);
        return tops.DistinctBy(t => t.Digest).Count() == 1 ? tops[0] : null;
    }

    public override async Task<byte[]> ReadManifestAsync(Descriptor descriptor, CancellationToken cancellationToken)
        => await (await ContentsAsync(cancellationToken).ConfigureAwait(false)).ReadBlobAsync(descriptor, OciLayoutReader.IndexFile, cancellationToken).ConfigureAwait(false);

    public override Task<byte[]> ReadBlobAsync(Descriptor descriptor, CancellationToken cancellationToken) => ReadManifestAsync(descriptor, cancellationToken);

    public override async Task<Stream> OpenBlobAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        var contents = await ContentsAsync(cancellationToken).ConfigureAwait(false);
        var region = contents.Locate(ArchiveContents.BlobPath(descriptor.Digest), where);
        if (region.Length != descriptor.Size) throw new DigestMismatchException(region.What, descriptor.Digest, descriptor.Digest, descriptor.Size, region.Length);
        return new HashingStream(region.Open(), descriptor.Digest, descriptor.Size, region.What);
    }

    public override Task WriteBlobsAsync(IReadOnlyList<GraphBlob> blobs, CancellationToken cancellationToken)
    {
        foreach (var blob in blobs.Where(b => _planned.Add(b.Descriptor.Digest)))
        {
            _plan.Blobs.Add(new OciLayoutPlan.Blob(blob.Descriptor.Digest, blob.Descriptor.Size, null, blob.Open));
        }
        return Task.CompletedTask;
    }

    public override Task WriteManifestAsync(Descriptor descriptor, byte[] bytes, CancellationToken cancellationToken)
    {
        if (_planned.Add(descriptor.Digest)) _plan.Blobs.Add(new OciLayoutPlan.Blob(descriptor.Digest, bytes.Length, bytes, null));
        return Task.CompletedTask;
    }

    public override async Task TagAsync(Descriptor top, byte[] bytes, string name, string? tag, CancellationToken cancellationToken)
    {
        await WriteManifestAsync(top, bytes, cancellationToken).ConfigureAwait(false);
        _plan.Manifests.Add(new Descriptor
        {
            MediaType = top.MediaType,
            Digest = top.Digest,
            Size = top.Size,
            Platform = top.Platform,
            ArtifactType = top.ArtifactType,
            Annotations = OciLayoutPlan.Annotations(name, tag),
        });
    }

    public override Task CommitAsync(CancellationToken cancellationToken)
        => archive ? OciLayoutWriter.WriteArchiveAsync(path, _plan, cancellationToken) : OciLayoutWriter.WriteDirectoryAsync(path, _plan, cancellationToken);
}
