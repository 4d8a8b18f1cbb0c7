namespace Dockerless.Tests.Engines;

public class ContainerEngineTests
{
    [Fact]
    public void An_unknown_engine_name_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => ContainerEngine.Find("lxc"));
        Assert.Contains("docker, podman", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_missing_engine_error_names_what_was_looked_for()
    {
        var error = new EngineNotFoundException(["docker", "podman"]);
        Assert.StartsWith("no container engine found: looked for docker and podman on PATH", error.Message, StringComparison.Ordinal);
        Assert.Equal(["docker", "podman"], error.LookedFor);
    }

    [Fact]
    public void Run_options_default_to_no_network_and_removal()
    {
        var options = new RunOptions();
        Assert.Equal("none", options.Network);
        Assert.False(options.Keep);
        Assert.True(options.CaptureOutput);
        Assert.Null(options.Engine);
    }
}
