namespace Dockerless.Locations;

public abstract partial record ImageLocation
{
    /// <summary>
    /// Copies the image or index this location names to <paramref name="destination"/>, as
    /// <c>dockerless copy</c> and <c>skopeo copy</c> do: digests kept where the format allows
    /// (manifests and configs byte for byte while nothing changes them). With no platform asked,
    /// between registries, OCI layouts and OCI archives the whole graph goes as it is: the index,
    /// every manifest it lists (attestations, artifacts, nested indexes, entries without a
    /// platform), configs and layers, byte for byte, each blob once. Registry to registry
    /// copies the whole index (or the chosen platforms) without touching disk, mounting blobs within
    /// one registry and streaming them across. Into a registry or an OCI layout every platform goes
    /// (or those of <see cref="CopyOptions.Platforms"/>); elsewhere one image. Layers read lazily
    /// from a registry download only when the destination needs their bytes.
    /// </summary>
    /// <exception cref="InvalidLocationException">The destination cannot hold what is asked (several platforms into a docker-archive, a digest as a registry destination).</exception>
    /// <exception cref="PlatformNotFoundException">A platform asked for is not in the source.</exception>
    public async Task<CopyResult> CopyToAsync(ImageLocation destination, CopyOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        options ??= new CopyOptions();
        var platforms = options.Platforms;
        var owned = options.Registries is null ? new RegistryPool() : null;
        var registries = options.Registries ?? owned!;
        try
        {
            if (platforms.Count == 0 && await CopyGraphAsync(destination, registries, options.Referrers, cancellationToken).ConfigureAwait(false) is { } whole) return whole;
            if (options.Referrers)
            {
                throw new InvalidLocationException($"copy {this} to {destination} with referrers: referrers go only in a whole copy (no platform chosen) of one manifest or index between registries, OCI layouts and OCI archives");
            }
            if (this is RegistryLocation from && destination is RegistryLocation to)
            {
                var digest = await from.CopyToAsync(to, platforms, registries, cancellationToken).ConfigureAwait(false);
                return new CopyResult(digest, platforms);
            }
            if (platforms.Count != 1 && destination.CanHoldIndex)
            {
                var (single, index) = await OpenForCopyAsync(platforms, registries, cancellationToken).ConfigureAwait(false);
                if (index is not null)
                {
                    await using (index.ConfigureAwait(false))
                    {
                        return index.Images.Count == 1
                            ? await WriteAsync(destination, AsNamedBy(index), registries, cancellationToken).ConfigureAwait(false)
                            : new CopyResult(await destination.WriteIndexAsync(index, registries, cancellationToken).ConfigureAwait(false), [.. index.Images.Select(i => i.Platform)]);
                    }
                }
                var one = single ?? throw new InvalidOperationException("a location opened neither an image nor an index");
                await using (one.ConfigureAwait(false))
                {
                    return await WriteAsync(destination, one, registries, cancellationToken).ConfigureAwait(false);
                }
            }
            if (platforms.Count > 1) throw OnePlatformAtMost(destination);
            var image = await OpenImageAsync(platforms.Count == 1 ? platforms[0] : null, registries, cancellationToken).ConfigureAwait(false);
            await using (image.ConfigureAwait(false))
            {
                return await WriteAsync(destination, image, registries, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (owned is not null) await owned.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<CopyResult> WriteAsync(ImageLocation destination, Image image, RegistryPool registries, CancellationToken cancellationToken)
        => new(await destination.WriteImageAsync(image, registries, cancellationToken).ConfigureAwait(false), [image.Platform]);

    /// <summary>The one image of an index, named as the index was: it is written as that image alone.</summary>
    private static Image AsNamedBy(ImageIndex index)
    {
        var image = index.Images[0];
        image.Name = index.Name;
        image.Tags.Clear();
        image.Tags.AddRange(index.Tags);
        return image;
    }
}
