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
                    : $"{location}: holds {images.Count} images ({Describe(images)}): name one, as {location}:{NameFor(images, tagOnly)}");
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
        // Read by one of its names, it carries that one only: a copy writes only the names asked for.
        if (reference is not null) Retag(picked.Tags, TagOf(reference, tagOnly));
        return picked;
    }

    /// <summary>
    /// The entries of a docker-archive's <c>manifest.json</c> a location means, chosen before any
    /// config or layer is read: the one at <paramref name="index"/>, else the first whose
    /// <c>RepoTags</c> hold <paramref name="reference"/>, else all. None is an error listing what there is.
    /// </summary>
    public static IEnumerable<DockerArchiveEntry> ChooseEntries(IReadOnlyList<DockerArchiveEntry> entries, string location, string? reference, int? index)
    {
        if (index is { } at)
        {
            return at < entries.Count ? [entries[at]] : throw new DockerlessException($"{location}: no image @{at}: it holds {entries.Count} (@0 to @{entries.Count - 1})");
        }
        if (reference is null) return entries;
        var (name, tag) = RepoTag.Split(WithoutDigest(reference));
        var chosen = entries.FirstOrDefault(e => (e.RepoTags ?? []).Select(RepoTag.Split).Any(t => t.Tag == tag && ImageNames.Same(t.Name, name)));
        if (chosen is not null) return [chosen];
        var names = entries.Select((e, i) => e.RepoTags is { Count: > 0 } tags ? string.Join(", ", tags) : $"@{i} (untagged)");
        throw new DockerlessException($"{location}: no image named {reference} in it (it has: {string.Join(", ", names)})");
    }

    private static string WithoutDigest(string reference)
    {
        var at = reference.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? reference : reference[..at];
    }

    /// <summary>The tag <paramref name="reference"/> names: itself for an OCI ref name, else the tag of NAME[:TAG].</summary>
    private static string TagOf(string reference, bool tagOnly)
        => tagOnly && !OciLayoutReader.IsFullReference(reference) ? reference : RepoTag.Split(WithoutDigest(reference)).Tag;

    /// <summary>Gives <paramref name="image"/> the name and tag of <paramref name="reference"/> (<c>NAME[:TAG]</c>, as docker names images) as its only ones.</summary>
    public static void Rename(Image image, string reference)
    {
        var (name, tag) = RepoTag.Split(WithoutDigest(reference));
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
        var (name, tag) = byName ? RepoTag.Split(WithoutDigest(reference)) : ("", reference);
        return i => (!byName || ImageNames.Same(i.Name, name)) && i.Tags.Contains(tag);
    }

    /// <summary>How a location names the first image: its tag (an OCI ref name), NAME:TAG, or <c>@0</c> for an unnamed one of a docker-archive.</summary>
    private static string NameFor(IReadOnlyList<Image> images, bool tagOnly)
    {
        var first = images[0];
        if (first.Tags.Count == 0) return tagOnly ? "NAME" : "@0";
        return tagOnly ? first.Tag : first.Name.Length == 0 ? "@0" : $"{first.Name}:{first.Tag}";
    }

    private static string Describe(IReadOnlyList<Image> images) =>
        string.Join(", ", images.Select(i => i.Name.Length == 0 && i.Tags.Count == 0 ? $"<unnamed> {i.Platform}" : $"{i.Name}:{string.Join(",", i.Tags)} {i.Platform}"));
}
