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
}
