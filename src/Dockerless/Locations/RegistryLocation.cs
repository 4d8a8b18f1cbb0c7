namespace Dockerless.Locations;

/// <summary>
/// <c>REF</c> or <c>docker://REF</c>: an image or index in a registry. Read lazily: with a registry
/// destination too, no base layer is downloaded (they are mounted or streamed).
/// </summary>
public sealed record RegistryLocation : ImageLocation
{
    /// <summary>The image's reference; as a destination, it must name a tag (the default <c>latest</c> when none was written), not a digest.</summary>
    public required ImageReference Reference { get; init; }

    /// <inheritdoc/>
    public override bool CanHoldIndex => true;

    private protected override string Canonical() => "docker://" + Reference;

    /// <inheritdoc/>
    public override async Task<Image> OpenImageAsync(Platform? platform = null, RegistryPool? registries = null, CancellationToken cancellationToken = default)
    {
        var (registry, owned) = ClientFor(registries);
        try
        {
            var image = await registry.PullImageAsync(Reference, lazy: true, platform, cancellationToken).ConfigureAwait(false);
            if (owned) image.Owns(registry);
            return image;
        }
        catch when (owned)
        {
            await registry.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc/>
    public override async Task<ImageIndex?> TryOpenIndexAsync(IReadOnlyList<Platform>? platforms = null, RegistryPool? registries = null, CancellationToken cancellationToken = default)
    {
        var (registry, owned) = ClientFor(registries);
        try
        {
            var (image, index) = await registry.PullAnyAsync(Reference, lazy: true, platforms ?? [], cancellationToken).ConfigureAwait(false);
            if (image is not null) await image.DisposeAsync().ConfigureAwait(false);
            if (owned && index is not null) index.Owns(registry);
            else if (owned) await registry.DisposeAsync().ConfigureAwait(false);
            return index;
        }
        catch when (owned)
        {
            await registry.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private protected override Task<(Image? Image, ImageIndex? Index)> OpenForCopyAsync(IReadOnlyList<Platform> platforms, RegistryPool registries, CancellationToken cancellationToken)
        => registries.Get(Reference.Registry).PullAnyAsync(Reference, lazy: true, platforms, cancellationToken);

    /// <summary>Pushes <paramref name="image"/> under exactly this reference's tag (not every tag it had where it came from).</summary>
    public override async Task<Digest?> WriteImageAsync(Image image, RegistryPool? registries = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        var destination = Destination();
        var (registry, owned) = ClientFor(registries);
        try
        {
            return await registry.PushImageAsync(image, destination, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (owned) await registry.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Pushes <paramref name="index"/> and its images under exactly this reference's tag; blobs they share move once.</summary>
    public override async Task<Digest?> WriteIndexAsync(ImageIndex index, RegistryPool? registries = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        var destination = Destination();
        var (registry, owned) = ClientFor(registries);
        try
        {
            return await registry.PushIndexAsync(index, destination, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (owned) await registry.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Copies registry to registry: the whole index (or the chosen platforms), digests kept, blobs mounted or streamed.</summary>
    internal Task<Digest> CopyToAsync(RegistryLocation destination, IReadOnlyList<Platform> platforms, RegistryPool registries, CancellationToken cancellationToken)
        => registries.Get(Reference.Registry).CopyAsync(Reference, registries.Get(destination.Reference.Registry), destination.Destination(), platforms.Count == 0 ? null : platforms, cancellationToken);

    private protected override ContentStore? Store(RegistryPool registries) => new RegistryStore(registries.Get(Reference.Registry), Reference.Repository);

    private protected override string? StoreName => Reference.Identifier;

    private protected override (string Name, string? Tag) Naming(Descriptor top) => (Reference.FamiliarName, Reference.Digest is null ? Reference.Tag : null);

    private protected override string? DestinationTag => Destination().Identifier;

    private ImageReference Destination()
        => Reference.Digest is null ? Reference : throw new InvalidLocationException($"{this}: a destination takes a tag, not a digest");

    /// <summary>The pool's client for this registry, or a new one the caller owns.</summary>
    private (Registry Registry, bool Owned) ClientFor(RegistryPool? registries)
        => registries is not null ? (registries.Get(Reference.Registry), false) : (new Registry(new RegistryOptions { Address = Reference.Registry }), true);
}
