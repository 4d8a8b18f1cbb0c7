namespace Dockerless.Graph;

internal abstract partial class ContentStore
{
    /// <summary>The manifests whose <c>subject</c> is <paramref name="subject"/>, of <paramref name="artifactType"/> when given.</summary>
    public abstract Task<ReferrerList> ListReferrersAsync(Digest subject, string? artifactType, CancellationToken cancellationToken);

    /// <summary>Which of cosign's legacy tags for <paramref name="subject"/> (<c>sha256-HEX.sig</c>, <c>.att</c>, <c>.sbom</c>) the store holds.</summary>
    public abstract Task<IReadOnlyList<string>> LegacyTagsAsync(Digest subject, CancellationToken cancellationToken);

    /// <summary>
    /// Makes <paramref name="referrers"/>, written here already by digest, findable from
    /// <paramref name="subject"/>; where the store lists them by their subject itself (a layout's
    /// index.json, a registry's referrers API) nothing is left to do.
    /// </summary>
    public virtual Task RecordReferrersAsync(Digest subject, IReadOnlyList<Descriptor> referrers, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Takes a new referrer manifest of <paramref name="subject"/> (its blobs are here already), known by digest, findable from its subject.</summary>
    public virtual async Task PutReferrerAsync(Descriptor referrer, byte[] bytes, Digest subject, CancellationToken cancellationToken)
    {
        await TagAsync(referrer, bytes, "", null, cancellationToken).ConfigureAwait(false);
        await CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
