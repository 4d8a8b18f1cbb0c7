namespace Dockerless.Cli.Locations;

/// <summary><c>oci-archive:PATH[:TAG]</c>: an OCI image layout in one tar.</summary>
internal sealed record OciArchiveLocation : ImageLocation
{
    public required string Path { get; init; }

    /// <summary>The image's <c>org.opencontainers.image.ref.name</c> in the layout, if given.</summary>
    public string? Tag { get; init; }

    public override async Task<Image> OpenAsync(CliContext context, Platform? platform, CancellationToken cancellationToken)
    {
        var images = await Image.LoadAsync(Path, new ImageLoadOptions { Platform = platform }, cancellationToken).ConfigureAwait(false);
        return await ImageSelection.PickAsync(images, Text, Tag, tagOnly: true, platform).ConfigureAwait(false);
    }

    public override async Task WriteAsync(CliContext context, Image image, CancellationToken cancellationToken)
    {
        if (Tag is not null) image.Tag = Tag;
        await image.WriteOciArchiveAsync(Path, cancellationToken).ConfigureAwait(false);
    }
}
