namespace Dockerless.Locations;

/// <summary>An OCI image layout, as a directory (<c>oci:</c>) or in one tar (<c>oci-archive:</c>): read the same way, written each its own.</summary>
public abstract record OciLocation : ImageLocation
{
    private protected OciLocation() { }

    /// <summary>The layout directory or archive file.</summary>
    public required string Path { get; init; }

    /// <summary>The image's <c>org.opencontainers.image.ref.name</c> in the layout, if given: the one read, or the one written.</summary>
    public string? Tag { get; init; }

    /// <inheritdoc/>
    public override bool CanHoldIndex => true;

    /// <summary>
    /// Opens the image named <see cref="Tag"/>, or the only one (or <paramref name="platform"/>'s) the
    /// layout holds, choosing it in <c>index.json</c> before any manifest is read: what else the layout
    /// holds (other tags, referrers, damaged blobs) is not read.
    /// </summary>
    public override async Task<Image> OpenImageAsync(Platform? platform = null, RegistryPool? registries = null, CancellationToken cancellationToken = default)
    {
        var contents = await ArchiveContents.OpenAsync(Path, cancellationToken).ConfigureAwait(false);
        var images = await Image.LoadAsync(contents, new ImageLoadOptions { Platform = platform }, Tag, Text, cancellationToken).ConfigureAwait(false);
        return await ImageSelection.PickAsync(images, Text, Tag, tagOnly: true, platform).ConfigureAwait(false);
    }

    /// <summary>
    /// Opens the multi-platform image under <see cref="Tag"/> (or the layout's only name): an index
    /// blob, or several manifests of distinct platforms listed under that name; null otherwise.
    /// </summary>
    public override async Task<ImageIndex?> TryOpenIndexAsync(IReadOnlyList<Platform>? platforms = null, RegistryPool? registries = null, CancellationToken cancellationToken = default)
    {
        var contents = await ArchiveContents.OpenAsync(Path, cancellationToken).ConfigureAwait(false);
        if (!contents.Contains(OciLayoutReader.IndexFile)) return null;
        var index = await OciLayoutReader.ReadIndexAsync(contents, Tag, cancellationToken).ConfigureAwait(false);
        if (index is null) return null;
        try
        {
            await index.KeepPlatformsAsync(platforms ?? [], Text).ConfigureAwait(false);
        }
        catch
        {
            await index.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        if (index.Images.DistinctBy(i => i.Platform.ToString()).Count() == index.Images.Count) return index;
        await index.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    private protected override async Task<(Image? Image, ImageIndex? Index)> OpenForCopyAsync(IReadOnlyList<Platform> platforms, RegistryPool registries, CancellationToken cancellationToken)
    {
        if (await TryOpenIndexAsync(platforms, registries, cancellationToken).ConfigureAwait(false) is { } index) return (null, index);
        if (platforms.Count <= 1) return (await OpenImageAsync(platforms.Count == 1 ? platforms[0] : null, registries, cancellationToken).ConfigureAwait(false), null);
        // Several platforms of one image: the tag, then each platform, must be there before the count is blamed.
        var image = await OpenImageAsync(null, registries, cancellationToken).ConfigureAwait(false);
        await image.DisposeAsync().ConfigureAwait(false);
        if (platforms.FirstOrDefault(p => !p.Matches(image.Platform)) is { } missing) throw new PlatformNotFoundException(Text, missing, [image.Platform.ToString()]);
        return await base.OpenForCopyAsync(platforms, registries, cancellationToken).ConfigureAwait(false);
    }

    private protected override ContentStore? Store(RegistryPool registries) => new LayoutStore(Path, this is OciArchiveLocation, Text);

    private protected override string? StoreName => Tag;

    private protected override (string Name, string? Tag) Naming(Descriptor top)
    {
        var (name, tag) = OciLayoutReader.NameOf(top);
        return (name, tag.Length == 0 ? null : tag);
    }

    private protected override string? DestinationTag => Tag;

    /// <summary>The name to write under: <see cref="Tag"/> alone when given (the item takes it), else the item's own tags.</summary>
    private protected void Name(Image image)
    {
        if (Tag is not null) ImageSelection.Retag(image.Tags, Tag);
    }

    /// <inheritdoc cref="Name(Image)"/>
    private protected void Name(ImageIndex index)
    {
        if (Tag is not null) ImageSelection.Retag(index.Tags, Tag);
    }
}
