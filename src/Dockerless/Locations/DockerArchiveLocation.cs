namespace Dockerless.Locations;

/// <summary><c>docker-archive:PATH[:REF]</c>: a tar as <c>docker save</c> writes it.</summary>
public sealed record DockerArchiveLocation : ImageLocation
{
    /// <summary>The tar file.</summary>
    public required string Path { get; init; }

    /// <summary>The image's name in the archive (<c>app:1</c>), if given: the one read, or the only one written.</summary>
    public string? Reference { get; init; }

    private protected override string Canonical() => $"docker-archive:{Path}{(Reference is null ? "" : ":" + Reference)}";

    /// <summary>Opens the image named <see cref="Reference"/>, or the only one (or <paramref name="platform"/>'s) the file holds; an OCI layout or OCI tar is read too.</summary>
    public override async Task<Image> OpenImageAsync(Platform? platform = null, RegistryPool? registries = null, CancellationToken cancellationToken = default)
    {
        var images = await Image.LoadAsync(Path, new ImageLoadOptions { Platform = platform }, cancellationToken).ConfigureAwait(false);
        return await ImageSelection.PickAsync(images, Text, Reference, tagOnly: false, platform).ConfigureAwait(false);
    }

    /// <summary>Writes the archive, the image named <see cref="Reference"/> alone when given (it takes that name), else under its own name and tags.</summary>
    public override async Task<Digest?> WriteImageAsync(Image image, RegistryPool? registries = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (Reference is not null) ImageSelection.Rename(image, Reference);
        await image.WriteDockerArchiveAsync(Path, cancellationToken).ConfigureAwait(false);
        return null;
    }
}
