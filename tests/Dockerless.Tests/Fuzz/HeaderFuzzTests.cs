using System.Net;
using System.Text;
using CsCheck;
using Dockerless.Tests.Distribution;
using Dockerless.Tests.Hostile;
using Xunit.Abstractions;

namespace Dockerless.Tests.Fuzz;

/// <summary>
/// Fuzzes the readers of a registry's response headers: Link (pagination), Location (upload
/// sessions and redirects), Retry-After, and an upload session's Range and OCI-Chunk-Min-Length.
/// Whatever URI a header leads to must be one the client can request: http or https.
/// </summary>
[Collection(MemoryMeasurements.Name)]
public sealed class HeaderFuzzTests(ITestOutputHelper output) : IDisposable
{
    private static readonly Uri Requested = new("https://registry.example/v2/team/app/tags/list?n=2");

    private readonly RegistryHttp _http = new(RegistryEndpoint.Parse("registry.example"), new RegistryOptions());

    public void Dispose() => _http.Dispose();

    /// <summary>URI references a registry might send, good and bad.</summary>
    private static readonly Gen<string> Targets = Gen.OneOf(
        Gen.OneOf(
            "/v2/team/app/tags/list?last=b&n=2", "?last=b", "uploads/u1?_state=x", "https://registry.example/v2/x", "https://storage.example/blob?sig=1",
            "http://registry.example:5000/x", "//other.example/x", "file:///etc/passwd", "ftp://host/x", "javascript:alert(1)", "data:,x", "mailto:a@b",
            "http://[", "http://[::1]/x", "http://host:99999/", "%zz", "", " ", "\\\\server\\share", "C:\\x", "/v2/..%2f..%2fetc", "http://a b/", "ht!tp://x",
            "https://user:pw@registry.example/x", "http:x", "https:", "/\u00e9", "//", "#frag"),
        Gen.String[Gen.Char["htps:/?#[]@!$&'()*+,;=%-._~ab0\\\u00e9"], 0, 80]);

    private static readonly Gen<string> LinkHeaders = Gen.OneOf(
        Gen.Select(
            Gen.OneOf("<", "", "<<", " <"), Targets, Gen.OneOf(">", "", ">>"),
            Gen.OneOf("; rel=\"next\"", ";rel=next", "; rel=\"prev\"", "; REL=\"NEXT\"", "", "; rel=\"next", "; rel=\"next\"; title=\"a,b\""),
            Gen.OneOf("", ", </v2/x?n=1>; rel=\"prev\"", ",", ", <"),
            (open, target, close, parameters, tail) => open + target + close + parameters + tail),
        Gen.String[Gen.Char["<>;,=\" relnxtREL/:?&%[]\\.ab"], 0, 200]);

    [Fact]
    public void Link_reader_throws_only_RegistryException_and_leads_only_to_http()
        => Fuzz.RunAsync(output, "Link header", LinkHeaders, s => Encoding.UTF8.GetByteCount(s), async (header, cancel) =>
        {
            using var response = Answer("Link", header);
            var next = await new RegistryApi(_http).NextPageAsync(response, "list tags", "team/app", cancel);
            if (next is not null) AssertRequestable(next);
        }, typeof(RegistryException));

    [Fact]
    public void Upload_Location_reader_throws_only_RegistryException_and_leads_only_to_http()
        => Fuzz.RunAsync(output, "Location header (upload)", Targets, s => Encoding.UTF8.GetByteCount(s), async (header, cancel) =>
        {
            using var response = Answer("Location", header);
            AssertRequestable(await new BlobUploader(new RegistryApi(_http)).LocationAsync(response, "team/app", cancel));
        }, typeof(RegistryException));

    [Fact]
    public void Redirects_are_followed_only_to_http()
        => Fuzz.RunAsync(output, "Location header (redirect)", Targets, s => Encoding.UTF8.GetByteCount(s), async (header, cancel) =>
        {
            var seen = new List<Uri>();
            using var client = new HttpClient(new RedirectHandler(new FakeHandler(request =>
            {
                seen.Add(request.RequestUri!);
                if (request.RequestUri != Requested) return new HttpResponseMessage(HttpStatusCode.OK);
                var redirect = new HttpResponseMessage(HttpStatusCode.TemporaryRedirect);
                redirect.Headers.TryAddWithoutValidation("Location", header);
                return redirect;
            })));
            using var answer = await client.GetAsync(Requested, cancel);
            Assert.All(seen, AssertRequestable);
        }, typeof(HttpRequestException));

    private static readonly Gen<string> RetryAfters = Gen.OneOf(
        Gen.OneOf("120", "0", "-1", "1.5", "", " 5", "99999999999", "2147483648", "9223372036854775808", "Wed, 21 Oct 2015 07:28:00 GMT",
            "Fri, 31 Dec 9999 23:59:59 GMT", "Mon, 01 Jan 0001 00:00:00 GMT", "Sat, 01 Jan 2000 00:00:00 +0100", "Thu, 31 Dec 2099 23:59:59 GMT"),
        Gen.Int.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.String[Gen.Char["0123456789 ,:-+.GMTWedOctFriDec"], 0, 40]);

    [Fact]
    public void Retry_After_reader_never_throws_and_waits_between_zero_and_the_cap()
        => Fuzz.Run(output, "Retry-After header", RetryAfters, s => Encoding.UTF8.GetByteCount(s), header =>
        {
            using var response = Answer("Retry-After", header);
            if (RegistryHttp.RetryAfter(response, TimeSpan.FromSeconds(30)) is { } wait) Assert.InRange(wait, TimeSpan.Zero, TimeSpan.FromSeconds(30));
        });

    private static readonly Gen<string> Counts = Gen.OneOf(
        Gen.Select(Gen.OneOf("0-", "bytes=0-", "", "-", "5-", "0--"),
            Gen.OneOf("0", "1", "1023", "9223372036854775806", "9223372036854775807", "9223372036854775808", "-1", "+5", " 7", "1e3", "0x10", "\u0661"),
            (start, end) => start + end),
        Gen.String[Gen.Char["0123456789-= bytes"], 0, 40]);

    [Fact]
    public void Upload_session_headers_never_throw_and_give_no_negative_offset()
        => Fuzz.Run(output, "Range and OCI-Chunk-Min-Length headers", Counts, s => Encoding.UTF8.GetByteCount(s), header =>
        {
            Assert.True(BlobUploader.ResumeOffset(header) >= 0, header);
            Assert.True(BlobUploader.MinChunkLength(header) is null or >= 0, header);
        });

    private static HttpResponseMessage Answer(string header, string value)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = new HttpRequestMessage(HttpMethod.Get, Requested) };
        response.Headers.TryAddWithoutValidation(header, value);
        return response;
    }

    private static void AssertRequestable(Uri uri)
    {
        Assert.True(uri.IsAbsoluteUri, uri.OriginalString);
        Assert.True(uri.Scheme is "http" or "https", uri.OriginalString);
    }
}
