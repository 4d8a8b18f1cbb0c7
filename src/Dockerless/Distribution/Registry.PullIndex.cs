namespace Dockerless.Distribution;

public sealed partial class Registry
{
    /// <summary>
    /// Pulls the index <paramref name="name"/> (a repository here, or a whole reference) has at
    /// <paramref name="tag"/>; see <see cref="PullIndexAsync(ImageReference, bool, IReadOnlyList{Platform}?, CancellationToken)"/>.
    /// </summary>
    public Task<ImageIndex> PullIndexAsync(string name, string tag = ImageReference.DefaultTag, bool lazy = false, IReadOnlyList<Platform>? platforms = null, CancellationToken cancellationToken = default)
        => PullIndexAsync(Resolve(name, tag), lazy, platforms, cancellationToken);

    /// <summary>
    /// Pulls the index or manifest list <paramref name="reference"/> names, with an image for each
    /// platform it lists (nested indexes included; entries without a real platform, such as
    /// attestations, stay listed but are not pulled), or for each of <paramref name="platforms"/>
    /// only. The index keeps its exact bytes while its images are its own and unedited. Layers are
    /// downloaded as <see cref="PullImageAsync(ImageReference, bool, Platform?, CancellationToken)"/> does.
    /// </summary>
    /// <exception cref="InvalidImageFormatException">The reference names an image manifest, not an index.</exception>
    /// <exception cref="PlatformNotFoundException">One of <paramref name="platforms"/> is not in the index.</exception>
    public async Task<ImageIndex> PullIndexAsync(ImageReference reference, bool lazy = false, IReadOnlyList<Platform>? platforms = null, CancellationToken cancellationToken = default)
    {
        var repository = RepositoryOf(reference);
        var top = await _api.GetManifestAsync(repository, reference.Identifier, cancellationToken).ConfigureAwait(false);
        return await PullIndexAsync(reference, top, lazy, platforms ?? [], cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidImageFormatException($"{Host}/{repository}:{reference.Identifier}: an image manifest ({top.MediaType}), not an index: pull it as an image");
    }

    /// <summary>
    /// Pulls what <paramref name="reference"/> names: an index when it is one (narrowed to
    /// <paramref name="platforms"/>), else the one image, whose own platform must then be every
    /// one of <paramref name="platforms"/>. The manifest is fetched once.
    /// </summary>
    internal async Task<(Image? Image, ImageIndex? Index)> PullAnyAsync(ImageReference reference, bool lazy, IReadOnlyList<Platform> platforms, CancellationToken cancellationToken)
    {
        var repository = RepositoryOf(reference);
        var top = await _api.GetManifestAsync(repository, reference.Identifier, cancellationToken).ConfigureAwait(false);
        if (await PullIndexAsync(reference, top, lazy, platforms, cancellationToken).ConfigureAwait(false) is { } index) return (null, index);
        var image = await PullImageAsync(reference, top, lazy, null, cancellationToken).ConfigureAwait(false);
        if (platforms.FirstOrDefault(p => !p.Matches(image.Platform)) is { } missing)
        {
            await image.DisposeAsync().ConfigureAwait(false);
            throw new PlatformNotFoundException($"{Host}/{repository}:{reference.Identifier}", missing, [image.Platform.ToString()]);
        }
        return (image, null);
    }

    /// <summary>The index <paramref name="top"/> is, pulled; null when it is an image manifest.</summary>
    private async Task<ImageIndex?> PullIndexAsync(ImageReference reference, RawManifest top, bool lazy, IReadOnlyList<Platform> platforms, CancellationToken cancellationToken)
    {
        if (top.Index is not { } index) return null;
        var repository = reference.Repository;
        var source = $"{Host}/{repository}:{reference.Identifier}";
        var entries = await ImagesOfIndexAsync(repository, top, cancellationToken).ConfigureAwait(false);
        var images = new List<Image>();
        try
        {
            foreach (var entry in entries)
            {
                if (entry.Platform is not { } platform || platform.Os == "unknown") continue;
                if (platforms.Count > 0 && !platforms.Any(p => p.Matches(platform))) continue;
                var child = await GetListedImageAsync(repository, entry, cancellationToken).ConfigureAwait(false);
                images.Add(await PullImageAsync(reference.WithDigestOnly(entry.Digest), child, lazy, null, cancellationToken).ConfigureAwait(false));
            }
            // Checked against each pulled config's own platform, which an index entry may mislabel.
            if (platforms.FirstOrDefault(p => !images.Any(i => p.Matches(i.Platform))) is { } missing)
            {
                throw new PlatformNotFoundException(source, missing, entries.Select(PlatformNotFoundException.Describe));
            }
            if (images.Count == 0) throw new InvalidImageFormatException($"{source}: the index has no image of a known platform");
        }
        catch
        {
            foreach (var image in images) await image.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var pulled = new ImageIndex(images, OriginalIndex.Of(index, top.RawBytes, top.MediaType, top.Digest)) { Name = reference.FamiliarName };
        if (reference.Tag is { } tag) pulled.Tag = tag;
        return pulled;
    }
}
