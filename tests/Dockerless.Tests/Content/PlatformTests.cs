namespace Dockerless.Tests.Content;

public class PlatformTests
{
    [Theory]
    [InlineData("linux/amd64", "linux/amd64", true)]
    [InlineData("linux/arm64", "linux/arm64/v8", true)]
    [InlineData("linux/arm/v7", "linux/arm/v6", false)]
    [InlineData("linux/arm/v7", "linux/arm", true)]
    [InlineData("linux/amd64", "windows/amd64", false)]
    public void Matches_compares_os_architecture_and_variant(string wanted, string candidate, bool expected)
        => Assert.Equal(expected, Platform.Parse(wanted).Matches(Platform.Parse(candidate)));

    [Theory]
    [InlineData("linux")]
    [InlineData("linux//v7")]
    [InlineData("a/b/c/d")]
    public void Parse_refuses_malformed_platforms(string text) => Assert.Throws<FormatException>(() => Platform.Parse(text));

    [Fact]
    public void Host_is_linux() => Assert.Equal("linux", Platform.Host.Os);
}
