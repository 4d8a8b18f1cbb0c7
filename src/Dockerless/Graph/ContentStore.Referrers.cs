namespace Dockerless.Graph;

internal abstract partial class ContentStore
{
    /// <summary>The manifests whose <c>subject</c> is <paramref name="subject"/>, of <paramref name="artifactType"/> when given.</summary>
    public abstract Task<ReferrerList> ListReferrersAsync(Digest subject, string? artifactType, CancellationToken cancellationToken);

    /// <summary>Takes a new referrer manifest of <paramref name="subject"/> (its blobs are here already), known by digest, findable from its subject.</summary>
    public virtual async Task PutReferrerAsync(Descriptor referrer, byte[] bytes, Digest subject, CancellationToken cancellationToken)
    {
        await TagAsync(referrer, bytes, "", null, cancellationToken).ConfigureAwait(false);
        await CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
