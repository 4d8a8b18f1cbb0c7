namespace Dockerless.Locations;

/// <summary><c>docker-archive:PATH[:REF|:@N]</c>: a tar as <c>docker save</c> writes it.</summary>
public sealed record DockerArchiveLocation : ImageLocation
{
    /// <summary>The tar file.</summary>
    public required string Path { get; init; }

    /// <summary>The image's name in the archive (<c>app:1</c>), if given: the one read, or the only one written.</summary>
    public string? Reference { get; init; }

    /// <summary>As a source, the image to read by its place in <c>manifest.json</c> (0 for the first, as skopeo's <c>@N</c>), if given.</summary>
    public int? SourceIndex { get; init; }

    private protected override string Canonical()
        => $"docker-archive:{Path}{(SourceIndex is { } index ? $":@{index}" : Reference is null ? "" : ":" + Reference)}";

    /// <summary>
    /// Opens the image named <see cref="Reference"/> or placed at <see cref="SourceIndex"/>, or the
    /// only one (or <paramref name="platform"/>'s) the file holds, choosing it in <c>manifest.json</c>
    /// before any config or layer is read; an OCI layout or OCI tar is read too.
    /// </summary>
    public override async Task<Image> OpenImageAsync(Platform? platform = null, RegistryPool? registries = null, CancellationToken cancellationToken = default)
    {
        var contents = await ArchiveContents.OpenAsync(Path, cancellationToken).ConfigureAwait(false);
        if (!contents.Contains(DockerArchiveReader.ManifestFile))
        {
            if (SourceIndex is not null) throw new InvalidLocationException($"{Text}: @N picks an image of a docker-archive's manifest.json, which {Path} has not");
            var loaded = await Image.LoadAsync(contents, new ImageLoadOptions { Platform = platform }, null, Text, cancellationToken).ConfigureAwait(false);
            return await ImageSelection.PickAsync(loaded, Text, Reference, tagOnly: false, platform).ConfigureAwait(false);
        }
        var images = await DockerArchiveReader.ReadAsync(contents, cancellationToken, entries => ImageSelection.ChooseEntries(entries, Text, Reference, SourceIndex)).ConfigureAwait(false);
        if (SourceIndex is null) return await ImageSelection.PickAsync(images, Text, Reference, tagOnly: false, platform).ConfigureAwait(false);
        // One entry may carry names of several repositories: the image is the same, read as the first.
        foreach (var other in images.Skip(1)) await other.DisposeAsync().ConfigureAwait(false);
        return await ImageSelection.PickAsync([images[0]], Text, null, tagOnly: false, platform).ConfigureAwait(false);
    }

    /// <summary>Writes the archive, the image named <see cref="Reference"/> alone when given (it takes that name), else under its own name and tags.</summary>
    public override async Task<Digest?> WriteImageAsync(Image image, RegistryPool? registries = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (SourceIndex is not null) throw new InvalidLocationException($"{Text}: @N names an image to read; a destination takes NAME[:TAG]");
        if (Reference is not null) ImageSelection.Rename(image, Reference);
        await image.WriteDockerArchiveAsync(Path, cancellationToken).ConfigureAwait(false);
        return null;
    }
}
