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

    /// <summary>From one tag list.</summary>
    public override async Task<IReadOnlyList<string>> LegacyTagsAsync(Digest subject, CancellationToken cancellationToken)
    {
        var wanted = ReferrersTag.Legacy(subject);
        var found = new List<string>();
        await foreach (var tag in registry.Api.EnumerateTagsAsync(repository, null, cancellationToken).ConfigureAwait(false))
        {
            if (wanted.Contains(tag)) found.Add(tag);
        }
        return found;
    }

    /// <summary>Where the registry has no referrers API (a probe answers 404), the referrers go into the subject's fallback tag index.</summary>
    public override async Task RecordReferrersAsync(Digest subject, IReadOnlyList<Descriptor> referrers, CancellationToken cancellationToken)
    {
        var api = ReferrersApi;
        if (await api.ListAsync(repository, subject, null, cancellationToken).ConfigureAwait(false) is null)
        {
            await FallbackTagIndex.AddAsync(api, repository, subject, referrers, cancellationToken).ConfigureAwait(false);
        }
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
