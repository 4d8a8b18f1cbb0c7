namespace Dockerless.Graph;

internal sealed partial class RegistryStore
{
    private ReferrersApi ReferrersApi => new(registry.Api);

    /// <summary>Through the referrers API; where the registry has none (it answers 404), from the fallback tag index.</summary>
    public override async Task<ReferrerList> ListReferrersAsync(Digest subject, string? artifactType, CancellationToken cancellationToken)
    {
        var api = ReferrersApi;
        if (await api.ListAsync(repository, subject, artifactType, cancellationToken).ConfigureAwait(false) is { } listed) return new ReferrerList(listed.Referrers, listed.Bytes);
        var tagged = await api.GetTagIndexAsync(repository, ReferrersTag.For(subject), cancellationToken).ConfigureAwait(false);
        return tagged is null ? ReferrerList.None : new ReferrerList(tagged.Index.Manifests, tagged.Bytes).Filter(artifactType);
    }

    /// <summary>PUT by digest; a registry that does not answer <c>OCI-Subject</c> did not index the subject, so the fallback tag index takes it, as the spec says.</summary>
    public override async Task PutReferrerAsync(Descriptor referrer, byte[] bytes, Digest subject, CancellationToken cancellationToken)
    {
        if (!await registry.Api.PutManifestAsync(repository, referrer.Digest.ToString(), bytes, referrer.MediaType, cancellationToken).ConfigureAwait(false))
        {
            await FallbackTagIndex.AddAsync(ReferrersApi, repository, subject, [referrer], cancellationToken).ConfigureAwait(false);
        }
    }
}
