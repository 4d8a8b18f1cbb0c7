namespace Dockerless.Locations;

/// <summary>
/// <c>docker-daemon:REF</c>: the local engine (docker, else podman) through its own command line:
/// <c>docker save</c> to read, <c>docker load</c> to write.
/// </summary>
public sealed record DaemonLocation : ImageLocation
{
    /// <summary>The image as the engine names it (<c>app:1</c>, <c>busybox</c>).</summary>
    public required string Reference { get; init; }

    private protected override string Canonical() => "docker-daemon:" + Reference;

    /// <summary>Saves the image from the engine into a temporary archive the returned image reads (and deletes when disposed).</summary>
    public override async Task<Image> OpenImageAsync(Platform? platform = null, RegistryPool? registries = null, CancellationToken cancellationToken = default)
    {
        var engine = ContainerEngine.Find();
        var archive = TemporaryArchive();
        try
        {
            await engine.SaveAsync(Reference, archive, cancellationToken).ConfigureAwait(false);
            var images = await Image.LoadAsync(archive, new ImageLoadOptions { Platform = platform }, cancellationToken).ConfigureAwait(false);
            var image = await ImageSelection.PickAsync(images, Text, null, tagOnly: false, platform).ConfigureAwait(false);
            image.Owns(new TemporaryFile(archive));
            return image;
        }
        catch
        {
            File.Delete(archive);
            throw;
        }
    }

    /// <summary>Loads the image into the engine under <see cref="Reference"/> (it takes that name).</summary>
    public override async Task<Digest?> WriteImageAsync(Image image, RegistryPool? registries = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        var engine = ContainerEngine.Find();
        ImageSelection.Rename(image, Reference);
        var archive = TemporaryArchive();
        try
        {
            await image.WriteDockerArchiveAsync(archive, cancellationToken).ConfigureAwait(false);
            await engine.LoadAsync(archive, cancellationToken).ConfigureAwait(false);
            return null;
        }
        finally
        {
            File.Delete(archive);
        }
    }

    private static string TemporaryArchive() => System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"dockerless-daemon-{Guid.NewGuid():N}.tar");
}
