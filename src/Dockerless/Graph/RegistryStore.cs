namespace Dockerless.Graph;

/// <summary>A repository of a registry, through a <see cref="Registry"/> client: blobs move as pushes move them (skipped, mounted or streamed).</summary>
internal sealed partial class RegistryStore(Registry registry, string repository) : ContentStore
{
    private readonly Dictionary<Digest, byte[]> _resolved = [];

    public override string Where => $"{registry.Host}/{repository}";

    public override BlobOrigin? Origin => new(registry, repository);

    public override async Task<Descriptor?> ResolveAsync(string? name, CancellationToken cancellationToken)
        => await TopAsync(name ?? ImageReference.DefaultTag, cancellationToken).ConfigureAwait(false);

    /// <summary>The manifest or index <paramref name="reference"/> (a tag or digest) names, its bytes kept for the walk.</summary>
    public async Task<Descriptor> TopAsync(string reference, CancellationToken cancellationToken)
    {
        var top = await registry.Api.GetManifestAsync(repository, reference, cancellationToken).ConfigureAwait(false);
        _resolved[top.Digest] = top.RawBytes;
        return new Descriptor { MediaType = top.MediaType, Digest = top.Digest, Size = top.RawBytes.Length };
    }

    public override async Task<byte[]> ReadManifestAsync(Descriptor descriptor, CancellationToken cancellationToken)
        => _resolved.GetValueOrDefault(descriptor.Digest)
            ?? (await registry.Api.GetManifestAsync(repository, descriptor, cancellationToken).ConfigureAwait(false)).RawBytes;

    public override Task<byte[]> ReadBlobAsync(Descriptor descriptor, CancellationToken cancellationToken)
        => registry.ReadBlobAsync(repository, descriptor, cancellationToken);

    public override Task<Stream> OpenBlobAsync(Descriptor descriptor, CancellationToken cancellationToken)
        => registry.OpenBlobAsync(repository, descriptor, cancellationToken);

    public override Task WriteBlobsAsync(IReadOnlyList<GraphBlob> blobs, CancellationToken cancellationToken)
        => BlobMover.MoveAsync(registry, repository, blobs.Select(b => new BlobSource(b.Descriptor, b.Origin, b.Open)), registry.MaxParallelBlobs, registry.Progress, cancellationToken);

    public override Task WriteManifestAsync(Descriptor descriptor, byte[] bytes, CancellationToken cancellationToken)
        => registry.Api.PutManifestAsync(repository, descriptor.Digest.ToString(), bytes, MediaTypeOf(descriptor, bytes), cancellationToken);

    public override Task TagAsync(Descriptor top, byte[] bytes, string name, string? tag, CancellationToken cancellationToken)
        => registry.Api.PutManifestAsync(repository, tag ?? top.Digest.ToString(), bytes, MediaTypeOf(top, bytes), cancellationToken);

    /// <summary>
    /// The media type to put a manifest with: the document's own where it names one (a registry
    /// refuses any other, and an index or layout may list it under another), else its descriptor's.
    /// </summary>
    private string MediaTypeOf(Descriptor descriptor, byte[] bytes)
        => RawManifest.Parse(bytes, GraphCopy.IsManifest(descriptor) ? descriptor.MediaType : null, $"{Where}@{descriptor.Digest}", descriptor.Digest).MediaType;
}
