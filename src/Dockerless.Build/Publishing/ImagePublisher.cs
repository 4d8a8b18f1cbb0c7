using System.Globalization;

namespace Dockerless.Build.Publishing;

/// <summary>What a publish wrote.</summary>
/// <param name="Digest">The image's (or index's) manifest digest.</param>
/// <param name="Manifest">The manifest (or index) as written.</param>
/// <param name="MediaType">Its media type.</param>
/// <param name="Names">The names it was written under (<c>registry/repository:tag</c>).</param>
/// <param name="ArchivePath">The archive written, if any.</param>
public sealed record PublishResult(Digest Digest, string Manifest, string MediaType, IReadOnlyList<string> Names, string? ArchivePath);

/// <summary>
/// Writes a built image or index where <see cref="ImageDestination"/> says. Into a registry, it
/// first asks whether every tag already names this digest: then nothing is uploaded and it says
/// so; otherwise blobs the registry has are skipped after a HEAD (or mounted), and the log says
/// how many were uploaded and how many bytes.
/// </summary>
public sealed class ImagePublisher(RegistryPool registries, UploadTally tally, IPublishLog log)
{
    /// <summary>Pushes, archives or loads <paramref name="image"/>.</summary>
    public async Task<PublishResult> PublishAsync(Image image, ImageDestination destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(destination);
        var raw = image.GetRawManifest();
        var names = Names(destination);
        if (destination.IsRegistry)
        {
            image.Name = $"{destination.Registry}/{destination.Repository}";
            SetTags(image.Tags, destination.Tags);
            var registry = registries.Get(destination.Reference.Registry);
            if (await UpToDateAsync(registry, destination, raw.Digest, cancellationToken).ConfigureAwait(false)) return Result(raw, names, null);
            tally.Clear();
            await registry.PushImageAsync(image, cancellationToken: cancellationToken).ConfigureAwait(false);
            ReportPush(destination, raw.Digest);
            return Result(raw, names, null);
        }
        image.Name = destination.Repository;
        SetTags(image.Tags, destination.Tags);
        if (destination.IsArchive)
        {
            var path = destination.ArchivePath;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (destination.OciArchive) await image.WriteOciArchiveAsync(path, cancellationToken).ConfigureAwait(false);
            else await image.WriteDockerArchiveAsync(path, cancellationToken).ConfigureAwait(false);
            log.Message($"Pushed image '{destination.Repository}:{destination.Tags[0]}' to local archive at '{path}' ({raw.Digest}).");
            return Result(raw, names, path);
        }
        await LoadAsync(image, destination, cancellationToken).ConfigureAwait(false);
        return Result(raw, names, null);
    }

    /// <summary>Pushes <paramref name="image"/> by digest alone (one platform of an index, tagged through the index).</summary>
    public async Task<PublishResult> PushByDigestAsync(Image image, ImageDestination destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(destination);
        var raw = image.GetRawManifest();
        var registry = registries.Get(destination.Reference.Registry);
        var reference = destination.Reference.WithDigestOnly(raw.Digest);
        tally.Clear();
        await registry.PushImageAsync(image, reference, cancellationToken).ConfigureAwait(false);
        log.Message($"Pushed {image.Platform} image {reference} ({Uploads()}).");
        return Result(raw, [reference.ToString()], null);
    }

    /// <summary>Pushes, archives or loads <paramref name="index"/>.</summary>
    public async Task<PublishResult> PublishIndexAsync(ImageIndex index, ImageDestination destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(destination);
        var raw = index.GetRawManifest();
        var names = Names(destination);
        if (destination.IsRegistry)
        {
            index.Name = $"{destination.Registry}/{destination.Repository}";
            SetTags(index.Tags, destination.Tags);
            var registry = registries.Get(destination.Reference.Registry);
            if (await UpToDateAsync(registry, destination, raw.Digest, cancellationToken).ConfigureAwait(false)) return Result(raw, names, null);
            tally.Clear();
            await registry.PushIndexAsync(index, cancellationToken: cancellationToken).ConfigureAwait(false);
            ReportPush(destination, raw.Digest);
            return Result(raw, names, null);
        }
        index.Name = destination.Repository;
        SetTags(index.Tags, destination.Tags);
        if (destination.IsArchive)
        {
            var path = destination.ArchivePath;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await index.WriteOciArchiveAsync(path, cancellationToken).ConfigureAwait(false);
            log.Message($"Pushed image index '{destination.Repository}:{destination.Tags[0]}' to local archive at '{path}' ({raw.Digest}).");
            return Result(raw, names, path);
        }
        // An engine takes one platform from a docker-archive: the host's, as `docker pull` would.
        var host = index.Images.FirstOrDefault(i => Platform.Host.Matches(i.Platform))
            ?? throw new ContainerSettingsException($"none of the images ({string.Join(", ", index.Images.Select(i => i.Platform))}) runs on this machine ({Platform.Host}); set ContainerArchiveOutputPath or ContainerRegistry to keep them all");
        log.Warning(ErrorCodes.LocalRegistry, $"{destination.LocalRegistry switch { "" => "The local engine", var name => name }} gets the {host.Platform} image only; set ContainerArchiveOutputPath or ContainerRegistry to keep every platform.");
        await LoadAsync(host, destination, cancellationToken).ConfigureAwait(false);
        return Result(raw, names, null);
    }

    private async Task LoadAsync(Image image, ImageDestination destination, CancellationToken cancellationToken)
    {
        var engine = ContainerEngine.Find(destination.EngineName);
        var archive = Path.Combine(Path.GetTempPath(), $"dockerless-build-{Guid.NewGuid():N}.tar");
        try
        {
            image.Name = destination.Repository;
            SetTags(image.Tags, destination.Tags);
            await image.WriteDockerArchiveAsync(archive, cancellationToken).ConfigureAwait(false);
            await engine.LoadAsync(archive, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(archive);
        }
        log.Message($"Pushed image '{destination.Repository}:{destination.Tags[0]}' to local registry via '{engine.Name}' ({image.GetDigest()}).");
    }

    /// <summary>Whether every tag already names <paramref name="digest"/>: then the publish has nothing to do.</summary>
    private async Task<bool> UpToDateAsync(Registry registry, ImageDestination destination, Digest digest, CancellationToken cancellationToken)
    {
        foreach (var tag in destination.Tags)
        {
            try
            {
                if (await registry.GetDigestAsync(destination.Reference.WithTag(tag), cancellationToken).ConfigureAwait(false) != digest) return false;
            }
            catch (RegistryException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return false;
            }
        }
        log.Message($"Image '{destination.Repository}:{string.Join(",", destination.Tags)}' in registry '{destination.Registry}' is up to date ({digest}): nothing uploaded.");
        return true;
    }

    private void ReportPush(ImageDestination destination, Digest digest)
        => log.Message($"Pushed image '{destination.Repository}:{string.Join(",", destination.Tags)}' to registry '{destination.Registry}' ({digest}; {Uploads()}).");

    private string Uploads()
        => string.Create(CultureInfo.InvariantCulture, $"{tally.Uploaded} blobs uploaded, {tally.UploadedBytes} bytes; {tally.Reused} already there");

    private static void SetTags(List<string> tags, IReadOnlyList<string> wanted)
    {
        tags.Clear();
        tags.AddRange(wanted);
    }

    private static List<string> Names(ImageDestination destination)
        => [.. destination.Tags.Select(t => destination.IsRegistry ? $"{destination.Registry}/{destination.Repository}:{t}" : $"{destination.Repository}:{t}")];

    private static PublishResult Result(RawManifest raw, IReadOnlyList<string> names, string? archive)
        => new(raw.Digest, System.Text.Encoding.UTF8.GetString(raw.Bytes.Span), raw.MediaType, names, archive);
}
