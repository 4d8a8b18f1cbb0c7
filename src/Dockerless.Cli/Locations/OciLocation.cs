namespace Dockerless.Cli.Locations;

/// <summary>An OCI image layout, as a directory (<c>oci:</c>) or in one tar (<c>oci-archive:</c>): read the same way, written each its own.</summary>
internal abstract record OciLocation : ImageLocation
{
    public required string Path { get; init; }

    /// <summary>The image's <c>org.opencontainers.image.ref.name</c> in the layout, if given.</summary>
    public string? Tag { get; init; }

    public override async Task<Image> OpenAsync(CliContext context, Platform? platform, CancellationToken cancellationToken)
    {
        var images = await Image.LoadAsync(Path, new ImageLoadOptions { Platform = platform }, cancellationToken).ConfigureAwait(false);
        return await ImageSelection.PickAsync(images, Text, Tag, tagOnly: true, platform).ConfigureAwait(false);
    }
}
