namespace Dockerless.Cli.Commands;

/// <summary>The manifest and config of an image as its location holds them, byte for byte.</summary>
internal static class ImageDocuments
{
    /// <summary>
    /// The manifest's bytes and digest: for a registry, exactly what the tag or digest names there
    /// (an index too, unless a platform is asked for); elsewhere, the manifest the image is written with.
    /// </summary>
    public static async Task<RawManifest> ManifestAsync(CliContext context, ImageLocation location, Platform? platform, CancellationToken cancellationToken)
    {
        if (location is RegistryLocation registry && platform is null)
        {
            return await context.RegistryFor(registry.Reference.Registry).GetManifestAsync(registry.Reference, cancellationToken);
        }
        var image = await location.OpenImageAsync(platform, context.Registries, cancellationToken);
        await using (image)
        {
            return image.GetRawManifest();
        }
    }

    /// <summary>
    /// The config's bytes, as stored: for a registry, the blob the manifest names, whatever it holds
    /// (an artifact's too); elsewhere, the config the image is written with.
    /// </summary>
    public static async Task<ReadOnlyMemory<byte>> ConfigAsync(CliContext context, ImageLocation location, Platform? platform, CancellationToken cancellationToken)
    {
        if (location is RegistryLocation registry) return await context.RegistryFor(registry.Reference.Registry).GetRawConfigAsync(registry.Reference, platform, cancellationToken);
        var image = await location.OpenImageAsync(platform, context.Registries, cancellationToken);
        await using (image)
        {
            return image.GetRawConfig();
        }
    }

    /// <summary>
    /// Writes raw document bytes to stdout exactly as stored, nothing added, as <c>skopeo inspect
    /// --raw</c> and <c>crane manifest</c> print them: piped to sha256sum they give the digest.
    /// </summary>
    public static async Task WriteRawAsync(CliContext context, ReadOnlyMemory<byte> bytes)
    {
        await context.Out.FlushAsync();
        var stdout = Console.OpenStandardOutput();
        await using (stdout)
        {
            await stdout.WriteAsync(bytes);
        }
    }
}
