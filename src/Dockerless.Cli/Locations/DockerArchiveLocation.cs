namespace Dockerless.Cli.Locations;

/// <summary><c>docker-archive:PATH[:REF]</c>: a tar as <c>docker save</c> writes it.</summary>
internal sealed record DockerArchiveLocation : ImageLocation
{
    public required string Path { get; init; }

    /// <summary>The image's name in the archive (<c>app:1</c>), if given.</summary>
    public string? Reference { get; init; }

    public override async Task<Image> OpenAsync(CliContext context, Platform? platform, CancellationToken cancellationToken)
    {
        // Image.LoadAsync also reads OCI layouts and OCI tars, which lets push take any local PATH.
        var images = await Image.LoadAsync(Path, new ImageLoadOptions { Platform = platform }, cancellationToken).ConfigureAwait(false);
        return await ImageSelection.PickAsync(images, Text, Reference, tagOnly: false, platform).ConfigureAwait(false);
    }

    public override async Task WriteAsync(CliContext context, Image image, CancellationToken cancellationToken)
    {
        if (Reference is not null) (image.Name, image.Tag) = NameTag.Split(Reference);
        await image.WriteFileAsync(Path, cancellationToken).ConfigureAwait(false);
    }
}
