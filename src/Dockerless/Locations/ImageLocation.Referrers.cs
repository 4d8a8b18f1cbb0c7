namespace Dockerless.Locations;

public abstract partial record ImageLocation
{
    /// <summary>
    /// The referrers of the manifest or index this location names (signatures, SBOMs,
    /// attestations: manifests whose <c>subject</c> it is), as an OCI index, as
    /// <c>GET /v2/NAME/referrers/DIGEST</c> answers. From a registry through that API (following
    /// <c>Link</c> pages), or, where it answers 404, from the fallback tag index
    /// (<c>sha256-HEX</c>); from an OCI layout, the manifests its index.json lists with that subject.
    /// </summary>
    /// <param name="artifactType">Only referrers of this artifact type; null: all.</param>
    /// <param name="registries">The registry clients to use; null: clients closed when the call ends.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <exception cref="InvalidLocationException">The location keeps no manifests (a docker-archive, the daemon) or names several.</exception>
    public async Task<RawManifest> ListReferrersAsync(string? artifactType = null, RegistryPool? registries = null, CancellationToken cancellationToken = default)
    {
        var owned = registries is null ? new RegistryPool() : null;
        try
        {
            var (store, subject) = await SubjectAsync(registries ?? owned!, cancellationToken).ConfigureAwait(false);
            var list = await store.ListReferrersAsync(subject.Digest, artifactType, cancellationToken).ConfigureAwait(false);
            return list.ToIndex($"referrers of {this}@{subject.Digest}");
        }
        finally
        {
            if (owned is not null) await owned.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Attaches an OCI 1.1 artifact to the manifest or index this location names, as
    /// <c>oras attach</c> does: its blobs and manifest are written by digest, its <c>subject</c>
    /// the image. A registry that does not answer <c>OCI-Subject</c> (no referrers API) gets the
    /// artifact in the image's fallback tag index too, read, added to and written again so that
    /// attaches at once keep each other's entries; an OCI layout lists it untagged in index.json.
    /// </summary>
    /// <returns>The artifact manifest's descriptor, with its artifact type and annotations.</returns>
    /// <exception cref="InvalidLocationException">The location keeps no manifests, names several, or is an OCI archive (written whole, never added to).</exception>
    public async Task<Descriptor> AttachAsync(AttachOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (this is OciArchiveLocation) throw new InvalidLocationException($"{this}: an OCI archive is written whole; attach to an OCI layout directory (oci:) or a registry");
        var owned = options.Registries is null ? new RegistryPool() : null;
        try
        {
            var (store, subject) = await SubjectAsync(options.Registries ?? owned!, cancellationToken).ConfigureAwait(false);
            var artifact = await ArtifactManifest.BuildAsync(options, subject, cancellationToken).ConfigureAwait(false);
            await store.WriteBlobsAsync(artifact.Blobs, cancellationToken).ConfigureAwait(false);
            await store.PutReferrerAsync(artifact.Descriptor, artifact.Bytes, subject.Digest, cancellationToken).ConfigureAwait(false);
            return artifact.Descriptor;
        }
        finally
        {
            if (owned is not null) await owned.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The store and the one manifest or index this location names, as a subject.</summary>
    private async Task<(ContentStore Store, Descriptor Subject)> SubjectAsync(RegistryPool registries, CancellationToken cancellationToken)
    {
        var store = Store(registries) ?? throw new InvalidLocationException($"{this}: referrers live in registries and OCI layouts; this location keeps no manifests");
        var subject = await store.ResolveAsync(StoreName, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidLocationException($"{this}: names several manifests (one per platform); name one by its tag or digest");
        return (store, subject);
    }

    /// <summary>
    /// What a whole copy adds about referrers: with <paramref name="referrers"/> they are copied
    /// (see <see cref="ReferrersCopy"/>); without, those of the top are counted (one listing) to be
    /// told as left behind, or not counted when the listing fails.
    /// </summary>
    private static async Task<CopyResult> WithReferrersAsync(ContentStore source, ContentStore target, GraphCopy.Result copied, bool referrers, CancellationToken cancellationToken)
    {
        var result = new CopyResult(copied.Digest, copied.Platforms);
        if (referrers) return result with { ReferrersCopied = await ReferrersCopy.CopyAsync(source, target, copied, cancellationToken).ConfigureAwait(false) };
        try
        {
            return result with { ReferrersLeftBehind = (await source.ListReferrersAsync(copied.Digest, null, cancellationToken).ConfigureAwait(false)).Referrers.Count };
        }
        catch (DockerlessException)
        {
            return result;
        }
    }
}
