namespace Dockerless.Locations;

/// <summary><c>oci:PATH[:TAG]</c>: an OCI image layout directory.</summary>
public sealed record OciLayoutLocation : OciLocation
{
    private protected override string Canonical() => $"oci:{Path}{(Tag is null ? "" : ":" + Tag)}";

    /// <summary>Adds the image to the layout (made when missing), under <see cref="OciLocation.Tag"/> alone when given.</summary>
    public override async Task<Digest?> WriteImageAsync(Image image, RegistryPool? registries = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        Name(image);
        await image.WriteOciLayoutAsync(Path, cancellationToken).ConfigureAwait(false);
        return image.GetDigest();
    }

    /// <summary>Adds the index and its images to the layout, under <see cref="OciLocation.Tag"/> alone when given.</summary>
    public override async Task<Digest?> WriteIndexAsync(ImageIndex index, RegistryPool? registries = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        Name(index);
        await index.WriteOciLayoutAsync(Path, cancellationToken).ConfigureAwait(false);
        return index.GetDigest();
    }

    /// <summary>
    /// Removes the blobs no entry of <c>index.json</c> reaches (through nested indexes, manifests,
    /// configs, layers and subjects) and the temporary folders of writers that died, under the
    /// layout's lock, so writers running meanwhile lose nothing. With <paramref name="dryRun"/>,
    /// only lists them. The layout's tag in <see cref="OciLocation.Tag"/> plays no part.
    /// </summary>
    /// <exception cref="InvalidImageFormatException">The directory is not an OCI layout, or a manifest or index in it is not JSON.</exception>
    /// <exception cref="DigestMismatchException">A manifest or index does not match its digest: nothing is removed.</exception>
    public Task<GarbageCollectionResult> CollectGarbageAsync(bool dryRun = false, CancellationToken cancellationToken = default)
        => OciLayoutCollector.CollectAsync(Path, dryRun, cancellationToken);
}
