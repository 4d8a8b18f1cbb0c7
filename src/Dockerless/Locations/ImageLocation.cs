namespace Dockerless.Locations;

/// <summary>
/// Where an image is read from or written to, in the location syntax skopeo and the
/// <c>dockerless</c> command take: <c>REF</c> or <c>docker://REF</c> (a registry),
/// <c>docker-archive:PATH[:REF]</c>, <c>oci:PATH[:TAG]</c>, <c>oci-archive:PATH[:TAG]</c>,
/// <c>docker-daemon:REF</c>, and <c>scratch</c> (the empty image, a source only). Parse the text
/// with <see cref="Parse"/> or <see cref="ParseDestination"/>, or make a subtype directly.
/// </summary>
public abstract partial record ImageLocation
{
    private string? _text;

    private protected ImageLocation() { }

    /// <summary>The location as the user wrote it; by default its canonical text.</summary>
    public string Text
    {
        get => _text ?? Canonical();
        init => _text = value;
    }

    /// <summary>The canonical text of the location (<c>oci:DIR:TAG</c>, <c>docker://HOST/REPO:TAG</c>).</summary>
    private protected abstract string Canonical();

    /// <summary>True for locations that can hold a multi-platform image (an index): registries and OCI layouts.</summary>
    public virtual bool CanHoldIndex => false;

    /// <summary>
    /// Opens the image the location names, for <paramref name="platform"/> where it holds several
    /// (default: linux and this machine's architecture). From a registry only the manifest and
    /// config are read now; layers are read when something opens them. Registry clients come from
    /// <paramref name="registries"/>, or when null from a client the image owns and closes when disposed.
    /// </summary>
    public abstract Task<Image> OpenImageAsync(Platform? platform = null, RegistryPool? registries = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens the multi-platform image the location names, narrowed to <paramref name="platforms"/>
    /// when given (each of them must be there); null when it names a single image or holds no index.
    /// </summary>
    public virtual Task<ImageIndex?> TryOpenIndexAsync(IReadOnlyList<Platform>? platforms = null, RegistryPool? registries = null, CancellationToken cancellationToken = default)
        => Task.FromResult<ImageIndex?>(null);

    /// <summary>
    /// Writes <paramref name="image"/> here under the location's name (or the image's own where the
    /// location names none), as the format requires: pushed, saved, added to a layout, loaded.
    /// </summary>
    /// <returns>The digest of the manifest written, or null where the location keeps no manifest (docker-archive, daemon).</returns>
    public abstract Task<Digest?> WriteImageAsync(Image image, RegistryPool? registries = null, CancellationToken cancellationToken = default);

    /// <summary>Writes <paramref name="index"/> and its images here; only where <see cref="CanHoldIndex"/>.</summary>
    /// <returns>The digest of the index written.</returns>
    public virtual Task<Digest?> WriteIndexAsync(ImageIndex index, RegistryPool? registries = null, CancellationToken cancellationToken = default)
        => throw new InvalidLocationException($"{this}: cannot hold a multi-platform image (registries and OCI layouts can)");

    /// <summary>
    /// What a copy to an index-holding destination reads: the index when the location names one
    /// (narrowed to <paramref name="platforms"/>), else the one image, which must run every one of
    /// <paramref name="platforms"/>. Locations that hold no index take at most one platform.
    /// </summary>
    private protected virtual async Task<(Image? Image, ImageIndex? Index)> OpenForCopyAsync(IReadOnlyList<Platform> platforms, RegistryPool registries, CancellationToken cancellationToken)
    {
        if (platforms.Count > 1) throw OnePlatformAtMost(this);
        return (await OpenImageAsync(platforms.Count == 1 ? platforms[0] : null, registries, cancellationToken).ConfigureAwait(false), null);
    }

    private static InvalidLocationException OnePlatformAtMost(ImageLocation location)
        => new($"copy to {location}: one --platform at most (several platforms go only to a registry or an OCI layout, from a registry or an OCI layout that holds them)");

    /// <inheritdoc/>
    public sealed override string ToString() => Text;
}
