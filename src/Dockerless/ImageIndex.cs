namespace Dockerless;

/// <summary>
/// A multi-platform image: an OCI image index or Docker manifest list and the images of its
/// platforms. Load one with <see cref="LoadAsync"/>, pull one with
/// <see cref="Registry.PullIndexAsync(ImageReference, bool, IReadOnlyList{Platform}?, CancellationToken)"/>, or make one
/// from images with <see cref="Create"/>. An index whose images are exactly those it was read
/// with, none edited, keeps its original bytes and digest when written or pushed; otherwise a new
/// index lists the images with their platforms.
/// </summary>
public sealed partial class ImageIndex : IAsyncDisposable
{
    private readonly OriginalIndex? _source;

    internal ImageIndex(IEnumerable<Image> images, OriginalIndex? source)
    {
        Images = [.. images];
        _source = source;
        Annotations = new SortedDictionary<string, string>(
            source?.Index.Annotations?.ToDictionary(StringComparer.Ordinal) ?? new Dictionary<string, string>(StringComparer.Ordinal), StringComparer.Ordinal);
    }

    /// <summary>
    /// A new index of <paramref name="images"/>, listed as given; it owns them from now on.
    /// <see cref="Add"/> adds more, refusing a platform the index lists already.
    /// </summary>
    public static ImageIndex Create(IEnumerable<Image> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        var index = new ImageIndex(images, null);
        return index.Images.Contains(null!) ? throw new ArgumentException("a null image is in the list", nameof(images)) : index;
    }

    /// <summary>The repository, as for <see cref="Image.Name"/>; empty when unnamed.</summary>
    public string Name
    {
        get => _name;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            _name = value;
        }
    }

    private string _name = "";

    /// <summary>Every tag of the index; <see cref="Tag"/> is the first.</summary>
    public List<string> Tags { get; } = [];

    /// <summary>The index's tag (the first of <see cref="Tags"/>); empty when it has none.</summary>
    public string Tag
    {
        get => FirstTag.Of(Tags);
        set => FirstTag.Set(Tags, value);
    }

    /// <summary>
    /// The images, one per platform, in the index's order. Entries that are not images of a known
    /// platform (attestations, artifacts) are not loaded: they stay listed while the index is
    /// unchanged, and a changed index lists these images only.
    /// </summary>
    public IList<Image> Images { get; }

    /// <summary>
    /// The index document this was read as, with every entry it lists (those not loaded as
    /// <see cref="Images"/> too), its annotations and its original bytes; null for a new index.
    /// </summary>
    public RawManifest? Source => _source is null ? null : RawManifest.Of(_source);

    /// <summary>
    /// The index as it is written or pushed now: <see cref="Source"/>'s bytes while the images
    /// are exactly its own and unedited, else a new index of <see cref="Images"/>.
    /// </summary>
    public RawManifest GetRawManifest() => RawManifest.Of(Current());

    /// <summary>The digest of <see cref="GetRawManifest"/>: what a registry or layout will name this index by.</summary>
    public Digest GetDigest() => Current().Digest;

    /// <summary>The index and the documents of its images, as they are now.</summary>
    internal (OriginalIndex Index, IReadOnlyList<WrittenImage> Images) Snapshot()
    {
        if (Images.Count == 0) throw new InvalidOperationException("the index has no image");
        IReadOnlyList<WrittenImage> images = [.. Images.Select(WrittenImage.Of)];
        return (OriginalIndex.For([.. Images], [.. images.Select(i => i.Manifest)], _source, Annotations), images);
    }

    private OriginalIndex Current() => Snapshot().Index;

    /// <summary>
    /// Keeps the images of <paramref name="platforms"/> and releases the others; every platform
    /// asked for must be there, else a <see cref="PlatformNotFoundException"/> naming what the
    /// index offers. An empty list keeps every image.
    /// </summary>
    public Task KeepPlatformsAsync(IReadOnlyList<Platform> platforms) => KeepPlatformsAsync(platforms, ToString());

    /// <summary><see cref="KeepPlatformsAsync(IReadOnlyList{Platform})"/>, whose error names <paramref name="source"/>.</summary>
    internal async Task KeepPlatformsAsync(IReadOnlyList<Platform> platforms, string source)
    {
        ArgumentNullException.ThrowIfNull(platforms);
        if (platforms.Count == 0) return;
        if (platforms.FirstOrDefault(p => !Images.Any(i => p.Matches(i.Platform))) is { } missing)
        {
            throw new PlatformNotFoundException(source, missing, _source is { } read
                ? read.Index.Manifests.Select(PlatformNotFoundException.Describe)
                : Images.Select(i => i.Platform.ToString()).Distinct(StringComparer.Ordinal));
        }
        foreach (var image in Images.Where(i => !platforms.Any(p => p.Matches(i.Platform))).ToList())
        {
            Images.Remove(image);
            await image.DisposeAsync().ConfigureAwait(false);
        }
    }

    private readonly List<IAsyncDisposable> _owned = [];

    /// <summary>Makes the index release <paramref name="resource"/> (the registry client its images read through) when it is disposed.</summary>
    internal void Owns(IAsyncDisposable resource) => _owned.Add(resource);

    /// <summary>Releases every image's resources.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var image in Images) await image.DisposeAsync().ConfigureAwait(false);
        foreach (var resource in _owned) await resource.DisposeAsync().ConfigureAwait(false);
        _owned.Clear();
    }

    /// <inheritdoc/>
    public override string ToString()
        => $"{(Name.Length == 0 ? "<unnamed>" : Name)}:{Tag} (index of {string.Join(", ", Images.Select(i => i.Platform))})";
}
