namespace Dockerless.Locations;

/// <summary><c>oci-archive:PATH[:TAG]</c>: an OCI image layout in one tar.</summary>
public sealed record OciArchiveLocation : OciLocation
{
    private protected override string Canonical() => $"oci-archive:{Path}{(Tag is null ? "" : ":" + Tag)}";

    /// <summary>Writes the archive with the image alone, under <see cref="OciLocation.Tag"/> when given.</summary>
    public override async Task<Digest?> WriteImageAsync(Image image, RegistryPool? registries = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        Name(image);
        await image.WriteOciArchiveAsync(Path, cancellationToken).ConfigureAwait(false);
        return image.GetDigest();
    }

    /// <summary>Writes the archive with the index and its images, under <see cref="OciLocation.Tag"/> when given.</summary>
    public override async Task<Digest?> WriteIndexAsync(ImageIndex index, RegistryPool? registries = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        Name(index);
        await index.WriteOciArchiveAsync(Path, cancellationToken).ConfigureAwait(false);
        return index.GetDigest();
    }
}
