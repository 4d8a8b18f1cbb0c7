using System.Net;
using Dockerless.Tests.Content;

namespace Dockerless.Tests.Distribution;

/// <summary>Which blobs move, in which order, and through which buffer.</summary>
public sealed class TransferPlanTests
{
    private static BlobSource Blob(string name, long size, string mediaType = MediaTypes.OciLayerGzip)
        => new(new Descriptor { MediaType = mediaType, Digest = Digest.Compute(System.Text.Encoding.UTF8.GetBytes(name)), Size = size }, null,
            _ => Task.FromResult<Stream>(new MemoryStream()));

    [Fact]
    public void Blobs_start_largest_first_each_digest_once_and_foreign_layers_never()
    {
        BlobSource[] blobs =
        [
            Blob("config", 300), Blob("small", 1_000), Blob("big", 900_000_000), Blob("medium", 64_000_000),
            Blob("small", 1_000), Blob("foreign", 5_000_000_000, MediaTypes.DockerForeignLayerGzip), Blob("big", 900_000_000),
        ];

        var plan = BlobMover.Plan(blobs);

        Assert.Equal([900_000_000, 64_000_000, 1_000, 300], plan.Select(b => b.Descriptor.Size));
        Assert.Equal(plan.Count, plan.Select(b => b.Descriptor.Digest).Distinct().Count());
    }

    [Fact]
    public async Task An_upload_body_is_written_in_one_MiB_pieces_through_the_timeout_handler()
    {
        var body = new byte[(2 << 20) + 7];
        var recorder = new BlobCopyTests.RecordingStream(Stream.Null);
        var fake = new FakeHandler(request =>
        {
            request.Content!.CopyTo(recorder, null, CancellationToken.None);
            return new HttpResponseMessage(HttpStatusCode.Accepted);
        });
        using var client = new HttpClient(new PhaseTimeoutHandler(new RegistryOptions { ReadTimeout = TimeSpan.FromMinutes(1) }, fake));
        using var request = new HttpRequestMessage(HttpMethod.Patch, "http://127.0.0.1:1/v2/a/blobs/uploads/x")
        {
            Content = new StreamContent(new MemoryStream(body), BlobCopy.BufferSize),
        };

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal([1 << 20, 1 << 20, 7], recorder.Writes);
    }
}
