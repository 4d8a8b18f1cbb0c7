using System.Net;
using System.Net.Http.Headers;

namespace Dockerless.Distribution.Http;

/// <summary>
/// The distribution-spec 1.1 calls referrers need: the referrers API (<c>GET /v2/NAME/referrers/DIGEST</c>,
/// following <c>Link</c> pages), and the fallback tag index read with its <c>ETag</c> and written
/// with <c>If-Match</c>.
/// </summary>
internal sealed class ReferrersApi(RegistryApi api)
{
    private const int MaxIndexSize = 4 * 1024 * 1024;

    private RegistryHttp Http => api.Http;

    /// <summary>The registry's host, as errors name it.</summary>
    public string Host => api.Host;

    /// <summary>A fallback tag index as read: its document, its bytes and the registry's <c>ETag</c> for it (null when it sends none).</summary>
    public sealed record TagIndex(IndexManifest Index, byte[] Bytes, string? ETag);

    /// <summary>
    /// Every referrer of <paramref name="subject"/> the referrers API lists, filtered by
    /// <paramref name="artifactType"/> (by the registry where it says so in <c>OCI-Filters-Applied</c>,
    /// else here), with the first page's bytes when that page alone is the answer; null when the
    /// registry answers 404, which the spec reserves for a registry without the API.
    /// </summary>
    public async Task<(IReadOnlyList<Descriptor> Referrers, byte[]? Bytes)?> ListAsync(string repository, Digest subject, string? artifactType, CancellationToken cancellationToken)
    {
        const string Operation = "list referrers";
        var first = $"v2/{repository}/referrers/{subject}" + (artifactType is null ? "" : $"?artifactType={Uri.EscapeDataString(artifactType)}");
        var referrers = new List<Descriptor>();
        var read = new HashSet<Uri>();
        byte[]? only = null;
        Uri? next = null;
        for (var page = 0; page == 0 || next is not null; page++)
        {
            if (next is not null && !read.Add(next))
            {
                throw new RegistryException(Operation, api.Host, repository, null, null, $"the registry's Link header leads back to a page already read ({LoggingHandler.Redact(next)})");
            }
            if (page == Http.Options.MaxListPages)
            {
                throw new RegistryException(Operation, api.Host, repository, null, null, $"stopped after {page} pages (at most {Http.Options.MaxListPages} are read)");
            }
            var target = next;
            using var response = await Http.SendCheckedAsync(Operation, repository, b =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, target ?? new Uri(b, first));
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypes.OciIndex));
                return request;
            }, cancellationToken, accepted: HttpStatusCode.NotFound).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                if (page == 0) return null;
                throw await Http.ErrorAsync(response, Operation, repository, cancellationToken).ConfigureAwait(false);
            }
            var body = await RegistryHttp.ReadAnswerAsync(response, MaxIndexSize, Operation, api.Host, repository, "a page of the referrers", cancellationToken).ConfigureAwait(false);
            var index = ManifestJsonContext.Parse(body, ManifestJsonContext.Documents.IndexManifest, $"{api.Host}/{repository} referrers of {subject}", "image index");
            var filtered = artifactType is null || FiltersApplied(response);
            referrers.AddRange(filtered ? index.Manifests : index.Manifests.Where(m => m.ArtifactType == artifactType));
            only = page == 0 && filtered ? body : null;
            next = await api.NextPageAsync(response, Operation, repository, cancellationToken).ConfigureAwait(false);
        }
        return (referrers, only);
    }

    /// <summary>Whether the registry applied the <c>artifactType</c> filter itself.</summary>
    private static bool FiltersApplied(HttpResponseMessage response)
        => response.Headers.TryGetValues("OCI-Filters-Applied", out var values)
            && values.SelectMany(v => v.Split(',')).Any(v => v.Trim() == "artifactType");

    /// <summary>The index under <paramref name="tag"/> with its <c>ETag</c>; null when the tag does not exist.</summary>
    public async Task<TagIndex?> GetTagIndexAsync(string repository, string tag, CancellationToken cancellationToken)
    {
        const string Operation = "get referrers tag";
        using var response = await Http.SendCheckedAsync(Operation, repository, b =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, new Uri(b, $"v2/{repository}/manifests/{tag}"));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypes.OciIndex));
            request.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
            return request;
        }, cancellationToken, accepted: HttpStatusCode.NotFound).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        var body = await RegistryHttp.ReadAnswerAsync(response, MaxIndexSize, Operation, api.Host, repository, $"the index tagged {tag}", cancellationToken).ConfigureAwait(false);
        var index = ManifestJsonContext.Parse(body, ManifestJsonContext.Documents.IndexManifest, $"{api.Host}/{repository}:{tag}", "referrers tag index");
        return new TagIndex(index, body, response.Headers.ETag?.ToString());
    }

    /// <summary>
    /// PUTs the index under <paramref name="tag"/>, with <c>If-Match</c> when <paramref name="etag"/>
    /// is given; false when the registry answers 412 (another client changed it first), or 400
    /// DIGEST_INVALID or MANIFEST_BLOB_UNKNOWN (distribution reading a link another client's push
    /// was rewriting), so that the caller reads it again and retries.
    /// </summary>
    public async Task<bool> PutTagIndexAsync(string repository, string tag, byte[] bytes, string? etag, CancellationToken cancellationToken)
    {
        const string Operation = "put referrers tag";
        using var response = await Http.SendCheckedAsync(Operation, repository, b => ManifestPut(b, repository, tag, bytes, MediaTypes.OciIndex, etag),
            cancellationToken, accepted: [HttpStatusCode.PreconditionFailed, HttpStatusCode.BadRequest]).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.BadRequest) return response.StatusCode != HttpStatusCode.PreconditionFailed;
        var error = await Http.ErrorAsync(response, Operation, repository, cancellationToken).ConfigureAwait(false);
        return error.Code is "DIGEST_INVALID" or "MANIFEST_BLOB_UNKNOWN" ? false : throw error;
    }

    private static HttpRequestMessage ManifestPut(Uri baseUri, string repository, string tag, byte[] bytes, string mediaType, string? etag)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        var request = new HttpRequestMessage(HttpMethod.Put, new Uri(baseUri, $"v2/{repository}/manifests/{tag}")) { Content = content };
        if (etag is not null) request.Headers.TryAddWithoutValidation("If-Match", etag);
        return request;
    }
}
