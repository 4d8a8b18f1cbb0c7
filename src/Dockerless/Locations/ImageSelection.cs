namespace Dockerless.Locations;

/// <summary>Picks the one image a location means out of everything an archive or layout holds, and names what a location writes.</summary>
internal static class ImageSelection
{
    /// <summary>
    /// The image whose name and tag (docker-archive) or tag (OCI) equal <paramref name="reference"/>,
    /// else the one for <paramref name="platform"/> (default: the host's) when the file holds
    /// several; the others are released.
    /// </summary>
    public static async Task<Image> PickAsync(IReadOnlyList<Image> images, string location, string? reference, bool tagOnly, Platform? platform)
    {
        Image? picked;
        if (reference is not null)
        {
            picked = images.FirstOrDefault(NamedBy(reference, tagOnly));
            if (picked is null)
            {
                var error = new DockerlessException($"{location}: no image named {reference} in it (it has: {Describe(images)})");
                foreach (var image in images) await image.DisposeAsync().ConfigureAwait(false);
                throw error;
            }
        }
        else if (images.Count == 1)
        {
            picked = images[0];
        }
        else
        {
            var wanted = platform ?? Platform.Host;
            var matching = images.Where(i => wanted.Matches(i.Platform)).ToList();
            picked = matching.Count == 1 ? matching[0] : null;
            if (picked is null)
            {
                var error = new DockerlessException(images.Count == 0
                    ? $"{location}: holds no image"
                    : $"{location}: holds {images.Count} images ({Describe(images)}): name one, as {location}:NAME");
                foreach (var image in images) await image.DisposeAsync().ConfigureAwait(false);
                throw error;
            }
        }
        foreach (var other in images.Where(i => !ReferenceEquals(i, picked))) await other.DisposeAsync().ConfigureAwait(false);
        if (platform is not null && !platform.Matches(picked.Platform))
        {
            await picked.DisposeAsync().ConfigureAwait(false);
            throw new DockerlessException($"{location}: the image is for {picked.Platform}, not {platform}");
        }
        return picked;
    }

    /// <summary>Gives <paramref name="image"/> the name and tag of <paramref name="reference"/> (<c>NAME[:TAG]</c>, as docker names images) as its only ones.</summary>
    public static void Rename(Image image, string reference)
    {
        var at = reference.IndexOf('@', StringComparison.Ordinal);
        var (name, tag) = RepoTag.Split(at < 0 ? reference : reference[..at]);
        image.Name = name;
        Retag(image.Tags, tag);
    }

    /// <summary>Makes <paramref name="tag"/> the only one of <paramref name="tags"/>: a copy writes only the names asked for.</summary>
    public static void Retag(List<string> tags, string tag)
    {
        tags.Clear();
        tags.Add(tag);
    }

    /// <summary>
    /// Whether an image has the name and tag <paramref name="reference"/> gives, or with
    /// <paramref name="tagOnly"/> (an OCI ref name) the tag; a ref name may be a whole reference
    /// (skopeo writes oci:DIR:example.com/app:1 so), which the layout reader splits into name and tag.
    /// </summary>
    private static Func<Image, bool> NamedBy(string reference, bool tagOnly)
    {
        var byName = !tagOnly || OciLayoutReader.IsFullReference(reference);
        var at = reference.IndexOf('@', StringComparison.Ordinal);
        var (name, tag) = byName ? RepoTag.Split(at < 0 ? reference : reference[..at]) : ("", reference);
        return i => (!byName || ImageNames.Same(i.Name, name)) && i.Tags.Contains(tag);
    }

    private static string Describe(IReadOnlyList<Image> images) =>
        string.Join(", ", images.Select(i => i.Name.Length == 0 && i.Tags.Count == 0 ? $"<unnamed> {i.Platform}" : $"{i.Name}:{string.Join(",", i.Tags)} {i.Platform}"));
}
