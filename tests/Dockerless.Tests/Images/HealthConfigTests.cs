using System.Text;

namespace Dockerless.Tests.Images;

/// <summary>Docker's health check as a typed <see cref="HealthConfig"/>: Go durations in nanoseconds, unknown fields kept.</summary>
public class HealthConfigTests
{
    private static Image WithHealthcheck(string healthcheck)
        => Image.FromParts(Encoding.UTF8.GetBytes($$$"""{"architecture":"amd64","os":"linux","config":{"Healthcheck":{{{healthcheck}}}},"rootfs":{"type":"layers","diff_ids":[]}}"""), [], "base.tar");

    private static string HealthcheckJson(Image image)
    {
        var json = Encoding.UTF8.GetString(image.GetConfigBytes());
        var start = json.IndexOf("\"Healthcheck\":", StringComparison.Ordinal);
        return start < 0 ? "" : json[(start + "\"Healthcheck\":".Length)..json.IndexOf('}', start)] + "}";
    }

    [Fact]
    public void A_healthcheck_reads_as_its_fields()
    {
        var image = WithHealthcheck("""{"Test":["CMD-SHELL","curl -f localhost"],"Interval":30000000000,"Timeout":1000000050,"StartPeriod":0,"Retries":3,"Extra":true}""");
        var check = image.Config.Healthcheck!;
        Assert.Equal(["CMD-SHELL", "curl -f localhost"], check.Test!);
        Assert.Equal(TimeSpan.FromSeconds(30), check.Interval);
        Assert.Equal(TimeSpan.FromSeconds(1), check.Timeout);
        Assert.Equal(TimeSpan.Zero, check.StartPeriod);
        Assert.Null(check.StartInterval);
        Assert.Equal(3, check.Retries);
        Assert.True(check.ExtensionData!["Extra"].GetBoolean());
    }

    [Fact]
    public void A_duration_set_to_what_it_was_keeps_its_nanoseconds_and_a_new_one_is_written_in_nanoseconds()
    {
        var image = WithHealthcheck("""{"Test":["NONE"],"Interval":1000000050,"Timeout":5}""");
        var check = image.Config.Healthcheck!;
        check.Interval = check.Interval;
        check.Timeout = TimeSpan.FromMilliseconds(1500);
        check.StartInterval = TimeSpan.FromSeconds(2);
        Assert.Equal("""{"Test":["NONE"],"Interval":1000000050,"Timeout":1500000000,"StartInterval":2000000000}""", HealthcheckJson(image));
    }

    [Fact]
    public void A_new_healthcheck_writes_only_the_fields_set()
    {
        var image = Image.Scratch();
        image.Config.Healthcheck = new HealthConfig { Test = ["CMD", "/health"], Retries = 2 };
        Assert.Equal("""{"Test":["CMD","/health"],"Retries":2}""", HealthcheckJson(image));
        image.Config.Healthcheck = null;
        Assert.Equal("", HealthcheckJson(image));
    }

    [Fact]
    public void A_duration_beyond_what_go_holds_is_an_argument_error()
    {
        var check = new HealthConfig();
        Assert.Throws<ArgumentOutOfRangeException>(() => check.Interval = TimeSpan.MaxValue);
        Assert.Null(check.Interval);
    }

    [Theory]
    [InlineData("\"30s\"")]
    [InlineData("1.5")]
    [InlineData("1e9")]
    [InlineData("9223372036854775808")]
    public void A_duration_that_is_not_whole_nanoseconds_is_a_format_error(string interval)
    {
        var e = Assert.Throws<InvalidImageFormatException>(() => WithHealthcheck($$"""{"Interval":{{interval}}}"""));
        Assert.Contains("base.tar", e.Message, StringComparison.Ordinal);
        Assert.Contains("nanoseconds", e.Message, StringComparison.Ordinal);
    }
}
