namespace Dockerless.Cli.Locations;

/// <summary>
/// <c>docker-daemon:REF</c>: the local engine (docker, else podman) through its own CLI:
/// <c>docker save</c> to read, <c>docker load</c> to write.
/// </summary>
internal sealed record DaemonLocation : ImageLocation
{
    public required string Reference { get; init; }

    public override async Task<Image> OpenAsync(CliContext context, Platform? platform, CancellationToken cancellationToken)
    {
        var engine = ContainerEngine.Find();
        var archive = context.TemporaryPath("daemon-" + Guid.NewGuid().ToString("N")[..8] + ".tar");
        await engine.SaveAsync(Reference, archive, cancellationToken).ConfigureAwait(false);
        var images = await Image.LoadAsync(archive, new ImageLoadOptions { Platform = platform }, cancellationToken).ConfigureAwait(false);
        return await ImageSelection.PickAsync(images, Text, null, tagOnly: false, platform).ConfigureAwait(false);
    }

    public override async Task WriteAsync(CliContext context, Image image, CancellationToken cancellationToken)
    {
        var engine = ContainerEngine.Find();
        (image.Name, image.Tag) = NameTag.Split(Reference);
        var archive = context.TemporaryPath("daemon-" + Guid.NewGuid().ToString("N")[..8] + ".tar");
        await image.WriteFileAsync(archive, cancellationToken).ConfigureAwait(false);
        await engine.LoadAsync(archive, cancellationToken).ConfigureAwait(false);
        File.Delete(archive);
    }
}
