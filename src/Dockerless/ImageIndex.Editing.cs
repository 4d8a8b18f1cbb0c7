namespace Dockerless;

public sealed partial class ImageIndex
{
    /// <summary>
    /// The index's own annotations (<c>org.opencontainers.image.*</c>), sorted by key; those of
    /// <see cref="Source"/> at first. Changing them makes a new index, an OCI one.
    /// </summary>
    public IDictionary<string, string> Annotations { get; }

    /// <summary>
    /// Adds <paramref name="image"/> (the index owns it from now on), named in errors as
    /// <paramref name="name"/> (default: the image itself). The index lists one image per
    /// platform (os, architecture, variant and os.version): one of a platform it holds already is
    /// refused with a <see cref="DuplicatePlatformException"/> naming both.
    /// </summary>
    public void Add(Image image, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (Images.FirstOrDefault(i => i.Platform.SameAs(image.Platform)) is { } held)
        {
            throw new DuplicatePlatformException(image.Platform, held.ToString(), name ?? image.ToString());
        }
        Images.Add(image);
    }

    /// <summary>
    /// Removes and releases the images that run on <paramref name="platform"/> (variant-aware, as
    /// <see cref="Platform.Matches"/>); a <see cref="PlatformNotFoundException"/> naming what the
    /// index holds when none does.
    /// </summary>
    /// <returns>The platforms removed.</returns>
    public async Task<IReadOnlyList<Platform>> RemovePlatformAsync(Platform platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        var removed = Images.Where(i => platform.Matches(i.Platform)).ToList();
        if (removed.Count == 0) throw new PlatformNotFoundException(ToString(), platform, Images.Select(i => i.Platform.ToString()));
        foreach (var image in removed)
        {
            Images.Remove(image);
            await image.DisposeAsync().ConfigureAwait(false);
        }
        return [.. removed.Select(i => i.Platform)];
    }
}
