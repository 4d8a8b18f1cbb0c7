namespace Dockerless.Distribution;

public sealed partial class Registry
{
    /// <summary>
    /// The referrers of the manifest <paramref name="subject"/> names, as an OCI index: through
    /// the referrers API, following <c>Link</c> pages, or from the fallback tag index
    /// (<c>sha256-HEX</c>) where the registry answers 404 (it has no such API).
    /// </summary>
    /// <param name="subject">The manifest or index, by tag or digest.</param>
    /// <param name="artifactType">Only referrers of this artifact type; null: all.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public async Task<RawManifest> ListReferrersAsync(ImageReference subject, string? artifactType = null, CancellationToken cancellationToken = default)
    {
        var repository = RepositoryOf(subject);
        var digest = subject.Digest ?? await _api.GetDigestAsync(repository, subject.Identifier, cancellationToken).ConfigureAwait(false);
        var list = await new RegistryStore(this, repository).ListReferrersAsync(digest, artifactType, cancellationToken).ConfigureAwait(false);
        return list.ToIndex($"referrers of {Host}/{repository}@{digest}");
    }
}
