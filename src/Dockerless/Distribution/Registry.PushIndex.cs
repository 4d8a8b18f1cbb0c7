
namespace Dockerless.Distribution;

public sealed partial class Registry
{
    /// <summary>
    /// Pushes <paramref name="images"/> (one per platform) as one multi-platform image under
    /// <paramref name="name"/>:<paramref name="tag"/> and <paramref name="additionalTags"/>. Every
    /// blob moves once however many platforms share it (skipped, mounted or streamed as in
    /// <see cref="PushImageAsync"/>); each image's manifest is pushed by digest, then the index
    /// under each tag. Images loaded together from one index (<see cref="ImageLoadOptions.AllPlatforms"/>)
    /// and all unedited get that index byte for byte, so its digest is kept; otherwise a new index
    /// lists the manifests with the images' platforms. The images' own names and tags are not used.
    /// </summary>
    /// <returns>The digest of the pushed index.</returns>
    public async Task<Digest> PushIndexAsync(
        IReadOnlyList<Image> images, string name, string tag = ImageReference.DefaultTag, IEnumerable<string>? additionalTags = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentException.ThrowIfNullOrEmpty(tag);
        if (images.Count == 0) throw new ArgumentException("no image to push", nameof(images));
        var repository = RepositoryOf(name);
        var manifests = new List<OriginalManifest>();
        var blobs = new List<BlobSource>();
        foreach (var image in images)
        {
            var configBytes = image.GetConfigBytes();
            var manifest = image.GetManifest(configBytes);
            manifests.Add(manifest);
            blobs.AddRange(BlobsOf(image, configBytes, manifest));
        }
        await BlobMover.MoveAsync(this, repository, blobs, _options.MaxParallelBlobs, _options.Progress, cancellationToken).ConfigureAwait(false);
        foreach (var manifest in manifests.DistinctBy(m => m.Digest))
        {
            await _api.PutManifestAsync(repository, manifest.Digest.ToString(), manifest.Bytes, manifest.MediaType, cancellationToken).ConfigureAwait(false);
        }
        var index = OriginalIndex.For(images, manifests);
        foreach (var each in (additionalTags ?? []).Prepend(tag).Distinct(StringComparer.Ordinal))
        {
            await _api.PutManifestAsync(repository, each, index.Bytes, index.MediaType, cancellationToken).ConfigureAwait(false);
        }
        return index.Digest;
    }

    /// <summary>The blobs an image's manifest names: its config (from memory) and its layers (from wherever they live).</summary>
    private static IEnumerable<BlobSource> BlobsOf(Image image, byte[] configBytes, OriginalManifest manifest)
        => image.Layers.Zip(manifest.Manifest.Layers, (layer, descriptor) => new BlobSource(descriptor, layer.Origin, layer.OpenAsync))
            .Prepend(new BlobSource(manifest.Manifest.Config, null, _ => Task.FromResult<Stream>(new MemoryStream(configBytes, writable: false))));
}
