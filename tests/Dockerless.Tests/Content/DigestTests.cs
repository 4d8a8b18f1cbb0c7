namespace Dockerless.Tests.Content;

public class DigestTests
{
    private const string EmptySha256 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    [Fact]
    public void Compute_gives_the_sha256_of_the_bytes() => Assert.Equal(EmptySha256, Digest.Compute([]).ToString());

    [Theory]
    [InlineData(EmptySha256)]
    [InlineData("sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e")]
    public void Parse_round_trips(string text) => Assert.Equal(text, Digest.Parse(text).ToString());

    [Theory]
    [InlineData("", "empty")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "no algorithm")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e", "unsupported algorithm")]
    [InlineData("sha256:abc", "64 hex digits")]
    [InlineData("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", "lowercase")]
    public void Parse_names_what_is_wrong(string text, string reason)
    {
        var e = Assert.Throws<FormatException>(() => Digest.Parse(text));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.False(Digest.TryParse(text, out _));
    }
}
