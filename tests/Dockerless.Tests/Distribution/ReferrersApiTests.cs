using System.Net;
using System.Text;

namespace Dockerless.Tests.Distribution;

/// <summary>
/// The referrers API branch, which no registry installable here has (distribution 2.8 answers
/// 404, the fallback the integration tests drive): pages followed through <c>Link</c>, the
/// <c>artifactType</c> filter applied here unless <c>OCI-Filters-Applied</c> says the registry did,
/// and no fallback tag written when a PUT is answered with <c>OCI-Subject</c>.
/// </summary>
public sealed class ReferrersApiTests
{
    private const string Signature = "application/vnd.dev.cosign.artifact.sig.v1+json";
    private const string Sbom = "application/spdx+json";
    private static readonly Digest Subject = Digest.Compute("subject"u8);

    private static string Entry(string name, string artifactType)
        => $$"""{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{Digest.Compute(Encoding.UTF8.GetBytes(name))}}","size":100,"artifactType":"{{artifactType}}"}""";

    private static string Page(params string[] entries) => $$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{{string.Join(',', entries)}}]}""";

    private static HttpResponseMessage Json(string body, HttpStatusCode status = HttpStatusCode.OK)
        => new(status) { Content = new StringContent(body, Encoding.UTF8, "application/vnd.oci.image.index.v1+json") };

    private static Registry RegistryWith(FakeHandler fake) => new(new RegistryOptions { Address = "registry.example.com", HttpHandler = fake });

    private static ImageReference SubjectReference => ImageReference.Parse($"registry.example.com/app@{Subject}");

    [Fact]
    public async Task Pages_are_followed_and_a_filter_the_registry_did_not_apply_is_applied_here()
    {
        var fake = new FakeHandler(request =>
        {
            var uri = request.RequestUri!;
            if (uri.AbsolutePath != $"/v2/app/referrers/{Subject}") return new HttpResponseMessage(HttpStatusCode.OK);
            Assert.Contains($"artifactType={Uri.EscapeDataString(Signature)}", uri.Query, StringComparison.Ordinal);
            if (uri.Query.Contains("last=", StringComparison.Ordinal)) return Json(Page(Entry("c", Signature)));
            var first = Json(Page(Entry("a", Signature), Entry("b", Sbom)));
            first.Headers.TryAddWithoutValidation("Link", $"</v2/app/referrers/{Subject}?artifactType={Uri.EscapeDataString(Signature)}&last=b>; rel=\"next\"");
            return first;
        });
        await using var registry = RegistryWith(fake);

        var listed = await registry.ListReferrersAsync(SubjectReference, Signature);

        Assert.Equal([Digest.Compute("a"u8), Digest.Compute("c"u8)], listed.Index!.Manifests.Select(m => m.Digest));
        Assert.Equal(2, fake.Seen.Count(s => s.Uri.AbsolutePath.Contains("/referrers/", StringComparison.Ordinal)));
        Assert.DoesNotContain(fake.Seen, s => s.Uri.AbsolutePath.Contains("/manifests/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_page_the_registry_filtered_itself_is_the_answer_byte_for_byte()
    {
        var page = Page(Entry("a", Signature));
        var fake = new FakeHandler(request =>
        {
            if (!request.RequestUri!.AbsolutePath.Contains("/referrers/", StringComparison.Ordinal)) return new HttpResponseMessage(HttpStatusCode.OK);
            var answer = Json(page);
            answer.Headers.TryAddWithoutValidation("OCI-Filters-Applied", "artifactType");
            return answer;
        });
        await using var registry = RegistryWith(fake);

        var listed = await registry.ListReferrersAsync(SubjectReference, Signature);

        Assert.Equal(page, Encoding.UTF8.GetString(listed.Bytes.Span));
    }

    [Fact]
    public async Task A_put_answered_with_OCI_Subject_leaves_the_fallback_tag_alone()
    {
        var fake = new FakeHandler(request =>
        {
            if (request.Method != HttpMethod.Put) return new HttpResponseMessage(HttpStatusCode.OK);
            var created = new HttpResponseMessage(HttpStatusCode.Created);
            created.Headers.TryAddWithoutValidation("OCI-Subject", Subject.ToString());
            return created;
        });
        await using var registry = RegistryWith(fake);
        var bytes = Encoding.UTF8.GetBytes(Page());
        var referrer = new Descriptor { MediaType = MediaTypes.OciIndex, Digest = Digest.Compute(bytes), Size = bytes.Length };

        await new Dockerless.Graph.RegistryStore(registry, "app").PutReferrerAsync(referrer, bytes, Subject, CancellationToken.None);

        Assert.Single(fake.Seen, s => s.Method == HttpMethod.Put);
        Assert.DoesNotContain(fake.Seen, s => s.Uri.AbsolutePath.Contains($"/manifests/sha256-", StringComparison.Ordinal));
    }
}
