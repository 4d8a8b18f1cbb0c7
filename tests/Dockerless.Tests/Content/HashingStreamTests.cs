namespace Dockerless.Tests.Content;

public class HashingStreamTests
{
    private static readonly byte[] Data = "hello, layers"u8.ToArray();

    [Fact]
    public async Task Reading_to_the_end_verifies_the_expected_digest_and_size()
    {
        await using var stream = new HashingStream(new MemoryStream(Data), Digest.Compute(Data), Data.Length);
        await stream.CopyToAsync(Stream.Null);
        Assert.Equal(Digest.Compute(Data), stream.GetDigest());
        Assert.Equal(Data.Length, stream.BytesHashed);
    }

    [Fact]
    public async Task A_wrong_digest_fails_at_the_end_of_the_stream()
    {
        var other = Digest.Compute("something else"u8);
        await using var stream = new HashingStream(new MemoryStream(Data), other, Data.Length, "blob X");
        var e = await Assert.ThrowsAsync<DigestMismatchException>(() => stream.CopyToAsync(Stream.Null));
        Assert.Contains("blob X: digest mismatch", e.Message, StringComparison.Ordinal);
        Assert.Equal(other, e.Expected);
    }

    [Fact]
    public async Task A_longer_body_fails_as_soon_as_it_passes_the_size()
    {
        await using var stream = new HashingStream(new MemoryStream(Data), Digest.Compute(Data.AsSpan(0, 4)), 4);
        var e = await Assert.ThrowsAsync<DigestMismatchException>(() => stream.CopyToAsync(Stream.Null));
        Assert.Contains("size mismatch", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writing_hashes_what_goes_through()
    {
        var sink = new MemoryStream();
        await using (var stream = new HashingStream(sink, leaveOpen: true))
        {
            await stream.WriteAsync(Data);
            Assert.Equal(Digest.Compute(Data), stream.GetDigest());
        }
        Assert.Equal(Data, sink.ToArray());
    }
}
