using Dockerless.Building;

namespace Dockerless.Tests.Building;

/// <summary>The Go formatting BuildKit's created_by texts use.</summary>
public class HistoryTextTests
{
    [Theory]
    [InlineData(0, "0s")]
    [InlineData(5_000_000_000, "5s")]
    [InlineData(90_000_000_000, "1m30s")]
    [InlineData(500_000_000, "500ms")]
    [InlineData(1_500_000_000, "1.5s")]
    [InlineData(7_200_000_000_000, "2h0m0s")]
    [InlineData(1_500, "1.5\u00b5s")]
    public void Durations_print_as_Go_prints_them(long nanoseconds, string text) => Assert.Equal(text, HistoryText.Duration(nanoseconds));

    [Fact]
    public void Lists_and_sets_print_as_Go_prints_them()
    {
        Assert.Equal("[\"a\" \"b c\"]", HistoryText.QuotedList(["a", "b c"]));
        Assert.Equal("[/a /b]", HistoryText.PlainList(["/a", "/b"]));
        Assert.Equal("map[53/udp:{} 80/tcp:{}]", HistoryText.Set(["80/tcp", "53/udp"]));
    }
}
