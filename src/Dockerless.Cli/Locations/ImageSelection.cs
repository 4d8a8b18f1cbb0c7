namespace Dockerless.Cli.Locations;

/// <summary>Picks the one image a location means out of everything an archive or layout holds.</summary>
internal static class ImageSelection
{
    /// <summary>
    /// The image whose name and tag (docker-archive) or tag (OCI) equal the location's, else the one
    /// for <paramref name="platform"/> (default: the host's) when the file holds several; the others
    /// are released.
    /// </summary>
    public static async Task<Image> PickAsync(IReadOnlyList<Image> images, string location, string? reference, bool tagOnly, Platform? platform)
    {
        Image? picked;
        if (reference is not null)
        {
            picked = images.FirstOrDefault(NamedBy(reference, tagOnly)) ?? throw NoImageNamed(location, reference, images);
        }
        else if (images.Count == 1)
        {
            picked = images[0];
        }
        else
        {
            var wanted = platform ?? Platform.Host;
            var matching = images.Where(i => wanted.Matches(i.Platform)).ToList();
            picked = matching.Count switch
            {
                1 => matching[0],
                0 when images.Count == 0 => throw new DockerlessException($"{location}: holds no image"),
                _ => throw new DockerlessException($"{location}: holds {images.Count} images ({Describe(images)}): name one, as {location}:NAME"),
            };
        }
        if (platform is not null && !platform.Matches(picked.Platform))
        {
            throw new DockerlessException($"{location}: the image is for {picked.Platform}, not {platform}");
        }
        foreach (var other in images.Where(i => !ReferenceEquals(i, picked))) await other.DisposeAsync().ConfigureAwait(false);
        return picked;
    }

    /// <summary>
    /// The images of one tag (<paramref name="tag"/>, matched as <see cref="PickAsync"/> matches an
    /// OCI ref name, or the only tag there is), one per platform, narrowed to <paramref name="platforms"/>
    /// when given: what a multi-platform layout holds. Null, with every image released, when that
    /// is not several images of distinct platforms; a tag no image has is an error naming it.
    /// </summary>
    public static async Task<IReadOnlyList<Image>?> PickPlatformsAsync(IReadOnlyList<Image> images, string location, string? tag, IReadOnlyList<Platform> platforms)
    {
        var named = tag is null ? [.. images] : images.Where(NamedBy(tag, tagOnly: true)).ToList();
        if (tag is not null && named.Count == 0 && images.Count > 0)
        {
            // Said here: left to the one-image path, several --platform would be blamed instead.
            var error = NoImageNamed(location, tag, images);
            foreach (var image in images) await image.DisposeAsync().ConfigureAwait(false);
            throw error;
        }
        // A platform asked for that is not there is named, not left out (nor blamed on --platform given twice).
        if (named.Count > 0) await RequireEveryPlatformAsync(named, named.Select(i => i.Platform.ToString()), images, location, platforms).ConfigureAwait(false);
        var chosen = named.Where(i => platforms.Count == 0 || platforms.Any(p => p.Matches(i.Platform))).ToList();
        var several = chosen.Count > 1
            && chosen.DistinctBy(i => i.Platform.ToString()).Count() == chosen.Count
            && chosen.Select(i => tag ?? i.Tag).Distinct(StringComparer.Ordinal).Count() == 1;
        foreach (var other in images.Where(i => !several || !chosen.Contains(i))) await other.DisposeAsync().ConfigureAwait(false);
        return several ? chosen : null;
    }

    /// <summary>
    /// Returns when each of <paramref name="platforms"/> runs an image of <paramref name="found"/>;
    /// else releases every image of <paramref name="held"/> and throws a
    /// <see cref="PlatformNotFoundException"/> naming <paramref name="location"/>, the first platform
    /// missing and those <paramref name="offered"/>. Copy refuses a platform the source does not have
    /// rather than leave it out.
    /// </summary>
    public static async Task RequireEveryPlatformAsync(
        IReadOnlyList<Image> found, IEnumerable<string> offered, IReadOnlyList<Image> held, string location, IReadOnlyList<Platform> platforms)
    {
        if (platforms.FirstOrDefault(p => !found.Any(i => p.Matches(i.Platform))) is not { } missing) return;
        foreach (var image in held) await image.DisposeAsync().ConfigureAwait(false);
        throw new PlatformNotFoundException(location, missing, offered.Distinct(StringComparer.Ordinal));
    }

    /// <summary>
    /// Whether an image has the name and tag <paramref name="reference"/> gives, or with
    /// <paramref name="tagOnly"/> (an OCI ref name) the tag; a ref name may be a whole reference
    /// (skopeo writes oci:DIR:example.com/app:1 so), which the layout reader splits into name and tag.
    /// </summary>
    private static Func<Image, bool> NamedBy(string reference, bool tagOnly)
    {
        var byName = !tagOnly || Dockerless.Archives.OciLayoutReader.IsFullReference(reference);
        var (name, tag) = byName ? NameTag.Split(reference) : ("", reference);
        return i => (!byName || NameTag.SameName(i.Name, name)) && i.Tags.Contains(tag);
    }

    private static DockerlessException NoImageNamed(string location, string reference, IReadOnlyList<Image> images)
        => new($"{location}: no image named {reference} in it (it has: {Describe(images)})");

    private static string Describe(IReadOnlyList<Image> images) =>
        string.Join(", ", images.Select(i => i.Name.Length == 0 && i.Tags.Count == 0 ? $"<unnamed> {i.Platform}" : $"{i.Name}:{string.Join(",", i.Tags)} {i.Platform}"));
}

/// <summary>Splits <c>NAME[:TAG][@DIGEST]</c> the way docker names images in archives and engines.</summary>
internal static class NameTag
{
    /// <summary>The archive rule (<see cref="Dockerless.Archives.RepoTag.Split"/>) on the reference without its digest.</summary>
    public static (string Name, string Tag) Split(string reference)
    {
        var at = reference.IndexOf('@', StringComparison.Ordinal);
        return Dockerless.Archives.RepoTag.Split(at < 0 ? reference : reference[..at]);
    }

    /// <summary>Equal names, docker's short forms included (<c>app</c> is <c>docker.io/library/app</c>).</summary>
    public static bool SameName(string a, string b) => string.Equals(Familiar(a), Familiar(b), StringComparison.Ordinal);

    private static string Familiar(string name) =>
        name.StartsWith("docker.io/library/", StringComparison.Ordinal) ? name["docker.io/library/".Length..]
        : name.StartsWith("docker.io/", StringComparison.Ordinal) ? name["docker.io/".Length..]
        : name;
}
