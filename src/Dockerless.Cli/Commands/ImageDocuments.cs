namespace Dockerless.Cli.Commands;

/// <summary>The manifest and config of an image as its location holds them, byte for byte.</summary>
internal static class ImageDocuments
{
    /// <summary>The manifest or index exactly as the location stores it (an artifact's too); with a platform, that platform's manifest.</summary>
    public static Task<RawManifest> ManifestAsync(CliContext context, ImageLocation location, Platform? platform, CancellationToken cancellationToken)
        => location.GetManifestAsync(platform, context.Registries, cancellationToken);

    /// <summary>The config's bytes as stored, whatever it holds (an artifact's too).</summary>
    public static Task<ReadOnlyMemory<byte>> ConfigAsync(CliContext context, ImageLocation location, Platform? platform, CancellationToken cancellationToken)
        => location.GetConfigAsync(platform, context.Registries, cancellationToken);

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
