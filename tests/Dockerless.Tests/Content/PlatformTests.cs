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

    /// <summary>As containerd's platforms.Parse: each part is [A-Za-z0-9_.-]+, and case does not count.</summary>
    [Theory]
    [InlineData("LINUX/AMD64", "linux/amd64")]
    [InlineData("Linux/ARM/V7", "linux/arm/v7")]
    [InlineData("linux/x86_64", "linux/x86_64")]
    public void Parse_lowercases_every_part(string text, string expected) => Assert.Equal(expected, Platform.Parse(text).ToString());

    [Theory]
    [InlineData("linux /amd64", "\"linux \"")]
    [InlineData("linux/amd64 ", "\"amd64 \"")]
    [InlineData("linux/am*d64", "\"am*d64\"")]
    [InlineData("linux/amd64/v8:x", "\"v8:x\"")]
    [InlineData("linux/\u00e4rm", "\"\u00e4rm\"")]
    public void Parse_names_a_part_with_a_character_no_platform_has(string text, string part)
    {
        var e = Assert.Throws<FormatException>(() => Platform.Parse(text));
        Assert.Equal($"invalid platform \"{text}\": {part} may hold only letters, digits, '_', '.' and '-'", e.Message);
    }

    [Fact]
    public void Host_is_linux() => Assert.Equal("linux", Platform.Host.Os);
}
