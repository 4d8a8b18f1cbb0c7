namespace Dockerless.Graph;

/// <summary>A blob to copy: its descriptor, where it lives when that is a registry (for mounts), and how to read it.</summary>
internal sealed record GraphBlob(Descriptor Descriptor, BlobOrigin? Origin, Func<CancellationToken, Task<Stream>> Open);

/// <summary>
/// Where manifests and blobs live, addressed by digest: a registry repository, an OCI layout
/// directory or an OCI archive. A source resolves a name to its top descriptor and reads
/// manifests and blobs, verified against their digests and sizes; a destination takes blobs,
/// then manifests (children before the indexes that list them), then the name, and keeps them
/// when committed. What a store cannot be (an OCI archive is written whole) says so.
/// </summary>
internal abstract partial class ContentStore
{
    /// <summary>The store as errors name it.</summary>
    public abstract string Where { get; }

    /// <summary>The top descriptor <paramref name="name"/> (a tag or digest; null: the store's only name) names, or null when it names no single graph.</summary>
    public abstract Task<Descriptor?> ResolveAsync(string? name, CancellationToken cancellationToken);

    /// <summary>A manifest or index, its bytes verified against <paramref name="descriptor"/>'s digest and size.</summary>
    public abstract Task<byte[]> ReadManifestAsync(Descriptor descriptor, CancellationToken cancellationToken);

    /// <summary>A small blob (a config) read whole, verified against <paramref name="descriptor"/>'s digest and size.</summary>
    public abstract Task<byte[]> ReadBlobAsync(Descriptor descriptor, CancellationToken cancellationToken);

    /// <summary>A blob as a stream that verifies <paramref name="descriptor"/>'s digest and size as it is read.</summary>
    public abstract Task<Stream> OpenBlobAsync(Descriptor descriptor, CancellationToken cancellationToken);

    /// <summary>Where a blob of this store lives in a registry, so that a push to the same registry mounts it; null elsewhere.</summary>
    public virtual BlobOrigin? Origin => null;

    /// <summary>Takes blobs (each once, streamed, skipped where the store has them already).</summary>
    public abstract Task WriteBlobsAsync(IReadOnlyList<GraphBlob> blobs, CancellationToken cancellationToken);

    /// <summary>Takes a manifest or index by its digest; every blob and manifest it lists is there already.</summary>
    public abstract Task WriteManifestAsync(Descriptor descriptor, byte[] bytes, CancellationToken cancellationToken);

    /// <summary>Takes the top manifest or index <paramref name="top"/> (its <paramref name="bytes"/>) and names it <paramref name="name"/>:<paramref name="tag"/>; a null tag leaves it known by digest only.</summary>
    public abstract Task TagAsync(Descriptor top, byte[] bytes, string name, string? tag, CancellationToken cancellationToken);

    /// <summary>Makes what was written visible (a layout's index.json, an archive's file); a registry has nothing left to do.</summary>
    public virtual Task CommitAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The image manifest <paramref name="top"/> leads to for <paramref name="platform"/>: itself, or
    /// through (nested) indexes the entry of that platform, else one without a platform; none is a
    /// <see cref="PlatformNotFoundException"/> listing every entry.
    /// </summary>
    public async Task<(Descriptor Descriptor, byte[] Bytes)> ImageManifestAsync(Descriptor top, Platform platform, CancellationToken cancellationToken)
    {
        var node = top;
        for (var depth = 0; ; depth++)
        {
            var bytes = await ReadManifestAsync(node, cancellationToken).ConfigureAwait(false);
            if (!MediaTypes.IsIndex(node.MediaType)) return (node, bytes);
            var what = $"{Where}@{node.Digest}";
            if (depth == IndexManifest.MaxNesting) throw IndexManifest.NestsTooDeep(what);
            var index = ManifestJsonContext.Parse(bytes, ManifestJsonContext.Documents.IndexManifest, what, "image index");
            node = index.Manifests.Where(m => m.Platform is { } p && platform.Matches(p)).OrderBy(m => m.Platform!.Variant == platform.Variant ? 0 : 1)
                    .Concat(index.Manifests.Where(m => m.Platform is null && GraphCopy.IsManifest(m)))
                    .FirstOrDefault()
                ?? throw new PlatformNotFoundException(what, platform, index.Manifests.Select(PlatformNotFoundException.Describe));
        }
    }
}
