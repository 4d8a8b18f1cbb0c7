namespace Dockerless.Locations;

public abstract partial record ImageLocation
{
    /// <summary>The store that holds this location's manifests and blobs as they are; null where the format keeps no manifests (docker-archive, daemon, scratch).</summary>
    private protected virtual ContentStore? Store(RegistryPool registries) => null;

    /// <summary>The name this location gives what it holds in its store: a registry's tag or digest, a layout's ref name (null: its only one).</summary>
    private protected virtual string? StoreName => null;

    /// <summary>The name and tag the top of a copy read from here carries on (the destination's own, when it gives one, wins).</summary>
    private protected virtual (string Name, string? Tag) Naming(Descriptor top) => ("", null);

    /// <summary>The tag a destination gives what is copied into it; null: the source's.</summary>
    private protected virtual string? DestinationTag => null;

    /// <summary>
    /// The whole graph this location names, copied into <paramref name="destination"/> as it is
    /// (see <see cref="GraphCopy"/>); null when either end keeps no manifests, or the source names no
    /// single graph (a layout listing one manifest per platform under the name).
    /// </summary>
    private async Task<CopyResult?> CopyGraphAsync(ImageLocation destination, RegistryPool registries, bool referrers, CancellationToken cancellationToken)
    {
        if (Store(registries) is not { } source || destination.Store(registries) is not { } target) return null;
        if (await source.ResolveAsync(StoreName, cancellationToken).ConfigureAwait(false) is not { } top) return null;
        var (name, tag) = Naming(top);
        var copied = await GraphCopy.CopyAsync(source, top, target, name, destination.DestinationTag ?? tag, cancellationToken).ConfigureAwait(false);
        return await WithReferrersAsync(source, target, copied, referrers, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The manifest or index this location names, exactly as stored (an artifact's too); with
    /// <paramref name="platform"/>, that platform's image manifest. For a docker-archive or the
    /// daemon, which keep no manifest, the one the image is written with.
    /// </summary>
    public async Task<RawManifest> GetManifestAsync(Platform? platform = null, RegistryPool? registries = null, CancellationToken cancellationToken = default)
    {
        var owned = registries is null ? new RegistryPool() : null;
        try
        {
            var pool = registries ?? owned!;
            if (await StoredTopAsync(pool, platform, cancellationToken).ConfigureAwait(false) is ({ } store, { } top))
            {
                var (descriptor, bytes) = platform is null
                    ? (top, await store.ReadManifestAsync(top, cancellationToken).ConfigureAwait(false))
                    : await store.ImageManifestAsync(top, platform, cancellationToken).ConfigureAwait(false);
                return RawManifest.Parse(bytes, descriptor.MediaType, $"{this}@{descriptor.Digest}", descriptor.Digest);
            }
            var image = await OpenImageAsync(platform, pool, cancellationToken).ConfigureAwait(false);
            await using (image.ConfigureAwait(false))
            {
                return image.GetRawManifest();
            }
        }
        finally
        {
            if (owned is not null) await owned.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The config blob of the image manifest this location names (for <paramref name="platform"/>,
    /// default the host's, where it names an index), exactly as stored, whatever it holds: an
    /// artifact's too (as <c>crane config</c> prints it).
    /// </summary>
    public async Task<ReadOnlyMemory<byte>> GetConfigAsync(Platform? platform = null, RegistryPool? registries = null, CancellationToken cancellationToken = default)
    {
        var owned = registries is null ? new RegistryPool() : null;
        try
        {
            var pool = registries ?? owned!;
            if (await StoredTopAsync(pool, platform, cancellationToken).ConfigureAwait(false) is ({ } store, { } top))
            {
                var (descriptor, bytes) = await store.ImageManifestAsync(top, platform ?? Platform.Host, cancellationToken).ConfigureAwait(false);
                var manifest = ManifestJsonContext.Parse(bytes, ManifestJsonContext.Documents.ImageManifest, $"{this}@{descriptor.Digest}", "manifest");
                return await store.ReadBlobAsync(manifest.Config, cancellationToken).ConfigureAwait(false);
            }
            var image = await OpenImageAsync(platform, pool, cancellationToken).ConfigureAwait(false);
            await using (image.ConfigureAwait(false))
            {
                return image.GetRawConfig();
            }
        }
        finally
        {
            if (owned is not null) await owned.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The store and top descriptor to read documents from as stored; none where the location keeps
    /// no manifests, names no single graph, or a platform is asked of a plain manifest (the image
    /// then checks that its config is of that platform).
    /// </summary>
    private async Task<(ContentStore? Store, Descriptor? Top)> StoredTopAsync(RegistryPool registries, Platform? platform, CancellationToken cancellationToken)
    {
        if (Store(registries) is not { } store || await store.ResolveAsync(StoreName, cancellationToken).ConfigureAwait(false) is not { } top) return (null, null);
        return platform is null || MediaTypes.IsIndex(top.MediaType) ? (store, top) : (null, null);
    }
}
