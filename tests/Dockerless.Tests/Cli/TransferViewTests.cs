using Dockerless.Cli.Output;

namespace Dockerless.Tests.Cli;

public class TransferViewTests
{
    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(999, "999 B")]
    [InlineData(1500, "1.5 kB")]
    [InlineData(57_200_000, "57.2 MB")]
    [InlineData(3_000_000_000, "3.0 GB")]
    public void Bytes_are_shown_in_decimal_units(long bytes, string text) => Assert.Equal(text, TransferView.FormatBytes(bytes));

    [Fact]
    public void Digests_are_shortened_to_twelve_hex_digits()
    {
        Assert.Equal("sha256:0123456789ab", TransferView.ShortId("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
        Assert.Equal("other", TransferView.ShortId("other"));
    }
}
