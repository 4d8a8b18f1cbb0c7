using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Dockerless.Distribution.Http;

/// <summary>The distribution API's manifest, tag, catalog and blob-probe calls for one registry.</summary>
internal sealed class RegistryApi(RegistryHttp http)
{
    /// <summary>The registry's host, as errors name it.</summary>
    public string Host => http.Endpoint.Host;

    /// <summary>Every manifest type Dockerless reads, in the order a registry should prefer.</summary>
    private static readonly string[] ManifestTypes = [MediaTypes.OciIndex, MediaTypes.DockerManifestList, MediaTypes.OciManifest, MediaTypes.DockerManifest];

    private const int MaxManifestSize = 4 * 1024 * 1024;

    /// <summary>The largest tag list or catalog page read: a million names fit, an endless answer does not.</summary>
    private const int MaxPageSize = 64 * 1024 * 1024;

    public RegistryHttp Http => http;

    private static string Escape(string reference) => Uri.EscapeDataString(reference);

    private static HttpRequestMessage ManifestRequest(HttpMethod method, Uri baseUri, string repository, string reference)
    {
        var request = new HttpRequestMessage(method, new Uri(baseUri, $"v2/{repository}/manifests/{Escape(reference)}"));
        foreach (var type in ManifestTypes) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        return request;
    }

    /// <summary>
    /// GET a manifest or index, read whole up to 4 MiB (whatever the headers say). The bytes are
    /// verified against a digest reference and against the registry's <c>Docker-Content-Digest</c>;
    /// a body cut short or corrupted on the way is fetched again, a few times, before it is an error.
    /// </summary>
    public async Task<RawManifest> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        const int Attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            using var response = await http.SendCheckedAsync("get manifest", repository, b => ManifestRequest(HttpMethod.Get, b, repository, reference), cancellationToken).ConfigureAwait(false);
            var what = $"{http.Endpoint.Name}/{repository}:{reference}";
            byte[] bytes;
            try
            {
                bytes = await ReadManifestAsync(response, repository, reference, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                if (attempt < Attempts) continue;
                throw new RegistryException("get manifest", http.Endpoint.Host, repository, response.StatusCode, null, $"{what}: the manifest's body failed to read {Attempts} times: {e.Message}", e);
            }
            var announced = response.Headers.TryGetValues("Docker-Content-Digest", out var values) && Digest.TryParse(values.FirstOrDefault(), out var header) ? header : (Digest?)null;
            var expected = Digest.TryParse(reference, out var byReference) ? byReference : announced;
            // A manifest named by a sha512 digest is hashed by sha512: its identity is the digest it was given.
            var actual = Digest.Compute(bytes, expected?.Algorithm ?? Digest.Sha256);
            if (expected is { } wanted && wanted != actual)
            {
                if (attempt < Attempts) continue;
                throw new DigestMismatchException($"manifest {what}", wanted, actual, -1, bytes.Length);
            }
            return RawManifest.Parse(bytes, response.Content.Headers.ContentType?.MediaType, what, actual);
        }
    }

    /// <summary>
    /// A manifest an index lists, fetched by its digest, with its size checked against the
    /// entry's: the digest vouches for the bytes, not for what the index says about them.
    /// </summary>
    public async Task<RawManifest> GetManifestAsync(string repository, Descriptor entry, CancellationToken cancellationToken)
    {
        var manifest = await GetManifestAsync(repository, entry.Digest.ToString(), cancellationToken).ConfigureAwait(false);
        var size = manifest.RawBytes.Length;
        return size == entry.Size ? manifest
            : throw new DigestMismatchException($"manifest {http.Endpoint.Name}/{repository}@{entry.Digest} (an index entry)", entry.Digest, manifest.Digest, entry.Size, size);
    }

    /// <summary>The body of a manifest response, refused past <see cref="MaxManifestSize"/> bytes without reading further.</summary>
    private async Task<byte[]> ReadManifestAsync(HttpResponseMessage response, string repository, string reference, CancellationToken cancellationToken)
        => await RegistryHttp.ReadBoundedAsync(response.Content, MaxManifestSize, cancellationToken).ConfigureAwait(false)
            ?? throw new RegistryException("get manifest", http.Endpoint.Host, repository, response.StatusCode, null, $"{repository}:{reference}: the manifest is larger than {MaxManifestSize} bytes");

    /// <summary>HEAD a manifest: its digest from <c>Docker-Content-Digest</c>, or a GET when the header is missing.</summary>
    public async Task<Digest> GetDigestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        using (var response = await http.SendCheckedAsync("get digest", repository, b => ManifestRequest(HttpMethod.Head, b, repository, reference), cancellationToken).ConfigureAwait(false))
        {
            if (response.Headers.TryGetValues("Docker-Content-Digest", out var values) && Digest.TryParse(values.FirstOrDefault(), out var digest)) return digest;
        }
        return (await GetManifestAsync(repository, reference, cancellationToken).ConfigureAwait(false)).Digest;
    }

    /// <summary>
    /// PUT a manifest's exact bytes under a tag or digest, with its own media type. Callers put a
    /// manifest only once its blobs are in place, so distribution's 400 DIGEST_INVALID or
    /// MANIFEST_BLOB_UNKNOWN then means it was reading a blob link another client was rewriting
    /// (concurrent pushes of shared layers): the PUT is tried again, twice, after a short pause.
    /// </summary>
    /// <returns>True when the registry answered <c>OCI-Subject</c>: it indexed the manifest's subject for the referrers API.</returns>
    public async Task<bool> PutManifestAsync(string repository, string reference, byte[] bytes, string mediaType, CancellationToken cancellationToken)
    {
        const int Attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var response = await http.SendCheckedAsync("put manifest", repository, b =>
                {
                    var content = new ByteArrayContent(bytes);
                    content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
                    return new HttpRequestMessage(HttpMethod.Put, new Uri(b, $"v2/{repository}/manifests/{Escape(reference)}")) { Content = content };
                }, cancellationToken).ConfigureAwait(false);
                return response.Headers.Contains("OCI-Subject");
            }
            catch (RegistryException e) when (attempt < Attempts && e.StatusCode == HttpStatusCode.BadRequest && e.Code is "DIGEST_INVALID" or "MANIFEST_BLOB_UNKNOWN")
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>DELETE a manifest by digest.</summary>
    public async Task DeleteManifestAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        using var response = await http.SendCheckedAsync("delete manifest", repository,
            b => new HttpRequestMessage(HttpMethod.Delete, new Uri(b, $"v2/{repository}/manifests/{digest}")), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>HEAD a blob: true when the repository has it.</summary>
    public async Task<bool> BlobExistsAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        using var response = await http.SendCheckedAsync("check blob", repository,
            b => new HttpRequestMessage(HttpMethod.Head, new Uri(b, $"v2/{repository}/blobs/{digest}")), cancellationToken, accepted: HttpStatusCode.NotFound).ConfigureAwait(false);
        return response.StatusCode != HttpStatusCode.NotFound;
    }

    /// <summary>GET a blob from <paramref name="offset"/> on; the caller owns the response.</summary>
    public Task<HttpResponseMessage> GetBlobAsync(string repository, Digest digest, long offset, CancellationToken cancellationToken)
        => http.SendCheckedAsync("get blob", repository, b =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, new Uri(b, $"v2/{repository}/blobs/{digest}"));
            if (offset > 0) request.Headers.Range = new RangeHeaderValue(offset, null);
            return request;
        }, cancellationToken);

    /// <summary>Every tag, following <c>Link</c> pages, as the pages arrive.</summary>
    public IAsyncEnumerable<string> EnumerateTagsAsync(string repository, int? pageSize, CancellationToken cancellationToken)
        => EnumerateAsync("list tags", repository, $"v2/{repository}/tags/list", pageSize, ReadTagsAsync, cancellationToken);

    /// <summary>Every repository in the catalog, following <c>Link</c> pages, as the pages arrive.</summary>
    public IAsyncEnumerable<string> EnumerateRepositoriesAsync(int? pageSize, CancellationToken cancellationToken)
        => EnumerateAsync("list repositories", null, "v2/_catalog", pageSize, ReadRepositoriesAsync, cancellationToken);

    /// <summary>The tags of one page of <c>GET /v2/NAME/tags/list</c>; a body that is not the protocol's JSON throws <see cref="JsonException"/>.</summary>
    internal static async Task<IReadOnlyList<string>?> ReadTagsAsync(Stream body, CancellationToken cancellationToken)
        => (await JsonSerializer.DeserializeAsync(body, RegistryJsonContext.Default.TagList, cancellationToken).ConfigureAwait(false))?.Tags;

    /// <summary>The repositories of one page of <c>GET /v2/_catalog</c>; a body that is not the protocol's JSON throws <see cref="JsonException"/>.</summary>
    internal static async Task<IReadOnlyList<string>?> ReadRepositoriesAsync(Stream body, CancellationToken cancellationToken)
        => (await JsonSerializer.DeserializeAsync(body, RegistryJsonContext.Default.Catalog, cancellationToken).ConfigureAwait(false))?.Repositories;

    /// <summary>
    /// The entries of every page, following <c>Link</c>, each page's as it arrives. Bounded as
    /// distribution bounds <c>n</c>: past <see cref="RegistryOptions.MaxListPages"/> pages or
    /// <see cref="RegistryOptions.MaxListEntries"/> entries, or at a page already read, a
    /// <see cref="RegistryException"/> says where it stopped (the entries before it were given).
    /// </summary>
    private async IAsyncEnumerable<string> EnumerateAsync(string operation, string? repository, string path, int? pageSize,
        Func<Stream, CancellationToken, Task<IReadOnlyList<string>?>> parse, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Uri? next = null;
        var first = pageSize is { } n ? $"{path}?n={n}" : path;
        var read = new HashSet<Uri>();
        long entries = 0;
        for (var page = 0; page == 0 || next is not null; page++)
        {
            if (next is not null && !read.Add(next))
            {
                throw new RegistryException(operation, http.Endpoint.Host, repository, null, null, $"the registry's Link header leads back to a page already read ({LoggingHandler.Redact(next)})");
            }
            if (page == http.Options.MaxListPages)
            {
                throw new RegistryException(operation, http.Endpoint.Host, repository, null, null,
                    $"stopped after {page} pages and {entries} entries (at most {http.Options.MaxListPages} pages are read); the registry's Link still leads on to {LoggingHandler.Redact(next!)}");
            }
            var target = next;
            IReadOnlyList<string> names;
            using (var response = await http.SendCheckedAsync(operation, repository,
                b => new HttpRequestMessage(HttpMethod.Get, target ?? new Uri(b, first)), cancellationToken).ConfigureAwait(false))
            {
                var body = await RegistryHttp.ReadAnswerAsync(response, MaxPageSize, operation, http.Endpoint.Host, repository, "a page of the answer", cancellationToken).ConfigureAwait(false);
                try
                {
                    names = await parse(new MemoryStream(body, writable: false), cancellationToken).ConfigureAwait(false) ?? [];
                }
                catch (JsonException e)
                {
                    throw new RegistryException(operation, http.Endpoint.Host, repository, response.StatusCode, null, $"the answer is not the protocol's JSON: {e.Message}", e);
                }
                next = await NextPageAsync(response, operation, repository, cancellationToken).ConfigureAwait(false);
            }
            foreach (var name in names)
            {
                if (entries == http.Options.MaxListEntries)
                {
                    throw new RegistryException(operation, http.Endpoint.Host, repository, null, null,
                        $"stopped after {entries} entries in {page + 1} pages (at most {http.Options.MaxListEntries} are read)");
                }
                entries++;
                yield return name;
            }
        }
    }

    /// <summary>
    /// The page after <paramref name="response"/>'s, from its <c>Link</c> header; null on the last
    /// page. A target that is no URI reference is a <see cref="RegistryException"/>: stopping there
    /// would return a list cut short as if it were whole.
    /// </summary>
    internal async Task<Uri?> NextPageAsync(HttpResponseMessage response, string operation, string? repository, CancellationToken cancellationToken)
    {
        if (NextLink(response) is not { } target) return null;
        if (!Uri.TryCreate(target, UriKind.RelativeOrAbsolute, out var link)) throw http.BadTarget(response, "Link", operation, repository, "names no URI");
        return await http.ResolveAsync(response, link, "Link", operation, repository, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The <c>rel="next"</c> target of an RFC 8288 <c>Link</c> header, as written, if any.</summary>
    internal static string? NextLink(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var values)) return null;
        foreach (var entry in values.SelectMany(v => v.Split(',')))
        {
            var start = entry.IndexOf('<', StringComparison.Ordinal);
            var end = entry.IndexOf('>', StringComparison.Ordinal);
            if (start < 0 || end < start) continue;
            var parameters = entry[(end + 1)..].Replace(" ", "", StringComparison.Ordinal);
            if (parameters.Contains("rel=\"next\"", StringComparison.OrdinalIgnoreCase) || parameters.Contains("rel=next", StringComparison.OrdinalIgnoreCase))
            {
                return entry[(start + 1)..end].Trim();
            }
        }
        return null;
    }
}
