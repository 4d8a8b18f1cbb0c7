using System.Net;
using System.Text;

namespace Dockerless.Tests.Distribution;

/// <summary>Scopes, pagination links, retry decisions, redaction and redirects.</summary>
public sealed class ProtocolDetailsTests
{
    [Theory]
    [InlineData("GET", "https://r/v2/team/app/manifests/latest", "repository:team/app:pull")]
    [InlineData("HEAD", "https://r/v2/team/app/blobs/sha256:00", "repository:team/app:pull")]
    [InlineData("POST", "https://r/v2/team/app/blobs/uploads/", "repository:team/app:pull,push")]
    [InlineData("PATCH", "https://r/v2/a/b/c/blobs/uploads/uuid?_state=x", "repository:a/b/c:pull,push")]
    [InlineData("DELETE", "https://r/v2/team/app/manifests/sha256:00", "repository:team/app:delete")]
    [InlineData("GET", "https://r/v2/_catalog?n=10", "registry:catalog:*")]
    [InlineData("GET", "https://r/v2/", "")]
    public void Scopes_follow_path_and_method(string method, string url, string scope)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);

        Assert.Equal(scope, string.Join(' ', AuthHandler.ScopesOf(request)));
    }

    [Theory]
    [InlineData("127.0.0.1:5000", true, null)]
    [InlineData("127.8.9.1", true, null)]
    [InlineData("localhost:5000", true, null)]
    [InlineData("[::1]:5000", true, null)]
    [InlineData("http://127.0.0.1:5000/", true, "http")]
    [InlineData("https://registry.example.com", false, "https")]
    [InlineData("registry.example.com:443", false, null)]
    public void Addresses_keep_an_explicit_scheme_and_know_loopback(string address, bool loopback, string? scheme)
    {
        var endpoint = RegistryEndpoint.Parse(address);

        Assert.Equal(loopback, endpoint.IsLoopback);
        Assert.Equal(scheme, endpoint.ExplicitScheme);
        Assert.DoesNotContain("/", endpoint.Host, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("http://")]
    [InlineData("host/path")]
    public void Bad_addresses_are_refused(string address)
        => Assert.ThrowsAny<ArgumentException>(() => RegistryEndpoint.Parse(address));

    [Fact]
    public void A_mount_also_needs_pull_on_its_source()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://r/v2/to/app/blobs/uploads/?mount=sha256:00&from=from%2Fapp");

        Assert.Equal(["repository:from/app:pull", "repository:to/app:pull,push"], AuthHandler.ScopesOf(request));
    }

    [Fact]
    public void The_next_Link_is_found_among_others()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK);
        response.Headers.TryAddWithoutValidation("Link", "</v2/_catalog?last=b&n=2>; rel=\"next\"");

        Assert.Equal("/v2/_catalog?last=b&n=2", RegistryApi.NextLink(response));
        using var none = new HttpResponseMessage(HttpStatusCode.OK);
        Assert.Null(RegistryApi.NextLink(none));
    }

    [Fact]
    public async Task A_null_tag_or_repository_is_a_bad_answer()
    {
        static MemoryStream Body(string json) => new(Encoding.UTF8.GetBytes(json));

        await Assert.ThrowsAsync<System.Text.Json.JsonException>(() => RegistryApi.ReadTagsAsync(Body("{\"tags\":[\"v1\",null]}"), CancellationToken.None));
        await Assert.ThrowsAsync<System.Text.Json.JsonException>(() => RegistryApi.ReadRepositoriesAsync(Body("{\"repositories\":[null]}"), CancellationToken.None));
    }

    [Theory]
    [InlineData("0-1023", 1024)]
    [InlineData("bytes=0-1023", 1024)]
    [InlineData("0-0", 0)]
    [InlineData(null, 0)]
    [InlineData("0-x", 0)]
    [InlineData("0-9223372036854775806", long.MaxValue)]
    [InlineData("0-9223372036854775807", 0)]
    public void An_upload_session_resumes_after_the_last_byte_its_Range_names(string? range, long offset)
        => Assert.Equal(offset, BlobUploader.ResumeOffset(range));

    [Theory]
    [InlineData("<http:x>; rel=\"next\"")]
    [InlineData("<http://[>; rel=\"next\"")]
    public async Task A_next_Link_that_is_no_URI_is_the_registrys_error(string link)
    {
        using var http = new RegistryHttp(RegistryEndpoint.Parse("registry.example"), new RegistryOptions());
        using var response = Answer("Link", link);

        var error = await Assert.ThrowsAsync<RegistryException>(() => new RegistryApi(http).NextPageAsync(response, "list repositories", null, CancellationToken.None));

        Assert.Contains("the registry's Link header names no URI", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upload_Location_that_does_not_resolve_is_the_registrys_error()
    {
        using var http = new RegistryHttp(RegistryEndpoint.Parse("registry.example"), new RegistryOptions());
        using var response = Answer("Location", "http:x");

        var error = await Assert.ThrowsAsync<RegistryException>(() => new BlobUploader(new RegistryApi(http)).LocationAsync(response, "team/app", CancellationToken.None));

        Assert.Contains("upload blob registry.example/team/app: HTTP 202 Accepted: the registry's Location header names no URI", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Link", "<file:///etc/passwd>; rel=\"next\"", "file")]
    [InlineData("Link", "<mailto:a@b>; rel=\"next\"", "mailto")]
    [InlineData("Location", "ftp://storage.example/upload", "ftp")]
    public async Task A_Link_or_Location_leading_elsewhere_than_http_is_the_registrys_error(string header, string value, string scheme)
    {
        using var http = new RegistryHttp(RegistryEndpoint.Parse("registry.example"), new RegistryOptions());
        using var response = Answer(header, value);
        var api = new RegistryApi(http);

        var error = await Assert.ThrowsAsync<RegistryException>(async () =>
        {
            if (header == "Link") await api.NextPageAsync(response, "list tags", "team/app", CancellationToken.None);
            else await new BlobUploader(api).LocationAsync(response, "team/app", CancellationToken.None);
        });

        Assert.Contains($"the registry's {header} header leads to a {scheme}: URI, not http or https", error.Message, StringComparison.Ordinal);
    }

    /// <summary>An answer to a request of the registry's API, with one header as the registry wrote it.</summary>
    private static HttpResponseMessage Answer(string header, string value)
    {
        var response = new HttpResponseMessage(HttpStatusCode.Accepted) { RequestMessage = new HttpRequestMessage(HttpMethod.Get, "https://registry.example/v2/team/app/blobs/uploads/") };
        response.Headers.TryAddWithoutValidation(header, value);
        return response;
    }

    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout, true)]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.BadGateway, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.NotFound, false)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.NotImplemented, false)]
    [InlineData(HttpStatusCode.HttpVersionNotSupported, false)]
    public void Only_408_429_and_5xx_but_501_and_505_are_retried(HttpStatusCode status, bool transient)
        => Assert.Equal(transient, RegistryHttp.IsTransient(status));

    [Fact]
    public void Retry_After_is_honoured_and_capped()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("Retry-After", "120");

        Assert.Equal(TimeSpan.FromSeconds(30), RegistryHttp.RetryAfter(response, TimeSpan.FromSeconds(30)));
        Assert.Equal(TimeSpan.FromSeconds(120), RegistryHttp.RetryAfter(response, TimeSpan.FromMinutes(5)));
        Assert.Null(RegistryHttp.RetryAfter(null, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void Logged_URLs_mask_signatures_and_user_info()
    {
        var url = new Uri("https://user:pw@bucket.example.com/blob?X-Amz-Signature=secret&digest=sha256:00");

        var logged = LoggingHandler.Redact(url);

        Assert.DoesNotContain("secret", logged, StringComparison.Ordinal);
        Assert.DoesNotContain("pw", logged, StringComparison.Ordinal);
        Assert.Contains("digest=sha256:00", logged, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://registry.example.com/v2/blob-storage/x", true)]
    [InlineData("https://storage.example.com/x", false)]
    [InlineData("http://registry.example.com/x", false)]
    [InlineData("https://registry.example.com:8443/x", false)]
    public async Task Authorization_follows_a_redirect_only_to_the_same_origin(string target, bool keeps)
    {
        var fake = new FakeHandler(request =>
        {
            if (request.RequestUri!.AbsolutePath.StartsWith("/v2/team/", StringComparison.Ordinal))
            {
                var redirect = new HttpResponseMessage(HttpStatusCode.TemporaryRedirect);
                redirect.Headers.Location = new Uri(target);
                return redirect;
            }
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        using var client = new HttpClient(new RedirectHandler(fake));
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://registry.example.com/v2/team/app/blobs/sha256:00");
        request.Headers.Authorization = new("Bearer", "registry-token");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(keeps ? "Bearer registry-token" : null, fake.Seen[1].Authorization);
    }

    [Theory]
    [InlineData("file:///etc/passwd", "leads to a file: URI, not http or https")]
    [InlineData("ftp://storage.example/blob", "leads to a ftp: URI, not http or https")]
    [InlineData("http:x", "names no URI")]
    public async Task A_redirect_is_followed_only_to_http(string target, string why)
    {
        var fake = new FakeHandler(_ =>
        {
            var redirect = new HttpResponseMessage(HttpStatusCode.TemporaryRedirect);
            redirect.Headers.TryAddWithoutValidation("Location", target);
            return redirect;
        });
        using var client = new HttpClient(new RedirectHandler(fake));

        var error = await Assert.ThrowsAsync<RedirectRefusedException>(() => client.GetAsync("https://registry.example.com/v2/team/app/blobs/sha256:00"));

        Assert.Equal($"a redirect from https://registry.example.com:443/v2/team/app/blobs/sha256:00 {why}", error.Message);
        Assert.Single(fake.Seen);
    }

    [Fact]
    public void Schema1_manifests_are_refused_as_unsupported()
    {
        var bytes = """{"schemaVersion":1,"name":"x","tag":"y","fsLayers":[]}"""u8.ToArray();

        var error = Assert.Throws<InvalidImageFormatException>(() => RawManifest.Parse(bytes, null, "r/x:y"));

        Assert.Contains("schema 1", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]", "not a JSON object")]
    [InlineData("\"manifest\"", "not a JSON object")]
    [InlineData("""{"schemaVersion":99999999999,"mediaType":"application/vnd.oci.image.manifest.v1+json"}""", "invalid image manifest")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json\ud800"}""", "UTF-16")]
    public void A_served_document_that_is_no_manifest_is_a_format_error(string json, string expected)
    {
        var error = Assert.Throws<InvalidImageFormatException>(() => RawManifest.Parse(Encoding.UTF8.GetBytes(json), null, "r/x:y"));

        Assert.Contains("r/x:y", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_platform_choice_prefers_the_exact_variant()
    {
        var index = new IndexManifest
        {
            Manifests =
            [
                Entry('1', "linux/arm/v6"), Entry('2', "linux/arm/v7"), Entry('3', "linux/amd64"),
            ],
        };

        Assert.Equal('2', Dockerless.Distribution.Registry.ChoosePlatform(index, Platform.Parse("linux/arm/v7"))!.Digest.Encoded[0]);
        Assert.Equal('3', Dockerless.Distribution.Registry.ChoosePlatform(index, Platform.Parse("linux/amd64"))!.Digest.Encoded[0]);
        Assert.Null(Dockerless.Distribution.Registry.ChoosePlatform(index, Platform.Parse("linux/s390x")));
    }

    private static Descriptor Entry(char hex, string platform) => new()
    {
        MediaType = MediaTypes.OciManifest,
        Digest = Digest.Parse("sha256:" + new string(hex, 64)),
        Size = 1,
        Platform = Platform.Parse(platform),
    };
}
